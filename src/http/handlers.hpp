#pragma once

#include <functional>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/monotonic_resource.hpp>

#include "ai/embedding.hpp"
#include "db/records.hpp"
#include "domain/context.hpp"
#include "http/json_mapping.hpp"
#include "http/request.hpp"
#include "http/router.hpp"
#include "http/state.hpp"

namespace jack::http {

// Every route of the server, with its OpenAPI description (openapi.cpp builds the document
// from the router, so that the two cannot drift apart).
void RegisterRoutes(Router& router, AppState& state);
// The route groups, one per handler file.
void RegisterAuthRoutes(Router& router, AppState& state);
void RegisterConversationRoutes(Router& router, AppState& state);
void RegisterGuestRoutes(Router& router, AppState& state);
void RegisterTaskRoutes(Router& router, AppState& state);
void RegisterAdminRoutes(Router& router, AppState& state);
void RegisterWebchatRoutes(Router& router, AppState& state);
// GET /api/v1/openapi.json, built from `router` on first use (register it last).
void RegisterOpenApi(Router& router);

// ---- shared by the handler files ----

Response Json(int status, const boost::json::value& v);
Response NoContent();
// Returned by a handler that answers later through the Done it kept (a hop to another worker,
// as for a bcrypt hash): OnDb then sends nothing.
Response Deferred();
// A list page: {"items": [...], "nextCursor": "..." | null}, built in the items' storage.
// One arena serves a whole page: its items are bump-allocated and freed together.
Response Page(boost::json::array items, std::optional<std::string> next_cursor);
struct Arena {
  unsigned char first[32 * 1024];
  boost::json::monotonic_resource resource{first, sizeof first};
  boost::json::storage_ptr sp{&resource};
  boost::json::array Array(size_t reserve) {
    boost::json::array a(sp);
    a.reserve(reserve);
    return a;
  }
};

// The authenticated staff member of a request.
struct StaffCtx {
  db::StaffRow staff;
  std::string session_id;
  Redaction redaction;
  domain::Actor actor;
  bool Can(std::string_view permission) const;
};

using StaffFn = std::function<Response(domain::Ctx&, const StaffCtx&)>;
using StaffReqFn = std::function<Response(domain::Ctx&, const StaffCtx&, const Request&)>;

// Verifies the bearer token (on the calling thread), then on the db thread loads the staff
// member and the token's login session, checks `permission` (empty: any authenticated staff)
// and runs `fn`. 401 for a missing or bad token, a closed session or an inactive account;
// 403 naming the permission.
void WithStaff(AppState& s, const Request& req, std::string permission, Done done, StaffFn fn);
// The same on a read connection (no writes: the reader pool, or the db thread without one).
void WithStaffRead(AppState& s, const Request& req, std::string permission, Done done, StaffFn fn);
// For writes: the request (with its body) goes to `fn`, which reads the body only after the
// token and the permission passed, so that a caller without them learns nothing of the body
// rules (401/403 before 400). With `idempotent`, an Idempotency-Key header makes a retry
// return the first answer and do nothing again (api.md, Conventions); the key is recorded
// in the transaction of the write.
void WithStaffRequest(AppState& s, Request& req, std::string permission, Done done, StaffReqFn fn,
                      bool idempotent = false);

// The error response for a body error (415 for a wrong Content-Type, else api.md's mapping).
Response BodyError(const Error& e);

// Runs `fn` on the db thread with a service context and answers with its response; events
// the services raised are published to the sockets when the response is a success.
void OnDb(AppState& s, Done done, std::function<Response(domain::Ctx&)> fn);

// Requires a JSON body (415 when Content-Type says otherwise, 400 when malformed).
Result<boost::json::object> JsonBody(const Request& req, bool allow_empty = false);

// Cursor helpers: an opaque token of the last item's sort key and id.
std::string EncodeCursor(const std::string& key, const std::string& id);
Result<std::pair<std::string, std::string>> DecodeCursor(const std::string& cursor);

// The idempotency scope of a caller and its key handling, shared with the web chat.
// Returns the stored answer for a repeat, a 409 for a key reused with another request, or
// nullopt when `run` should go ahead; then `Remember` records its answer.
std::optional<Response> IdempotentReplay(domain::Ctx& ctx, const Request& req,
                                         const std::string& scope);
void Remember(domain::Ctx& ctx, const Request& req, const std::string& scope, const Response& r);

// Closes the staff sockets whose login session ended or whose member's permissions changed
// since they opened (the jobs tick runs it; logout and staff changes close theirs at once).
void RecheckStaffSockets(AppState& s);
// Brings the knowledge index in line with the embedding provider without blocking the db
// thread: the chunks are listed there, embedded on a provider thread (a remote provider may
// take minutes) and written there; rounds repeat while entries written meanwhile wait.
// `force` re-embeds everything. `then` runs on the db thread with the totals or the error.
// Runs may overlap (a request's and the background's): a chunk given a vector by one is
// skipped by the other.
// `pending_only`: when the provider changed (a rebuild is due) nothing is done here; the
// background run rebuilds.
void SyncKnowledgeIndexAsync(AppState& s, bool force,
                             std::function<void(Result<ai::IndexSyncReport>)> then,
                             bool pending_only = false);
// True when the request carries an access token that verifies (signature and expiry only:
// no database). Used before work that costs money, such as a remote embedding.
bool HasValidBearer(AppState& s, const Request& req);

// Web chat, shared with the guest WebSocket (ws.cpp): processes one guest message of the
// session whose token is `token`, as POST /webchat/messages does.
void WebchatSend(AppState& s, const std::string& token, const std::string& content, Done done);
// The web-chat session of a token, for the guest socket's handshake: its id, or 401.
void WebchatSessionOf(AppState& s, const std::string& token,
                      std::function<void(Result<std::string>)> done);

}  // namespace jack::http
