#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace jack::http {

// Process counters for GET /metrics (Prometheus text format 0.0.4). Lock-free: every request
// adds to them from the io thread, the scrape reads them from any thread.
struct Metrics {
  // Request latency buckets, in seconds, as Prometheus' default-like ladder.
  static constexpr std::array<double, 11> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0};
  std::array<std::atomic<uint64_t>, 6> by_class{};                   // 1xx..5xx by index 1..5
  std::array<std::atomic<uint64_t>, kBuckets.size() + 1> latency{};  // last: +Inf
  std::atomic<uint64_t> latency_micros_sum{0};
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> guest_messages{0};   // web-chat messages processed
  std::atomic<uint64_t> rate_limited{0};     // 429 answers
  std::atomic<int64_t> websockets{0};        // open sockets
  std::atomic<uint64_t> websocket_drops{0};  // closed for a full queue

  void Observe(int status, double seconds);
  // The exposition text; `extra` is appended as is (gauges read from the database).
  std::string Render(const std::string& extra) const;
};

}  // namespace jack::http
