#include "http/rate_limiter.hpp"

namespace jack::http {

namespace {
constexpr auto kMaxWindow = std::chrono::minutes(15);
}

void RateLimiter::Prune(Clock::time_point now) {
  if (now - last_prune_ < std::chrono::seconds(60) && events_.size() < 100000) return;
  last_prune_ = now;
  for (auto it = events_.begin(); it != events_.end();) {
    if (it->second.empty() || now - it->second.back() > kMaxWindow)
      it = events_.erase(it);
    else
      ++it;
  }
}

bool RateLimiter::Check(const std::string& key, int limit, std::chrono::seconds window,
                        int& retry_after) {
  if (!enabled_) return true;
  std::lock_guard lock(mu_);
  auto now = Clock::now();
  auto it = events_.find(key);
  if (it == events_.end()) return true;
  auto& q = it->second;
  while (!q.empty() && now - q.front() >= window) q.pop_front();
  if (static_cast<int>(q.size()) < limit) return true;
  auto wait = std::chrono::duration_cast<std::chrono::seconds>(q.front() + window - now);
  retry_after = static_cast<int>(std::max<int64_t>(1, wait.count() + 1));
  return false;
}

void RateLimiter::Record(const std::string& key) {
  if (!enabled_) return;
  std::lock_guard lock(mu_);
  auto now = Clock::now();
  Prune(now);
  auto& q = events_[key];
  q.push_back(now);
  while (q.size() > 1000) q.pop_front();
}

bool RateLimiter::Take(const std::string& key, int limit, std::chrono::seconds window,
                       int& retry_after) {
  if (!Check(key, limit, window, retry_after)) return false;
  Record(key);
  return true;
}

void RateLimiter::Reset(const std::string& key) {
  std::lock_guard lock(mu_);
  events_.erase(key);
}

}  // namespace jack::http
