// Knowledge base, staff, settings, automation rules, audit log and analytics (api.md).
#include <boost/json.hpp>

#include "ai/embedding.hpp"
#include "ai/retrieval.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "db/queries.hpp"
#include "db/repositories.hpp"
#include "domain/analytics.hpp"
#include "domain/automation.hpp"
#include "domain/json_columns.hpp"
#include "domain/knowledge.hpp"
#include "domain/passwords.hpp"
#include "domain/permissions.hpp"
#include "domain/settings.hpp"
#include "domain/staff.hpp"
#include "http/errors.hpp"
#include "http/handlers.hpp"

namespace jack::http {
namespace json = boost::json;
using domain::Ctx;

namespace {

// ---- knowledge ----
using QueryVector = std::shared_ptr<const std::vector<float>>;

// Runs `next` with the query embedded by a remote provider on a provider thread (for a caller
// whose token verifies), or with nothing: a local embedder embeds inside the search, and a
// failing provider leaves the search to full text.
void WithQueryVector(AppState& s, const Request& req, const std::optional<std::string>& q,
                     std::function<void(QueryVector)> next) {
  if (!s.engine->embedder->remote() || !q || q->empty() || q->size() > 500 ||
      !HasValidBearer(s, req))
    return next(nullptr);
  s.workers.Provider([&s, q = *q, next = std::move(next)] {
    auto v = s.engine->embedder->Embed({q});
    if (!v || v->size() != 1) {
      core::Log(core::LogLevel::warn, "query not embedded: searching by full text",
                {{"error", v ? "no vector" : v.error().message}});
      return next(nullptr);
    }
    next(std::make_shared<const std::vector<float>>(std::move((*v)[0])));
  });
}

void ListKnowledgeWith(AppState& s, Request& req, Done done, QueryVector qv);

void ListKnowledge(AppState& s, Request& req, Done done) {
  auto shared = std::make_shared<Request>(std::move(req));
  auto q = shared->Query("q");
  WithQueryVector(s, *shared, q, [&s, shared, done = std::move(done)](QueryVector qv) mutable {
    ListKnowledgeWith(s, *shared, std::move(done), std::move(qv));
  });
}

void ListKnowledgeWith(AppState& s, Request& req, Done done, QueryVector qv) {
  auto limit = LimitParam(req.Query("limit"));
  if (!limit) req.Reject(limit.error());
  auto category = req.Query("category");
  auto status = req.Query("status");
  auto q = req.Query("q");
  auto after = req.Query("cursor");
  WithStaffRead(
      s, req, "conversation.view", std::move(done),
      [&s, category, status, q, after, lim = (limit ? *limit : 50), qv](Ctx& ctx, const StaffCtx&) {
        json::array items;
        if (q) {
          // A text query ranks like the search; no further pages.
          auto hits = ai::SearchKnowledge(ctx.db, *s.engine->embedder, *q, lim, qv.get());
          if (!hits) return ErrorResponse(hits.error());
          for (const auto& h : *hits)
            if ((!category || h.entry.category == *category) &&
                (!status || h.entry.status == *status))
              items.push_back(KnowledgeJson(h.entry));
          return Page(std::move(items), std::nullopt);
        }
        auto rows = db::ListKnowledge(ctx.db, category, status, lim + 1, after);
        if (!rows) return ErrorResponse(rows.error());
        bool more = static_cast<int>(rows->size()) > lim;
        if (more) rows->pop_back();
        for (const auto& k : *rows) items.push_back(KnowledgeJson(k));
        return Page(std::move(items),
                    more ? std::optional<std::string>(rows->back().id) : std::nullopt);
      });
}

void SearchKnowledgeWith(AppState& s, Request& req, Done done, QueryVector qv);

void SearchKnowledge(AppState& s, Request& req, Done done) {
  auto shared = std::make_shared<Request>(std::move(req));
  auto q = shared->Query("q");
  WithQueryVector(s, *shared, q, [&s, shared, done = std::move(done)](QueryVector qv) mutable {
    SearchKnowledgeWith(s, *shared, std::move(done), std::move(qv));
  });
}

void SearchKnowledgeWith(AppState& s, Request& req, Done done, QueryVector qv) {
  auto q = req.Query("q");
  if (!q || q->empty() || q->size() > 500)
    req.Reject(Error::Invalid("must be 1-500 characters", "q"));
  auto limit = LimitParam(req.Query("limit").value_or("10"));
  if (!limit) req.Reject(limit.error());
  WithStaffRead(s, req, "conversation.view", std::move(done),
                [&s, q = q.value_or(""), lim = std::min((limit ? *limit : 10), 50), qv](
                    Ctx& ctx, const StaffCtx&) {
                  auto hits = ai::SearchKnowledge(ctx.db, *s.engine->embedder, q, lim, qv.get());
                  if (!hits) return ErrorResponse(hits.error());
                  json::array items;
                  for (const auto& h : *hits)
                    items.push_back(json::object{
                        {"id", h.entry.id},
                        {"title", h.entry.title},
                        {"category", h.entry.category},
                        {"snippet", h.snippet},
                        {"score", h.score},
                        {"ftsRank", h.fts_rank ? json::value(*h.fts_rank) : json::value(nullptr)},
                        {"vectorDistance", h.vector_distance ? json::value(*h.vector_distance)
                                                             : json::value(nullptr)}});
                  return Json(200, json::object{{"items", items}});
                });
}

void GetKnowledge(AppState& s, Request& req, Done done) {
  WithStaffRead(s, req, "conversation.view", std::move(done),
                [id = req.params["id"]](Ctx& ctx, const StaffCtx&) {
                  auto k = db::FindKnowledge(ctx.db, id);
                  if (!k) return ErrorResponse(k.error());
                  if (!*k) return ErrorResponse(Error::NotFound("knowledge entry not found"));
                  return Json(200, KnowledgeJson(**k));
                });
}

std::optional<std::string> Keywords(Fields& f) {
  const auto* k = f.Raw("keywords");
  if (!k) return std::nullopt;
  auto kw = domain::CanonicalKeywords(*k, "keywords");
  if (kw) return *kw;
  f.Fail(kw.error().fields.empty() ? "keywords" : kw.error().fields[0].path,
         kw.error().fields.empty() ? kw.error().message : kw.error().fields[0].message);
  return std::nullopt;
}

// With a remote embedder the entry's chunks get their vectors off the db thread before the
// answer (api.md: searchable by vector before the response). When the provider fails the
// entry stays saved and found by full text, and the background run adds the vectors later.
Done AfterVectors(AppState& s, Done done) {
  if (!s.engine->embedder->remote()) return done;
  return [&s, done](Response r) {
    // During a background run (a rebuild, or the provider's catch-up) that run embeds the
    // entry; the request does not pay for a second one.
    if (r.status >= 300 || s.index_syncing) return done(std::move(r));
    auto shared = std::make_shared<Response>(std::move(r));
    SyncKnowledgeIndexAsync(
        s, false,
        [shared, done](Result<ai::IndexSyncReport> rep) {
          if (!rep)
            core::Log(core::LogLevel::warn, "knowledge entry saved without vectors for now",
                      {{"error", rep.error().message}});
          done(std::move(*shared));
        },
        /*pending_only=*/true);
  };
}

void CreateKnowledge(AppState& s, Request& req, Done done) {
  done = AfterVectors(s, std::move(done));
  WithStaffRequest(
      s, req, "settings.edit", std::move(done),
      [&s](Ctx& ctx, const StaffCtx&, const Request& rq) {
        auto body = JsonBody(rq);
        if (!body) return BodyError(body.error());
        Fields f(*body);
        domain::KnowledgeInput in;
        in.category = f.String("category", true, 32).value_or("");
        in.title = f.String("title", true, 300).value_or("");
        in.content = f.String("content", true, 100000).value_or("");
        in.status = f.String("status", false, 16);
        in.language = f.String("language", false, 8);
        in.keywords_json = Keywords(f);
        if (auto st = f.Finish(); !st) return BodyError(st.error());
        if (auto st = domain::ValidateKnowledge(in); !st) return BodyError(st.error());
        db::Transaction tx(ctx.db);
        if (!tx.status()) return ErrorResponse(tx.status().error());
        auto k = domain::CreateKnowledge(ctx, in);
        if (!k) return ErrorResponse(k.error());
        // Searchable by FTS (triggers) and by vector before the response (api.md).
        if (auto st = ai::IndexKnowledgeEntry(ctx, *s.engine->embedder, *k); !st)
          return ErrorResponse(st.error());
        if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
        return Json(201, KnowledgeJson(*k));
      },
      /*idempotent=*/true);
}

void PatchKnowledge(AppState& s, Request& req, Done done) {
  done = AfterVectors(s, std::move(done));
  WithStaffRequest(s, req, "settings.edit", std::move(done),
                   [&s](Ctx& ctx, const StaffCtx&, const Request& rq) {
                     auto body = JsonBody(rq);
                     if (!body) return BodyError(body.error());
                     Fields f(*body);
                     domain::KnowledgePatch p;
                     p.category = f.String("category", false, 32);
                     p.title = f.String("title", false, 300);
                     p.content = f.String("content", false, 100000);
                     p.status = f.String("status", false, 16);
                     p.language = f.Nullable("language", 8);
                     p.keywords_json = Keywords(f);
                     if (auto st = f.Finish(); !st) return BodyError(st.error());
                     db::Transaction tx(ctx.db);
                     if (!tx.status()) return ErrorResponse(tx.status().error());
                     auto k = domain::UpdateKnowledgeEntry(ctx, rq.params.at("id"), p);
                     if (!k) return ErrorResponse(k.error());
                     if (auto st = ai::IndexKnowledgeEntry(ctx, *s.engine->embedder, *k); !st)
                       return ErrorResponse(st.error());
                     if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
                     return Json(200, KnowledgeJson(*k));
                   });
}

void DeleteKnowledge(AppState& s, Request& req, Done done) {
  WithStaff(s, req, "settings.edit", std::move(done),
            [id = req.params["id"]](Ctx& ctx, const StaffCtx&) {
              db::Transaction tx(ctx.db);
              if (!tx.status()) return ErrorResponse(tx.status().error());
              if (auto st = domain::DeleteKnowledgeEntry(ctx, id); !st)
                return ErrorResponse(st.error());
              if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
              return NoContent();
            });
}

void ReindexKnowledge(AppState& s, Request& req, Done done) {
  WithStaff(s, req, "settings.edit", done, [&s, done](Ctx&, const StaffCtx&) {
    // Embedding runs on a provider thread (a remote provider may take minutes); the answer
    // comes when the new vectors are in. Meanwhile /health/ready says "rebuilding".
    s.index_current = false;
    SyncKnowledgeIndexAsync(s, /*force=*/true, [&s, done](Result<ai::IndexSyncReport> r) {
      if (!r) return done(ErrorResponse(r.error()));
      s.index_current = true;
      done(Json(200, json::object{{"entries", r->entries},
                                  {"chunks", r->chunks},
                                  {"model", s.engine->embedder->model()},
                                  {"dimensions", s.engine->embedder->dimensions()}}));
    });
    return Deferred();
  });
}

// ---- staff ----
void ListStaff(AppState& s, Request& req, Done done) {
  auto limit = LimitParam(req.Query("limit"));
  if (!limit) req.Reject(limit.error());
  db::StaffFilter f;
  f.role = req.Query("role");
  f.status = req.Query("status");
  f.department = req.Query("department");
  f.after_id = req.Query("cursor");
  f.limit = (limit ? *limit : 50) + 1;
  WithStaffRead(s, req, "staff.view", std::move(done),
                [f, lim = (limit ? *limit : 50)](Ctx& ctx, const StaffCtx&) {
                  auto rows = db::ListStaff(ctx.db, f);
                  if (!rows) return ErrorResponse(rows.error());
                  bool more = static_cast<int>(rows->size()) > lim;
                  if (more) rows->pop_back();
                  json::array items;
                  for (const auto& m : *rows) items.push_back(StaffJson(m));
                  return Page(std::move(items),
                              more ? std::optional<std::string>(rows->back().id) : std::nullopt);
                });
}

void GetStaff(AppState& s, Request& req, Done done) {
  WithStaffRead(s, req, "staff.view", std::move(done),
                [id = req.params["id"]](Ctx& ctx, const StaffCtx&) {
                  auto m = db::FindStaff(ctx.db, id);
                  if (!m) return ErrorResponse(m.error());
                  if (!*m) return ErrorResponse(Error::NotFound("staff member not found"));
                  return Json(200, StaffJson(**m));
                });
}

// Hashes a password off the db thread (bcrypt at cost 12 takes ~185 ms), then runs `then`
// on the db thread with the hash.
void WithHash(AppState& s, Done done, std::string password,
              std::function<Response(Ctx&, std::string)> then) {
  s.workers.Egress([&s, done = std::move(done), password = std::move(password),
                    then = std::move(then)]() mutable {
    auto hash = domain::HashPassword(password, domain::BcryptCost());
    if (!hash) return done(ErrorResponse(hash.error()));
    OnDb(s, std::move(done),
         [hash = *hash, then = std::move(then)](Ctx& ctx) { return then(ctx, hash); });
  });
}

void CreateStaff(AppState& s, Request& req, Done done) {
  // Validated on the db thread after the permission check; the hash is made off it; the
  // row is written back on it. A staff member needs no audit of the password itself.
  auto shared = std::make_shared<Request>(std::move(req));
  WithStaff(s, *shared, "staff.manage", done, [&s, shared, done](Ctx&, const StaffCtx& sc) {
    auto body = JsonBody(*shared);
    if (!body) return BodyError(body.error());
    Fields f(*body);
    domain::StaffInput in;
    in.email = f.String("email", true, 254).value_or("");
    in.name = f.String("name", true, 200).value_or("");
    in.role = f.String("role", true, 32).value_or("");
    in.department = f.String("department", false, 64);
    in.phone = f.String("phone", false, 40);
    auto password = f.String("password", true, 200);
    if (auto st = f.Finish(); !st) return BodyError(st.error());
    if (auto st = domain::ValidateStaffInput(in.email, in.name, in.role); !st)
      return ErrorResponse(st.error());
    if (auto st = domain::CheckPasswordPolicy(*password); !st) return ErrorResponse(st.error());
    WithHash(s, done, *password, [in, actor = sc.actor](Ctx& ctx, std::string hash) mutable {
      in.password_hash = std::move(hash);
      auto m = domain::CreateStaff(ctx, actor, in);
      if (!m) return ErrorResponse(m.error());
      return Json(201, StaffJson(*m));
    });
    return Deferred();  // WithHash answers
  });
}

void PatchStaff(AppState& s, Request& req, Done done) {
  auto shared = std::make_shared<Request>(std::move(req));
  WithStaff(s, *shared, "staff.manage", done, [&s, shared, done](Ctx& ctx, const StaffCtx& sc) {
    auto body = JsonBody(*shared);
    if (!body) return BodyError(body.error());
    Fields f(*body);
    domain::StaffPatch p;
    p.name = f.String("name", false, 200);
    p.role = f.String("role", false, 32);
    p.status = f.String("status", false, 16);
    p.department = f.Nullable("department", 64);
    p.phone = f.Nullable("phone", 40);
    p.permissions = f.StringList("permissions", 64, 64);
    auto password = f.String("password", false, 200);
    if (auto st = f.Finish(); !st) return BodyError(st.error());
    const std::string id = shared->params.at("id");
    auto apply = [&s, p, id, actor = sc.actor](Ctx& c, std::optional<std::string> hash) mutable {
      p.password_hash = std::move(hash);
      auto m = domain::UpdateStaffFields(c, actor, id, p);
      if (!m) return ErrorResponse(m.error());
      // Live sockets opened with the old role, grants or status reconnect with the new.
      s.hub.CloseStaff(id, "staff member changed");
      return Json(200, StaffJson(*m));
    };
    if (!password) return apply(ctx, std::nullopt);
    if (auto st = domain::CheckPasswordPolicy(*password); !st) return ErrorResponse(st.error());
    WithHash(s, done, *password,
             [apply](Ctx& c, std::string hash) mutable { return apply(c, std::move(hash)); });
    return Deferred();
  });
}

// ---- settings ----
void ListSettings(AppState& s, Request& req, Done done) {
  WithStaffRead(s, req, "settings.view", std::move(done), [](Ctx& ctx, const StaffCtx&) {
    auto rows = db::ListSettings(ctx.db);
    if (!rows) return ErrorResponse(rows.error());
    json::array items;
    for (const auto& r : *rows) {
      auto o = SettingJson(r);
      if (domain::IsSecretSetting(r.key)) {
        o["value"] = nullptr;  // written, never returned
        o["secret"] = true;
      }
      items.push_back(std::move(o));
    }
    return Page(std::move(items), std::nullopt);
  });
}

void PutSetting(AppState& s, Request& req, Done done) {
  WithStaffRequest(
      s, req, "settings.edit", std::move(done),
      [&s](Ctx& ctx, const StaffCtx& sc, const Request& rq) {
        auto body = JsonBody(rq);
        if (!body) return BodyError(body.error());
        Fields f(*body);
        auto value = f.String("value", false, 65536);
        if (!body->contains("value")) f.Fail("value", "is required");
        if (auto st = f.Finish(); !st) return BodyError(st.error());
        std::string key = rq.params.at("key");
        std::string v = value.value_or("");
        if (auto st = domain::ValidateSetting(key, v); !st) return BodyError(st.error());
        if (auto st = domain::ChangeSetting(ctx, sc.actor, key, v,
                                            domain::SettingsSealingKey(s.config.jwt_secret));
            !st)
          return ErrorResponse(st.error());
        if (key == "security.cors_origins") s.SetCorsOrigins(v);
        json::object o{{"key", key}, {"value", v}, {"updatedAt", ctx.Now()}};
        if (domain::IsSecretSetting(key)) {
          o["value"] = nullptr;
          o["secret"] = true;
        }
        return Json(200, o);
      });
}

// ---- automation rules ----
domain::AutomationInput ReadRuleInput(Fields& f) {
  domain::AutomationInput in;
  in.name = f.String("name", false, 200);
  in.description = f.Nullable("description", 2000);
  in.trigger_type = f.String("triggerType", false, 32);
  in.action_type = f.String("actionType", false, 32);
  in.trigger_config_json = f.JsonText("triggerConfig");
  in.action_config_json = f.JsonText("actionConfig");
  in.enabled = f.Bool("enabled");
  return in;
}

void ListRules(AppState& s, Request& req, Done done) {
  auto limit = LimitParam(req.Query("limit"));
  if (!limit) req.Reject(limit.error());
  WithStaffRead(
      s, req, "settings.view", std::move(done),
      [after = req.Query("cursor"), lim = (limit ? *limit : 50)](Ctx& ctx, const StaffCtx&) {
        auto rows = db::ListAutomationRules(ctx.db, after, lim + 1);
        if (!rows) return ErrorResponse(rows.error());
        bool more = static_cast<int>(rows->size()) > lim;
        if (more) rows->pop_back();
        json::array items;
        for (const auto& r : *rows) items.push_back(AutomationRuleJson(r));
        return Page(std::move(items),
                    more ? std::optional<std::string>(rows->back().id) : std::nullopt);
      });
}

void GetRule(AppState& s, Request& req, Done done) {
  WithStaffRead(s, req, "settings.view", std::move(done),
                [id = req.params["id"]](Ctx& ctx, const StaffCtx&) {
                  auto r = db::FindAutomationRule(ctx.db, id);
                  if (!r) return ErrorResponse(r.error());
                  if (!*r) return ErrorResponse(Error::NotFound("automation rule not found"));
                  return Json(200, AutomationRuleJson(**r));
                });
}

void CreateRule(AppState& s, Request& req, Done done) {
  WithStaffRequest(
      s, req, "settings.edit", std::move(done),
      [](Ctx& ctx, const StaffCtx& sc, const Request& rq) {
        auto body = JsonBody(rq);
        if (!body) return BodyError(body.error());
        Fields f(*body);
        auto in = ReadRuleInput(f);
        if (auto st = f.Finish(); !st) return BodyError(st.error());
        auto r = domain::CreateAutomationRule(ctx, sc.actor, in);
        if (!r) return ErrorResponse(r.error());
        return Json(201, AutomationRuleJson(*r));
      },
      /*idempotent=*/true);
}

void PatchRule(AppState& s, Request& req, Done done) {
  WithStaffRequest(s, req, "settings.edit", std::move(done),
                   [](Ctx& ctx, const StaffCtx& sc, const Request& rq) {
                     auto body = JsonBody(rq);
                     if (!body) return BodyError(body.error());
                     Fields f(*body);
                     auto in = ReadRuleInput(f);
                     if (auto st = f.Finish(); !st) return BodyError(st.error());
                     auto r = domain::UpdateAutomationRule(ctx, sc.actor, rq.params.at("id"), in);
                     if (!r) return ErrorResponse(r.error());
                     return Json(200, AutomationRuleJson(*r));
                   });
}

void DeleteRule(AppState& s, Request& req, Done done) {
  WithStaff(s, req, "settings.edit", std::move(done),
            [id = req.params["id"]](Ctx& ctx, const StaffCtx& sc) {
              if (auto st = domain::DeleteAutomationRule(ctx, sc.actor, id); !st)
                return ErrorResponse(st.error());
              return NoContent();
            });
}

// ---- audit ----
void ListAudit(AppState& s, Request& req, Done done) {
  auto limit = LimitParam(req.Query("limit"));
  if (!limit) req.Reject(limit.error());
  db::AuditFilter f;
  f.action = req.Query("action");
  f.actor_id = req.Query("actorId");
  f.resource_type = req.Query("resourceType");
  f.resource_id = req.Query("resourceId");
  if (auto since = req.Query("since")) {
    auto t = core::ParseIso(*since);
    if (!t)
      req.Reject(Error::Invalid("must be an ISO 8601 time", "since"));
    else
      f.since = core::FormatIso(*t);
  }
  if (auto c = req.Query("cursor")) {
    auto dc = DecodeCursor(*c);
    if (!dc) {
      req.Reject(dc.error());
    } else {
      f.after_created = dc->first;
      f.after_id = dc->second;
    }
  }
  f.limit = (limit ? *limit : 50) + 1;
  WithStaffRead(s, req, "staff.manage", std::move(done),
                [f, lim = (limit ? *limit : 50)](Ctx& ctx, const StaffCtx&) {
                  auto rows = db::ListAuditFiltered(ctx.db, f);
                  if (!rows) return ErrorResponse(rows.error());
                  bool more = static_cast<int>(rows->size()) > lim;
                  if (more) rows->pop_back();
                  Arena arena;
                  json::array items = arena.Array(rows->size());
                  for (const auto& a : *rows) items.push_back(AuditJson(a, arena.sp));
                  std::optional<std::string> next;
                  if (more) next = EncodeCursor(rows->back().created_at, rows->back().id);
                  return Page(std::move(items), next);
                });
}

// ---- analytics ----
void Overview(AppState& s, Request& req, Done done) {
  WithStaffRead(s, req, "analytics.view", std::move(done),
                [from = req.Query("from"), to = req.Query("to")](Ctx& ctx, const StaffCtx&) {
                  auto o = domain::AnalyticsOverview(ctx, from, to);
                  if (!o) return ErrorResponse(o.error());
                  return Json(200, OverviewJson(*o));
                });
}

}  // namespace

void RegisterAdminRoutes(Router& r, AppState& s) {
  auto bind = [&s](void (*fn)(AppState&, Request&, Done)) {
    return [&s, fn](Request& req, Done done) { fn(s, req, std::move(done)); };
  };
  // Knowledge: /search and /reindex before /{id}.
  r.Add("GET", "/api/v1/knowledge", bind(ListKnowledge),
        {.summary = "Knowledge entries",
         .tag = "knowledge",
         .permission = "conversation.view",
         .query = {"category", "status", "q", "limit", "cursor"},
         .response = "List:Knowledge",
         .errors = {400}});
  r.Add("POST", "/api/v1/knowledge", bind(CreateKnowledge),
        {.summary = "Create an entry (searchable before the answer)",
         .tag = "knowledge",
         .permission = "settings.edit",
         .body = "KnowledgeInput",
         .response = "Knowledge",
         .status = 201,
         .errors = {400, 415},
         .idempotent = true});
  r.Add("GET", "/api/v1/knowledge/search", bind(SearchKnowledge),
        {.summary = "Hybrid search with the parts of each score",
         .tag = "knowledge",
         .permission = "conversation.view",
         .query = {"q", "limit"},
         .response = "KnowledgeSearch",
         .errors = {400}});
  r.Add("POST", "/api/v1/knowledge/reindex", bind(ReindexKnowledge),
        {.summary = "Re-chunk and re-embed every entry",
         .tag = "knowledge",
         .permission = "settings.edit",
         .response = "ReindexReport"});
  r.Add("GET", "/api/v1/knowledge/{id}", bind(GetKnowledge),
        {.summary = "An entry",
         .tag = "knowledge",
         .permission = "conversation.view",
         .response = "Knowledge",
         .errors = {404}});
  r.Add("PATCH", "/api/v1/knowledge/{id}", bind(PatchKnowledge),
        {.summary = "Change an entry",
         .tag = "knowledge",
         .permission = "settings.edit",
         .body = "KnowledgePatch",
         .response = "Knowledge",
         .errors = {400, 404, 415}});
  r.Add("DELETE", "/api/v1/knowledge/{id}", bind(DeleteKnowledge),
        {.summary = "Delete an entry",
         .tag = "knowledge",
         .permission = "settings.edit",
         .response = "",
         .status = 204,
         .errors = {404}});

  r.Add("GET", "/api/v1/staff", bind(ListStaff),
        {.summary = "Staff members",
         .tag = "staff",
         .permission = "staff.view",
         .query = {"role", "status", "department", "limit", "cursor"},
         .response = "List:Staff",
         .errors = {400}});
  r.Add("POST", "/api/v1/staff", bind(CreateStaff),
        {.summary = "Create a staff member",
         .tag = "staff",
         .permission = "staff.manage",
         .body = "StaffInput",
         .response = "Staff",
         .status = 201,
         .errors = {400, 409, 415}});
  r.Add("GET", "/api/v1/staff/{id}", bind(GetStaff),
        {.summary = "A staff member",
         .tag = "staff",
         .permission = "staff.view",
         .response = "Staff",
         .errors = {404}});
  r.Add("PATCH", "/api/v1/staff/{id}", bind(PatchStaff),
        {.summary = "Change a staff member (role, status, direct grants, password)",
         .tag = "staff",
         .permission = "staff.manage",
         .body = "StaffPatch",
         .response = "Staff",
         .errors = {400, 404, 409, 415}});

  r.Add("GET", "/api/v1/settings", bind(ListSettings),
        {.summary = "Hotel settings (secrets are never returned)",
         .tag = "settings",
         .permission = "settings.view",
         .response = "List:Setting"});
  r.Add("PUT", "/api/v1/settings/{key}", bind(PutSetting),
        {.summary = "Change a setting (embeddings.* are read-only)",
         .tag = "settings",
         .permission = "settings.edit",
         .body = "SettingInput",
         .response = "Setting",
         .errors = {400, 415}});

  r.Add("GET", "/api/v1/automation/rules", bind(ListRules),
        {.summary = "Automation rules",
         .tag = "automation",
         .permission = "settings.view",
         .query = {"limit", "cursor"},
         .response = "List:AutomationRule",
         .errors = {400}});
  r.Add("POST", "/api/v1/automation/rules", bind(CreateRule),
        {.summary = "Create a rule (configurations validated)",
         .tag = "automation",
         .permission = "settings.edit",
         .body = "AutomationRuleInput",
         .response = "AutomationRule",
         .status = 201,
         .errors = {400, 415},
         .idempotent = true});
  r.Add("GET", "/api/v1/automation/rules/{id}", bind(GetRule),
        {.summary = "A rule",
         .tag = "automation",
         .permission = "settings.view",
         .response = "AutomationRule",
         .errors = {404}});
  r.Add("PATCH", "/api/v1/automation/rules/{id}", bind(PatchRule),
        {.summary = "Change a rule",
         .tag = "automation",
         .permission = "settings.edit",
         .body = "AutomationRulePatch",
         .response = "AutomationRule",
         .errors = {400, 404, 415}});
  r.Add("DELETE", "/api/v1/automation/rules/{id}", bind(DeleteRule),
        {.summary = "Delete a rule",
         .tag = "automation",
         .permission = "settings.edit",
         .response = "",
         .status = 204,
         .errors = {404}});

  r.Add("GET", "/api/v1/audit", bind(ListAudit),
        {.summary = "The audit trail, newest first (append-only: no writes here)",
         .tag = "audit",
         .permission = "staff.manage",
         .query = {"action", "actorId", "resourceType", "resourceId", "since", "limit", "cursor"},
         .response = "List:AuditEntry",
         .errors = {400}});
  r.Add("GET", "/api/v1/analytics/overview", bind(Overview),
        {.summary = "Volume, response times, AI share, escalations and tasks, by hotel day",
         .tag = "analytics",
         .permission = "analytics.view",
         .query = {"from", "to"},
         .response = "AnalyticsOverview",
         .errors = {400}});
}

}  // namespace jack::http
