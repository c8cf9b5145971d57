#include "http/handlers.hpp"

#include <boost/json.hpp>

#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "db/migrations.hpp"
#include "db/repositories.hpp"
#include "domain/audit.hpp"
#include "domain/conversations.hpp"
#include "domain/guests.hpp"
#include "domain/json_columns.hpp"
#include "domain/knowledge.hpp"
#include "domain/passwords.hpp"
#include "domain/permissions.hpp"
#include "domain/privacy.hpp"
#include "domain/settings.hpp"
#include "domain/tasks.hpp"
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

bool StaffCtx::Can(std::string_view p) const {
  return domain::HasPermission(staff.role, staff.permissions, p);
}

void OnDb(AppState& s, Done done, std::function<Response(Ctx&)> fn) {
  s.workers.Db([&s, done = std::move(done), fn = std::move(fn)]() {
    Ctx ctx{*s.db, *s.clock};
    Response r;
    try {
      r = fn(ctx);
    } catch (const std::exception& e) {
      core::Log(core::LogLevel::error, "handler failed", {{"error", e.what()}});
      r = ErrorResponse(Error::Internal(e.what()));
    }
    done(std::move(r));
  });
}

void WithStaff(AppState& s, const Request& req, std::string permission, Done done, StaffFn fn) {
  std::string auth = req.Header("authorization");
  if (auth.size() < 8 ||
      (auth.compare(0, 7, "Bearer ") != 0 && auth.compare(0, 7, "bearer ") != 0)) {
    done(ErrorResponse(Error::Unauthorized("missing bearer token")));
    return;
  }
  auto claims = domain::VerifyAccessToken(auth.substr(7), s.config.jwt_secret, s.clock->Now());
  if (!claims) {
    done(ErrorResponse(claims.error()));
    return;
  }
  domain::Actor actor = domain::Actor::Staff(claims->staff_id, req.remote_ip,
                                             req.Header("user-agent").substr(0, 512));
  OnDb(s, std::move(done),
       [claims = *claims, permission = std::move(permission), fn = std::move(fn),
        actor = std::move(actor)](Ctx& ctx) -> Response {
         auto staff = db::FindStaff(ctx.db, claims.staff_id);
         if (!staff) return ErrorResponse(staff.error());
         if (!*staff || (*staff)->status != "active")
           return ErrorResponse(Error::Unauthorized("invalid or expired token"));
         StaffCtx sc{**staff, claims.session_id, {}, actor};
         sc.redaction.contact = sc.Can("guest.view_contact");
         sc.redaction.financial = sc.Can("guest.view_financial");
         if (!permission.empty() && !sc.Can(permission))
           return ErrorResponse(Error::Forbidden(permission));
         return fn(ctx, sc);
       });
}

void WithStaffRequest(AppState& s, Request& req, std::string permission, Done done, StaffReqFn fn) {
  auto shared = std::make_shared<Request>(std::move(req));
  WithStaff(
      s, *shared, std::move(permission), std::move(done),
      [shared, fn = std::move(fn)](Ctx& ctx, const StaffCtx& sc) { return fn(ctx, sc, *shared); });
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
  if (!ct.empty() && ct.find("application/json") == std::string::npos &&
      ct.find("+json") == std::string::npos) {
    Error e{Errc::invalid_argument, "Content-Type must be application/json", {}, {}, 0};
    e.details.emplace_back("unsupportedMediaType", ct);
    return e;
  }
  return ParseBody(req.body);
}

namespace {

Response Fail(const Error& e) { return BodyError(e); }

// ---- auth ----
void Login(AppState& s, Request& req, Done done) {
  auto body = JsonBody(req);
  if (!body) return done(Fail(body.error()));
  Fields f(*body);
  auto email = f.String("email", true, 254);
  auto password = f.String("password", true, 200);
  if (auto st = f.Finish(); !st) return done(Fail(st.error()));
  std::string addr_key = "login:addr:" + req.remote_ip;
  std::string acct_key = "login:acct:" + core::AsciiLower(*email);
  int retry = 0;
  if (!s.limiter.Check(addr_key, 5, std::chrono::minutes(15), retry) ||
      !s.limiter.Check(acct_key, 5, std::chrono::minutes(15), retry))
    return done(ErrorResponse(Error::RateLimited(retry)));
  std::string em = core::AsciiLower(core::Trim(*email));
  // The real flow: look up (db) → verify bcrypt (egress) → audit and sign (db).
  s.workers.Db([&s, done, addr_key, acct_key, em, pw = *password, ip = req.remote_ip,
                ua = req.Header("user-agent").substr(0, 512)]() mutable {
    auto staff = db::FindStaffByEmail(*s.db, em);
    std::optional<db::StaffRow> row;
    if (staff && *staff && (*staff)->status == "active") row = **staff;
    s.workers.Egress([&s, done, addr_key, acct_key, pw, row, ip, ua]() mutable {
      // Verify against a dummy hash for unknown emails so timing does not reveal accounts.
      static const std::string dummy =
          domain::HashPassword("jack-timing-equaliser", domain::BcryptCost()).value();
      bool ok = row && row->password_hash && domain::VerifyPassword(pw, *row->password_hash);
      if (!row) (void)domain::VerifyPassword(pw, dummy);
      if (!ok) {
        s.limiter.Record(addr_key);
        s.limiter.Record(acct_key);
        return done(ErrorResponse(Error::Unauthorized("invalid email or password")));
      }
      s.workers.Db([&s, done, row, ip, ua, acct_key]() {
        Ctx ctx{*s.db, *s.clock};
        s.limiter.Reset(acct_key);
        auto now = s.clock->Now();
        domain::AccessClaims c;
        c.staff_id = row->id;
        c.role = row->role;
        c.session_id = core::NewId(now);
        c.issued_at =
            std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
        c.expires_at = c.issued_at + domain::kAccessTokenSeconds;
        db::Transaction tx(ctx.db);
        (void)db::TouchStaff(ctx.db, row->id, ctx.Now());
        (void)domain::Audit(ctx, domain::Actor::Staff(row->id, ip, ua), "staff.login", "staff",
                            row->id);
        if (auto st = tx.Commit(); !st) return done(ErrorResponse(st.error()));
        json::object out{{"accessToken", domain::SignAccessToken(c, s.config.jwt_secret)},
                         {"refreshToken", nullptr},
                         {"expiresIn", domain::kAccessTokenSeconds},
                         {"tokenType", "Bearer"},
                         {"user", UserJson(*row)}};
        done(Json(200, out));
      });
    });
  });
}

void Me(AppState& s, Request& req, Done done) {
  WithStaff(s, req, "", std::move(done),
            [](Ctx&, const StaffCtx& sc) { return Json(200, UserJson(sc.staff)); });
}

// ---- health ----
void Ready(AppState& s, Request&, Done done) {
  OnDb(s, std::move(done), [](Ctx& ctx) {
    if (auto st = db::CheckMigrations(ctx.db); !st)
      return ErrorResponse(Error::Unavailable(st.error().message));
    return Json(200, json::object{{"status", "ready"}});
  });
}

// ---- conversations ----
json::object ConversationDetail(Ctx& ctx, const db::ConversationRow& c, const StaffCtx& sc) {
  json::object o = ConversationJson(c, sc.redaction);
  o["guest"] = nullptr;
  o["reservation"] = nullptr;
  if (c.guest_id) {
    auto g = db::FindGuest(ctx.db, *c.guest_id);
    if (g && *g) o["guest"] = GuestJson(**g, sc.redaction);
  }
  if (c.reservation_id) {
    auto r = db::FindReservation(ctx.db, *c.reservation_id);
    if (r && *r) o["reservation"] = ReservationJson(**r, sc.redaction);
  }
  return o;
}

void GetConversation(AppState& s, Request& req, Done done) {
  WithStaff(s, req, "conversation.view", std::move(done),
            [id = req.params["id"]](Ctx& ctx, const StaffCtx& sc) {
              auto c = db::FindConversation(ctx.db, id);
              if (!c) return ErrorResponse(c.error());
              if (!*c) return ErrorResponse(Error::NotFound("conversation not found"));
              return Json(200, ConversationDetail(ctx, **c, sc));
            });
}

void ListConversationMessages(AppState& s, Request& req, Done done) {
  auto limit = LimitParam(req.Query("limit"));
  if (!limit) return done(ErrorResponse(limit.error()));
  db::MessagePage page;
  page.conversation_id = req.params["id"];
  page.limit = *limit;
  page.after_id = req.Query("after");
  if (!page.after_id) page.after_id = req.Query("cursor");
  page.before_id = req.Query("before");
  WithStaff(s, req, "conversation.view", std::move(done), [page](Ctx& ctx, const StaffCtx&) {
    auto c = db::FindConversation(ctx.db, page.conversation_id);
    if (!c) return ErrorResponse(c.error());
    if (!*c) return ErrorResponse(Error::NotFound("conversation not found"));
    for (const auto& ref : {page.after_id, page.before_id}) {
      if (!ref) continue;
      auto m = db::FindMessage(ctx.db, *ref);
      if (!m || !*m || (*m)->conversation_id != page.conversation_id)
        return ErrorResponse(
            Error::Invalid("unknown message id", page.after_id ? "after" : "before"));
    }
    auto rows = db::ListMessages(ctx.db, page);
    if (!rows) return ErrorResponse(rows.error());
    bool more = static_cast<int>(rows->size()) > page.limit;
    if (more) {
      if (page.before_id)
        rows->erase(rows->begin());
      else
        rows->pop_back();
    }
    json::array items;
    for (const auto& m : *rows) items.push_back(MessageJson(m));
    json::value next = nullptr;
    if (more && !rows->empty())
      next = json::string(page.before_id ? rows->front().id : rows->back().id);
    return Json(200, json::object{{"items", items}, {"nextCursor", next}});
  });
}

// ---- tasks ----
void ListTasks(AppState& s, Request& req, Done done) {
  auto limit = LimitParam(req.Query("limit"));
  if (!limit) return done(ErrorResponse(limit.error()));
  db::TaskFilter f;
  f.status = req.Query("status");
  f.department = req.Query("department");
  f.assigned_to = req.Query("assignedTo");
  f.priority = req.Query("priority");
  f.room_number = req.Query("roomNumber");
  f.conversation_id = req.Query("conversationId");
  f.after_id = req.Query("cursor");
  f.limit = *limit + 1;
  int lim = *limit;
  WithStaff(s, req, "task.view", std::move(done), [f, lim](Ctx& ctx, const StaffCtx&) {
    auto rows = db::ListTasks(ctx.db, f);
    if (!rows) return ErrorResponse(rows.error());
    bool more = static_cast<int>(rows->size()) > lim;
    if (more) rows->pop_back();
    json::array items;
    for (const auto& t : *rows) items.push_back(TaskJson(t));
    json::value next = more ? json::value(json::string(rows->back().id)) : json::value(nullptr);
    return Json(200, json::object{{"items", items}, {"nextCursor", next}});
  });
}

// ---- knowledge ----
void CreateKnowledge(AppState& s, Request& req, Done done) {
  WithStaffRequest(
      s, req, "settings.edit", std::move(done), [&s](Ctx& ctx, const StaffCtx&, const Request& rq) {
        auto body = JsonBody(rq);
        if (!body) return Fail(body.error());
        Fields f(*body);
        domain::KnowledgeInput in;
        in.category = f.String("category", true, 32).value_or("");
        in.title = f.String("title", true, 300).value_or("");
        in.content = f.String("content", true, 100000).value_or("");
        in.status = f.String("status", false, 16);
        in.language = f.String("language", false, 8);
        if (const auto* k = f.Raw("keywords")) {
          auto kw = domain::CanonicalKeywords(*k, "keywords");
          if (!kw)
            f.Fail(kw.error().fields.empty() ? "keywords" : kw.error().fields[0].path,
                   kw.error().fields.empty() ? kw.error().message : kw.error().fields[0].message);
          else
            in.keywords_json = *kw;
        }
        if (auto st = f.Finish(); !st) return Fail(st.error());
        if (auto st = domain::ValidateKnowledge(in); !st) return Fail(st.error());
        db::Transaction tx(ctx.db);
        if (!tx.status()) return ErrorResponse(tx.status().error());
        auto k = domain::CreateKnowledge(ctx, in);
        if (!k) return ErrorResponse(k.error());
        // Searchable by FTS (triggers) and by vector before the response (api.md).
        if (auto st = ai::IndexKnowledgeEntry(ctx, *s.engine->embedder, *k); !st)
          return ErrorResponse(st.error());
        if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
        return Json(201, KnowledgeJson(*k));
      });
}

// ---- settings ----
void ListSettings(AppState& s, Request& req, Done done) {
  WithStaff(s, req, "settings.view", std::move(done), [](Ctx& ctx, const StaffCtx&) {
    auto rows = db::ListSettings(ctx.db);
    if (!rows) return ErrorResponse(rows.error());
    json::array items;
    for (const auto& r : *rows)
      items.push_back(
          json::object{{"key", r.key}, {"value", r.value}, {"updatedAt", r.updated_at}});
    return Json(200, json::object{{"items", items}, {"nextCursor", nullptr}});
  });
}

void PutSetting(AppState& s, Request& req, Done done) {
  WithStaffRequest(
      s, req, "settings.edit", std::move(done),
      [](Ctx& ctx, const StaffCtx& sc, const Request& rq) {
        auto body = JsonBody(rq);
        if (!body) return Fail(body.error());
        Fields f(*body);
        auto value = f.String("value", false, 65536);
        if (!body->contains("value")) f.Fail("value", "is required");
        if (auto st = f.Finish(); !st) return Fail(st.error());
        std::string key = rq.params.at("key");
        std::string v = value.value_or("");
        if (auto st = domain::ValidateSetting(key, v); !st) return Fail(st.error());
        if (auto st = domain::ChangeSetting(ctx, sc.actor, key, v); !st)
          return ErrorResponse(st.error());
        return Json(200, json::object{{"key", key}, {"value", v}, {"updatedAt", ctx.Now()}});
      });
}

// ---- staff actions on conversations and tasks ----

// Runs `act` on the conversation in one transaction and answers with its new state. `act`
// reads its fields from the body (an empty body is an empty object).
using ConvAct =
    std::function<Result<bool>(Ctx&, const StaffCtx&, const json::object&, db::ConversationRow&)>;
void ConversationAction(AppState& s, Request& req, Done done, std::string permission, ConvAct act) {
  WithStaffRequest(s, req, std::move(permission), std::move(done),
                   [act = std::move(act)](Ctx& ctx, const StaffCtx& sc, const Request& rq) {
                     auto body = JsonBody(rq, true);
                     if (!body) return Fail(body.error());
                     db::Transaction tx(ctx.db);
                     if (!tx.status()) return ErrorResponse(tx.status().error());
                     auto c = db::FindConversation(ctx.db, rq.params.at("id"));
                     if (!c) return ErrorResponse(c.error());
                     if (!*c) return ErrorResponse(Error::NotFound("conversation not found"));
                     auto r = act(ctx, sc, *body, **c);
                     if (!r) return Fail(r.error());
                     if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
                     return Json(200, ConversationDetail(ctx, **c, sc));
                   });
}

void AssignConversation(AppState& s, Request& req, Done done) {
  ConversationAction(s, req, std::move(done), "conversation.assign",
                     [](Ctx& ctx, const StaffCtx& sc, const json::object& body,
                        db::ConversationRow& c) -> Result<bool> {
                       Fields f(body);
                       auto staff_id = f.String("staffId", false, 100);
                       if (!body.contains("staffId"))
                         f.Fail("staffId", "is required (null to unassign)");
                       JACK_TRY(f.Finish());
                       return domain::AssignConversation(ctx, c, staff_id, sc.actor);
                     });
}

void EscalateConversation(AppState& s, Request& req, Done done) {
  ConversationAction(
      s, req, std::move(done), "conversation.escalate",
      [](Ctx& ctx, const StaffCtx& sc, const json::object& body,
         db::ConversationRow& c) -> Result<bool> {
        Fields f(body);
        auto reason = f.String("reason", false, 100).value_or("staff");
        auto assign_to = f.String("assignTo", false, 100);
        JACK_TRY(f.Finish());
        if (assign_to && !sc.Can("conversation.assign"))
          return Error::Forbidden("conversation.assign");
        JACK_TRY_ASSIGN(bool changed, domain::EscalateConversation(ctx, c, sc.actor, reason));
        if (assign_to) {
          JACK_TRY_ASSIGN(bool assigned, domain::AssignConversation(ctx, c, assign_to, sc.actor));
          changed = changed || assigned;
        }
        return changed;
      });
}

void ResolveConversation(AppState& s, Request& req, Done done) {
  ConversationAction(s, req, std::move(done), "conversation.respond",
                     [](Ctx& ctx, const StaffCtx& sc, const json::object& body,
                        db::ConversationRow& c) -> Result<bool> {
                       Fields f(body);
                       auto resolution = f.String("resolution", false, 2000).value_or("");
                       JACK_TRY(f.Finish());
                       return domain::ResolveConversation(ctx, c, sc.actor, resolution);
                     });
}

void HandBackConversation(AppState& s, Request& req, Done done) {
  ConversationAction(s, req, std::move(done), "conversation.respond",
                     [](Ctx& ctx, const StaffCtx& sc, const json::object&, db::ConversationRow& c) {
                       return domain::HandBackConversation(ctx, c, sc.actor);
                     });
}

using TaskAct = std::function<Status(Ctx&, const StaffCtx&, const json::object&, db::TaskRow&)>;
void TaskAction(AppState& s, Request& req, Done done, std::string permission, TaskAct act) {
  WithStaffRequest(s, req, std::move(permission), std::move(done),
                   [act = std::move(act)](Ctx& ctx, const StaffCtx& sc, const Request& rq) {
                     auto body = JsonBody(rq, true);
                     if (!body) return Fail(body.error());
                     db::Transaction tx(ctx.db);
                     if (!tx.status()) return ErrorResponse(tx.status().error());
                     auto t = db::FindTask(ctx.db, rq.params.at("id"));
                     if (!t) return ErrorResponse(t.error());
                     if (!*t) return ErrorResponse(Error::NotFound("task not found"));
                     if (auto st = act(ctx, sc, *body, **t); !st) return Fail(st.error());
                     if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
                     return Json(200, TaskJson(**t));
                   });
}

void AssignTask(AppState& s, Request& req, Done done) {
  TaskAction(s, req, std::move(done), "task.assign",
             [](Ctx& ctx, const StaffCtx& sc, const json::object& body, db::TaskRow& t) -> Status {
               Fields f(body);
               auto staff_id = f.String("staffId", true, 100);
               JACK_TRY(f.Finish());
               return domain::AssignTask(ctx, t, *staff_id, sc.actor);
             });
}

void StartTask(AppState& s, Request& req, Done done) {
  TaskAction(s, req, std::move(done), "task.complete",
             [](Ctx& ctx, const StaffCtx& sc, const json::object&, db::TaskRow& t) {
               return domain::StartTask(ctx, t, sc.staff.id, sc.actor);
             });
}

void CompleteTask(AppState& s, Request& req, Done done) {
  TaskAction(s, req, std::move(done), "task.complete",
             [](Ctx& ctx, const StaffCtx& sc, const json::object& body, db::TaskRow& t) -> Status {
               Fields f(body);
               auto notes = f.String("completionNotes", false, 4000);
               JACK_TRY(f.Finish());
               return domain::CompleteTask(ctx, t, sc.actor, notes);
             });
}

void CancelTask(AppState& s, Request& req, Done done) {
  TaskAction(s, req, std::move(done), "task.complete",
             [](Ctx& ctx, const StaffCtx& sc, const json::object&, db::TaskRow& t) {
               return domain::CancelTask(ctx, t, sc.actor);
             });
}

// ---- guests and reservations ----
void ListGuests(AppState& s, Request& req, Done done) {
  auto limit = LimitParam(req.Query("limit"));
  if (!limit) return done(ErrorResponse(limit.error()));
  db::GuestFilter f;
  f.limit = *limit + 1;
  f.q = req.Query("q");
  f.after_id = req.Query("cursor");
  auto email = req.Query("email");
  auto phone = req.Query("phone");
  int lim = *limit;
  WithStaff(
      s, req, "guest.view", std::move(done),
      [f, email, phone, lim](Ctx& ctx, const StaffCtx& sc) mutable {
        // Searching by contact data needs the permission to see it.
        if ((email || phone || f.q) && !sc.Can("guest.view_contact") && (email || phone))
          return ErrorResponse(Error::Forbidden("guest.view_contact"));
        if (email) {
          auto e = domain::NormalizeEmail(*email);
          if (!e) return ErrorResponse(e.error());
          f.email = *e;
        }
        if (phone) {
          auto p = domain::NormalizePhone(*phone, domain::Setting(ctx, "hotel.default_country"));
          if (!p) return ErrorResponse(p.error());
          f.phone = *p;
        }
        auto rows = db::ListGuests(ctx.db, f);
        if (!rows) return ErrorResponse(rows.error());
        bool more = static_cast<int>(rows->size()) > lim;
        if (more) rows->pop_back();
        json::array items;
        for (const auto& g : *rows) items.push_back(GuestJson(g, sc.redaction));
        json::value next = more ? json::value(json::string(rows->back().id)) : json::value(nullptr);
        return Json(200, json::object{{"items", items}, {"nextCursor", next}});
      });
}

void GetGuest(AppState& s, Request& req, Done done) {
  WithStaff(s, req, "guest.view", std::move(done),
            [id = req.params["id"]](Ctx& ctx, const StaffCtx& sc) {
              auto g = db::FindGuest(ctx.db, id);
              if (!g) return ErrorResponse(g.error());
              if (!*g) return ErrorResponse(Error::NotFound("guest not found"));
              db::Transaction tx(ctx.db);
              if (!tx.status()) return ErrorResponse(tx.status().error());
              auto audited = domain::AuditGuestView(ctx, sc.actor, id, sc.session_id);
              if (!audited) return ErrorResponse(audited.error());
              if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
              return Json(200, GuestJson(**g, sc.redaction));
            });
}

void DeleteGuest(AppState& s, Request& req, Done done) {
  WithStaff(s, req, "guest.delete", std::move(done),
            [id = req.params["id"]](Ctx& ctx, const StaffCtx& sc) {
              auto r = domain::EraseGuest(ctx, sc.actor, id);
              if (!r) return ErrorResponse(r.error());
              return NoContent();
            });
}

void ExportGuest(AppState& s, Request& req, Done done) {
  WithStaff(s, req, "guest.view", std::move(done),
            [id = req.params["id"]](Ctx& ctx, const StaffCtx& sc) {
              if (!sc.Can("analytics.export"))
                return ErrorResponse(Error::Forbidden("analytics.export"));
              auto data = domain::ExportGuest(ctx, sc.actor, id);
              if (!data) return ErrorResponse(data.error());
              Response r = Json(200, GuestExportJson(*data, ctx.Now()));
              r.headers.emplace_back("Content-Disposition",
                                     "attachment; filename=\"guest-" + id + ".json\"");
              return r;
            });
}

Result<domain::ReservationInput> ParseReservation(const json::object& body) {
  Fields f(body);
  domain::ReservationInput in;
  const json::value* g = f.Raw("guest");
  if (!g || !g->is_object()) {
    f.Fail("guest", "must be an object with firstName and lastName");
  } else {
    Fields gf(g->as_object());
    in.guest.first_name = gf.String("firstName", false, 200).value_or("");
    in.guest.last_name = gf.String("lastName", true, 200).value_or("");
    in.guest.email = gf.String("email", false, 254);
    in.guest.phone = gf.String("phone", false, 40);
    in.guest.language = gf.String("language", false, 8);
    in.guest.loyalty_tier = gf.String("loyaltyTier", false, 64);
    in.guest.vip_status = gf.String("vipStatus", false, 64);
    if (const auto* x = gf.Raw("externalIds")) {
      auto c = domain::CanonicalExternalIds(*x, "guest.externalIds");
      if (!c)
        gf.Fail(c.error().fields.empty() ? "externalIds" : c.error().fields[0].path,
                c.error().message);
      else
        in.guest.external_ids_json = *c;
    }
    if (auto st = gf.Finish(); !st)
      for (const auto& fe : st.error().fields)
        f.Fail(core::StartsWith(fe.path, "guest.") ? fe.path : "guest." + fe.path, fe.message);
  }
  in.room_number = f.String("roomNumber", false, 16);
  in.room_type = f.String("roomType", true, 100).value_or("");
  in.arrival_date = f.String("arrivalDate", true, 10).value_or("");
  in.departure_date = f.String("departureDate", true, 10).value_or("");
  in.status = f.String("status", false, 16).value_or("confirmed");
  in.external_id = f.String("externalId", false, 128);
  in.rate_code = f.String("rateCode", false, 64);
  in.estimated_arrival = f.String("estimatedArrival", false, 40);
  in.estimated_departure = f.String("estimatedDeparture", false, 40);
  in.actual_arrival = f.String("actualArrival", false, 40);
  in.actual_departure = f.String("actualDeparture", false, 40);
  in.total_rate = f.Number("totalRate", false);
  in.balance = f.Number("balance", false);
  for (const char* k : {"specialRequests", "notes"}) {
    if (const auto* x = f.Raw(k)) {
      auto c = domain::CanonicalStringArray(*x, k, 100, 2000);
      if (!c)
        f.Fail(k, c.error().message);
      else if (std::string(k) == "notes")
        in.notes_json = *c;
      else
        in.special_requests_json = *c;
    }
  }
  JACK_TRY(f.Finish());
  JACK_TRY(domain::ValidateReservation(in));
  return in;
}

void PutReservation(AppState& s, Request& req, Done done) {
  WithStaffRequest(
      s, req, "guest.edit", std::move(done), [](Ctx& ctx, const StaffCtx& sc, const Request& rq) {
        auto body = JsonBody(rq);
        if (!body) return Fail(body.error());
        auto in = ParseReservation(*body);
        if (!in) return Fail(in.error());
        auto r = domain::UpsertReservation(ctx, sc.actor, rq.params.at("confirmationNumber"), *in);
        if (!r) return ErrorResponse(r.error());
        json::object o = ReservationJson(r->reservation, sc.redaction);
        o["guest"] = GuestJson(r->guest, sc.redaction);
        return Json(r->created ? 201 : 200, o);
      });
}

}  // namespace

void RegisterRoutes(Router& r, AppState& s) {
  auto bind = [&s](void (*fn)(AppState&, Request&, Done)) {
    return [&s, fn](Request& req, Done done) { fn(s, req, std::move(done)); };
  };
  r.Add("GET", "/health", [](Request&, Done done) {
    Response resp;
    resp.body = R"({"status":"ok"})";
    done(std::move(resp));
  });
  r.Add("GET", "/health/ready", bind(Ready));
  r.Add("POST", "/api/v1/auth/login", bind(Login));
  r.Add("GET", "/api/v1/auth/me", bind(Me));
  r.Add("GET", "/api/v1/conversations/{id}", bind(GetConversation));
  r.Add("GET", "/api/v1/conversations/{id}/messages", bind(ListConversationMessages));
  r.Add("POST", "/api/v1/conversations/{id}/assign", bind(AssignConversation));
  r.Add("POST", "/api/v1/conversations/{id}/escalate", bind(EscalateConversation));
  r.Add("POST", "/api/v1/conversations/{id}/resolve", bind(ResolveConversation));
  r.Add("POST", "/api/v1/conversations/{id}/handback", bind(HandBackConversation));
  r.Add("GET", "/api/v1/tasks", bind(ListTasks));
  r.Add("POST", "/api/v1/tasks/{id}/assign", bind(AssignTask));
  r.Add("POST", "/api/v1/tasks/{id}/start", bind(StartTask));
  r.Add("POST", "/api/v1/tasks/{id}/complete", bind(CompleteTask));
  r.Add("POST", "/api/v1/tasks/{id}/cancel", bind(CancelTask));
  r.Add("POST", "/api/v1/knowledge", bind(CreateKnowledge));
  r.Add("GET", "/api/v1/settings", bind(ListSettings));
  r.Add("PUT", "/api/v1/settings/{key}", bind(PutSetting));
  r.Add("GET", "/api/v1/guests", bind(ListGuests));
  r.Add("GET", "/api/v1/guests/{id}", bind(GetGuest));
  r.Add("DELETE", "/api/v1/guests/{id}", bind(DeleteGuest));
  r.Add("GET", "/api/v1/guests/{id}/export", bind(ExportGuest));
  r.Add("PUT", "/api/v1/reservations/{confirmationNumber}", bind(PutReservation));
  RegisterWebchatRoutes(r, s);
}

}  // namespace jack::http
