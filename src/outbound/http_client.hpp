#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace jack::outbound {

struct HttpResponse {
  long status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names
};

// The one blocking HTTP client (libcurl) for providers, channels and tools. Call it off the
// io and db threads. Errors: unavailable for connection failures and time-outs.
Result<HttpResponse> Fetch(const std::string& method, const std::string& url,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           const std::string& body, long timeout_ms);

// Retries for provider calls: a connection failure, a time-out, 429 or 5xx is tried again
// after a back-off (doubling from `backoff`, or the server's Retry-After in seconds when it
// says so), as long as `attempts` and the `budget` (the whole call, waits included) allow;
// every attempt's time-out is what remains of the budget. Other statuses are answers.
struct RetryPolicy {
  int attempts = 3;
  std::chrono::milliseconds backoff{250};
  std::chrono::milliseconds budget{30000};
};
// The last answer (possibly a 429 or 5xx, when the attempts ran out) or the last error.
Result<HttpResponse> FetchWithRetry(const std::string& method, const std::string& url,
                                    const std::vector<std::pair<std::string, std::string>>& headers,
                                    const std::string& body, const RetryPolicy& policy);
// The value of a header (names lower-case), or "".
std::string HeaderValue(const HttpResponse& r, std::string_view name);

}  // namespace jack::outbound
