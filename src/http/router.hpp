#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/request.hpp"

namespace jack::http {

using Handler = std::function<void(Request&, Done)>;

// What the OpenAPI document says of a route (openapi.cpp); schema names refer to its
// components.
struct RouteDoc {
  std::string summary;
  std::string tag;
  std::string auth = "staff";      // staff (Bearer access token), webchat (session token), none
  std::string permission;          // the staff permission it checks ("" any staff member)
  std::vector<std::string> query;  // query parameters (see openapi.cpp for their schemas)
  std::string body;                // request body schema, "" for none
  std::string response;            // "Name", "List:Name", "" for no body
  int status = 200;                // success status
  int also_status = 0;             // a second success status with the same body (201 / 200)
  std::vector<int> errors;         // further documented error statuses
  bool idempotent = false;         // honours Idempotency-Key
  std::string content_type = "application/json";  // of the response
};

// Routes "METHOD /path/{param}/..." patterns. Unknown paths are 404; known paths with another
// method are 405 (with Allow). The first route that matches wins.
class Router {
 public:
  void Add(const std::string& method, const std::string& pattern, Handler h, RouteDoc doc = {});
  enum class Match { found, no_path, no_method };
  Match Find(Request& req, Handler*& out, std::string& allow);
  struct Entry {
    std::string method, pattern;
    RouteDoc doc;
  };
  // Every route with its description, in registration order.
  std::vector<Entry> Routes() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> parts;
    Handler handler;
    RouteDoc doc;
  };
  std::vector<Route> routes_;
};

}  // namespace jack::http
