#pragma once

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

}  // namespace jack::outbound
