// Conversations and their messages (api.md, Conversations and messages).
#include <boost/json.hpp>

#include "core/strings.hpp"
#include "core/time.hpp"
#include "db/queries.hpp"
#include "db/repositories.hpp"
#include "domain/conversations.hpp"
#include "http/errors.hpp"
#include "http/handlers.hpp"

namespace jack::http {
namespace json = boost::json;
using domain::Ctx;

namespace {

constexpr size_t kMaxReplyBytes = 16000;

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

bool OneOf(const std::string& v, std::initializer_list<const char*> values) {
  for (const char* x : values)
    if (v == x) return true;
  return false;
}

void ListConversations(AppState& s, Request& req, Done done) {
  auto limit = LimitParam(req.Query("limit"));
  if (!limit) req.Reject(limit.error());
  db::ConversationFilter f;
  Error e = Error::Invalid("invalid query");
  f.state = req.Query("state");
  if (f.state && !OneOf(*f.state, {"new", "active", "escalated", "resolved", "abandoned"}))
    e.fields.push_back({"state", "must be new, active, escalated, resolved or abandoned"});
  f.channel = req.Query("channel");
  if (f.channel && !OneOf(*f.channel, {"whatsapp", "sms", "email", "webchat"}))
    e.fields.push_back({"channel", "must be whatsapp, sms, email or webchat"});
  f.guest_id = req.Query("guestId");
  auto assigned = req.Query("assignedTo");
  if (auto since = req.Query("since")) {
    auto t = core::ParseIso(*since);
    if (!t)
      e.fields.push_back({"since", "must be an ISO 8601 time"});
    else
      f.since = core::FormatIso(*t);
  }
  f.q = req.Query("q");
  if (f.q && (f.q->empty() || f.q->size() > 200)) e.fields.push_back({"q", "1-200 characters"});
  auto sort = req.Query("sort").value_or("urgency");
  if (sort != "urgency" && sort != "recent")
    e.fields.push_back({"sort", "must be urgency or recent"});
  f.recent = sort == "recent";
  if (auto c = req.Query("cursor")) {
    auto dc = DecodeCursor(*c);
    if (!dc)
      e.fields.push_back({"cursor", "is not a cursor this server gave"});
    else
      f.after_key = dc->first, f.after_id = dc->second;
  }
  if (!e.fields.empty()) req.Reject(e);
  f.limit = (limit ? *limit : 50) + 1;
  WithStaffRead(s, req, "conversation.view", std::move(done),
                [f, assigned, lim = (limit ? *limit : 50)](Ctx& ctx, const StaffCtx& sc) mutable {
                  if (assigned == "none")
                    f.unassigned = true;
                  else if (assigned == "me")
                    f.assigned_to = sc.staff.id;
                  else
                    f.assigned_to = assigned;
                  auto rows = db::ListConversations(ctx.db, f);
                  if (!rows) return ErrorResponse(rows.error());
                  bool more = static_cast<int>(rows->size()) > lim;
                  if (more) rows->pop_back();
                  Arena arena;
                  json::array items = arena.Array(rows->size());
                  for (const auto& it : *rows)
                    items.push_back(ConversationListItemJson(it, sc.redaction, arena.sp));
                  std::optional<std::string> next;
                  if (more)
                    next = EncodeCursor(rows->back().sort_key, rows->back().conversation.id);
                  return Page(std::move(items), next);
                });
}

void GetConversation(AppState& s, Request& req, Done done) {
  WithStaffRead(s, req, "conversation.view", std::move(done),
                [id = req.params["id"]](Ctx& ctx, const StaffCtx& sc) {
                  auto c = db::FindConversation(ctx.db, id);
                  if (!c) return ErrorResponse(c.error());
                  if (!*c) return ErrorResponse(Error::NotFound("conversation not found"));
                  return Json(200, ConversationDetail(ctx, **c, sc));
                });
}

void ListConversationMessages(AppState& s, Request& req, Done done) {
  auto limit = LimitParam(req.Query("limit"));
  if (!limit) req.Reject(limit.error());
  db::MessagePage page;
  page.conversation_id = req.params["id"];
  page.limit = (limit ? *limit : 50);
  page.after_id = req.Query("after");
  if (!page.after_id) page.after_id = req.Query("cursor");
  page.before_id = req.Query("before");
  if (page.after_id && page.before_id)
    req.Reject(Error::Invalid("give after or before, not both", "before"));
  WithStaffRead(s, req, "conversation.view", std::move(done), [page](Ctx& ctx, const StaffCtx& sc) {
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
    Arena arena;
    json::array items = arena.Array(rows->size());
    for (const auto& m : *rows) items.push_back(MessageJson(m, sc.redaction, arena.sp));
    std::optional<std::string> next;
    if (more && !rows->empty()) next = page.before_id ? rows->front().id : rows->back().id;
    return Page(std::move(items), next);
  });
}

void PostStaffMessage(AppState& s, Request& req, Done done) {
  WithStaffRequest(
      s, req, "conversation.respond", std::move(done),
      [](Ctx& ctx, const StaffCtx& sc, const Request& rq) {
        auto body = JsonBody(rq);
        if (!body) return BodyError(body.error());
        Fields f(*body);
        auto content = f.String("content", true, kMaxReplyBytes);
        auto type = f.String("contentType", false, 32).value_or("text");
        if (type != "text") f.Fail("contentType", "only text replies can be sent");
        if (auto st = f.Finish(); !st) return BodyError(st.error());
        db::Transaction tx(ctx.db);
        if (!tx.status()) return ErrorResponse(tx.status().error());
        auto c = db::FindConversation(ctx.db, rq.params.at("id"));
        if (!c) return ErrorResponse(c.error());
        if (!*c) return ErrorResponse(Error::NotFound("conversation not found"));
        auto m = domain::StaffReply(ctx, **c, sc.staff.id, *content, type, sc.actor);
        if (!m) return ErrorResponse(m.error());
        if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
        return Json(201, MessageJson(*m, sc.redaction));
      },
      /*idempotent=*/true);
}

// Runs `act` on the conversation in one transaction and answers with its new state. `act`
// reads its fields from the body (an empty body is an empty object).
using ConvAct =
    std::function<Result<bool>(Ctx&, const StaffCtx&, const json::object&, db::ConversationRow&)>;
void ConversationAction(AppState& s, Request& req, Done done, std::string permission, ConvAct act) {
  WithStaffRequest(
      s, req, std::move(permission), std::move(done),
      [act = std::move(act)](Ctx& ctx, const StaffCtx& sc, const Request& rq) {
        auto body = JsonBody(rq, true);
        if (!body) return BodyError(body.error());
        db::Transaction tx(ctx.db);
        if (!tx.status()) return ErrorResponse(tx.status().error());
        auto c = db::FindConversation(ctx.db, rq.params.at("id"));
        if (!c) return ErrorResponse(c.error());
        if (!*c) return ErrorResponse(Error::NotFound("conversation not found"));
        auto r = act(ctx, sc, *body, **c);
        if (!r) return BodyError(r.error());
        if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
        return Json(200, ConversationDetail(ctx, **c, sc));
      },
      /*idempotent=*/true);
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
        auto reason = f.String("reason", true, 500).value_or("");
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

}  // namespace

void RegisterConversationRoutes(Router& r, AppState& s) {
  auto bind = [&s](void (*fn)(AppState&, Request&, Done)) {
    return [&s, fn](Request& req, Done done) { fn(s, req, std::move(done)); };
  };
  const std::string tag = "conversations";
  r.Add("GET", "/api/v1/conversations", bind(ListConversations),
        {.summary = "The inbox: escalated first, then the longest-waiting guest",
         .tag = tag,
         .permission = "conversation.view",
         .query = {"state", "assignedTo", "channel", "guestId", "since", "q", "sort", "limit",
                   "cursor"},
         .response = "List:ConversationListItem",
         .errors = {400}});
  r.Add("GET", "/api/v1/conversations/{id}", bind(GetConversation),
        {.summary = "A conversation with its guest and reservation",
         .tag = tag,
         .permission = "conversation.view",
         .response = "ConversationDetail",
         .errors = {404}});
  r.Add("GET", "/api/v1/conversations/{id}/messages", bind(ListConversationMessages),
        {.summary = "Messages, oldest first",
         .tag = tag,
         .permission = "conversation.view",
         .query = {"after", "before", "limit", "cursor"},
         .response = "List:Message",
         .errors = {400, 404}});
  r.Add("POST", "/api/v1/conversations/{id}/messages", bind(PostStaffMessage),
        {.summary = "A staff reply, sent through the conversation's channel",
         .tag = tag,
         .permission = "conversation.respond",
         .body = "StaffReply",
         .response = "Message",
         .status = 201,
         .errors = {400, 404, 409, 415},
         .idempotent = true});
  r.Add("POST", "/api/v1/conversations/{id}/escalate", bind(EscalateConversation),
        {.summary = "Hand the conversation to people",
         .tag = tag,
         .permission = "conversation.escalate",
         .body = "EscalateRequest",
         .response = "ConversationDetail",
         .errors = {400, 404, 409, 415},
         .idempotent = true});
  r.Add("POST", "/api/v1/conversations/{id}/assign", bind(AssignConversation),
        {.summary = "Assign to a staff member (null to unassign)",
         .tag = tag,
         .permission = "conversation.assign",
         .body = "AssignRequest",
         .response = "ConversationDetail",
         .errors = {400, 404, 409, 415},
         .idempotent = true});
  r.Add("POST", "/api/v1/conversations/{id}/resolve", bind(ResolveConversation),
        {.summary = "Resolve",
         .tag = tag,
         .permission = "conversation.respond",
         .body = "ResolveRequest",
         .response = "ConversationDetail",
         .errors = {400, 404, 409, 415},
         .idempotent = true});
  r.Add("POST", "/api/v1/conversations/{id}/handback", bind(HandBackConversation),
        {.summary = "Hand back to the AI",
         .tag = tag,
         .permission = "conversation.respond",
         .response = "ConversationDetail",
         .errors = {404, 409},
         .idempotent = true});
}

}  // namespace jack::http
