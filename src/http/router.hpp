#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/request.hpp"

namespace jack::http {

using Handler = std::function<void(Request&, Done)>;

// Routes "METHOD /path/{param}/..." patterns. Unknown paths are 404; known paths with another
// method are 405 (with Allow).
class Router {
 public:
  void Add(const std::string& method, const std::string& pattern, Handler h);
  enum class Match { found, no_path, no_method };
  Match Find(Request& req, Handler*& out, std::string& allow);
  // Every (method, pattern), for the OpenAPI check.
  std::vector<std::pair<std::string, std::string>> Routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> parts;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace jack::http
