#include "domain/analytics.hpp"

#include <algorithm>
#include <map>

#include "core/time.hpp"
#include "db/queries.hpp"
#include "domain/settings.hpp"

namespace jack::domain {

Result<Overview> AnalyticsOverview(Ctx& ctx, std::optional<std::string> from,
                                   std::optional<std::string> to) {
  const std::string zone = Setting(ctx, "hotel.timezone");
  const std::string today = core::ToLocal(ctx.clock.Now(), zone).date;
  if (!to) to = today;
  Error e = Error::Invalid("invalid date range");
  if (!core::IsValidDate(*to)) e.fields.push_back({"to", "must be a date YYYY-MM-DD"});
  if (from && !core::IsValidDate(*from)) e.fields.push_back({"from", "must be a date YYYY-MM-DD"});
  if (!e.fields.empty()) return e;
  if (!from) from = core::DaysToDate(*core::DateToDays(*to) - 6);
  const int first = *core::DateToDays(*from), last = *core::DateToDays(*to);
  if (first > last) return Error::Invalid("must not be after to", "from");
  if (last - first > 365) return Error::Invalid("the range is at most 366 days", "from");

  // The UTC instants of the first local midnight and of the one after the last day.
  const std::string begin = core::FormatIso(core::FromLocal(*from, 0, zone));
  const std::string end = core::FormatIso(core::FromLocal(core::DaysToDate(last + 1), 0, zone));
  Overview o;
  o.from = *from;
  o.to = *to;
  o.timezone = zone;
  std::map<std::string, DayStats> days;
  for (int d = first; d <= last; ++d) days[core::DaysToDate(d)].date = core::DaysToDate(d);
  auto day_of = [&](const std::string& iso) -> DayStats* {
    auto t = core::ParseIso(iso);
    if (!t) return nullptr;
    auto it = days.find(core::ToLocal(*t, zone).date);
    return it == days.end() ? nullptr : &it->second;
  };

  JACK_TRY_ASSIGN(auto convs, db::ConversationFactsBetween(ctx.db, begin, end));
  std::vector<double> first_responses;
  for (const auto& c : convs) {
    ++o.conversations;
    if (auto* d = day_of(c.created_at)) ++d->conversations;
    if (!c.escalated && c.staff_messages == 0) ++o.ai_resolved;
    if (c.first_inbound_at && c.first_answer_at && *c.first_answer_at >= *c.first_inbound_at) {
      auto a = core::ParseIso(*c.first_inbound_at), b = core::ParseIso(*c.first_answer_at);
      if (a && b) first_responses.push_back(std::chrono::duration<double>(*b - *a).count());
    }
  }
  if (o.conversations > 0)
    o.ai_resolved_share = static_cast<double>(o.ai_resolved) / static_cast<double>(o.conversations);
  if (!first_responses.empty()) {
    std::sort(first_responses.begin(), first_responses.end());
    double sum = 0;
    for (double v : first_responses) sum += v;
    o.first_response_avg_seconds = sum / static_cast<double>(first_responses.size());
    o.first_response_p50_seconds = first_responses[(first_responses.size() - 1) / 2];
  }

  JACK_TRY_ASSIGN(auto inbound, db::InboundTimesBetween(ctx.db, begin, end));
  for (const auto& t : inbound) {
    ++o.inbound_messages;
    if (auto* d = day_of(t)) ++d->inbound_messages;
  }
  JACK_TRY_ASSIGN(auto escalations, db::EscalationTimesBetween(ctx.db, begin, end));
  for (const auto& t : escalations) {
    ++o.escalations;
    if (auto* d = day_of(t)) ++d->escalations;
  }

  JACK_TRY_ASSIGN(auto tasks, db::TaskFactsBetween(ctx.db, begin, end));
  std::map<std::string, DepartmentStats> deps;
  std::map<std::string, std::pair<double, int>> minutes;  // department → sum, count
  for (const char* dep : {"housekeeping", "maintenance", "room_service", "concierge", "front_desk"})
    deps[dep].department = dep;
  for (const auto& t : tasks) {
    auto& dep = deps[t.department];
    dep.department = t.department;
    ++dep.created;
    if (auto* d = day_of(t.created_at)) ++d->tasks_created;
    if (t.status == "completed" && t.completed_at) {
      ++dep.completed;
      if (auto* d = day_of(*t.completed_at)) ++d->tasks_completed;
      auto a = core::ParseIso(t.created_at), b = core::ParseIso(*t.completed_at);
      if (a && b) {
        auto& m = minutes[t.department];
        m.first += std::chrono::duration<double>(*b - *a).count() / 60.0;
        ++m.second;
      }
    }
  }
  for (auto& [name, dep] : deps) {
    if (auto it = minutes.find(name); it != minutes.end() && it->second.second > 0)
      dep.avg_minutes_to_complete = it->second.first / it->second.second;
    o.departments.push_back(dep);
  }
  for (auto& [date, d] : days) o.days.push_back(d);
  return o;
}

}  // namespace jack::domain
