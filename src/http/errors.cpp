#include "http/errors.hpp"

#include <boost/json.hpp>

namespace jack::http {
namespace json = boost::json;

int StatusFor(Errc e) {
  switch (e) {
    case Errc::invalid_argument:
      return 400;
    case Errc::unauthorized:
      return 401;
    case Errc::forbidden:
      return 403;
    case Errc::not_found:
      return 404;
    case Errc::conflict:
      return 409;
    case Errc::payload_too_large:
      return 413;
    case Errc::rate_limited:
      return 429;
    case Errc::unavailable:
      return 503;
    case Errc::internal:
      return 500;
  }
  return 500;
}

const char* CodeFor(Errc e) {
  switch (e) {
    case Errc::invalid_argument:
      return "VALIDATION_ERROR";
    case Errc::unauthorized:
      return "UNAUTHORIZED";
    case Errc::forbidden:
      return "FORBIDDEN";
    case Errc::not_found:
      return "NOT_FOUND";
    case Errc::conflict:
      return "CONFLICT";
    case Errc::payload_too_large:
      return "PAYLOAD_TOO_LARGE";
    case Errc::rate_limited:
      return "RATE_LIMITED";
    case Errc::unavailable:
      return "UNAVAILABLE";
    case Errc::internal:
      return "INTERNAL_ERROR";
  }
  return "INTERNAL_ERROR";
}

Response ErrorResponse(const Error& e) {
  json::object details;
  if (!e.fields.empty()) {
    json::array errors;
    for (const auto& f : e.fields)
      errors.push_back(json::object{{"path", f.path}, {"message", f.message}});
    details["errors"] = std::move(errors);
  }
  for (const auto& [k, v] : e.details) details[k] = v;
  // Internal errors never leak their cause to the client (logged by the server instead).
  std::string message = e.code == Errc::internal ? "internal error" : e.message;
  json::object body{
      {"error",
       json::object{{"code", CodeFor(e.code)}, {"message", message}, {"details", details}}}};
  Response r;
  r.status = StatusFor(e.code);
  r.body = json::serialize(body);
  if (e.code == Errc::rate_limited) {
    details["retryAfter"] = e.retry_after_seconds;
    body["error"].as_object()["details"] = details;
    r.body = json::serialize(body);
    r.headers.emplace_back("Retry-After", std::to_string(std::max(1, e.retry_after_seconds)));
  }
  return r;
}

Response EdgeError(int status, const std::string& code, const std::string& message) {
  json::object body{
      {"error", json::object{{"code", code}, {"message", message}, {"details", json::object()}}}};
  Response r;
  r.status = status;
  r.body = json::serialize(body);
  return r;
}

}  // namespace jack::http
