#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/context.hpp"

// GET /analytics/overview: what a manager reads each morning, by day in the hotel's time zone
// (reliability.md R15: "today" in a UTC-5 hotel is the hotel's today).
namespace jack::domain {

struct DayStats {
  std::string date;  // YYYY-MM-DD, hotel time
  int64_t conversations = 0, inbound_messages = 0, escalations = 0, tasks_created = 0,
          tasks_completed = 0;
};
struct DepartmentStats {
  std::string department;
  int64_t created = 0, completed = 0;
  std::optional<double> avg_minutes_to_complete;  // created → completed
};
struct Overview {
  std::string from, to, timezone;  // dates, inclusive
  int64_t conversations = 0, inbound_messages = 0, escalations = 0;
  // Guest's first message → first answer by the AI or staff, over conversations begun in the
  // range that have both.
  std::optional<double> first_response_p50_seconds, first_response_avg_seconds;
  // Conversations begun in the range that the AI handled alone: never escalated, no staff
  // message; and their share of all.
  int64_t ai_resolved = 0;
  std::optional<double> ai_resolved_share;
  std::vector<DayStats> days;
  std::vector<DepartmentStats> departments;
};

// `from` and `to` are hotel dates (inclusive); defaults: the last 7 days up to today.
// invalid_argument for bad dates, from after to, or more than 366 days.
Result<Overview> AnalyticsOverview(Ctx& ctx, std::optional<std::string> from,
                                   std::optional<std::string> to);

}  // namespace jack::domain
