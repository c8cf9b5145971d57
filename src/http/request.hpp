#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace jack::http {

// Our own view of an HTTP request and response, so that handlers need no Beast: the server
// converts at the edge.
struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // raw path without the query (path parameters are decoded)
  std::map<std::string, std::string> query;    // decoded; last value wins
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_ip;
  std::string request_id;
  std::map<std::string, std::string> params;  // path parameters from the router
  // A bad query parameter found before the caller is known: answered (400) only after the
  // token and the permission passed, so that 401/403 come first (as for bodies).
  std::optional<Error> rejected;
  void Reject(Error e) {
    if (!rejected) rejected = std::move(e);
  }

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::optional<std::string> Query(const std::string& name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

using Done = std::function<void(Response)>;

// Percent-decoding of a URL component ('+' as space when `plus_space`); false on bad escapes.
bool UrlDecode(std::string_view in, std::string& out, bool plus_space);
// Splits "a=1&b=2" into a map; false on a bad escape.
bool ParseQuery(std::string_view q, std::map<std::string, std::string>& out);

}  // namespace jack::http
