#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace jack::core {

// ISO 8601 UTC with milliseconds: "2026-12-03T10:15:00.123Z" (seed-notes.md, Times).
std::string FormatIso(TimePoint t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM)" and SQLite's "YYYY-MM-DD HH:MM:SS" (UTC).
std::optional<TimePoint> ParseIso(std::string_view s);

// Calendar dates "YYYY-MM-DD".
bool IsValidDate(std::string_view s);
// Days since 1970-01-01 of a valid date.
std::optional<int> DateToDays(std::string_view s);
std::string DaysToDate(int days);

// Wall time in an IANA zone. Unknown zones fall back to UTC (validated when the setting is
// written, so the fallback only guards hand-edited databases).
struct LocalDateTime {
  std::string date;  // YYYY-MM-DD
  int minutes = 0;   // minutes since local midnight
  int weekday = 0;   // 0 = Sunday
};
LocalDateTime ToLocal(TimePoint t, const std::string& zone);
// The UTC instant of a local date and minute of day in `zone`.
TimePoint FromLocal(std::string_view date, int minutes, const std::string& zone);
bool IsValidTimeZone(const std::string& zone);

// The same UTC wall time `years` calendar years earlier (29 February becomes 28 February).
TimePoint YearsBefore(TimePoint t, int years);

}  // namespace jack::core
