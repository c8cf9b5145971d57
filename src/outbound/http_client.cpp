#include "outbound/http_client.hpp"

#include <curl/curl.h>

#include <cctype>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace jack::outbound {
namespace {

// Answers larger than this are cut off (an error): no provider sends that much.
constexpr size_t kMaxBody = 16 * 1024 * 1024;

size_t OnBody(char* ptr, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() + size * n > kMaxBody) return 0;  // curl stops with CURLE_WRITE_ERROR
  body->append(ptr, size * n);
  return size * n;
}

size_t OnHeader(char* ptr, size_t size, size_t n, void* user) {
  std::string line(ptr, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(value.begin());
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    static_cast<HttpResponse*>(user)->headers.emplace_back(name, value);
  }
  return size * n;
}

}  // namespace

Result<HttpResponse> Fetch(const std::string& method, const std::string& url,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           const std::string& body, long timeout_ms) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* c = curl_easy_init();
  if (!c) return Error::Internal("curl_easy_init failed");
  HttpResponse out;
  curl_slist* hs = nullptr;
  for (const auto& [k, v] : headers) hs = curl_slist_append(hs, (k + ": " + v).c_str());
  // No "Expect: 100-continue" round trip before a body.
  hs = curl_slist_append(hs, "Expect:");
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  // Only plain and TLS HTTP, and no redirects: a provider's URL is configured, never followed
  // elsewhere.
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &out);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  curl_slist_free_all(hs);
  curl_easy_cleanup(c);
  if (rc != CURLE_OK)
    return Error::Unavailable(std::string("HTTP request failed: ") + curl_easy_strerror(rc));
  return out;
}

std::string HeaderValue(const HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

Result<HttpResponse> FetchWithRetry(const std::string& method, const std::string& url,
                                    const std::vector<std::pair<std::string, std::string>>& headers,
                                    const std::string& body, const RetryPolicy& policy) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + policy.budget;
  auto backoff = policy.backoff;
  Result<HttpResponse> last = Error::Unavailable("no attempt made");
  for (int attempt = 1; attempt <= std::max(1, policy.attempts); ++attempt) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    if (left.count() <= 0) break;
    last = Fetch(method, url, headers, body, static_cast<long>(left.count()));
    bool retry = !last || last->status == 429 || last->status >= 500;
    if (!retry || attempt == policy.attempts) break;
    auto wait = backoff;
    if (last) {
      // Retry-After in seconds (the HTTP-date form is not used by these providers).
      std::string ra = HeaderValue(*last, "retry-after");
      if (!ra.empty() && std::isdigit(static_cast<unsigned char>(ra[0])))
        wait = std::chrono::milliseconds(std::min(60000L, std::atol(ra.c_str()) * 1000L));
    }
    left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    if (wait >= left) break;  // no time left for another try
    std::this_thread::sleep_for(wait);
    backoff *= 2;
  }
  return last;
}

}  // namespace jack::outbound
