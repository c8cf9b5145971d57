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
Status ChangeSetting(Ctx& ctx, const Actor& actor, const std::string& key,
                     const std::string& value);
Status ValidateSetting(const std::string& key, const std::string& value);

// Keys that hold a secret (…secret, …password, …token, …api_key): written through the API,
// never returned by it.
bool IsSecretSetting(std::string_view key);
// The hotel's local date "YYYY-MM-DD" now.
std::string HotelToday(Ctx& ctx);

}  // namespace jack::domain
