#pragma once

#include <functional>
#include <string>

#include "db/records.hpp"
#include "domain/context.hpp"
#include "http/json_mapping.hpp"
#include "http/request.hpp"
#include "http/router.hpp"
#include "http/state.hpp"

namespace jack::http {

void RegisterRoutes(Router& router, AppState& state);
void RegisterWebchatRoutes(Router& router, AppState& state);

// ---- shared by the handler files ----

Response Json(int status, const boost::json::value& v);
Response NoContent();

// The authenticated staff member of a request.
struct StaffCtx {
  db::StaffRow staff;
  std::string session_id;
  Redaction redaction;
  domain::Actor actor;
  bool Can(std::string_view permission) const;
};

using StaffFn = std::function<Response(domain::Ctx&, const StaffCtx&)>;
// Verifies the bearer token (on the calling thread), then on the db thread loads the staff
// member, checks `permission` (empty: any authenticated staff) and runs `fn`. 401 for a
// missing or bad token or an inactive account; 403 naming the permission.
void WithStaff(AppState& s, const Request& req, std::string permission, Done done, StaffFn fn);

// For writes: like WithStaff, and the request (with its body) is handed to `fn`, which reads
// the body only after the token and the permission passed, so that a caller without them
// learns nothing of the body rules (401/403 before 400).
using StaffReqFn = std::function<Response(domain::Ctx&, const StaffCtx&, const Request&)>;
void WithStaffRequest(AppState& s, Request& req, std::string permission, Done done, StaffReqFn fn);

// The error response for a body error (415 for a wrong Content-Type, else api.md's mapping).
Response BodyError(const Error& e);

// Runs `fn` on the db thread with a service context and answers with its response; a
// Result error becomes the api.md error body.
void OnDb(AppState& s, Done done, std::function<Response(domain::Ctx&)> fn);

// Requires a JSON body (415 when Content-Type says otherwise, 400 when malformed).
Result<boost::json::object> JsonBody(const Request& req, bool allow_empty = false);

}  // namespace jack::http
