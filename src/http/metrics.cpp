#include "http/metrics.hpp"

#include <cstdio>

namespace jack::http {

void Metrics::Observe(int status, double seconds) {
  int cls = status / 100;
  if (cls >= 1 && cls <= 5) by_class[static_cast<size_t>(cls)].fetch_add(1);
  size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  latency[i].fetch_add(1);
  latency_micros_sum.fetch_add(static_cast<uint64_t>(seconds * 1e6));
  requests.fetch_add(1);
  if (status == 429) rate_limited.fetch_add(1);
}

std::string Metrics::Render(const std::string& extra) const {
  std::string out;
  char line[256];
  out += "# HELP jack_http_requests_total HTTP requests answered, by status class.\n";
  out += "# TYPE jack_http_requests_total counter\n";
  for (int c = 1; c <= 5; ++c) {
    std::snprintf(line, sizeof line, "jack_http_requests_total{class=\"%dxx\"} %llu\n", c,
                  static_cast<unsigned long long>(by_class[static_cast<size_t>(c)].load()));
    out += line;
  }
  out += "# HELP jack_http_request_duration_seconds Time from a request read to its answer.\n";
  out += "# TYPE jack_http_request_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= kBuckets.size(); ++i) {
    cumulative += latency[i].load();
    if (i < kBuckets.size())
      std::snprintf(line, sizeof line,
                    "jack_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", kBuckets[i],
                    static_cast<unsigned long long>(cumulative));
    else
      std::snprintf(line, sizeof line,
                    "jack_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                    static_cast<unsigned long long>(cumulative));
    out += line;
  }
  std::snprintf(line, sizeof line, "jack_http_request_duration_seconds_sum %.6f\n",
                static_cast<double>(latency_micros_sum.load()) / 1e6);
  out += line;
  std::snprintf(line, sizeof line, "jack_http_request_duration_seconds_count %llu\n",
                static_cast<unsigned long long>(requests.load()));
  out += line;
  auto counter = [&](const char* name, const char* help, uint64_t v) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n";
    std::snprintf(line, sizeof line, "%s %llu\n", name, static_cast<unsigned long long>(v));
    out += line;
  };
  counter("jack_guest_messages_total", "Guest messages taken in (web chat).",
          guest_messages.load());
  counter("jack_rate_limited_total", "Requests refused by a rate limit.", rate_limited.load());
  counter("jack_websocket_dropped_total", "Sockets closed because their queue was full.",
          websocket_drops.load());
  out += "# HELP jack_websockets Open WebSocket connections.\n# TYPE jack_websockets gauge\n";
  std::snprintf(line, sizeof line, "jack_websockets %lld\n",
                static_cast<long long>(websockets.load()));
  out += line;
  out += extra;
  return out;
}

}  // namespace jack::http
