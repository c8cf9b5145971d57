#include "domain/settings.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <map>

#include "core/crypto.hpp"
#include "core/strings.hpp"
#include "db/repositories.hpp"
#include "domain/audit.hpp"

namespace jack::domain {
namespace {

const std::map<std::string, std::string, std::less<>>& Defaults() {
  static const std::map<std::string, std::string, std::less<>> d = {
      {"hotel.name", "Jack Demo Hotel"},
      {"hotel.timezone", "UTC"},
      {"hotel.default_country", "US"},
      {"hotel.business_hours", "00:00-24:00"},
      {"hotel.emergency_number", "112"},
      {"escalation.threshold", "0.7"},
      {"ai.relevance_floor", "0.35"},
      {"conversations.idle_warning_minutes", "30"},
      {"conversations.abandon_minutes", "120"},
      {"conversations.reopen_owner", "ai"},
      {"security.cors_origins", ""},
  };
  return d;
}

bool ParseDouble(const std::string& s, double& out) {
  auto t = core::Trim(s);
  auto r = std::from_chars(t.data(), t.data() + t.size(), out);
  return r.ec == std::errc() && r.ptr == t.data() + t.size();
}

bool ParseHm(std::string_view s, int& minutes) {
  if (s.size() != 5 || s[2] != ':') return false;
  int h = 0, m = 0;
  for (int i : {0, 1, 3, 4}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  h = (s[0] - '0') * 10 + (s[1] - '0');
  m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return false;
  minutes = h * 60 + m;
  return true;
}

}  // namespace

std::optional<std::string> DefaultSetting(std::string_view key) {
  auto it = Defaults().find(key);
  if (it == Defaults().end()) return std::nullopt;
  return it->second;
}

std::string GetSettingOr(Ctx& ctx, std::string_view key, std::string_view fallback) {
  auto r = db::GetSetting(ctx.db, key);
  if (r && *r) return **r;
  return std::string(fallback);
}

std::string Setting(Ctx& ctx, std::string_view key) {
  return GetSettingOr(ctx, key, DefaultSetting(key).value_or(""));
}

double GetSettingNumber(Ctx& ctx, std::string_view key, double fallback) {
  double v;
  std::string s = GetSettingOr(ctx, key, "");
  if (!s.empty() && ParseDouble(s, v)) return v;
  return fallback;
}

namespace {

// Keys with a meaning of their own; outside hotel.* and channels.<name>.* nothing else is
// accepted, so that a misspelt key is an error instead of a setting nobody reads.
constexpr std::string_view kKnownKeys[] = {
    "escalation.threshold",
    "ai.relevance_floor",
    "conversations.idle_warning_minutes",
    "conversations.abandon_minutes",
    "conversations.reopen_owner",
    "security.cors_origins",
};
constexpr std::string_view kChannels[] = {"whatsapp", "sms", "email", "webchat"};

bool IsName(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

}  // namespace

bool IsKnownSetting(std::string_view key) {
  for (auto k : kKnownKeys)
    if (key == k) return true;
  if (core::StartsWith(key, "hotel.")) return IsName(key.substr(6));
  if (core::StartsWith(key, "channels.")) {
    auto rest = key.substr(9);
    auto dot = rest.find('.');
    if (dot == std::string_view::npos) return false;
    bool channel = false;
    for (auto c : kChannels) channel = channel || rest.substr(0, dot) == c;
    return channel && IsName(rest.substr(dot + 1));
  }
  return false;
}

std::string SettingsSealingKey(std::string_view jwt_secret) {
  return core::DeriveKey(jwt_secret, "jack settings v1");
}

Status ValidateSetting(const std::string& key, const std::string& value) {
  if (key.empty() || key.size() > 128) return Error::Invalid("key must be 1-128 characters", "key");
  for (char c : key) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
      return Error::Invalid("key may hold letters, digits, '.', '_' and '-'", "key");
  }
  if (core::StartsWith(key, "embeddings."))
    return Error::Invalid("embeddings.* settings are read-only: they follow the provider", "key");
  if (!IsKnownSetting(key))
    return Error::Invalid(
        "unknown setting: use hotel.<name>, channels.<whatsapp|sms|email|webchat>.<name> or a "
        "key listed in docs/configuration.md",
        "key");
  if (value.size() > 65536) return Error::Invalid("value is too long", "value");
  if (!core::IsValidUtf8(value)) return Error::Invalid("value must be UTF-8", "value");
  double d;
  if (key == "escalation.threshold" || key == "ai.relevance_floor") {
    if (!ParseDouble(value, d) || d < 0 || d > 1)
      return Error::Invalid("must be a number from 0 to 1", "value");
  } else if (key == "conversations.idle_warning_minutes" ||
             key == "conversations.abandon_minutes") {
    if (!ParseDouble(value, d) || d < 1 || d > 100000 || d != static_cast<int>(d))
      return Error::Invalid("must be a whole number of minutes", "value");
  } else if (key == "conversations.reopen_owner") {
    if (value != "ai" && value != "staff") return Error::Invalid("must be ai or staff", "value");
  } else if (key == "hotel.timezone") {
    if (!core::IsValidTimeZone(value)) return Error::Invalid("unknown IANA time zone", "value");
  } else if (key == "hotel.business_hours") {
    int a, b;
    if (value.size() != 11 || value[5] != '-' ||
        !ParseHm(std::string_view(value).substr(0, 5), a) ||
        !ParseHm(std::string_view(value).substr(6), b))
      return Error::Invalid("must be HH:MM-HH:MM", "value");
  } else if (key == "security.cors_origins") {
    // Comma-separated origins: scheme://host[:port], nothing after (no path, no wildcard).
    for (const auto& raw : core::Split(value, ',')) {
      auto o = core::Trim(raw);
      if (o.empty()) continue;
      auto scheme = o.find("://");
      bool ok = scheme != std::string_view::npos &&
                (o.substr(0, scheme) == "http" || o.substr(0, scheme) == "https") &&
                o.size() > scheme + 3 && o.find('/', scheme + 3) == std::string_view::npos &&
                o.find('*') == std::string_view::npos && o.find(' ') == std::string_view::npos;
      if (!ok)
        return Error::Invalid("must be origins such as https://www.hotel.example, comma-separated",
                              "value");
    }
  } else if (key == "hotel.default_country") {
    if (value.size() != 2 || !std::isupper(static_cast<unsigned char>(value[0])) ||
        !std::isupper(static_cast<unsigned char>(value[1])))
      return Error::Invalid("must be an ISO 3166 alpha-2 code such as US", "value");
  } else if (key.size() > 8 && key.substr(key.size() - 8) == ".enabled") {
    if (value != "true" && value != "false")
      return Error::Invalid("must be true or false", "value");
  }
  return {};
}

Status ChangeSetting(Ctx& ctx, const Actor& actor, const std::string& key, const std::string& value,
                     std::string_view sealing_key) {
  JACK_TRY(ValidateSetting(key, value));
  if (IsSecretSetting(key) && sealing_key.size() != 32)
    return Error::Internal("no key to seal secret settings with");
  db::Transaction tx(ctx.db);
  JACK_TRY(tx.status());
  // The key name is the sealed value's associated data: a row copied under another key does
  // not open.
  JACK_TRY(db::PutSetting(
      ctx.db, key, IsSecretSetting(key) ? core::Seal(sealing_key, value, key) : value, ctx.Now()));
  boost::json::object details{{"key", key}};
  JACK_TRY(Audit(ctx, actor, "settings.change", "settings", key, boost::json::serialize(details)));
  return tx.Commit();
}

std::string HotelToday(Ctx& ctx) {
  return core::ToLocal(ctx.clock.Now(), Setting(ctx, "hotel.timezone")).date;
}

Result<std::optional<std::string>> SecretSetting(Ctx& ctx, std::string_view key,
                                                 std::string_view sealing_key) {
  JACK_TRY_ASSIGN(auto v, db::GetSetting(ctx.db, key));
  if (!v) return std::optional<std::string>();
  JACK_TRY_ASSIGN(auto plain, core::Open(sealing_key, *v, key));
  return std::optional<std::string>(std::move(plain));
}

bool IsSecretSetting(std::string_view key) {
  // Facts for guests (hotel.wifi_password) are not secrets: the concierge tells them.
  if (core::StartsWith(key, "hotel.")) return false;
  auto last = key.substr(key.rfind('.') == std::string_view::npos ? 0 : key.rfind('.') + 1);
  for (const char* word : {"secret", "password", "token", "api_key", "apikey", "private_key"})
    if (last.find(word) != std::string_view::npos) return true;
  return false;
}

}  // namespace jack::domain
