#include "http/handlers.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/hash.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "db/migrations.hpp"
#include "db/queries.hpp"
#include "db/repositories.hpp"
#include "db/sessions.hpp"
#include "domain/passwords.hpp"
#include "domain/permissions.hpp"
#include "domain/sessions.hpp"
#include "domain/tokens.hpp"
#include "http/errors.hpp"

namespace jack::http {
namespace json = boost::json;
using domain::Ctx;

Response Json(int status, const json::value& v) {
  Response r;
  r.status = status;
  r.body = json::serialize(v);
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response Deferred() {
  Response r;
  r.status = 0;
  return r;
}

Response Page(json::array items, std::optional<std::string> next) {
  json::object o(items.storage());
  o["items"] = std::move(items);
  o["nextCursor"] = next ? json::value(json::string(*next)) : json::value(nullptr);
  return Json(200, o);
}

std::string EncodeCursor(const std::string& key, const std::string& id) {
  return core::Base64UrlEncode(key + "\n" + id);
}

Result<std::pair<std::string, std::string>> DecodeCursor(const std::string& cursor) {
  std::string raw;
  if (cursor.size() > 512 || !core::Base64UrlDecode(cursor, raw))
    return Error::Invalid("is not a cursor this server gave", "cursor");
  auto nl = raw.find('\n');
  if (nl == std::string::npos || !core::IsValidUtf8(raw))
    return Error::Invalid("is not a cursor this server gave", "cursor");
  return std::make_pair(raw.substr(0, nl), raw.substr(nl + 1));
}

void AppState::SetCorsOrigins(const std::string& setting) {
  auto list = std::make_shared<std::vector<std::string>>();
  for (const auto& o : core::Split(setting, ','))
    if (!core::Trim(o).empty()) list->emplace_back(core::Trim(o));
  std::lock_guard lock(cors_mu_);
  cors_ = std::move(list);
}

bool StaffCtx::Can(std::string_view p) const {
  return domain::HasPermission(staff.role, staff.permissions, p);
}

namespace {

// Runs `fn`, turning an escaped exception into a 500 (never a crash).
Response Guarded(const std::function<Response(Ctx&)>& fn, Ctx& ctx) {
  try {
    return fn(ctx);
  } catch (const std::exception& e) {
    core::Log(core::LogLevel::error, "handler failed", {{"error", e.what()}});
    return ErrorResponse(Error::Internal("the server failed to handle the request"));
  }
}

// The staff member behind a verified token, on the calling worker's connection.
Result<StaffCtx> LoadStaff(Ctx& ctx, const domain::AccessClaims& claims, domain::Actor actor) {
  auto bad = [] { return Error::Unauthorized("invalid or expired token"); };
  if (claims.session_id.empty()) return bad();
  JACK_TRY_ASSIGN(bool open, domain::SessionOpen(ctx, claims.session_id));
  if (!open) return bad();
  JACK_TRY_ASSIGN(auto staff, db::FindStaff(ctx.db, claims.staff_id));
  if (!staff || staff->status != "active") return bad();
  StaffCtx sc{*staff, claims.session_id, {}, std::move(actor)};
  sc.redaction.contact = sc.Can("guest.view_contact");
  sc.redaction.financial = sc.Can("guest.view_financial");
  return sc;
}

Result<domain::AccessClaims> Bearer(AppState& s, const Request& req) {
  std::string auth = req.Header("authorization");
  if (auth.size() < 8 || !core::StartsWith(core::AsciiLower(auth.substr(0, 7)), "bearer "))
    return Error::Unauthorized("missing bearer token");
  return domain::VerifyAccessToken(auth.substr(7), s.config.jwt_secret, s.clock->Now());
}

}  // namespace

void OnDb(AppState& s, Done done, std::function<Response(Ctx&)> fn) {
  s.workers.Db([&s, done = std::move(done), fn = std::move(fn)]() {
    std::vector<domain::Event> events;
    Ctx ctx{*s.db, *s.clock, &events};
    Response r = Guarded(fn, ctx);
    if (r.status == 0) return;  // Deferred(): the handler answers itself
    if (r.status < 400 && !events.empty()) s.hub.Publish(events, ctx.Now());
    done(std::move(r));
  });
}

void WithStaff(AppState& s, const Request& req, std::string permission, Done done, StaffFn fn) {
  auto claims = Bearer(s, req);
  if (!claims) return done(ErrorResponse(claims.error()));
  domain::Actor actor = domain::Actor::Staff(claims->staff_id, req.remote_ip,
                                             req.Header("user-agent").substr(0, 512));
  OnDb(s, std::move(done),
       [claims = *claims, permission = std::move(permission), fn = std::move(fn),
        actor = std::move(actor), rejected = req.rejected](Ctx& ctx) -> Response {
         auto sc = LoadStaff(ctx, claims, actor);
         if (!sc) return ErrorResponse(sc.error());
         if (!permission.empty() && !sc->Can(permission))
           return ErrorResponse(Error::Forbidden(permission));
         if (rejected) return ErrorResponse(*rejected);
         return fn(ctx, *sc);
       });
}

void WithStaffRead(AppState& s, const Request& req, std::string permission, Done done, StaffFn fn) {
  auto claims = Bearer(s, req);
  if (!claims) return done(ErrorResponse(claims.error()));
  domain::Actor actor = domain::Actor::Staff(claims->staff_id, req.remote_ip,
                                             req.Header("user-agent").substr(0, 512));
  s.workers.Read(*s.db, [&s, claims = *claims, permission = std::move(permission),
                         fn = std::move(fn), actor = std::move(actor), done = std::move(done),
                         rejected = req.rejected](db::Database& conn) {
    Ctx ctx{conn, *s.clock};
    Response r = Guarded(
        [&](Ctx& c) -> Response {
          auto sc = LoadStaff(c, claims, actor);
          if (!sc) return ErrorResponse(sc.error());
          if (!permission.empty() && !sc->Can(permission))
            return ErrorResponse(Error::Forbidden(permission));
          if (rejected) return ErrorResponse(*rejected);
          return fn(c, *sc);
        },
        ctx);
    done(std::move(r));
  });
}

namespace {

void WriteCanonical(const json::value& v, std::string& out) {
  if (v.is_object()) {
    std::vector<std::pair<std::string_view, const json::value*>> kv;
    for (const auto& e : v.as_object()) kv.emplace_back(e.key(), &e.value());
    std::sort(kv.begin(), kv.end());
    out += '{';
    for (size_t i = 0; i < kv.size(); ++i) {
      if (i) out += ',';
      out += json::serialize(json::string(kv[i].first));
      out += ':';
      WriteCanonical(*kv[i].second, out);
    }
    out += '}';
  } else if (v.is_array()) {
    out += '[';
    for (size_t i = 0; i < v.as_array().size(); ++i) {
      if (i) out += ',';
      WriteCanonical(v.as_array()[i], out);
    }
    out += ']';
  } else {
    out += json::serialize(v);
  }
}

// What an Idempotency-Key is bound to: the method, the path and the body, a JSON body in a
// canonical form (keys sorted, no spaces) so that the same request sent again in another
// key order or layout is recognised.
std::string RequestHash(const Request& req) {
  boost::system::error_code ec;
  json::parse_options opt;
  opt.max_depth = 32;
  auto v = json::parse(req.body, ec, json::storage_ptr(), opt);
  std::string body;
  if (ec)
    body = req.body;
  else
    WriteCanonical(v, body);
  return core::Sha256Hex(req.method + " " + req.path + "\n" + body);
}

}  // namespace

std::optional<Response> IdempotentReplay(Ctx& ctx, const Request& req, const std::string& scope) {
  std::string key = req.Header("idempotency-key");
  if (key.empty()) return std::nullopt;
  if (key.size() > 255 || !core::IsValidUtf8(key))
    return ErrorResponse(Error::Invalid("must be at most 255 characters", "Idempotency-Key"));
  auto found = db::FindIdempotencyKey(ctx.db, scope, key);
  if (!found) return ErrorResponse(found.error());
  if (!*found) return std::nullopt;
  const std::string hash = RequestHash(req);
  const std::string cutoff = core::FormatIso(ctx.clock.Now() - std::chrono::hours(24));
  if ((*found)->created_at < cutoff) return std::nullopt;  // expired: a new request
  if ((*found)->request_hash != hash)
    return ErrorResponse(Error::Conflict("this Idempotency-Key was used with another request"));
  Response r;
  r.status = static_cast<int>((*found)->status);
  r.body = (*found)->response;
  r.headers.emplace_back("Idempotent-Replayed", "true");
  if (r.status == 204) r.content_type.clear();
  return r;
}

void Remember(Ctx& ctx, const Request& req, const std::string& scope, const Response& r) {
  std::string key = req.Header("idempotency-key");
  if (key.empty() || r.status >= 500) return;
  db::IdempotencyRow row;
  row.scope = scope;
  row.key = key;
  row.request_hash = RequestHash(req);
  row.status = r.status;
  row.response = r.body;
  row.created_at = ctx.Now();
  (void)db::PutIdempotencyKey(ctx.db, row);
}

void WithStaffRequest(AppState& s, Request& req, std::string permission, Done done, StaffReqFn fn,
                      bool idempotent) {
  auto shared = std::make_shared<Request>(std::move(req));
  WithStaff(s, *shared, std::move(permission), std::move(done),
            [shared, fn = std::move(fn), idempotent](Ctx& ctx, const StaffCtx& sc) {
              if (!idempotent || shared->Header("idempotency-key").empty())
                return fn(ctx, sc, *shared);
              // The answer and the key are written in one transaction: a crash leaves
              // neither or both, so a retry never repeats a write that happened.
              const std::string scope = "staff:" + sc.staff.id;
              db::Transaction tx(ctx.db);
              if (!tx.status()) return ErrorResponse(tx.status().error());
              if (auto replay = IdempotentReplay(ctx, *shared, scope)) return *replay;
              Response r = fn(ctx, sc, *shared);
              Remember(ctx, *shared, scope, r);
              if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
              return r;
            });
}

Response BodyError(const Error& e) {
  // 415 is an edge code without an Errc of its own.
  for (const auto& [k, v] : e.details) {
    if (k == "unsupportedMediaType") return EdgeError(415, "UNSUPPORTED_MEDIA_TYPE", e.message);
  }
  return ErrorResponse(e);
}

Result<json::object> JsonBody(const Request& req, bool allow_empty) {
  if (allow_empty && core::Trim(req.body).empty()) return json::object();
  std::string ct = core::AsciiLower(req.Header("content-type"));
  // A body must say what it is (a JSON body without a Content-Type is refused, 415).
  if (ct.find("application/json") == std::string::npos && ct.find("+json") == std::string::npos) {
    Error e{Errc::invalid_argument, "Content-Type must be application/json", {}, {}, 0};
    e.details.emplace_back("unsupportedMediaType", ct);
    return e;
  }
  return ParseBody(req.body);
}

namespace {

Response TokenResponse(const domain::TokenPair& p, const db::StaffRow& staff) {
  return Json(200, json::object{{"accessToken", p.access_token},
                                {"refreshToken", p.refresh_token},
                                {"expiresIn", domain::kAccessTokenSeconds},
                                {"tokenType", "Bearer"},
                                {"user", UserJson(staff)}});
}

// ---- auth ----
void Login(AppState& s, Request& req, Done done) {
  auto body = JsonBody(req);
  if (!body) return done(BodyError(body.error()));
  Fields f(*body);
  auto email = f.String("email", true, 254);
  auto password = f.String("password", true, 200);
  if (auto st = f.Finish(); !st) return done(BodyError(st.error()));
  std::string em = core::AsciiLower(core::Trim(*email));
  // Five failures per account and per address within 15 minutes, also for unknown emails
  // (api.md, Auth); a success clears the account's count.
  std::string addr_key = "login:addr:" + req.remote_ip;
  std::string acct_key = "login:acct:" + em;
  int retry = 0;
  if (!s.limiter.Check(addr_key, 5, std::chrono::minutes(15), retry) ||
      !s.limiter.Check(acct_key, 5, std::chrono::minutes(15), retry))
    return done(ErrorResponse(Error::RateLimited(retry)));
  domain::Actor actor =
      domain::Actor::Staff("", req.remote_ip, req.Header("user-agent").substr(0, 512));
  // Look up (db) → verify bcrypt (egress: ~185 ms at cost 12 must not stall the db thread) →
  // open the session (db).
  s.workers.Db([&s, done, addr_key, acct_key, em, pw = *password, actor]() mutable {
    auto staff = db::FindStaffByEmail(*s.db, em);
    std::optional<db::StaffRow> row;
    if (staff && *staff && (*staff)->status == "active") row = **staff;
    s.workers.Egress([&s, done, addr_key, acct_key, pw, row, actor]() mutable {
      // Unknown emails are checked against a dummy hash, so timing does not reveal accounts.
      static const std::string dummy =
          domain::HashPassword("jack-timing-equaliser", domain::BcryptCost()).value();
      bool ok = row && row->password_hash && domain::VerifyPassword(pw, *row->password_hash);
      if (!row) (void)domain::VerifyPassword(pw, dummy);
      if (!ok) {
        s.limiter.Record(addr_key);
        s.limiter.Record(acct_key);
        return done(ErrorResponse(Error::Unauthorized("invalid email or password")));
      }
      actor.id = row->id;
      OnDb(s, done, [&s, row, actor, acct_key](Ctx& ctx) {
        s.limiter.Reset(acct_key);
        auto pair = domain::StartSession(ctx, *row, actor, s.config.jwt_secret);
        if (!pair) return ErrorResponse(pair.error());
        return TokenResponse(*pair, *row);
      });
    });
  });
}

void Refresh(AppState& s, Request& req, Done done) {
  auto body = JsonBody(req);
  if (!body) return done(BodyError(body.error()));
  Fields f(*body);
  auto token = f.String("refreshToken", true, 256);
  if (auto st = f.Finish(); !st) return done(BodyError(st.error()));
  OnDb(s, std::move(done), [&s, token = *token](Ctx& ctx) {
    auto pair = domain::RefreshSession(ctx, token, s.config.jwt_secret);
    if (!pair) return ErrorResponse(pair.error());
    auto staff = db::FindStaff(ctx.db, pair->claims.staff_id);
    if (!staff || !*staff) return ErrorResponse(Error::Unauthorized("invalid refresh token"));
    return TokenResponse(*pair, **staff);
  });
}

void Logout(AppState& s, Request& req, Done done) {
  WithStaff(s, req, "", std::move(done), [&s](Ctx& ctx, const StaffCtx& sc) {
    if (auto st = domain::EndSession(ctx, sc.session_id); !st) return ErrorResponse(st.error());
    s.hub.CloseSession(sc.session_id, "logged out");
    return NoContent();
  });
}

void Me(AppState& s, Request& req, Done done) {
  WithStaffRead(s, req, "", std::move(done),
                [](Ctx&, const StaffCtx& sc) { return Json(200, UserJson(sc.staff)); });
}

// ---- operations ----
void Ready(AppState& s, Request&, Done done) {
  OnDb(s, std::move(done), [&s](Ctx& ctx) {
    if (auto st = db::CheckMigrations(ctx.db); !st)
      return ErrorResponse(Error::Unavailable(st.error().message));
    return Json(200, json::object{{"status", "ready"},
                                  {"knowledgeIndex", s.index_current ? "current" : "rebuilding"}});
  });
}

void MetricsText(AppState& s, Request&, Done done) {
  s.workers.Read(*s.db, [&s, done = std::move(done)](db::Database& conn) {
    std::string extra;
    if (auto n = db::CountConversations(conn)) {
      extra += "# HELP jack_conversations Conversations stored.\n# TYPE jack_conversations gauge\n";
      extra += "jack_conversations " + std::to_string(*n) + "\n";
    }
    if (const auto& chat = s.engine->chat) {
      // Token use is counted here, not in the audit log (data-model.md).
      const auto& u = chat->usage();
      const std::string label = "{provider=\"" + chat->provider() + "\"}";
      extra +=
          "# HELP jack_ai_calls_total Calls to the remote model.\n"
          "# TYPE jack_ai_calls_total counter\n";
      extra += "jack_ai_calls_total" + label + " " + std::to_string(u.calls.load()) + "\n";
      extra +=
          "# HELP jack_ai_failures_total Model calls that failed or timed out (the local "
          "reply was sent).\n# TYPE jack_ai_failures_total counter\n";
      extra += "jack_ai_failures_total" + label + " " + std::to_string(u.failures.load()) + "\n";
      extra +=
          "# HELP jack_ai_tokens_total Tokens the remote model read and wrote.\n"
          "# TYPE jack_ai_tokens_total counter\n";
      extra += "jack_ai_tokens_total{provider=\"" + chat->provider() + "\",direction=\"input\"} " +
               std::to_string(u.input_tokens.load()) + "\n";
      extra += "jack_ai_tokens_total{provider=\"" + chat->provider() + "\",direction=\"output\"} " +
               std::to_string(u.output_tokens.load()) + "\n";
    }
    Response r;
    r.body = s.metrics.Render(extra);
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    done(std::move(r));
  });
}

}  // namespace

namespace {

void SyncRound(AppState& s, bool force, int round, std::shared_ptr<ai::IndexSyncReport> total,
               std::function<void(Result<ai::IndexSyncReport>)> then, bool pending_only) {
  Ctx ctx{*s.db, *s.clock};
  auto plan = ai::PlanKnowledgeIndex(ctx, *s.engine->embedder, force);
  if (!plan) return then(plan.error());
  if (plan->rebuild && pending_only) return then(*total);
  // Rounds end when nothing waits; a provider that keeps failing stops the first round.
  if ((plan->chunks.empty() && !plan->rebuild) || round >= (pending_only ? 1 : 3))
    return then(*total);
  auto shared = std::make_shared<ai::IndexPlan>(std::move(*plan));
  s.workers.Provider([&s, shared, round, total, then = std::move(then), pending_only]() mutable {
    auto vectors = ai::EmbedPlan(*s.engine->embedder, *shared);
    s.workers.Db([&s, shared, round, total, then = std::move(then), pending_only,
                  vectors = std::make_shared<decltype(vectors)>(std::move(vectors))]() mutable {
      if (!*vectors) return then((*vectors).error());
      Ctx ctx{*s.db, *s.clock};
      auto r = ai::ApplyKnowledgeIndex(ctx, *s.engine->embedder, *shared, **vectors);
      if (!r) return then(r.error());
      total->rebuilt = total->rebuilt || r->rebuilt;
      total->entries += r->entries;
      total->chunks += r->chunks;
      SyncRound(s, false, round + 1, total, std::move(then), pending_only);
    });
  });
}

}  // namespace

void SyncKnowledgeIndexAsync(AppState& s, bool force,
                             std::function<void(Result<ai::IndexSyncReport>)> then,
                             bool pending_only) {
  s.workers.Db([&s, force, then = std::move(then), pending_only]() mutable {
    SyncRound(s, force, 0, std::make_shared<ai::IndexSyncReport>(), std::move(then), pending_only);
  });
}

bool HasValidBearer(AppState& s, const Request& req) { return Bearer(s, req).ok(); }

void RecheckStaffSockets(AppState& s) {
  auto sockets = s.hub.StaffSockets();
  if (sockets.empty()) return;
  s.workers.Read(*s.db, [&s, sockets = std::move(sockets)](db::Database& conn) {
    Ctx ctx{conn, *s.clock};
    for (const auto& sock : sockets) {
      auto open = domain::SessionOpen(ctx, sock->session_id);
      auto staff = db::FindStaff(conn, sock->staff_id);
      if (!open || !staff) continue;  // a read error: check again next time
      bool ok = *open && *staff && (*staff)->status == "active";
      if (ok) {
        const auto& m = **staff;
        ok = domain::HasPermission(m.role, m.permissions, "conversation.view") ==
                 sock->conversations &&
             domain::HasPermission(m.role, m.permissions, "task.view") == sock->tasks &&
             domain::HasPermission(m.role, m.permissions, "guest.view_contact") ==
                 sock->redaction.contact &&
             domain::HasPermission(m.role, m.permissions, "guest.view_financial") ==
                 sock->redaction.financial;
      }
      if (!ok) sock->Close("session or permissions changed");
    }
  });
}

void RegisterAuthRoutes(Router& r, AppState& s) {
  auto bind = [&s](void (*fn)(AppState&, Request&, Done)) {
    return [&s, fn](Request& req, Done done) { fn(s, req, std::move(done)); };
  };
  r.Add("GET", "/health",
        [](Request&, Done done) {
          Response resp;
          resp.body = R"({"status":"ok"})";
          done(std::move(resp));
        },
        {.summary = "Liveness", .tag = "operations", .auth = "none", .response = "Health"});
  r.Add("GET", "/health/ready", bind(Ready),
        {.summary = "Readiness: the database answers and its schema is current",
         .tag = "operations",
         .auth = "none",
         .response = "Health",
         .errors = {503}});
  r.Add("GET", "/metrics", bind(MetricsText),
        {.summary = "Prometheus metrics",
         .tag = "operations",
         .auth = "none",
         .response = "",
         .content_type = "text/plain"});
  r.Add("POST", "/api/v1/auth/login", bind(Login),
        {.summary = "Log in with email and password",
         .tag = "auth",
         .auth = "none",
         .body = "LoginRequest",
         .response = "TokenPair",
         .errors = {400, 401, 415, 429}});
  r.Add("POST", "/api/v1/auth/refresh", bind(Refresh),
        {.summary = "Rotate a refresh token for a new pair",
         .tag = "auth",
         .auth = "none",
         .body = "RefreshRequest",
         .response = "TokenPair",
         .errors = {400, 401, 415}});
  r.Add("POST", "/api/v1/auth/logout", bind(Logout),
        {.summary = "Revoke the session", .tag = "auth", .response = "", .status = 204});
  r.Add("GET", "/api/v1/auth/me", bind(Me),
        {.summary = "The logged-in staff member", .tag = "auth", .response = "User"});
}

void RegisterRoutes(Router& r, AppState& s) {
  RegisterAuthRoutes(r, s);
  RegisterConversationRoutes(r, s);
  RegisterGuestRoutes(r, s);
  RegisterTaskRoutes(r, s);
  RegisterAdminRoutes(r, s);
  RegisterWebchatRoutes(r, s);
  RegisterOpenApi(r);
}

}  // namespace jack::http
