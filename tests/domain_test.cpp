// Unit tests of the domain layer: permissions, state machines, phone/email normalisation,
// settings validation, passwords, tokens, reservation upsert and the demo hotel.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/hash.hpp"
#include "core/ids.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "db/repositories.hpp"
#include "domain/conversations.hpp"
#include "domain/demo.hpp"
#include "domain/guests.hpp"
#include "domain/json_columns.hpp"
#include "domain/passwords.hpp"
#include "domain/permissions.hpp"
#include "domain/settings.hpp"
#include "domain/tasks.hpp"
#include "domain/tokens.hpp"

namespace jack::domain {
namespace {

namespace json = boost::json;

core::TimePoint At(std::string_view iso) { return *core::ParseIso(iso); }

std::unique_ptr<db::Database> Migrated() {
  auto d = db::Database::Open({":memory:"});
  if (!d) throw std::runtime_error(d.error().message);
  auto n = db::Migrate(**d);
  if (!n) throw std::runtime_error(n.error().message);
  return std::move(*d);
}

// ---------------------------------------------------------------------------------------------
// Permissions: every role × every permission, straight from the seed's default role table
// ---------------------------------------------------------------------------------------------

const std::vector<std::string> kSeedPermissions = {"guest.view",
                                                   "guest.view_contact",
                                                   "guest.view_financial",
                                                   "guest.edit",
                                                   "guest.delete",
                                                   "conversation.view",
                                                   "conversation.respond",
                                                   "conversation.assign",
                                                   "conversation.escalate",
                                                   "task.view",
                                                   "task.create",
                                                   "task.assign",
                                                   "task.complete",
                                                   "staff.view",
                                                   "staff.manage",
                                                   "settings.view",
                                                   "settings.edit",
                                                   "analytics.view",
                                                   "analytics.export"};

const std::map<std::string, std::set<std::string>>& SeedRoleTable() {
  static const std::map<std::string, std::set<std::string>> t = {
      {"admin", {"*"}},
      {"manager",
       {"guest.view", "guest.view_contact", "guest.view_financial", "guest.edit",
        "conversation.view", "conversation.respond", "conversation.assign", "conversation.escalate",
        "task.view", "task.create", "task.assign", "task.complete", "staff.view", "analytics.view",
        "analytics.export"}},
      {"front_desk",
       {"guest.view", "guest.view_contact", "guest.edit", "conversation.view",
        "conversation.respond", "conversation.escalate", "task.view", "task.create",
        "analytics.view"}},
      {"concierge",
       {"guest.view", "guest.view_contact", "conversation.view", "conversation.respond",
        "task.view", "task.create", "task.complete"}},
      {"housekeeping", {"task.view", "task.complete"}},
      {"maintenance", {"task.view", "task.complete"}},
  };
  return t;
}

bool SeedExpects(const std::string& role, const std::string& p) {
  const auto& perms = SeedRoleTable().at(role);
  return perms.count("*") || perms.count(p);
}

TEST(Permissions, CatalogueIsTheSeeds) {
  EXPECT_EQ(AllPermissions(), kSeedPermissions);
  std::vector<std::string> roles;
  for (const auto& [r, _] : SeedRoleTable()) roles.push_back(r);
  auto all = AllRoles();
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, roles);
  for (const auto& p : kSeedPermissions) EXPECT_TRUE(IsKnownPermission(p)) << p;
  EXPECT_TRUE(IsKnownPermission("*"));
  EXPECT_FALSE(IsKnownPermission("guest.fly"));
  EXPECT_FALSE(IsKnownRole("janitor"));
}

TEST(Permissions, EveryRoleTimesEveryPermission) {
  int checked = 0;
  for (const auto& [role, _] : SeedRoleTable()) {
    for (const auto& p : kSeedPermissions) {
      EXPECT_EQ(HasPermission(role, "[]", p), SeedExpects(role, p))
          << "role " << role << ", permission " << p;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 6 * 19);
}

TEST(Permissions, SpotChecksFromTheSpecs) {
  // api.md / reliability.md R11.
  EXPECT_FALSE(HasPermission("housekeeping", "[]", "conversation.view"));
  EXPECT_FALSE(HasPermission("front_desk", "[]", "guest.view_financial"));
  EXPECT_TRUE(HasPermission("manager", "[]", "guest.view_financial"));
  EXPECT_TRUE(HasPermission("concierge", "[]", "guest.view_contact"));
  EXPECT_FALSE(HasPermission("manager", "[]", "settings.edit"));
  EXPECT_FALSE(HasPermission("manager", "[]", "guest.delete"));
  EXPECT_TRUE(HasPermission("admin", "[]", "guest.delete"));
  EXPECT_TRUE(HasPermission("admin", "[]", "anything.at_all")) << "admin's '*' grants all";
}

TEST(Permissions, DirectGrantsAddToRoleDefaults) {
  const std::string grants = R"(["guest.view", "analytics.export"])";
  for (const auto& p : kSeedPermissions) {
    bool expected = SeedExpects("housekeeping", p) || p == "guest.view" || p == "analytics.export";
    EXPECT_EQ(HasPermission("housekeeping", grants, p), expected) << p;
  }
  // A direct '*' is a wildcard too.
  for (const auto& p : kSeedPermissions) EXPECT_TRUE(HasPermission("maintenance", R"(["*"])", p));
  // Grants never remove a role default.
  EXPECT_TRUE(HasPermission("manager", R"(["task.view"])", "guest.view_financial"));
}

TEST(Permissions, MalformedGrantsCountAsNone) {
  for (std::string bad : {"", "not json", "{", R"({"guest.view": true})", R"("guest.view")", "null",
                          "42", R"([1, 2, {"p": "guest.view"}])"}) {
    for (const auto& p : kSeedPermissions) {
      EXPECT_EQ(HasPermission("housekeeping", bad, p), SeedExpects("housekeeping", p))
          << "grants '" << bad << "', permission " << p;
    }
    EXPECT_TRUE(HasPermission("admin", bad, "settings.edit"));
  }
  // Non-string elements are skipped, string ones still count.
  EXPECT_TRUE(HasPermission("housekeeping", R"([1, "guest.view"])", "guest.view"));
}

TEST(Permissions, UnknownRoleHasOnlyDirectGrants) {
  for (const auto& p : kSeedPermissions) EXPECT_FALSE(HasPermission("janitor", "[]", p)) << p;
  EXPECT_TRUE(HasPermission("janitor", R"(["task.view"])", "task.view"));
}

TEST(Permissions, EffectivePermissions) {
  EXPECT_EQ(EffectivePermissions("admin", "[]"), std::vector<std::string>{"*"});
  auto hk = EffectivePermissions("housekeeping", "[]");
  EXPECT_EQ(hk, (std::vector<std::string>{"task.view", "task.complete"}));
  auto hk2 = EffectivePermissions("housekeeping", R"(["guest.view"])");
  EXPECT_EQ(hk2, (std::vector<std::string>{"guest.view", "task.view", "task.complete"}));
}

// ---------------------------------------------------------------------------------------------
// State machines (seed-notes.md)
// ---------------------------------------------------------------------------------------------

TEST(Conversations, CanTransitionEveryPair) {
  const std::vector<std::string> states = {"new", "active", "escalated", "resolved", "abandoned"};
  // seed-notes.md: new → active (first reply); new/active → escalated; any open state →
  // resolved; active → abandoned; escalated → active (hand-back); resolved/abandoned → active
  // (the guest writes again).
  const std::set<std::pair<std::string, std::string>> allowed = {
      {"new", "active"},       {"new", "escalated"},    {"active", "escalated"},
      {"new", "resolved"},     {"active", "resolved"},  {"escalated", "resolved"},
      {"active", "abandoned"}, {"escalated", "active"}, {"resolved", "active"},
      {"abandoned", "active"}};
  for (const auto& from : states) {
    for (const auto& to : states) {
      // active → active is the hand-back of a conversation with an assignee: an ownership
      // change, not a state change, which the caller decides from assigned_to.
      if (from == "active" && to == "active") continue;
      bool expected = allowed.count({from, to}) > 0;
      EXPECT_EQ(CanTransition(from, to), expected) << from << " -> " << to;
    }
  }
  EXPECT_FALSE(CanTransition("closed", "active"));
  EXPECT_FALSE(CanTransition("new", "closed"));
}

TEST(Conversations, OpenStatesAndAiOwnership) {
  EXPECT_TRUE(IsOpenState("new"));
  EXPECT_TRUE(IsOpenState("active"));
  EXPECT_TRUE(IsOpenState("escalated"));
  EXPECT_FALSE(IsOpenState("resolved"));
  EXPECT_FALSE(IsOpenState("abandoned"));
  db::ConversationRow c;
  c.state = "active";
  EXPECT_TRUE(AiOwns(c));
  c.assigned_to = "staff-1";
  EXPECT_FALSE(AiOwns(c)) << "a staff-owned conversation is not the AI's";
  c.assigned_to.reset();
  c.state = "escalated";
  EXPECT_FALSE(AiOwns(c));
}

TEST(Tasks, CanTaskTransitionEveryPair) {
  const std::vector<std::string> states = {"pending", "assigned", "in_progress", "completed",
                                           "cancelled"};
  const std::set<std::pair<std::string, std::string>> allowed = {
      {"pending", "assigned"},     {"assigned", "in_progress"}, {"in_progress", "completed"},
      {"pending", "in_progress"},  {"pending", "cancelled"},    {"assigned", "cancelled"},
      {"in_progress", "cancelled"}};
  for (const auto& from : states) {
    for (const auto& to : states) {
      EXPECT_EQ(CanTaskTransition(from, to), allowed.count({from, to}) > 0) << from << " -> " << to;
    }
  }
}

TEST(Tasks, DepartmentsAndTypes) {
  for (std::string d : {"housekeeping", "maintenance", "room_service", "concierge", "front_desk"})
    EXPECT_TRUE(IsDepartment(d)) << d;
  EXPECT_FALSE(IsDepartment("kitchen"));
  EXPECT_EQ(TaskTypeFor("housekeeping"), "housekeeping");
  EXPECT_EQ(TaskTypeFor("room_service"), "room_service");
  EXPECT_EQ(TaskTypeFor("front_desk"), "other");
}

// ---------------------------------------------------------------------------------------------
// Phone and email
// ---------------------------------------------------------------------------------------------

TEST(Phone, Normalises) {
  EXPECT_EQ(*NormalizePhone("+351 912 345 678", "US"), "+351912345678");
  EXPECT_EQ(*NormalizePhone("00351912345678", "US"), "+351912345678");
  EXPECT_EQ(*NormalizePhone("912345678", "PT"), "+351912345678");
  EXPECT_EQ(*NormalizePhone("(415) 555-2671", "US"), "+14155552671");
  EXPECT_EQ(*NormalizePhone("+1 (415) 555-2671", "PT"), "+14155552671");
  EXPECT_EQ(*NormalizePhone("1-415-555-2671", "US"), "+14155552671");
  EXPECT_EQ(*NormalizePhone("020 7946 0958", "GB"), "+442079460958");  // trunk 0 dropped
  EXPECT_EQ(*NormalizePhone("  +44.7700.900123 ", "US"), "+447700900123");
}

TEST(Phone, Rejects) {
  for (std::string bad : {"abc", "+351 91a 345 678", "+12", "", "call me", "+1234567",
                          "+351912345678901234", "++351912345678", "912 345 678 ext 2"}) {
    auto r = NormalizePhone(bad, "PT");
    EXPECT_FALSE(r.ok()) << "accepted '" << bad << "' as " << (r ? *r : "");
    if (!r) {
      EXPECT_EQ(r.error().code, Errc::invalid_argument);
      ASSERT_FALSE(r.error().fields.empty());
      EXPECT_EQ(r.error().fields[0].path, "phone");
    }
  }
  EXPECT_FALSE(NormalizePhone("12345", "US").ok());
  // A national number with a country we do not know needs a prefix.
  EXPECT_FALSE(NormalizePhone("912345678", "XX").ok());
  // The error names the field the caller asked for.
  auto r = NormalizePhone("x", "US", "guest.phone");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields[0].path, "guest.phone");
}

TEST(Phone, RejectsTooShortNationalNumbers) {
  // "12345" is not a phone number in any country; the calling code must not make it long
  // enough (+351 12345 has 8 digits only because of the prefix).
  for (std::string country : {"PT", "GB", "DE", "AE"}) {
    auto r = NormalizePhone("12345", country);
    EXPECT_FALSE(r.ok()) << country << ": accepted 12345 as " << (r ? *r : "");
  }
}

TEST(Email, Normalises) {
  EXPECT_EQ(*NormalizeEmail("  Anna.Whitfield@Example.COM "), "anna.whitfield@example.com");
  EXPECT_EQ(*NormalizeEmail("a+tag@sub.example.org"), "a+tag@sub.example.org");
  for (std::string bad : {"", "no-at-sign", "@example.com", "a@", "a@b", "a@@b.com",
                          "a b@example.com", "a@.com", "a@example.", "a@b@c.com"}) {
    auto r = NormalizeEmail(bad);
    EXPECT_FALSE(r.ok()) << "accepted '" << bad << "'";
    if (!r) {
      EXPECT_EQ(r.error().code, Errc::invalid_argument);
    }
  }
  EXPECT_FALSE(NormalizeEmail(std::string(250, 'a') + "@x.com").ok());
}

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

TEST(Settings, Validate) {
  EXPECT_TRUE(ValidateSetting("escalation.threshold", "0.5"));
  EXPECT_TRUE(ValidateSetting("escalation.threshold", "0"));
  EXPECT_TRUE(ValidateSetting("escalation.threshold", "1"));
  EXPECT_FALSE(ValidateSetting("escalation.threshold", "1.5"));
  EXPECT_FALSE(ValidateSetting("escalation.threshold", "-0.1"));
  EXPECT_FALSE(ValidateSetting("escalation.threshold", "abc"));
  EXPECT_FALSE(ValidateSetting("escalation.threshold", ""));
  EXPECT_FALSE(ValidateSetting("escalation.threshold", "0.5abc"));
  EXPECT_TRUE(ValidateSetting("hotel.timezone", "America/New_York"));
  EXPECT_FALSE(ValidateSetting("hotel.timezone", "Mars/Base"));
  EXPECT_TRUE(ValidateSetting("hotel.business_hours", "18:00-02:00"));
  EXPECT_TRUE(ValidateSetting("hotel.business_hours", "00:00-24:00"));
  EXPECT_FALSE(ValidateSetting("hotel.business_hours", "25:00-02:00"));
  EXPECT_FALSE(ValidateSetting("hotel.business_hours", "18:00 to 02:00"));
  EXPECT_FALSE(ValidateSetting("hotel.business_hours", "6pm-2am"));
  EXPECT_TRUE(ValidateSetting("hotel.default_country", "PT"));
  EXPECT_FALSE(ValidateSetting("hotel.default_country", "pt"));
  EXPECT_TRUE(ValidateSetting("conversations.reopen_owner", "staff"));
  EXPECT_FALSE(ValidateSetting("conversations.reopen_owner", "bot"));
  EXPECT_TRUE(ValidateSetting("channels.whatsapp.enabled", "true"));
  EXPECT_FALSE(ValidateSetting("channels.whatsapp.enabled", "yes"));
  EXPECT_TRUE(ValidateSetting("conversations.abandon_minutes", "120"));
  EXPECT_FALSE(ValidateSetting("conversations.abandon_minutes", "1.5"));
  EXPECT_TRUE(ValidateSetting("hotel.name", "Hotel Miramar \xF0\x9F\x8C\x8A"));
  EXPECT_FALSE(ValidateSetting("hotel.name", "bad \xC3"));
  EXPECT_FALSE(ValidateSetting("", "x"));
  EXPECT_FALSE(ValidateSetting("bad key!", "x"));
  // Only known keys and the open namespaces.
  EXPECT_FALSE(ValidateSetting("escalation.treshold", "0.5")) << "a misspelt key";
  EXPECT_FALSE(ValidateSetting("security.admin_bypass", "true"));
  EXPECT_FALSE(ValidateSetting("anything", "x"));
  EXPECT_FALSE(ValidateSetting("channels.telegram.enabled", "true")) << "no such channel";
  EXPECT_FALSE(ValidateSetting("channels.whatsapp", "x"));
  EXPECT_FALSE(ValidateSetting("hotel.Name", "x"));
  EXPECT_TRUE(ValidateSetting("hotel.wifi_password", "sunset2026"));
  EXPECT_TRUE(ValidateSetting("channels.email.smtp_password", "pw"));
  EXPECT_FALSE(IsSecretSetting("hotel.wifi_password")) << "the concierge tells guests";
  EXPECT_TRUE(IsSecretSetting("channels.email.smtp_password"));
  EXPECT_TRUE(IsSecretSetting("channels.whatsapp.access_token"));
}

TEST(Settings, SecretsAreStoredSealedAndOpenOnlyUnderTheirKey) {
  auto d = Migrated();
  core::FakeClock clock(At("2026-12-03T10:00:00.000Z"));
  Ctx ctx{*d, clock};
  const std::string key = SettingsSealingKey("a-jwt-secret-of-at-least-32-characters!!");
  ASSERT_EQ(key.size(), 32u);
  EXPECT_NE(key, SettingsSealingKey("another-jwt-secret-of-at-least-32-chars!"));
  EXPECT_FALSE(ChangeSetting(ctx, Actor::System(), "channels.email.smtp_password", "pw", "").ok())
      << "no sealing key: refused, never stored in clear";
  ASSERT_TRUE(
      ChangeSetting(ctx, Actor::System(), "channels.email.smtp_password", "hunter2-smtp", key));
  auto raw = db::GetSetting(*d, "channels.email.smtp_password");
  ASSERT_TRUE(raw && raw->has_value());
  EXPECT_EQ((*raw)->find("hunter2"), std::string::npos) << **raw;
  EXPECT_TRUE(core::IsSealed(**raw));
  auto plain = SecretSetting(ctx, "channels.email.smtp_password", key);
  ASSERT_TRUE(plain && plain->has_value());
  EXPECT_EQ(**plain, "hunter2-smtp");
  EXPECT_FALSE(SecretSetting(ctx, "channels.email.smtp_password",
                             SettingsSealingKey("another-jwt-secret-of-at-least-32-chars!"))
                   .ok())
      << "another token secret";
  // Moved under another key, the value does not open (the key name is authenticated).
  ASSERT_TRUE(db::PutSetting(*d, "channels.sms.auth_token", **raw, ctx.Now()));
  EXPECT_FALSE(SecretSetting(ctx, "channels.sms.auth_token", key).ok());
  // Tampered with.
  std::string bad = **raw;
  bad[bad.size() - 3] = bad[bad.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(core::Open(key, bad, "channels.email.smtp_password").ok());
  EXPECT_FALSE(core::Open(key, "plain text", "channels.email.smtp_password").ok());
  auto unset = SecretSetting(ctx, "channels.whatsapp.access_token", key);
  ASSERT_TRUE(unset);
  EXPECT_FALSE(unset->has_value());
}

TEST(Settings, EmbeddingsAreReadOnly) {
  for (std::string key : {"embeddings.model", "embeddings.dimensions"}) {
    auto s = ValidateSetting(key, key == "embeddings.model" ? "local-hash-384" : "384");
    ASSERT_FALSE(s.ok()) << key;
    EXPECT_EQ(s.error().code, Errc::invalid_argument);
  }
}

TEST(Settings, ChangeWritesAndAudits) {
  auto d = Migrated();
  core::FakeClock clock(At("2026-12-03T10:00:00.000Z"));
  Ctx ctx{*d, clock};
  EXPECT_EQ(Setting(ctx, "escalation.threshold"), "0.7");  // the built-in default
  ASSERT_TRUE(ChangeSetting(ctx, Actor::Staff("staff-1"), "escalation.threshold", "0.5", ""));
  EXPECT_EQ(Setting(ctx, "escalation.threshold"), "0.5");
  EXPECT_DOUBLE_EQ(GetSettingNumber(ctx, "escalation.threshold", 0.7), 0.5);
  auto audit = db::ListAudit(*d, std::string("settings.change"), std::nullopt, 10);
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].actor_type, "staff");
  EXPECT_EQ((*audit)[0].actor_id, "staff-1");
  // A refused change writes nothing.
  EXPECT_FALSE(ChangeSetting(ctx, Actor::Staff("staff-1"), "embeddings.model", "x", "").ok());
  auto model = db::GetSetting(*d, "embeddings.model");
  ASSERT_TRUE(model && model->has_value());
  EXPECT_EQ(**model, "text-embedding-3-small");
}

TEST(Settings, HotelTodayUsesTheTimeZone) {
  auto d = Migrated();
  core::FakeClock clock(At("2026-12-04T03:00:00.000Z"));
  Ctx ctx{*d, clock};
  EXPECT_EQ(HotelToday(ctx), "2026-12-04");
  ASSERT_TRUE(ChangeSetting(ctx, Actor::System(), "hotel.timezone", "America/New_York", ""));
  EXPECT_EQ(HotelToday(ctx), "2026-12-03");
}

// ---------------------------------------------------------------------------------------------
// Passwords
// ---------------------------------------------------------------------------------------------

TEST(Passwords, HashAndVerify) {
  auto h = HashPassword("correct horse battery", 4);
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->substr(0, 7), "$2b$04$");
  EXPECT_EQ(h->size(), 60u);
  EXPECT_TRUE(VerifyPassword("correct horse battery", *h));
  EXPECT_FALSE(VerifyPassword("correct horse batterx", *h));
  EXPECT_FALSE(VerifyPassword("", *h));
  auto h2 = HashPassword("correct horse battery", 4);
  ASSERT_TRUE(h2);
  EXPECT_NE(*h, *h2) << "each hash has its own salt";
  EXPECT_TRUE(VerifyPassword("correct horse battery", *h2));
  EXPECT_FALSE(VerifyPassword("x", ""));
  EXPECT_FALSE(VerifyPassword("x", "not-a-hash"));
  EXPECT_FALSE(HashPassword(std::string(73, 'a'), 4).ok()) << "bcrypt ignores bytes after 72";
}

TEST(Passwords, Policy) {
  EXPECT_FALSE(CheckPasswordPolicy("short").ok());
  EXPECT_TRUE(CheckPasswordPolicy("long enough pw").ok());
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

const std::string kSecret = "0123456789abcdef0123456789abcdef-test-secret";

AccessClaims Claims(core::TimePoint now) {
  AccessClaims c;
  c.staff_id = "staff-123";
  c.role = "front_desk";
  c.session_id = "session-9";
  c.issued_at = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  c.expires_at = c.issued_at + kAccessTokenSeconds;
  return c;
}

std::string B64(const std::string& s) { return core::Base64UrlEncode(s); }

std::string Hs256(const std::string& header, const std::string& payload,
                  const std::string& secret) {
  std::string signing = B64(header) + "." + B64(payload);
  return signing + "." + B64(core::HmacSha256(secret, signing));
}

std::string PayloadJson(const AccessClaims& c, const std::string& typ = "access") {
  return json::serialize(json::object{{"sub", c.staff_id},
                                      {"role", c.role},
                                      {"sid", c.session_id},
                                      {"typ", typ},
                                      {"iat", c.issued_at},
                                      {"exp", c.expires_at}});
}

void ExpectRejected(const std::string& token, core::TimePoint now, const std::string& why) {
  auto r = VerifyAccessToken(token, kSecret, now);
  ASSERT_FALSE(r.ok()) << why;
  EXPECT_EQ(r.error().code, Errc::unauthorized) << why;
}

TEST(Tokens, SignVerifyRoundTrip) {
  auto now = At("2026-12-03T10:00:00.000Z");
  auto c = Claims(now);
  std::string t = SignAccessToken(c, kSecret);
  EXPECT_EQ(std::count(t.begin(), t.end(), '.'), 2);
  auto v = VerifyAccessToken(t, kSecret, now + std::chrono::minutes(14));
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->staff_id, "staff-123");
  EXPECT_EQ(v->role, "front_desk");
  EXPECT_EQ(v->session_id, "session-9");
  EXPECT_EQ(v->issued_at, c.issued_at);
  EXPECT_EQ(v->expires_at, c.expires_at);
  // A hand-built token with the same claims is accepted too (the format is plain JWT HS256).
  auto hand = Hs256(R"({"alg":"HS256","typ":"JWT"})", PayloadJson(c), kSecret);
  EXPECT_TRUE(VerifyAccessToken(hand, kSecret, now).ok());
}

TEST(Tokens, ExpiredIsUnauthorized) {
  auto now = At("2026-12-03T10:00:00.000Z");
  std::string t = SignAccessToken(Claims(now), kSecret);
  ExpectRejected(t, now + std::chrono::seconds(kAccessTokenSeconds), "expired at exp");
  ExpectRejected(t, now + std::chrono::hours(2), "long expired");
}

TEST(Tokens, TamperedPayloadIsRejected) {
  auto now = At("2026-12-03T10:00:00.000Z");
  auto c = Claims(now);
  std::string t = SignAccessToken(c, kSecret);
  auto parts = core::Split(t, '.');
  auto evil = c;
  evil.role = "admin";
  std::string forged = parts[0] + "." + B64(PayloadJson(evil)) + "." + parts[2];
  ExpectRejected(forged, now, "payload changed, signature kept");
  // One flipped signature character.
  std::string sig = parts[2];
  sig[0] = sig[0] == 'A' ? 'B' : 'A';
  ExpectRejected(parts[0] + "." + parts[1] + "." + sig, now, "signature changed");
  ExpectRejected(parts[0] + "." + parts[1], now, "two parts");
  ExpectRejected(t + ".x", now, "four parts");
  ExpectRejected("", now, "empty");
  ExpectRejected("a.b.c", now, "garbage");
}

TEST(Tokens, AlgNoneIsRejected) {
  auto now = At("2026-12-03T10:00:00.000Z");
  auto c = Claims(now);
  std::string payload = B64(PayloadJson(c));
  for (std::string header : {R"({"alg":"none","typ":"JWT"})", R"({"alg":"None","typ":"JWT"})",
                             R"({"alg":"NONE"})", R"({"typ":"JWT"})"}) {
    ExpectRejected(B64(header) + "." + payload + ".", now, "unsigned: " + header);
    // Even with a valid HS256 signature over the parts, the header must say HS256.
    ExpectRejected(Hs256(header, PayloadJson(c), kSecret), now, "signed but alg " + header);
  }
}

TEST(Tokens, AlgRs256IsRejected) {
  auto now = At("2026-12-03T10:00:00.000Z");
  auto c = Claims(now);
  // Algorithm confusion: RS256 in the header, an HMAC with the server's secret as signature.
  ExpectRejected(Hs256(R"({"alg":"RS256","typ":"JWT"})", PayloadJson(c), kSecret), now, "RS256");
  ExpectRejected(Hs256(R"({"alg":"HS512","typ":"JWT"})", PayloadJson(c), kSecret), now, "HS512");
  ExpectRejected(B64(R"({"alg":"RS256","typ":"JWT"})") + "." + B64(PayloadJson(c)) + "." +
                     B64(std::string(256, 'x')),
                 now, "RS256 with junk signature");
}

TEST(Tokens, OtherSecretIsRejected) {
  auto now = At("2026-12-03T10:00:00.000Z");
  std::string t = SignAccessToken(Claims(now), "another-secret-of-at-least-32-chars!!");
  ExpectRejected(t, now, "signed with another secret");
}

TEST(Tokens, OtherTokenTypesAndMissingClaimsAreRejected) {
  auto now = At("2026-12-03T10:00:00.000Z");
  auto c = Claims(now);
  const std::string h = R"({"alg":"HS256","typ":"JWT"})";
  ExpectRejected(Hs256(h, PayloadJson(c, "refresh"), kSecret), now, "a refresh token as access");
  ExpectRejected(Hs256(h, R"({"sub":"s","typ":"access"})", kSecret), now, "no exp");
  ExpectRejected(Hs256(h, R"({"typ":"access","exp":99999999999})", kSecret), now, "no sub");
  ExpectRejected(Hs256(h, R"({"sub":"s","typ":"access","exp":"99999999999"})", kSecret), now,
                 "exp as a string");
  ExpectRejected(Hs256(h, "[1,2]", kSecret), now, "payload not an object");
  ExpectRejected(Hs256("not json", PayloadJson(c), kSecret), now, "header not JSON");
  ExpectRejected(std::string(5000, 'a') + "." + "b.c", now, "oversized");
}

// ---------------------------------------------------------------------------------------------
// Reservations (upsert as a PMS sends it)
// ---------------------------------------------------------------------------------------------

class Upsert : public ::testing::Test {
 protected:
  Upsert() : d_(Migrated()), clock_(At("2026-12-03T10:00:00.000Z")), ctx_{*d_, clock_} {}

  ReservationInput Input(const std::string& last, std::optional<std::string> email,
                         std::optional<std::string> phone = std::nullopt) {
    ReservationInput in;
    in.guest.first_name = "Ana";
    in.guest.last_name = last;
    in.guest.email = std::move(email);
    in.guest.phone = std::move(phone);
    in.room_number = "412";
    in.room_type = "Deluxe Double";
    in.arrival_date = "2026-12-03";
    in.departure_date = "2026-12-06";
    in.status = "confirmed";
    in.total_rate = 540;
    return in;
  }
  int64_t Count(const std::string& table) {
    auto q = d_->Query("SELECT count(*) FROM " + table);
    if (!q) throw std::runtime_error(q.error().message);
    auto r = q->Next();
    if (!r || !*r) throw std::runtime_error("count " + table);
    return q->Int(0);
  }

  std::unique_ptr<db::Database> d_;
  core::FakeClock clock_;
  Ctx ctx_;
};

TEST_F(Upsert, CreatesThenUpdates) {
  auto first = UpsertReservation(ctx_, Actor::Staff("staff-1"), "NEW-1",
                                 Input("Silva", std::string("Ana.Silva@Example.com")));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->reservation.confirmation_number, "NEW-1");
  EXPECT_EQ(first->guest.email, "ana.silva@example.com") << "the email is normalised";
  EXPECT_EQ(first->reservation.guest_id, first->guest.id);

  auto in = Input("Silva", std::string("ana.silva@example.com"));
  in.room_number = "508";
  in.status = "checked_in";
  clock_.Advance(std::chrono::minutes(5));
  auto second = UpsertReservation(ctx_, Actor::Staff("staff-1"), "NEW-1", in);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->reservation.id, first->reservation.id);
  EXPECT_EQ(second->reservation.room_number, "508");
  EXPECT_EQ(second->reservation.status, "checked_in");
  EXPECT_EQ(second->guest.id, first->guest.id);
  EXPECT_EQ(Count("reservations"), 1);
  EXPECT_EQ(Count("guests"), 1);
  auto stored = db::FindReservationByConfirmation(*d_, "NEW-1");
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->room_number, "508");
  // Staff actors leave guest.edit audit rows.
  auto audit = db::ListAudit(*d_, std::string("guest.edit"), first->guest.id, 10);
  ASSERT_TRUE(audit);
  EXPECT_EQ(audit->size(), 2u);
}

TEST_F(Upsert, StayStatisticsFollowCheckedOutReservations) {
  auto email = std::string("stats@example.com");
  auto a = UpsertReservation(ctx_, Actor::System(), "ST-1", Input("Stats", email));
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->guest.stay_count, 0) << "a confirmed booking is not a stay yet";
  auto in = Input("Stats", email);
  in.status = "checked_out";
  auto b = UpsertReservation(ctx_, Actor::System(), "ST-1", in);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->guest.stay_count, 1);
  EXPECT_DOUBLE_EQ(b->guest.total_revenue, 540);
  EXPECT_EQ(b->guest.last_stay_date, std::optional<std::string>("2026-12-06"));
  in.arrival_date = "2027-02-01";
  in.departure_date = "2027-02-03";
  in.total_rate = 200;
  auto c = UpsertReservation(ctx_, Actor::System(), "ST-2", in);
  ASSERT_TRUE(c) << c.error().message;
  auto g = *db::FindGuest(*d_, a->guest.id);
  EXPECT_EQ(g->stay_count, 2);
  EXPECT_DOUBLE_EQ(g->total_revenue, 740);
  EXPECT_EQ(g->last_stay_date, std::optional<std::string>("2027-02-03"));
  // The PMS moves ST-2 to another guest: both guests' figures follow.
  auto other = Input("Other", std::string("other@example.com"));
  other.status = "checked_out";
  other.arrival_date = "2027-02-01";
  other.departure_date = "2027-02-03";
  other.total_rate = 200;
  auto moved = UpsertReservation(ctx_, Actor::System(), "ST-2", other);
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(moved->guest.stay_count, 1);
  g = *db::FindGuest(*d_, a->guest.id);
  EXPECT_EQ(g->stay_count, 1);
  EXPECT_DOUBLE_EQ(g->total_revenue, 540);
  EXPECT_EQ(g->last_stay_date, std::optional<std::string>("2026-12-06"));
}

TEST_F(Upsert, MatchesTheGuestByEmail) {
  GuestInput g;
  g.first_name = "Anna";
  g.last_name = "Whitfield";
  g.email = "anna@example.com";
  auto existing = CreateGuest(ctx_, g);
  ASSERT_TRUE(existing) << existing.error().message;
  auto r = UpsertReservation(ctx_, Actor::System(), "MIR-1",
                             Input("Whitfield", std::string("ANNA@example.com")));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->created);
  EXPECT_EQ(r->guest.id, existing->id);
  EXPECT_EQ(Count("guests"), 1);
}

TEST_F(Upsert, MatchesTheGuestByPhoneAndExternalId) {
  GuestInput g;
  g.first_name = "Carlos";
  g.last_name = "Montoya";
  g.phone = "+34612345678";
  g.external_ids_json = R"({"pms":"P-77"})";
  auto existing = CreateGuest(ctx_, g);
  ASSERT_TRUE(existing);
  auto by_phone =
      UpsertReservation(ctx_, Actor::System(), "R-1",
                        Input("Montoya", std::nullopt, std::string("0034 612 345 678")));
  ASSERT_TRUE(by_phone) << by_phone.error().message;
  EXPECT_EQ(by_phone->guest.id, existing->id);
  auto in = Input("Montoya", std::nullopt);
  in.guest.external_ids_json = R"({"pms":"P-77"})";
  auto by_ext = UpsertReservation(ctx_, Actor::System(), "R-2", in);
  ASSERT_TRUE(by_ext) << by_ext.error().message;
  EXPECT_EQ(by_ext->guest.id, existing->id);
  EXPECT_EQ(Count("guests"), 1);
}

TEST_F(Upsert, EmailAndPhoneOfTwoGuestsIsAConflict) {
  GuestInput a;
  a.first_name = "A";
  a.last_name = "One";
  a.email = "one@example.com";
  GuestInput b;
  b.first_name = "B";
  b.last_name = "Two";
  b.phone = "+351912345678";
  ASSERT_TRUE(CreateGuest(ctx_, a));
  ASSERT_TRUE(CreateGuest(ctx_, b));
  auto r = UpsertReservation(
      ctx_, Actor::System(), "X-1",
      Input("One", std::string("one@example.com"), std::string("+351 912 345 678")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::conflict) << r.error().message;
  EXPECT_EQ(Count("reservations"), 0) << "a refused upsert writes nothing";
  EXPECT_EQ(Count("guests"), 2);
}

TEST_F(Upsert, ValidatesInput) {
  auto in = Input("Silva", std::nullopt);
  in.arrival_date = "2026-12-10";
  in.departure_date = "2026-12-01";
  in.status = "booked";
  auto r = UpsertReservation(ctx_, Actor::System(), "BAD-1", in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  std::set<std::string> paths;
  for (const auto& f : r.error().fields) paths.insert(f.path);
  EXPECT_TRUE(paths.count("departureDate"));
  EXPECT_TRUE(paths.count("status"));
  EXPECT_FALSE(UpsertReservation(ctx_, Actor::System(), "", Input("S", std::nullopt)).ok());
  auto bad_email =
      UpsertReservation(ctx_, Actor::System(), "BAD-2", Input("S", std::string("not-an-email")));
  ASSERT_FALSE(bad_email.ok());
  EXPECT_EQ(bad_email.error().fields.at(0).path, "guest.email");
}

TEST_F(Upsert, CreateGuestRefusesDuplicates) {
  GuestInput g;
  g.first_name = "A";
  g.last_name = "B";
  g.email = "dup@example.com";
  ASSERT_TRUE(CreateGuest(ctx_, g));
  g.email = "DUP@example.com";
  auto r = CreateGuest(ctx_, g);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::conflict);
}

TEST_F(Upsert, CreateGuestStoresOnlyValidatedJsonColumns) {
  GuestInput g;
  g.first_name = "Ana";
  g.last_name = "Silva";
  g.tags_json = "[\"vip\",\"business\"]";
  g.preferences_json = "[{\"category\":\"room\",\"key\":\"floor\",\"value\":\"high\"}]";
  g.external_ids_json = "{\"pms\":\"12345\"}";
  auto ok = CreateGuest(ctx_, g);
  ASSERT_TRUE(ok) << ok.error().message;
  auto stored = *db::FindGuest(*d_, ok->id);
  // Canonical form: the preference gets its source and confidence.
  auto prefs = json::parse(stored->preferences).as_array();
  EXPECT_EQ(prefs.at(0).at("source").as_string(), "stated");
  EXPECT_EQ(prefs.at(0).at("confidence").as_double(), 1.0);
  for (auto bad : std::vector<std::pair<std::string, std::string>>{
           {"tags", "{\"not\":\"an array\"}"},
           {"tags", "[1, 2]"},
           {"tags", "not json"},
           {"preferences", "[{\"category\":\"room\"}]"},
           {"preferences",
            "[{\"category\":\"a\",\"key\":\"b\",\"value\":\"c\","
            "\"confidence\":7}]"},
           {"externalIds", "[\"pms\"]"},
           {"externalIds", "{\"pms\":42}"}}) {
    GuestInput b;
    b.first_name = "Bad";
    b.last_name = "Json";
    if (bad.first == "tags") b.tags_json = bad.second;
    if (bad.first == "preferences") b.preferences_json = bad.second;
    if (bad.first == "externalIds") b.external_ids_json = bad.second;
    auto r = CreateGuest(ctx_, b);
    ASSERT_FALSE(r.ok()) << bad.first << " " << bad.second;
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
    ASSERT_FALSE(r.error().fields.empty());
    EXPECT_EQ(r.error().fields[0].path.substr(0, bad.first.size()), bad.first);
  }
  auto all = db::ListGuests(*d_, db::GuestFilter{std::nullopt, std::nullopt, std::string("Json")});
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->empty()) << "nothing with bad JSON was stored";
}

TEST(JsonColumns, ItemsKeywordsAndStringArrays) {
  auto items =
      CanonicalItems(json::parse(R"([{"item":"towel","quantity":2},{"item":"soap"}])"), "items");
  ASSERT_TRUE(items);
  EXPECT_EQ(*items, R"([{"item":"towel","quantity":2},{"item":"soap","quantity":1}])");
  EXPECT_FALSE(CanonicalItems(json::parse(R"([{"item":"towel","quantity":0}])"), "items"));
  EXPECT_FALSE(CanonicalItems(json::parse(R"([{"item":"towel","quantity":1.5}])"), "items"));
  EXPECT_FALSE(CanonicalItems(json::parse(R"([{"quantity":1}])"), "items"));
  EXPECT_FALSE(CanonicalItems(json::parse(R"({"item":"towel"})"), "items"));
  EXPECT_TRUE(CanonicalKeywords(json::parse(R"(["wifi","password"])"), "keywords"));
  EXPECT_FALSE(CanonicalKeywords(json::parse(R"(["wifi",""])"), "keywords"));
  auto too_many = json::array();
  for (int i = 0; i < 51; ++i) too_many.push_back(json::string("t" + std::to_string(i)));
  EXPECT_FALSE(CanonicalTags(too_many, "tags"));
  auto r = CanonicalStringArray(json::parse(R"(["ok", 3])"), "notes", 10, 100);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields.at(0).path, "notes[1]");
}

// ---------------------------------------------------------------------------------------------
// Conversations: escalation and messages
// ---------------------------------------------------------------------------------------------

// An active web-chat conversation, stored.
db::ConversationRow ActiveConversation(db::Database& d, const Ctx& ctx, const std::string& id) {
  db::ConversationRow c;
  c.id = id;
  c.channel_type = "webchat";
  c.channel_id = "s";
  c.state = "active";
  c.created_at = c.updated_at = ctx.Now();
  EXPECT_TRUE(db::InsertConversation(d, c));
  return c;
}

TEST(ConversationService, AStaffTypedReasonStaysOutOfTheAuditRow) {
  auto d = Migrated();
  core::FakeClock clock(At("2026-12-03T10:00:00.000Z"));
  Ctx ctx{*d, clock};
  auto c = ActiveConversation(*d, ctx, "conv-note");
  ASSERT_TRUE(
      EscalateConversation(ctx, c, Actor::Staff("st-1"), "Mrs Okafor is upset about room 12"));
  auto audit = db::ListAudit(*d, std::string("conversation.escalate"), c.id, 10);
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].details.value_or("").find("Okafor"), std::string::npos);
  EXPECT_NE((*audit)[0].details.value_or("").find("staff_note"), std::string::npos);
  auto stored = *db::FindConversation(*d, c.id);
  EXPECT_NE(stored->metadata.find("Okafor"), std::string::npos) << "staff still see the reason";
}

TEST(ConversationService, EscalateOnceWithAudit) {
  auto d = Migrated();
  core::FakeClock clock(At("2026-12-03T10:00:00.000Z"));
  Ctx ctx{*d, clock};
  auto c = ActiveConversation(*d, ctx, "conv-1");
  auto e = EscalateConversation(ctx, c, Actor::System(), "emergency");
  ASSERT_TRUE(e);
  EXPECT_TRUE(*e);
  EXPECT_EQ(c.state, "escalated");
  auto again = EscalateConversation(ctx, c, Actor::System(), "emergency");
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again) << "escalating an escalated conversation changes nothing";
  auto audit = db::ListAudit(*d, std::string("conversation.escalate"), std::string("conv-1"), 10);
  ASSERT_TRUE(audit);
  EXPECT_EQ(audit->size(), 1u);
  auto stored = db::FindConversation(*d, "conv-1");
  EXPECT_EQ((*stored)->state, "escalated");
  // A resolved conversation cannot be escalated.
  c.state = "resolved";
  auto bad = EscalateConversation(ctx, c, Actor::System(), "x");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::conflict);
}

TEST(ConversationService, InboundReopensResolvedToTheAi) {
  auto d = Migrated();
  core::FakeClock clock(At("2026-12-03T10:00:00.000Z"));
  Ctx ctx{*d, clock};
  db::StaffRow s;
  s.id = "staff-1";
  s.email = "s@example.com";
  s.name = "S";
  s.role = "front_desk";
  s.created_at = s.updated_at = ctx.Now();
  ASSERT_TRUE(db::InsertStaff(*d, s));
  db::ConversationRow c;
  c.id = "conv-1";
  c.channel_type = "webchat";
  c.channel_id = "s";
  c.state = "resolved";
  c.assigned_to = "staff-1";
  c.resolved_at = ctx.Now();
  c.created_at = c.updated_at = ctx.Now();
  ASSERT_TRUE(db::InsertConversation(*d, c));
  clock.Advance(std::chrono::hours(24));
  db::MessageRow m;
  m.direction = "inbound";
  m.sender_type = "guest";
  m.content = "hello again";
  ASSERT_TRUE(AppendMessage(ctx, c, m));
  EXPECT_EQ(c.state, "active");
  EXPECT_FALSE(c.assigned_to.has_value()) << "reopen_owner defaults to the AI";
  EXPECT_FALSE(c.resolved_at.has_value());
  EXPECT_EQ(c.last_message_at, m.created_at);
  EXPECT_FALSE(m.id.empty());
}

// ---------------------------------------------------------------------------------------------
// The demo hotel
// ---------------------------------------------------------------------------------------------

TEST(Demo, LoadsEveryRoleAndTheKnowledgeBaseOnce) {
  auto d = Migrated();
  core::FakeClock clock(At("2026-12-03T10:00:00.000Z"));
  Ctx ctx{*d, clock};
  auto logins = LoadDemo(ctx, 4);
  ASSERT_TRUE(logins) << logins.error().message;
  std::set<std::string> roles;
  for (const auto& l : *logins) {
    roles.insert(l.role);
    auto s = db::FindStaffByEmail(*d, l.email);
    ASSERT_TRUE(s && s->has_value()) << l.email;
    ASSERT_TRUE((*s)->password_hash.has_value());
    EXPECT_EQ((*s)->password_hash->substr(0, 7), "$2b$04$");
    EXPECT_TRUE(VerifyPassword(l.password, *(*s)->password_hash)) << l.email;
  }
  for (const auto& r : AllRoles()) EXPECT_TRUE(roles.count(r)) << "no demo staff for " << r;
  auto admin = db::FindStaffByEmail(*d, "admin@miramar.example");
  ASSERT_TRUE(admin && admin->has_value());
  EXPECT_EQ((*admin)->role, "admin");
  EXPECT_TRUE(VerifyPassword("demo-admin-2026", *(*admin)->password_hash));

  auto kb = db::CountKnowledge(*d);
  ASSERT_TRUE(kb);
  EXPECT_GE(*kb, 30);
  auto res = db::FindReservationByConfirmation(*d, "MIR-10001");
  ASSERT_TRUE(res && res->has_value());
  EXPECT_EQ((*res)->arrival_date, "2026-12-03") << "dates are relative to the hotel's today";
  EXPECT_EQ(Setting(ctx, "hotel.timezone"), "Europe/Lisbon");

  auto second = LoadDemo(ctx, 4);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, Errc::conflict);
  auto kb2 = db::CountKnowledge(*d);
  EXPECT_EQ(*kb2, *kb) << "a refused second load adds nothing";
}

TEST(Demo, RefusesADatabaseWithStaff) {
  auto d = Migrated();
  core::FakeClock clock(At("2026-12-03T10:00:00.000Z"));
  Ctx ctx{*d, clock};
  db::StaffRow s;
  s.id = "s1";
  s.email = "owner@hotel.example";
  s.name = "Owner";
  s.role = "admin";
  s.created_at = s.updated_at = ctx.Now();
  ASSERT_TRUE(db::InsertStaff(*d, s));
  auto r = LoadDemo(ctx, 4);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::conflict);
  EXPECT_EQ(*db::CountKnowledge(*d), 0);
}

// ---------------------------------------------------------------------------------------------
// Staff actions on conversations and tasks: every state × action, with their audit rows
// ---------------------------------------------------------------------------------------------
namespace services {

struct World {
  std::unique_ptr<db::Database> d = Migrated();
  core::FakeClock clock{At("2026-12-03T10:00:00.000Z")};
  Ctx ctx{*d, clock};
  std::string staff_id, inactive_id;

  World() {
    for (auto [id, status] : {std::pair{"staff-a", "active"}, std::pair{"staff-x", "inactive"}}) {
      db::StaffRow s;
      s.id = id;
      s.email = std::string(id) + "@example.org";
      s.name = id;
      s.role = "front_desk";
      s.status = status;
      s.created_at = s.updated_at = "2026-01-01T00:00:00.000Z";
      EXPECT_TRUE(db::InsertStaff(*d, s));
    }
    staff_id = "staff-a";
    inactive_id = "staff-x";
  }
  db::ConversationRow Conversation(const std::string& state, bool assigned) {
    db::ConversationRow c;
    c.id = core::NewId();
    c.channel_type = "webchat";
    c.channel_id = c.id;
    c.state = state;
    if (assigned) c.assigned_to = staff_id;
    c.created_at = c.updated_at = "2026-12-03T09:00:00.000Z";
    EXPECT_TRUE(db::InsertConversation(*d, c));
    return c;
  }
  db::TaskRow Task(const std::string& status) {
    db::TaskRow t;
    t.id = core::NewId();
    t.type = "housekeeping";
    t.department = "housekeeping";
    t.description = "towels";
    t.status = status;
    if (status != "pending") t.assigned_to = staff_id;
    t.created_at = t.updated_at = "2026-12-03T09:00:00.000Z";
    EXPECT_TRUE(db::InsertTask(*d, t));
    return t;
  }
  int64_t AuditCount(const std::string& action, const std::string& id) {
    auto rows = db::ListAudit(*d, action, id, 100);
    return rows ? static_cast<int64_t>(rows->size()) : -1;
  }
};

// Expected result: "ok" (changed), "same" (no change, 200), "409".
std::string Outcome(const Result<bool>& r) {
  if (!r) return r.error().code == Errc::conflict ? "409" : "error:" + r.error().message;
  return *r ? "ok" : "same";
}
std::string Outcome(const Status& r) {
  if (!r) return r.error().code == Errc::conflict ? "409" : "error:" + r.error().message;
  return "ok";
}

TEST(ConversationActions, EveryStateTimesEveryAction) {
  struct Row {
    std::string state;
    bool assigned;
    std::string assign, resolve, handback;
  };
  const std::vector<Row> table = {
      {"new", false, "ok", "ok", "same"},        {"new", true, "same", "ok", "409"},
      {"active", false, "ok", "ok", "same"},     {"active", true, "same", "ok", "ok"},
      {"escalated", false, "ok", "ok", "ok"},    {"escalated", true, "same", "ok", "ok"},
      {"resolved", false, "409", "same", "409"}, {"abandoned", false, "409", "409", "409"},
  };
  for (const auto& row : table) {
    World w;
    const std::string what = row.state + (row.assigned ? "+assigned" : "");
    auto c1 = w.Conversation(row.state, row.assigned);
    EXPECT_EQ(Outcome(AssignConversation(w.ctx, c1, w.staff_id, Actor::Staff("m"))), row.assign)
        << "assign " << what;
    EXPECT_EQ(w.AuditCount("conversation.assign", c1.id), row.assign == "ok" ? 1 : 0) << what;
    auto c2 = w.Conversation(row.state, row.assigned);
    EXPECT_EQ(Outcome(ResolveConversation(w.ctx, c2, Actor::Staff("m"))), row.resolve)
        << "resolve " << what;
    EXPECT_EQ(w.AuditCount("conversation.resolve", c2.id), row.resolve == "ok" ? 1 : 0) << what;
    auto stored = *db::FindConversation(*w.d, c2.id);
    if (row.resolve == "ok") {
      EXPECT_EQ(stored->state, "resolved");
      EXPECT_EQ(stored->resolved_at, "2026-12-03T10:00:00.000Z");
    } else if (row.resolve == "409") {
      EXPECT_EQ(stored->state, row.state) << "a refused action changes nothing";
    }
    auto c3 = w.Conversation(row.state, row.assigned);
    EXPECT_EQ(Outcome(HandBackConversation(w.ctx, c3, Actor::Staff("m"))), row.handback)
        << "handback " << what;
    if (row.handback == "ok") {
      auto h = *db::FindConversation(*w.d, c3.id);
      EXPECT_EQ(h->state, "active");
      EXPECT_FALSE(h->assigned_to);
      EXPECT_TRUE(AiOwns(*h));
    }
  }
}

TEST(ConversationActions, AssigneeMustBeAnActiveStaffMember) {
  World w;
  auto c = w.Conversation("active", false);
  auto r = AssignConversation(w.ctx, c, std::string("nobody"), Actor::Staff("m"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  r = AssignConversation(w.ctx, c, w.inactive_id, Actor::Staff("m"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  // Unassigning is an assignment to nobody.
  ASSERT_TRUE(AssignConversation(w.ctx, c, w.staff_id, Actor::Staff("m")));
  EXPECT_EQ(Outcome(AssignConversation(w.ctx, c, std::nullopt, Actor::Staff("m"))), "ok");
  EXPECT_FALSE((*db::FindConversation(*w.d, c.id))->assigned_to);
}

TEST(TaskActions, EveryStatusTimesEveryAction) {
  struct Row {
    std::string status, assign, start, complete, cancel;
  };
  const std::vector<Row> table = {
      {"pending", "ok", "ok", "409", "ok"},      {"assigned", "ok", "ok", "409", "ok"},
      {"in_progress", "ok", "409", "ok", "ok"},  {"completed", "409", "409", "409", "409"},
      {"cancelled", "409", "409", "409", "409"},
  };
  for (const auto& row : table) {
    World w;
    auto t1 = w.Task(row.status);
    EXPECT_EQ(Outcome(AssignTask(w.ctx, t1, w.staff_id, Actor::Staff("m"))), row.assign)
        << "assign " << row.status;
    auto t2 = w.Task(row.status);
    EXPECT_EQ(Outcome(StartTask(w.ctx, t2, w.staff_id, Actor::Staff("m"))), row.start)
        << "start " << row.status;
    if (row.start == "ok") {
      auto s = *db::FindTask(*w.d, t2.id);
      EXPECT_EQ(s->status, "in_progress");
      EXPECT_EQ(s->assigned_to, w.staff_id) << "starting an unassigned task takes it";
      EXPECT_TRUE(s->started_at);
    }
    auto t3 = w.Task(row.status);
    EXPECT_EQ(Outcome(CompleteTask(w.ctx, t3, Actor::Staff("m"), std::string("done"))),
              row.complete)
        << "complete " << row.status;
    EXPECT_EQ(w.AuditCount("task.complete", t3.id), row.complete == "ok" ? 1 : 0);
    if (row.complete == "ok") {
      auto c = *db::FindTask(*w.d, t3.id);
      EXPECT_EQ(c->status, "completed");
      EXPECT_EQ(c->completion_notes, "done");
      EXPECT_TRUE(c->completed_at);
    } else {
      EXPECT_EQ((*db::FindTask(*w.d, t3.id))->status, row.status);
    }
    auto t4 = w.Task(row.status);
    EXPECT_EQ(Outcome(CancelTask(w.ctx, t4, Actor::Staff("m"))), row.cancel)
        << "cancel " << row.status;
  }
}

}  // namespace services

}  // namespace
}  // namespace jack::domain
