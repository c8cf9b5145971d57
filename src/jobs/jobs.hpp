#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "core/result.hpp"
#include "db/lifecycle.hpp"
#include "domain/context.hpp"

// Background jobs (architecture.md, src/jobs): idle conversations and the daily retention
// run. Each job is a plain function of a Ctx, run on the db thread; the Ticker only decides
// when to post the next round.
namespace jack::jobs {

struct IdleReport {
  int warned = 0, abandoned = 0;
};
// "Are you still there?" after conversations.idle_warning_minutes of silence from the guest
// (AI-owned active conversations whose last message is Jack's), then `abandoned` once
// conversations.abandon_minutes have passed since that last exchange (so the defaults, 30
// and 120, abandon 90 minutes after the warning). Each conversation in its own transaction.
Result<IdleReport> RunIdleSweep(domain::Ctx& ctx);

// The next instant at which local time in `zone` is `minute_of_day`, strictly after `now`.
core::TimePoint NextDailyRun(core::TimePoint now, int minute_of_day, const std::string& zone);

// Minute of the day, hotel time, at which the retention job runs (seed-notes.md: 03:00).
inline constexpr int kRetentionMinute = 3 * 60;

struct TickReport {
  IdleReport idle;
  bool retention_ran = false;
  db::RetentionCounts retention;
};
// One round of the scheduler: the idle sweep, and retention when its daily time has passed
// in the hotel's zone since its last recorded run (job_runs, so that a restart neither skips
// nor repeats a day).
Result<TickReport> RunDueJobs(domain::Ctx& ctx);

// Calls `tick` every `period` on its own thread until stopped; `tick` posts the real work to
// the db thread. Stop() wakes it at once.
class Ticker {
 public:
  Ticker(std::chrono::milliseconds period, std::function<void()> tick);
  ~Ticker();
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;
  void Stop();

 private:
  std::chrono::milliseconds period_;
  std::function<void()> tick_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace jack::jobs
