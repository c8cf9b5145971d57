// Unit tests of the core library: ids, time, strings, hashing, Result/JACK_TRY.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>

#include "core/clock.hpp"
#include "core/hash.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"

namespace jack {
namespace {

using namespace std::chrono_literals;
using core::TimePoint;

TimePoint At(std::string_view iso) {
  auto t = core::ParseIso(iso);
  if (!t) throw std::runtime_error("bad test time " + std::string(iso));
  return *t;
}

int64_t Millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// ---------------------------------------------------------------------------------------------
// ids
// ---------------------------------------------------------------------------------------------

TEST(Ids, FormatIsUuidV7) {
  for (int i = 0; i < 100; ++i) {
    std::string id = core::NewId();
    ASSERT_EQ(id.size(), 36u) << id;
    EXPECT_TRUE(core::LooksLikeId(id)) << id;
    EXPECT_EQ(id[8], '-');
    EXPECT_EQ(id[13], '-');
    EXPECT_EQ(id[18], '-');
    EXPECT_EQ(id[23], '-');
    EXPECT_EQ(id[14], '7') << "version nibble must be 7: " << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos)
        << "variant must be 10xx (RFC 9562): " << id;
    for (char c : id) EXPECT_FALSE(c >= 'A' && c <= 'F') << "ids are lower-case: " << id;
  }
}

TEST(Ids, TimestampIsTheFirst48Bits) {
  // A time far after anything else in this process, so the generator does not clamp it.
  TimePoint t = At("2099-01-02T03:04:05.678Z");
  std::string id = core::NewId(t);
  std::string hex = id.substr(0, 8) + id.substr(9, 4);
  EXPECT_EQ(std::stoll(hex, nullptr, 16), Millis(t)) << id;
}

TEST(Ids, StrictlyIncreasingWithinOneMillisecond) {
  // 10k ids for one fixed instant: more than the 12-bit counter holds, so the generator must
  // also handle counter exhaustion without ever going backwards.
  TimePoint t = At("2026-12-03T10:15:00.123Z");
  std::string prev = core::NewId(t);
  std::set<std::string> seen{prev};
  for (int i = 0; i < 10000; ++i) {
    std::string id = core::NewId(t);
    ASSERT_GT(id, prev) << "id " << i << " is not greater than the one before";
    ASSERT_TRUE(seen.insert(id).second) << "duplicate id " << id;
    ASSERT_EQ(id[14], '7');
    prev = id;
  }
}

TEST(Ids, LooksLikeIdRejectsOtherStrings) {
  EXPECT_FALSE(core::LooksLikeId(""));
  EXPECT_FALSE(core::LooksLikeId("0190a0b2-7c3d-7abc-8def-0123456789a"));   // short
  EXPECT_FALSE(core::LooksLikeId("0190a0b2-7c3d-7abc-8def-0123456789AB"));  // upper case
  EXPECT_FALSE(core::LooksLikeId("0190a0b2x7c3d-7abc-8def-0123456789ab"));  // separator
  EXPECT_FALSE(core::LooksLikeId("0190a0b2-7c3d-7abc-8def-0123456789ag"));  // not hex
  EXPECT_TRUE(core::LooksLikeId("0190a0b2-7c3d-7abc-8def-0123456789ab"));
}

TEST(Ids, RandomHelpers) {
  std::string h = core::RandomHex(16);
  EXPECT_EQ(h.size(), 32u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(core::RandomHex(16), core::RandomHex(16));
  std::string t = core::RandomToken(32);
  EXPECT_EQ(t.size(), 43u);  // ceil(32 * 8 / 6)
  EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// time
// ---------------------------------------------------------------------------------------------

TEST(Time, FormatIsUtcWithMillis) {
  TimePoint t = TimePoint(std::chrono::milliseconds(1796292900123LL));  // 2026-12-03T10:15:00.123Z
  EXPECT_EQ(core::FormatIso(t), "2026-12-03T10:15:00.123Z");
  EXPECT_EQ(core::FormatIso(TimePoint{}), "1970-01-01T00:00:00.000Z");
  // Sub-millisecond parts are truncated, never rounded up into the next second.
  EXPECT_EQ(core::FormatIso(t + 999us), "2026-12-03T10:15:00.123Z");
}

TEST(Time, RoundTripWithMillis) {
  for (std::string s : {"2026-12-03T10:15:00.123Z", "2024-02-29T23:59:59.999Z",
                        "1999-12-31T00:00:00.000Z", "2026-03-08T07:00:00.001Z"}) {
    auto t = core::ParseIso(s);
    ASSERT_TRUE(t) << s;
    EXPECT_EQ(core::FormatIso(*t), s);
  }
  TimePoint now = TimePoint(std::chrono::milliseconds(1764758100456LL));
  EXPECT_EQ(core::ParseIso(core::FormatIso(now)), now);
}

TEST(Time, ParsesOffsetsAndSqliteFormat) {
  TimePoint utc = At("2026-12-03T10:15:00.123Z");
  EXPECT_EQ(core::ParseIso("2026-12-03T11:15:00.123+01:00"), utc);
  EXPECT_EQ(core::ParseIso("2026-12-03T05:15:00.123-05:00"), utc);
  EXPECT_EQ(core::ParseIso("2026-12-03T15:45:00.123+05:30"), utc);
  EXPECT_EQ(core::ParseIso("2026-12-04T00:15:00.123+14:00"), utc);  // across midnight
  // No fraction, and SQLite's datetime('now') format (UTC).
  EXPECT_EQ(core::ParseIso("2026-12-03T10:15:00Z"), At("2026-12-03T10:15:00.000Z"));
  EXPECT_EQ(core::ParseIso("2026-12-03 10:15:00"), At("2026-12-03T10:15:00.000Z"));
  // A fraction with fewer digits means tenths / hundredths.
  EXPECT_EQ(core::ParseIso("2026-12-03T10:15:00.5Z"), At("2026-12-03T10:15:00.500Z"));
  EXPECT_EQ(core::ParseIso("2026-12-03T10:15:00.12Z"), At("2026-12-03T10:15:00.120Z"));
}

TEST(Time, RejectsGarbage) {
  for (std::string s :
       {"", "garbage", "2026-12-03", "2026-12-03T10:15:00",  // ISO without a zone is ambiguous
        "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-12-03T24:00:00Z",
        "2026-12-03T10:60:00Z", "2026-12-03T10:15:00.Z", "2026-12-03T10:15:00+0100",
        "2026-12-03T10:15:00+01", "2026-12-03T10:15:00Zjunk", "2026-12-03T10:15:00 Z",
        "2026/12/03T10:15:00Z", "20x6-12-03T10:15:00Z", "2026-12-03T1a:15:00Z",
        "2026-12-03T10:15:00.123+01:0x"}) {
    EXPECT_FALSE(core::ParseIso(s).has_value()) << "accepted \"" << s << "\"";
  }
}

TEST(Time, Dates) {
  EXPECT_TRUE(core::IsValidDate("2024-02-29"));
  EXPECT_FALSE(core::IsValidDate("2026-02-29"));
  EXPECT_FALSE(core::IsValidDate("2026-2-28"));
  EXPECT_EQ(core::DateToDays("1970-01-02"), 1);
  EXPECT_EQ(core::DaysToDate(*core::DateToDays("2026-12-31") + 1), "2027-01-01");
}

TEST(Time, ToLocalNewYorkAcrossSpringForward) {
  const std::string ny = "America/New_York";
  // 2026-03-08 is the second Sunday of March: 02:00 EST becomes 03:00 EDT (07:00Z).
  auto before = core::ToLocal(At("2026-03-08T06:30:00.000Z"), ny);
  EXPECT_EQ(before.date, "2026-03-08");
  EXPECT_EQ(before.minutes, 1 * 60 + 30);  // 01:30 EST (UTC-5)
  EXPECT_EQ(before.weekday, 0);            // Sunday
  auto after = core::ToLocal(At("2026-03-08T07:30:00.000Z"), ny);
  EXPECT_EQ(after.date, "2026-03-08");
  EXPECT_EQ(after.minutes, 3 * 60 + 30);  // 03:30 EDT (UTC-4)
  // The day before, a UTC evening is still the previous local day.
  auto sat = core::ToLocal(At("2026-03-08T03:00:00.000Z"), ny);
  EXPECT_EQ(sat.date, "2026-03-07");
  EXPECT_EQ(sat.minutes, 22 * 60);
  EXPECT_EQ(sat.weekday, 6);
}

TEST(Time, FromLocalNewYorkUsesTheOffsetOfThatDay) {
  const std::string ny = "America/New_York";
  EXPECT_EQ(core::FromLocal("2026-03-07", 12 * 60, ny), At("2026-03-07T17:00:00.000Z"));  // EST
  EXPECT_EQ(core::FromLocal("2026-03-08", 12 * 60, ny), At("2026-03-08T16:00:00.000Z"));  // EDT
  EXPECT_EQ(core::FromLocal("2026-03-08", 1 * 60 + 59, ny), At("2026-03-08T06:59:00.000Z"));
  EXPECT_EQ(core::FromLocal("2026-03-08", 3 * 60, ny), At("2026-03-08T07:00:00.000Z"));
  EXPECT_EQ(core::FromLocal("2026-07-01", 9 * 60, ny), At("2026-07-01T13:00:00.000Z"));
  // Round trip on the DST day.
  for (int m : {0, 60, 3 * 60 + 15, 12 * 60, 23 * 60 + 59}) {
    auto l = core::ToLocal(core::FromLocal("2026-03-08", m, ny), ny);
    EXPECT_EQ(l.date, "2026-03-08");
    EXPECT_EQ(l.minutes, m);
  }
  // Fall back (2026-11-01): 01:30 happens twice; earliest is EDT.
  EXPECT_EQ(core::FromLocal("2026-11-01", 90, ny), At("2026-11-01T05:30:00.000Z"));
}

TEST(Time, UtcAndUnknownZones) {
  auto l = core::ToLocal(At("2026-12-03T23:59:00.000Z"), "UTC");
  EXPECT_EQ(l.date, "2026-12-03");
  EXPECT_EQ(l.minutes, 23 * 60 + 59);
  auto lis = core::ToLocal(At("2026-07-01T23:30:00.000Z"), "Europe/Lisbon");  // WEST, UTC+1
  EXPECT_EQ(lis.date, "2026-07-02");
  EXPECT_EQ(lis.minutes, 30);
}

TEST(Time, IsValidTimeZone) {
  EXPECT_TRUE(core::IsValidTimeZone("America/New_York"));
  EXPECT_TRUE(core::IsValidTimeZone("Europe/Lisbon"));
  EXPECT_TRUE(core::IsValidTimeZone("UTC"));
  EXPECT_TRUE(core::IsValidTimeZone("Asia/Kolkata"));
  EXPECT_FALSE(core::IsValidTimeZone("Mars/Base"));
  EXPECT_FALSE(core::IsValidTimeZone(""));
  EXPECT_FALSE(core::IsValidTimeZone("America/New York"));
}

TEST(Clock, FakeClockMovesOnlyByHand) {
  core::FakeClock c(At("2026-12-03T10:00:00.000Z"));
  EXPECT_EQ(core::FormatIso(c.Now()), "2026-12-03T10:00:00.000Z");
  c.Advance(std::chrono::milliseconds(1500));
  EXPECT_EQ(core::FormatIso(c.Now()), "2026-12-03T10:00:01.500Z");
  c.Set(At("2027-01-01T00:00:00.000Z"));
  EXPECT_EQ(core::FormatIso(c.Now()), "2027-01-01T00:00:00.000Z");
}

// ---------------------------------------------------------------------------------------------
// strings
// ---------------------------------------------------------------------------------------------

TEST(Utf8, AcceptsEmojiZwjCjkArabicCombining) {
  EXPECT_TRUE(core::IsValidUtf8(""));
  EXPECT_TRUE(core::IsValidUtf8("plain ascii"));
  EXPECT_TRUE(
      core::IsValidUtf8("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F"
                        "\x91\xA7"));  // 👨‍👩‍👧 (ZWJ family)
  EXPECT_TRUE(core::IsValidUtf8(
      "\xF0\x9F\x8F\xB3\xEF\xB8\x8F\xE2\x80\x8D\xF0\x9F\x8C\x88"));  // 🏳️‍🌈
  EXPECT_TRUE(core::IsValidUtf8("日本語のホテル"));                  // CJK
  EXPECT_TRUE(core::IsValidUtf8("مرحبا بكم في الفندق"));             // Arabic
  EXPECT_TRUE(core::IsValidUtf8("e\xCC\x81 cafe\xCC\x81"));          // combining acute
  EXPECT_TRUE(core::IsValidUtf8("\xF4\x8F\xBF\xBF"));                // U+10FFFF, the last
  EXPECT_TRUE(core::IsValidUtf8("\xEF\xBF\xBD"));                    // U+FFFD
  EXPECT_TRUE(core::IsValidUtf8("ends with é"));                     // 2 bytes at the end
}

TEST(Utf8, RejectsOverlongsSurrogatesTruncations) {
  for (std::string s : {
           std::string("\xC0\xAF"),          // overlong '/'
           std::string("\xC1\xBF"),          // overlong
           std::string("\xE0\x80\xAF"),      // overlong 3-byte
           std::string("\xF0\x80\x80\xAF"),  // overlong 4-byte
           std::string("\xED\xA0\x80"),      // U+D800 high surrogate
           std::string("\xED\xBF\xBF"),      // U+DFFF low surrogate
           std::string("\xF4\x90\x80\x80"),  // above U+10FFFF
           std::string("\xE6\x97"),          // truncated 3-byte
           std::string("abc\xF0\x9F\x98"),   // truncated emoji at the end
           std::string("\xC3"),              // lone lead byte
           std::string("\x80"),              // lone continuation
           std::string("a\xBF"
                       "b"),                     // continuation in ASCII
           std::string("\xC3\x28"),              // bad continuation
           std::string("\xF8\x88\x80\x80\x80"),  // 5-byte form
           std::string("\xFF"),
       }) {
    EXPECT_FALSE(core::IsValidUtf8(s)) << "accepted bytes of length " << s.size();
  }
}

TEST(Utf8, Length) {
  EXPECT_EQ(core::Utf8Length("abc"), 3u);
  EXPECT_EQ(core::Utf8Length("日本"), 2u);
  EXPECT_EQ(core::Utf8Length("\xF0\x9F\x98\x80"), 1u);
}

TEST(Utf8, PrefixNeverCutsACharacter) {
  EXPECT_EQ(core::Utf8Prefix("abc", 10), "abc");
  EXPECT_EQ(core::Utf8Prefix("abc", 2), "ab");
  // "é" is two bytes: a cut inside it drops it whole.
  EXPECT_EQ(core::Utf8Prefix("caf\xC3\xA9!", 4), "caf");
  EXPECT_EQ(core::Utf8Prefix("caf\xC3\xA9!", 5), "caf\xC3\xA9");
  EXPECT_EQ(core::Utf8Prefix("\xF0\x9F\x98\x80", 3), "");
  EXPECT_TRUE(core::IsValidUtf8(core::Utf8Prefix("日本語のテキスト", 7)));
}

TEST(Strings, Utf8LowerAccentedCapitals) {
  EXPECT_EQ(core::Utf8Lower("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ"), "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþ");
  EXPECT_EQ(core::Utf8Lower("ÉTÉ À PARIS"), "été à paris");
  EXPECT_EQ(core::Utf8Lower("HABITACIÓN NÚMERO"), "habitación número");
  EXPECT_EQ(core::Utf8Lower("GRÜẞE"), "grüẞe");  // only Latin-1 letters are mapped
  EXPECT_EQ(core::Utf8Lower("2×3"), "2×3");      // U+00D7 is not a letter
  EXPECT_EQ(core::Utf8Lower("ß"), "ß");
  EXPECT_EQ(core::Utf8Lower("日本 ABC"), "日本 abc");
}

TEST(Strings, NormalizeUtterance) {
  EXPECT_EQ(core::NormalizeUtterance("Hi! Could we get TWO more towels?"),
            "hi could we get two more towels");
  EXPECT_EQ(core::NormalizeUtterance("  what's   the\twifi\n password  "),
            "whats the wifi password");
  EXPECT_EQ(core::NormalizeUtterance("Don't"), core::NormalizeUtterance("dont"));
  EXPECT_EQ(core::NormalizeUtterance("Room #1204, please."), "room 1204 please");
  EXPECT_EQ(core::NormalizeUtterance("ÉTÉ À Paris"), "été à paris");
  EXPECT_EQ(core::NormalizeUtterance("..."), "");
  EXPECT_EQ(core::NormalizeUtterance(""), "");
}

TEST(Strings, NormalizeUtteranceDropsNonAsciiPunctuation) {
  // The header promises "punctuation and symbols removed": the Spanish marks and typographic
  // quotes are punctuation too, or "¿Dónde está?" and "Dónde está" differ.
  EXPECT_EQ(core::NormalizeUtterance("¿Dónde está la piscina?"), "dónde está la piscina");
  EXPECT_EQ(core::NormalizeUtterance("¡Hola!"), "hola");
  EXPECT_EQ(core::NormalizeUtterance("it\xE2\x80\x99s fine"), "its fine");  // ’
}

TEST(Strings, Helpers) {
  EXPECT_EQ(core::AsciiLower("AbC-É"), "abc-É");
  EXPECT_EQ(core::Trim("  \t x y \n"), "x y");
  EXPECT_EQ(core::Split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(core::Join({"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_TRUE(core::StartsWith("embeddings.model", "embeddings."));
  EXPECT_FALSE(core::StartsWith("emb", "embeddings."));
  EXPECT_EQ(core::ReplaceAll("a-b-c", "-", "--"), "a--b--c");
  EXPECT_EQ(core::ReplaceAll("abc", "", "x"), "abc");
}

// ---------------------------------------------------------------------------------------------
// hash
// ---------------------------------------------------------------------------------------------

std::string Hex(const std::string& raw) {
  static const char* k = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out.push_back(k[c >> 4]);
    out.push_back(k[c & 15]);
  }
  return out;
}

TEST(Hash, Sha256KnownVectors) {
  EXPECT_EQ(core::Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(core::Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Hash, HmacSha256Rfc4231) {
  // RFC 4231 test case 2.
  EXPECT_EQ(Hex(core::HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // RFC 4231 test case 1.
  EXPECT_EQ(Hex(core::HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(Hash, ConstantTimeEquals) {
  EXPECT_TRUE(core::ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(core::ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(core::ConstantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(core::ConstantTimeEquals("", ""));
}

TEST(Hash, Base64UrlKnownValues) {
  EXPECT_EQ(core::Base64UrlEncode(""), "");
  EXPECT_EQ(core::Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(core::Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(core::Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(core::Base64UrlEncode("foob"), "Zm9vYg");
  EXPECT_EQ(core::Base64UrlEncode("\xfb\xff"), "-_8");  // url alphabet, no padding
  std::string out;
  EXPECT_TRUE(core::Base64UrlDecode("Zm9vYg", out));
  EXPECT_EQ(out, "foob");
  EXPECT_FALSE(core::Base64UrlDecode("Zm9v+g", out));  // standard alphabet is refused
  EXPECT_FALSE(core::Base64UrlDecode("Zm9v/g", out));
  EXPECT_FALSE(core::Base64UrlDecode("Zg==", out));  // padding is refused
  EXPECT_FALSE(core::Base64UrlDecode("Z", out));     // 6 bits cannot be a byte
}

TEST(Hash, Base64UrlRoundTripAllBytes) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t len = 0; len <= all.size(); ++len) {
    std::string in = all.substr(256 - len);
    std::string enc = core::Base64UrlEncode(in);
    EXPECT_EQ(enc.find_first_of("+/="), std::string::npos);
    std::string dec;
    ASSERT_TRUE(core::Base64UrlDecode(enc, dec)) << len;
    ASSERT_EQ(dec, in) << len;
  }
}

// ---------------------------------------------------------------------------------------------
// Result / JACK_TRY
// ---------------------------------------------------------------------------------------------

Result<int> Parse(const std::string& s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
    return Error::Invalid("not a number", "value");
  return std::stoi(s);
}

int g_after_try = 0;

Status SumInto(const std::string& a, const std::string& b, int& out) {
  JACK_TRY(Parse(a));
  ++g_after_try;
  JACK_TRY(Parse(b));
  out = *Parse(a) + *Parse(b);
  return {};
}

Result<std::string> Chain(bool fail) {
  Status s = fail ? Status(Error::Conflict("taken")) : Status();
  JACK_TRY(s);
  return std::string("ok");
}

TEST(Result, ValueAndError) {
  Result<int> ok = 42;
  EXPECT_TRUE(ok.ok());
  EXPECT_TRUE(static_cast<bool>(ok));
  EXPECT_EQ(*ok, 42);
  Result<int> bad = Error::NotFound("nope");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::not_found);
  EXPECT_EQ(bad.error().message, "nope");
  EXPECT_THROW((void)bad.value(), BadResultAccess);
  Status st = Error::Internal("x");
  EXPECT_FALSE(st.ok());
  EXPECT_THROW(st.value(), BadResultAccess);
  EXPECT_NO_THROW(Status().value());
}

TEST(Result, ErrorFactories) {
  auto inv = Error::Invalid("bad email", "email");
  EXPECT_EQ(inv.code, Errc::invalid_argument);
  ASSERT_EQ(inv.fields.size(), 1u);
  EXPECT_EQ(inv.fields[0].path, "email");
  EXPECT_TRUE(Error::Invalid("no path").fields.empty());
  auto fb = Error::Forbidden("guest.view");
  EXPECT_EQ(fb.code, Errc::forbidden);
  ASSERT_EQ(fb.details.size(), 1u);
  EXPECT_EQ(fb.details[0].first, "permission");
  EXPECT_EQ(fb.details[0].second, "guest.view");
  auto rl = Error::RateLimited(30);
  EXPECT_EQ(rl.code, Errc::rate_limited);
  EXPECT_EQ(rl.retry_after_seconds, 30);
  EXPECT_EQ(Error::Unauthorized("x").code, Errc::unauthorized);
  EXPECT_EQ(Error::Unavailable("x").code, Errc::unavailable);
  EXPECT_EQ(Error::Conflict("x").code, Errc::conflict);
}

TEST(Result, JackTryPropagatesTheFirstError) {
  int out = 0;
  g_after_try = 0;
  Status s = SumInto("x", "2", out);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, Errc::invalid_argument);
  EXPECT_EQ(s.error().message, "not a number");
  EXPECT_EQ(g_after_try, 0) << "JACK_TRY must return before the next statement";
  s = SumInto("1", "y", out);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(g_after_try, 1);
  EXPECT_EQ(out, 0);
  s = SumInto("40", "2", out);
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(out, 42);
  auto c = Chain(true);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::conflict);
  EXPECT_EQ(*Chain(false), "ok");
}

TEST(Errc, Names) {
  EXPECT_FALSE(ErrcName(Errc::invalid_argument).empty());
  EXPECT_NE(ErrcName(Errc::conflict), ErrcName(Errc::not_found));
}

}  // namespace
}  // namespace jack

TEST(Strings, VisibleTextIsNotOnlySpacesOrMarks) {
  EXPECT_TRUE(jack::core::HasVisibleText("hi"));
  EXPECT_TRUE(jack::core::HasVisibleText("\u00A0ok"));
  EXPECT_TRUE(jack::core::HasVisibleText("\xF0\x9F\x91\x8D"));  // thumbs up
  EXPECT_TRUE(jack::core::HasVisibleText("¿"));
  for (const char* t : {"", " ", "\u00A0", "\u200B", "\uFEFF", "\u2060\u200D", "\t\n"})
    EXPECT_FALSE(jack::core::HasVisibleText(t)) << t;
  EXPECT_FALSE(jack::core::HasVisibleText(std::string("\0", 1)));
}
