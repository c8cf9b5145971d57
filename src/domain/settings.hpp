#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "domain/context.hpp"

namespace jack::domain {

// Hotel settings (cli.md, Settings): text values in the `settings` table, read on every use
// so that a change takes effect at once.
std::string GetSettingOr(Ctx& ctx, std::string_view key, std::string_view fallback);
double GetSettingNumber(Ctx& ctx, std::string_view key, double fallback);
// Built-in defaults for keys the table does not hold.
std::optional<std::string> DefaultSetting(std::string_view key);
std::string Setting(Ctx& ctx, std::string_view key);

// Validates and writes a setting through the API (audit settings.change, details hold the key
// only). Errors: invalid_argument for a bad value, forbidden-style invalid_argument for the
// read-only embeddings.* keys.
// A secret key (IsSecretSetting) is stored sealed (AES-256-GCM) with `sealing_key`.
Status ChangeSetting(Ctx& ctx, const Actor& actor, const std::string& key, const std::string& value,
                     std::string_view sealing_key);
Status ValidateSetting(const std::string& key, const std::string& value);

// Keys the API accepts: the ones of cli.md, hotel.<name> (facts about the hotel) and
// channels.<whatsapp|sms|email|webchat>.<name>; <name> is [a-z0-9_]{1,64}.
bool IsKnownSetting(std::string_view key);
// Keys that hold a secret (…secret, …password, …token, …api_key outside hotel.*): written
// through the API sealed, never returned by it.
bool IsSecretSetting(std::string_view key);
// The key that seals secret settings, derived from the token secret (JACK_JWT_SECRET or the
// file beside the database): a new token secret makes stored secrets unreadable, to be set
// again.
std::string SettingsSealingKey(std::string_view jwt_secret);
// A secret setting's plaintext (nullopt when unset); an error when it does not open.
Result<std::optional<std::string>> SecretSetting(Ctx& ctx, std::string_view key,
                                                 std::string_view sealing_key);
// The hotel's local date "YYYY-MM-DD" now.
std::string HotelToday(Ctx& ctx);

}  // namespace jack::domain
