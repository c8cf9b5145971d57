#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace jack::http {

// Sliding-window counters keyed by strings such as "login:addr:1.2.3.4". Thread-safe.
// Memory is bounded: keys idle for longer than their window are pruned as new ones arrive.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RateLimiter(bool enabled) : enabled_(enabled) {}
  bool enabled() const { return enabled_; }

  // Whether `key` has had fewer than `limit` events within `window`; if not, `retry_after`
  // is the seconds until the oldest event leaves the window.
  bool Check(const std::string& key, int limit, std::chrono::seconds window, int& retry_after);
  void Record(const std::string& key);
  // Check and record in one step (for "N per minute" limits).
  bool Take(const std::string& key, int limit, std::chrono::seconds window, int& retry_after);
  void Reset(const std::string& key);

 private:
  void Prune(Clock::time_point now);
  bool enabled_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> events_;
  Clock::time_point last_prune_ = Clock::now();
};

}  // namespace jack::http
