// GET /api/v1/openapi.json: the OpenAPI 3.1 document, built from the router's own route table
// (so that a route cannot exist without its description) and the component schemas kept in
// src/http/openapi/schemas.json (embedded).
#include <boost/json.hpp>
#include <map>
#include <mutex>

#include "core/resources.hpp"
#include "http/handlers.hpp"

namespace jack::http {
namespace json = boost::json;

namespace {

// The schema of each query parameter name used by the routes.
json::object QuerySchema(const std::string& name) {
  static const std::map<std::string, std::pair<json::object, const char*>> known = {
      {"limit",
       {{{"type", "integer"}, {"minimum", 1}, {"maximum", 200}, {"default", 50}}, "page size"}},
      {"cursor", {{{"type", "string"}}, "the nextCursor of the previous page"}},
      {"state",
       {{{"type", "string"},
         {"enum", json::array{"new", "active", "escalated", "resolved", "abandoned"}}},
        "conversation state"}},
      {"assignedTo",
       {{{"type", "string"}}, "a staff id, \"me\", or (conversations) \"none\" for unassigned"}},
      {"channel",
       {{{"type", "string"}, {"enum", json::array{"whatsapp", "sms", "email", "webchat"}}},
        "channel type"}},
      {"guestId", {{{"type", "string"}}, "guest id"}},
      {"since", {{{"type", "string"}, {"format", "date-time"}}, "last activity at or after"}},
      {"q", {{{"type", "string"}, {"maxLength", 500}}, "search text"}},
      {"sort",
       {{{"type", "string"}, {"enum", json::array{"urgency", "recent"}}, {"default", "urgency"}},
        "urgency: escalated first, then the oldest unanswered guest message"}},
      {"after", {{{"type", "string"}}, "messages after this message id"}},
      {"before", {{{"type", "string"}}, "messages before this message id"}},
      {"email", {{{"type", "string"}}, "exact email (needs guest.view_contact)"}},
      {"phone", {{{"type", "string"}}, "exact phone (needs guest.view_contact)"}},
      {"roomNumber", {{{"type", "string"}}, "room number"}},
      {"status", {{{"type", "string"}}, "status"}},
      {"arrivalFrom", {{{"type", "string"}, {"format", "date"}}, "arrival on or after"}},
      {"arrivalTo", {{{"type", "string"}, {"format", "date"}}, "arrival on or before"}},
      {"department", {{{"type", "string"}}, "department"}},
      {"priority",
       {{{"type", "string"}, {"enum", json::array{"urgent", "high", "standard", "low"}}},
        "priority"}},
      {"conversationId", {{{"type", "string"}}, "conversation id"}},
      {"category", {{{"type", "string"}}, "knowledge category"}},
      {"role", {{{"type", "string"}}, "staff role"}},
      {"action", {{{"type", "string"}}, "audit action"}},
      {"actorId", {{{"type", "string"}}, "audit actor id"}},
      {"resourceType", {{{"type", "string"}}, "audit resource type"}},
      {"resourceId", {{{"type", "string"}}, "audit resource id"}},
      {"from", {{{"type", "string"}, {"format", "date"}}, "first hotel day (inclusive)"}},
      {"to", {{{"type", "string"}, {"format", "date"}}, "last hotel day (inclusive)"}},
  };
  auto it = known.find(name);
  json::object p{{"name", name}, {"in", "query"}, {"required", false}};
  p["schema"] = it != known.end() ? it->second.first : json::object{{"type", "string"}};
  if (it != known.end()) p["description"] = it->second.second;
  return p;
}

const char* StatusText(int s) {
  switch (s) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "VALIDATION_ERROR: a bad field (details.errors) or a body that is not JSON";
    case 401:
      return "UNAUTHORIZED: a missing, bad or expired token";
    case 403:
      return "FORBIDDEN: the token lacks the permission (details.permission)";
    case 404:
      return "NOT_FOUND";
    case 409:
      return "CONFLICT: the state does not allow it, a duplicate, or an Idempotency-Key reused";
    case 413:
      return "PAYLOAD_TOO_LARGE";
    case 415:
      return "UNSUPPORTED_MEDIA_TYPE";
    case 431:
      return "HEADERS_TOO_LARGE";
    case 429:
      return "RATE_LIMITED (Retry-After)";
    case 500:
      return "INTERNAL_ERROR";
    case 503:
      return "UNAVAILABLE";
  }
  return "response";
}

// allOf [{"$ref": base}] + own properties as one flat, closed schema, so that strict
// validators accept the extra properties of the derived shape.
void FlattenAllOf(json::object& schemas) {
  for (auto& kv : schemas) {
    auto& s = kv.value().as_object();
    auto* all = s.if_contains("allOf");
    if (!all) continue;
    json::object merged;
    json::array required;
    json::object props;
    for (const auto& part : all->as_array()) {
      const auto& ref = part.as_object().at("$ref").as_string();
      std::string name(ref.subview().substr(ref.subview().rfind('/') + 1));
      const auto& base = schemas.at(name).as_object();
      if (auto* p = base.if_contains("properties"))
        for (const auto& pp : p->as_object()) props[pp.key()] = pp.value();
      if (auto* r = base.if_contains("required"))
        for (const auto& rr : r->as_array()) required.push_back(rr);
      if (auto* a = base.if_contains("additionalProperties")) merged["additionalProperties"] = *a;
    }
    if (auto* p = s.if_contains("properties"))
      for (const auto& pp : p->as_object()) props[pp.key()] = pp.value();
    if (auto* r = s.if_contains("required"))
      for (const auto& rr : r->as_array()) required.push_back(rr);
    merged["type"] = "object";
    merged["required"] = required;
    merged["properties"] = props;
    if (auto* d = s.if_contains("description")) merged["description"] = *d;
    s = std::move(merged);
  }
}

json::object Ref(const std::string& name) {
  return json::object{{"$ref", "#/components/schemas/" + name}};
}

json::object ResponseSchema(const std::string& response) {
  if (response.rfind("List:", 0) == 0)
    return json::object{
        {"type", "object"},
        {"additionalProperties", false},
        {"required", json::array{"items", "nextCursor"}},
        {"properties",
         json::object{
             {"items", json::object{{"type", "array"}, {"items", Ref(response.substr(5))}}},
             {"nextCursor", json::object{{"type", json::array{"string", "null"}}}}}}};
  return Ref(response);
}

json::object Build(const Router& router) {
  json::object schemas = json::parse(*core::FindResource("openapi/schemas.json")).as_object();
  FlattenAllOf(schemas);
  json::object paths;
  for (const auto& r : router.Routes()) {
    const RouteDoc& d = r.doc;
    json::object op{{"summary", d.summary},
                    {"operationId", r.method + " " + r.pattern},
                    {"tags", json::array{json::string(d.tag)}}};
    json::array params;
    size_t pos = 0;
    while ((pos = r.pattern.find('{', pos)) != std::string::npos) {
      auto end = r.pattern.find('}', pos);
      params.push_back(json::object{{"name", r.pattern.substr(pos + 1, end - pos - 1)},
                                    {"in", "path"},
                                    {"required", true},
                                    {"schema", json::object{{"type", "string"}}}});
      pos = end;
    }
    for (const auto& q : d.query) params.push_back(QuerySchema(q));
    if (d.idempotent)
      params.push_back(
          json::object{{"name", "Idempotency-Key"},
                       {"in", "header"},
                       {"required", false},
                       {"description",
                        "a retry with the same key and request within 24 h returns the first "
                        "answer and does nothing again; another request with it is 409"},
                       {"schema", json::object{{"type", "string"}, {"maxLength", 255}}}});
    if (!params.empty()) op["parameters"] = params;
    if (!d.body.empty()) {
      json::object content{{"application/json", json::object{{"schema", Ref(d.body)}}}};
      if (d.body == "ReservationImport")
        content["text/csv"] = json::object{{"schema", json::object{{"type", "string"}}}};
      op["requestBody"] = json::object{{"required", true}, {"content", content}};
    }
    json::object responses;
    json::object ok{{"description", StatusText(d.status)}};
    if (!d.response.empty())
      ok["content"] =
          json::object{{d.content_type, json::object{{"schema", ResponseSchema(d.response)}}}};
    else if (d.content_type != "application/json")
      ok["content"] = json::object{
          {d.content_type, json::object{{"schema", json::object{{"type", "string"}}}}}};
    responses[std::to_string(d.status)] = ok;
    if (d.also_status) {
      json::object also = ok;
      also["description"] = StatusText(d.also_status);
      responses[std::to_string(d.also_status)] = also;
    }
    std::vector<int> errors = d.errors;
    // The edge answers these for any route: a body over the route's limit, headers over 16 kB.
    if (!d.body.empty()) errors.push_back(413);
    errors.push_back(431);
    if (d.auth == "staff") errors.insert(errors.end(), {401, 403});
    if (d.auth == "webchat") errors.push_back(401);
    errors.push_back(500);
    for (int e : errors)
      responses[std::to_string(e)] = json::object{
          {"description", StatusText(e)},
          {"content", json::object{{"application/json", json::object{{"schema", Ref("Error")}}}}}};
    op["responses"] = responses;
    if (d.auth == "staff") op["security"] = json::array{json::object{{"staff", json::array{}}}};
    if (d.auth == "webchat")
      op["security"] = json::array{json::object{{"webchatSession", json::array{}}}};
    if (d.auth == "none") op["security"] = json::array{};
    if (!d.permission.empty()) op["x-permission"] = d.permission;
    std::string method = r.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& path = paths[r.pattern];
    if (!path.is_object()) path = json::object();
    path.as_object()[method] = op;
  }
  // The WebSockets (upgraded before routing).
  for (const auto& [path, summary] : std::vector<std::pair<std::string, std::string>>{
           {"/ws",
            "Staff events: message.created, conversation.updated, conversation.escalated, "
            "task.created, task.updated as {type, data, at}, filtered by permission and "
            "redacted; token = access token"},
           {"/ws/chat",
            "The guest's conversation live: send {type: \"message\", content}; "
            "receive {type: \"message\", message} and {type: \"error\", error}; "
            "token = web-chat session token"}}) {
    paths[path] = json::object{
        {"get",
         json::object{{"summary", summary},
                      {"operationId", "WS " + path},
                      {"tags", json::array{"websocket"}},
                      {"security", json::array{}},
                      {"parameters", json::array{json::object{
                                         {"name", "token"},
                                         {"in", "query"},
                                         {"required", true},
                                         {"schema", json::object{{"type", "string"}}}}}},
                      {"responses",
                       json::object{{"101", json::object{{"description", "Switching Protocols"}}},
                                    {"401", json::object{{"description", StatusText(401)}}},
                                    {"429", json::object{{"description", StatusText(429)}}}}}}}};
  }
  return json::object{
      {"openapi", "3.1.0"},
      {"info",
       json::object{{"title", "Jack: the hotel concierge API"},
                    {"version", "1"},
                    {"description",
                     "Staff API, public web chat and operations. Errors are {error: {code, "
                     "message, details}}; lists are {items, nextCursor}; times are ISO 8601 "
                     "UTC with milliseconds."}}},
      {"servers", json::array{json::object{{"url", "/"}}}},
      {"paths", paths},
      {"components",
       json::object{
           {"schemas", schemas},
           {"securitySchemes",
            json::object{
                {"staff",
                 json::object{{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}},
                {"webchatSession", json::object{{"type", "http"}, {"scheme", "bearer"}}}}}}}};
}

}  // namespace

void RegisterOpenApi(Router& r) {
  const Router* router = &r;
  // Built on first use, when every route is registered.
  auto cache = std::make_shared<std::pair<std::once_flag, std::string>>();
  r.Add("GET", "/api/v1/openapi.json",
        [router, cache](Request&, Done done) {
          std::call_once(cache->first, [&] { cache->second = json::serialize(Build(*router)); });
          Response resp;
          resp.body = cache->second;
          done(std::move(resp));
        },
        {.summary = "This document", .tag = "operations", .auth = "none", .response = ""});
}

}  // namespace jack::http
