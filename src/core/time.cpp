#include "core/time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <charconv>
#include <cstdio>

namespace jack::core {
namespace {

bool ParseInt(std::string_view s, size_t pos, size_t len, int& out) {
  if (pos + len > s.size()) return false;
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return true;
}

const date::time_zone* FindZone(const std::string& zone) {
  try {
    return date::locate_zone(zone);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

std::string FormatIso(TimePoint t) {
  auto ms = std::chrono::floor<std::chrono::milliseconds>(t);
  auto day = std::chrono::floor<date::days>(ms);
  date::year_month_day ymd{day};
  date::hh_mm_ss hms{ms - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()),
                int(hms.subseconds().count()));
  return buf;
}

std::optional<TimePoint> ParseIso(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':')
    return std::nullopt;
  if (!ParseInt(s, 0, 4, y) || !ParseInt(s, 5, 2, mo) || !ParseInt(s, 8, 2, d) ||
      !ParseInt(s, 11, 2, h) || !ParseInt(s, 14, 2, mi) || !ParseInt(s, 17, 2, sec))
    return std::nullopt;
  date::year_month_day ymd{date::year{y}, date::month(unsigned(mo)), date::day(unsigned(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  size_t pos = 19;
  int millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
    std::string frac(s.substr(start, std::min<size_t>(pos - start, 3)));
    while (frac.size() < 3) frac.push_back('0');
    millis = std::stoi(frac);
  }
  int offset_min = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z' && pos + 1 == s.size()) {
      // UTC
    } else if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
      int oh, om;
      if (!ParseInt(s, pos + 1, 2, oh) || !ParseInt(s, pos + 4, 2, om)) return std::nullopt;
      offset_min = (oh * 60 + om) * (s[pos] == '+' ? 1 : -1);
    } else {
      return std::nullopt;
    }
  } else if (s[10] == 'T') {
    return std::nullopt;  // an ISO time without a zone is ambiguous
  }
  auto tp = date::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi - offset_min} +
            std::chrono::seconds{sec} + std::chrono::milliseconds{millis};
  return std::chrono::time_point_cast<TimePoint::duration>(tp);
}

bool IsValidDate(std::string_view s) { return DateToDays(s).has_value(); }

std::optional<int> DateToDays(std::string_view s) {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!ParseInt(s, 0, 4, y) || !ParseInt(s, 5, 2, m) || !ParseInt(s, 8, 2, d)) return std::nullopt;
  date::year_month_day ymd{date::year{y}, date::month(unsigned(m)), date::day(unsigned(d))};
  if (!ymd.ok()) return std::nullopt;
  return date::sys_days{ymd}.time_since_epoch().count();
}

std::string DaysToDate(int days) {
  date::year_month_day ymd{date::sys_days{date::days{days}}};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buf;
}

LocalDateTime ToLocal(TimePoint t, const std::string& zone) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  date::local_seconds local;
  if (const auto* tz = FindZone(zone)) {
    local = tz->to_local(secs);
  } else {
    local = date::local_seconds{secs.time_since_epoch()};
  }
  auto day = std::chrono::floor<date::days>(local);
  LocalDateTime out;
  out.date = DaysToDate(static_cast<int>(day.time_since_epoch().count()));
  out.minutes =
      static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(local - day).count());
  out.weekday = static_cast<int>(date::weekday{day}.c_encoding());
  return out;
}

TimePoint FromLocal(std::string_view date_str, int minutes, const std::string& zone) {
  int days = DateToDays(date_str).value_or(0);
  date::local_seconds local{date::days{days} + std::chrono::minutes{minutes}};
  if (const auto* tz = FindZone(zone)) {
    auto sys = tz->to_sys(local, date::choose::earliest);
    return std::chrono::time_point_cast<TimePoint::duration>(sys);
  }
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(local.time_since_epoch()));
}

bool IsValidTimeZone(const std::string& zone) { return FindZone(zone) != nullptr; }

TimePoint YearsBefore(TimePoint t, int years) {
  auto day = std::chrono::floor<date::days>(t);
  auto time_of_day = t - day;
  date::year_month_day ymd{day};
  auto target = ymd.year() - date::years{years};
  date::year_month_day out{target, ymd.month(), ymd.day()};
  if (!out.ok()) out = date::year_month_day{target / ymd.month() / date::last};
  return date::sys_days{out} + time_of_day;
}

}  // namespace jack::core
