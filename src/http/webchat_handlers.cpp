#include <boost/json.hpp>
#include <optional>

#include "ai/pipeline.hpp"
#include "core/hash.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "db/repositories.hpp"
#include "domain/conversations.hpp"
#include "domain/guests.hpp"
#include "http/errors.hpp"
#include "http/handlers.hpp"

namespace jack::http {
namespace json = boost::json;
using domain::Ctx;

namespace {

constexpr auto kSessionLife = std::chrono::hours(24 * 7);
constexpr size_t kMaxMessageChars = 4000;

Response Fail(const Error& e) { return BodyError(e); }

using SessionFn = std::function<Response(Ctx&, db::WebchatSessionRow&)>;

// Authenticates a web-chat session token (Bearer) on the db thread.
void WithSession(AppState& s, const Request& req, Done done, SessionFn fn) {
  std::string auth = req.Header("authorization");
  if (auth.size() < 8 || auth.compare(0, 7, "Bearer ") != 0 || auth.size() > 512)
    return done(ErrorResponse(Error::Unauthorized("missing session token")));
  std::string hash = core::Sha256Hex(auth.substr(7));
  OnDb(s, std::move(done), [hash, fn = std::move(fn)](Ctx& ctx) {
    auto sess = db::FindWebchatSessionByTokenHash(ctx.db, hash);
    if (!sess) return ErrorResponse(sess.error());
    if (!*sess || (*sess)->expires_at <= ctx.Now())
      return ErrorResponse(Error::Unauthorized("invalid or expired session"));
    return fn(ctx, **sess);
  });
}

void CreateSession(AppState& s, Request& req, Done done) {
  int retry = 0;
  if (!s.limiter.Take("webchat:sessions:" + req.remote_ip, 60, std::chrono::minutes(1), retry))
    return done(ErrorResponse(Error::RateLimited(retry)));
  auto body = JsonBody(req, true);
  if (!body) return done(Fail(body.error()));
  Fields f(*body);
  auto name = f.String("name", false, 200);
  auto email = f.String("email", false, 254);
  auto language = f.String("language", false, 8);
  if (email) {
    auto e = domain::NormalizeEmail(*email);
    if (!e)
      f.Fail("email", "must be an email address");
    else
      email = *e;
  }
  if (language &&
      (language->size() != 2 || !std::islower((*language)[0]) || !std::islower((*language)[1])))
    f.Fail("language", "must be an ISO 639-1 code such as en");
  if (auto st = f.Finish(); !st) return done(Fail(st.error()));
  if (name) name = std::string(core::Trim(*name));
  OnDb(s, std::move(done), [name, email, language, ip = req.remote_ip](Ctx& ctx) {
    auto now = ctx.clock.Now();
    db::WebchatSessionRow row;
    row.id = core::NewId(now);
    std::string token = core::RandomToken(32);
    row.token_hash = core::Sha256Hex(token);
    row.claimed_name = name && !name->empty() ? name : std::nullopt;
    row.claimed_email = email;
    row.language = language;
    row.ip_address = ip;
    row.created_at = row.last_seen_at = core::FormatIso(now);
    row.expires_at = core::FormatIso(now + kSessionLife);
    db::Transaction tx(ctx.db);
    if (!tx.status()) return ErrorResponse(tx.status().error());
    // A name (and an email nobody has) makes a guest; an email that belongs to a guest stays
    // claimed until the guest verifies with a reservation (api.md, Web chat).
    bool email_taken = false;
    if (email) {
      auto g = db::FindGuestByEmail(ctx.db, *email);
      if (!g) return ErrorResponse(g.error());
      email_taken = g->has_value();
    }
    if (row.claimed_name && !email_taken) {
      domain::GuestInput gi;
      auto space = row.claimed_name->rfind(' ');
      if (space == std::string::npos) {
        gi.first_name = *row.claimed_name;
      } else {
        gi.first_name = std::string(core::Trim(row.claimed_name->substr(0, space)));
        gi.last_name = row.claimed_name->substr(space + 1);
      }
      gi.email = email;
      gi.language = language;
      auto g = domain::CreateGuest(ctx, gi);
      if (!g) return ErrorResponse(g.error());
      row.guest_id = g->id;
    }
    if (auto st = db::InsertWebchatSession(ctx.db, row); !st) return ErrorResponse(st.error());
    if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
    return Json(
        201, json::object{{"sessionId", row.id}, {"token", token}, {"expiresAt", row.expires_at}});
  });
}

void Identify(AppState& s, Request& req, Done done) {
  auto body = JsonBody(req);
  if (!body) return done(Fail(body.error()));
  Fields f(*body);
  auto conf = f.String("confirmationNumber", true, 64);
  auto last = f.String("lastName", true, 200);
  if (auto st = f.Finish(); !st) return done(Fail(st.error()));
  int retry = 0;
  std::string addr_key = "identify:addr:" + req.remote_ip;
  if (!s.limiter.Check(addr_key, 5, std::chrono::minutes(15), retry))
    return done(ErrorResponse(Error::RateLimited(retry)));
  WithSession(
      s, req, std::move(done),
      [&s, conf = std::string(core::Trim(*conf)), last = *last, addr_key](
          Ctx& ctx, db::WebchatSessionRow& sess) {
        int retry = 0;
        std::string sess_key = "identify:session:" + sess.id;
        if (!s.limiter.Check(sess_key, 5, std::chrono::minutes(15), retry))
          return ErrorResponse(Error::RateLimited(retry));
        auto res = db::FindReservationByConfirmation(ctx.db, conf);
        if (!res) return ErrorResponse(res.error());
        std::optional<db::GuestRow> guest;
        if (*res) {
          auto g = db::FindGuest(ctx.db, (*res)->guest_id);
          if (g && *g) guest = **g;
        }
        bool match =
            guest &&
            core::Utf8Lower(core::Trim(guest->last_name)) == core::Utf8Lower(core::Trim(last)) &&
            !guest->last_name.empty();
        if (!match) {
          s.limiter.Record(sess_key);
          s.limiter.Record(addr_key);
          return ErrorResponse(
              Error::NotFound("no reservation matches this confirmation number and last name"));
        }
        db::Transaction tx(ctx.db);
        sess.guest_id = guest->id;
        sess.reservation_id = (*res)->id;
        sess.verified = true;
        sess.last_seen_at = ctx.Now();
        if (auto st = db::UpdateWebchatSession(ctx.db, sess); !st) return ErrorResponse(st.error());
        if (sess.conversation_id) {
          auto c = db::FindConversation(ctx.db, *sess.conversation_id);
          if (c && *c) {
            auto conv = **c;
            conv.guest_id = guest->id;
            conv.reservation_id = (*res)->id;
            conv.updated_at = ctx.Now();
            if (auto st = db::UpdateConversation(ctx.db, conv); !st)
              return ErrorResponse(st.error());
          }
        }
        if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
        return Json(
            200,
            json::object{
                {"verified", true},
                {"guest", json::object{{"firstName", guest->first_name}}},
                {"reservation",
                 json::object{{"confirmationNumber", (*res)->confirmation_number},
                              {"roomNumber", (*res)->room_number
                                                 ? json::value(json::string(*(*res)->room_number))
                                                 : json::value(nullptr)},
                              {"arrivalDate", (*res)->arrival_date},
                              {"departureDate", (*res)->departure_date}}}});
      });
}

// The message of a web-chat session, through the pipeline (POST /webchat/messages and the
// guest socket). `req` carries the token, the body's content and an optional
// Idempotency-Key (scope: the session).
// `rate_taken`: the message already counted against the session's rate (before a model
// call); `received_at`: when it arrived, its time even if the model kept it a while.
void StoreGuestMessage(AppState& s, std::shared_ptr<Request> req, std::string content,
                       std::shared_ptr<const ai::Analysis> analysis, Done done,
                       bool rate_taken = false, std::string received_at = {});

// The CPU half of the pipeline (language, intent model, rules, entities, retrieval) runs on a
// read connection, so that the db thread only stores: the two halves of consecutive messages
// overlap on the two cores.
// Model calls in flight at once, all sessions together (the model pool has 4 threads).
constexpr int kMaxModelCalls = 16;

// A web-chat message's place in its session's rate (10 a minute), taken once per message:
// before a model call or an embedding, else when it is stored.
namespace {
bool TakeMessageRate(AppState& s, const std::string& session_id, int& retry) {
  return s.limiter.Take("webchat:messages:" + session_id, 10, std::chrono::minutes(1), retry);
}
}  // namespace
// A guest waits on the embedding of the question: one short text, which a healthy server
// embeds in tens of milliseconds. Past this (retries included) the words' answer stands.
constexpr long kQuestionEmbeddingBudgetMs = 1000;

namespace {

// The analysis of a guest message on a read connection, then its model call if any, then the
// store. `query_vector`: absent on the first pass; when the analysis wants a look by meaning
// (a remote embedder, a question the words did not answer), the question is embedded on a
// provider thread and the message comes back here with its vector (empty if the embedder
// failed: the words' answer stands). The embedding costs a place in the session's rate like a
// model call, taken before it (`rate_taken`). The message is stored with the time of its
// storing, after the embedding (a time before it would hide it from a cursor that already
// passed).
void AnalyseGuestMessage(AppState& s, db::Database& conn, std::shared_ptr<Request> req,
                         std::string content, Done done, std::string hash,
                         std::optional<std::vector<float>> query_vector, bool rate_taken = false) {
  std::shared_ptr<const ai::Analysis> analysis;
  std::optional<ai::ChatRequest> prompt;
  Ctx rctx{conn, *s.clock};
  auto sess = db::FindWebchatSessionByTokenHash(conn, hash);
  if (sess && *sess && (*sess)->expires_at > rctx.Now()) {
    std::string lang = (*sess)->language.value_or("en");
    bool ai_owned = true;  // a conversation staff own gets no AI answer: nothing to look up
    if ((*sess)->conversation_id) {
      auto c = db::FindConversation(conn, *(*sess)->conversation_id);
      if (c && *c) {
        lang = ai::ConversationLanguage(rctx, **c);
        ai_owned = domain::AiOwns(**c) || (*c)->state == "resolved" || (*c)->state == "abandoned";
      }
    }
    auto a = ai::Analyse(rctx, *s.engine, content, lang);
    // A retry of a message already answered (its Idempotency-Key recorded) is replayed by
    // the store: no model call, no embedding, no place in the rate.
    const bool replay = !req->Header("idempotency-key").empty() &&
                        IdempotentReplay(rctx, *req, "webchat:" + (*sess)->id).has_value();
    int retry = 0;
    if (!replay && !query_vector && ai_owned && ai::WantsMeaningSearch(rctx, *s.engine, a) &&
        TakeMessageRate(s, (*sess)->id, retry)) {
      const auto queued = std::chrono::steady_clock::now();
      s.workers.Model([&s, req, content = std::move(content), done = std::move(done),
                       hash = std::move(hash), queued]() mutable {
        // The budget counts from the message's arrival: time spent queued behind other
        // questions is taken from it, and a question that waited it out is not embedded.
        const long waited = static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  std::chrono::steady_clock::now() - queued)
                                                  .count());
        std::vector<float> v;
        if (waited < kQuestionEmbeddingBudgetMs) {
          if (auto r =
                  s.engine->embedder->EmbedQuestion(content, kQuestionEmbeddingBudgetMs - waited))
            v = std::move(*r);
          else
            core::Log(core::LogLevel::warn, "question not embedded: the words' answer stands",
                      {{"error", r.error().message}});
        }
        s.workers.Read(*s.db,
                       [&s, req, content = std::move(content), done = std::move(done),
                        hash = std::move(hash), v = std::move(v)](db::Database& conn) mutable {
                         AnalyseGuestMessage(s, conn, req, std::move(content), std::move(done),
                                             std::move(hash), std::move(v), true);
                       });
      });
      return;
    }
    if (query_vector && !query_vector->empty()) {
      if (auto st = ai::SearchByMeaning(rctx, a, content, *query_vector); !st)
        core::Log(core::LogLevel::warn, "search by meaning failed: the words' answer stands",
                  {{"error", st.error().message}});
    }
    analysis = std::make_shared<const ai::Analysis>(std::move(a));
    if (s.engine->chat && !replay) {
      auto p = ai::ModelPrompt(rctx, *s.engine, *analysis, (*sess)->conversation_id.value_or(""),
                               content, (*sess)->verified);
      if (p && *p) prompt = std::move(**p);
    }
    // A model call costs money: the message takes its place in the session's rate first,
    // and at most kMaxModelCalls run at once; past either the local engine answers (and the
    // store answers 429 to a message over the rate, as without a model).
    if (prompt) {
      if (!rate_taken && !TakeMessageRate(s, (*sess)->id, retry)) {
        prompt.reset();
      } else {
        rate_taken = true;
        if (s.model_calls.fetch_add(1) >= kMaxModelCalls) {
          s.model_calls.fetch_sub(1);
          prompt.reset();
        }
      }
    }
  }
  if (!prompt)
    return StoreGuestMessage(s, req, std::move(content), std::move(analysis), std::move(done),
                             rate_taken);
  // The model writes on its own threads; whatever happens there (an error, the time-out)
  // the message is stored and answered, by the local engine if need be.
  const auto queued = std::chrono::steady_clock::now();
  const std::string received_at = rctx.Now();
  s.workers.Model([&s, req, content = std::move(content), analysis, done = std::move(done),
                   prompt = std::move(*prompt), queued, received_at]() mutable {
    auto a = std::make_shared<ai::Analysis>(*analysis);
    // Waited its time-out in the queue already: the local engine answers at once.
    const auto waited = std::chrono::steady_clock::now() - queued;
    Result<ai::ChatReply> reply = Error::Unavailable("the model's queue was too long");
    if (waited < std::chrono::milliseconds(s.engine->chat->timeout_ms()))
      reply = s.engine->chat->Complete(prompt);
    s.model_calls.fetch_sub(1);
    if (reply) {
      auto parsed = ai::ParseModelAnswer(reply->text);
      if (parsed)
        a->model_answer = std::move(*parsed);
      else
        core::Log(core::LogLevel::warn, "model answer not usable: the local reply is sent",
                  {{"error", parsed.error().message}});
    } else {
      core::Log(core::LogLevel::warn, "model call failed: the local reply is sent",
                {{"error", reply.error().message}});
    }
    StoreGuestMessage(s, req, std::move(content), std::move(a), std::move(done),
                      /*rate_taken=*/true, received_at);
  });
}

}  // namespace

void SendGuestMessage(AppState& s, std::shared_ptr<Request> req, std::string content, Done done) {
  std::string auth = req->Header("authorization");
  if (auth.size() < 8 || auth.compare(0, 7, "Bearer ") != 0 || auth.size() > 512)
    return done(ErrorResponse(Error::Unauthorized("missing session token")));
  std::string hash = core::Sha256Hex(auth.substr(7));
  s.workers.Read(*s.db, [&s, req, content = std::move(content), done = std::move(done),
                         hash = std::move(hash)](db::Database& conn) mutable {
    AnalyseGuestMessage(s, conn, req, std::move(content), std::move(done), std::move(hash),
                        std::nullopt);
  });
}

void StoreGuestMessage(AppState& s, std::shared_ptr<Request> req, std::string content,
                       std::shared_ptr<const ai::Analysis> analysis, Done done, bool rate_taken,
                       std::string received_at) {
  WithSession(s, *req, std::move(done),
              [&s, req, content = std::move(content), analysis, rate_taken,
               received_at = std::move(received_at)](Ctx& ctx, db::WebchatSessionRow& sess) {
                const std::string scope = "webchat:" + sess.id;
                // With an Idempotency-Key, the answer is recorded in the transaction of the message
                // (the pipeline's own becomes a savepoint of it); without one, no outer transaction
                // (savepoints journal every page they change).
                std::optional<db::Transaction> outer;
                if (!req->Header("idempotency-key").empty()) {
                  outer.emplace(ctx.db);
                  if (!outer->status()) return ErrorResponse(outer->status().error());
                  if (auto replay = IdempotentReplay(ctx, *req, scope)) return *replay;
                }
                int retry = 0;
                if (!rate_taken && !TakeMessageRate(s, sess.id, retry))
                  return ErrorResponse(Error::RateLimited(retry));
                auto now = ctx.clock.Now();
                if (!sess.conversation_id) {
                  db::ConversationRow c;
                  c.id = core::NewId(now);
                  c.guest_id = sess.guest_id;
                  c.reservation_id = sess.reservation_id;
                  c.channel_type = "webchat";
                  c.channel_id = sess.id;
                  c.state = "new";
                  if (sess.language)
                    c.metadata = json::serialize(json::object{{"language", *sess.language}});
                  c.created_at = c.updated_at = core::FormatIso(now);
                  db::Transaction tx(ctx.db);
                  if (auto st = db::InsertConversation(ctx.db, c); !st)
                    return ErrorResponse(st.error());
                  sess.conversation_id = c.id;
                  if (auto st = db::UpdateWebchatSession(ctx.db, sess); !st)
                    return ErrorResponse(st.error());
                  if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
                }
                ai::InboundMessage in;
                in.conversation_id = *sess.conversation_id;
                in.content = content;
                in.verified = sess.verified;
                in.actor = domain::Actor::Guest(sess.guest_id.value_or(""));
                in.analysis = analysis;
                if (!received_at.empty()) in.created_at = received_at;
                auto out = ai::HandleInbound(ctx, *s.engine, in);
                if (!out) return ErrorResponse(out.error());
                s.metrics.guest_messages.fetch_add(1);
                // Sliding expiry, written at most once a minute per session.
                if (sess.last_seen_at < core::FormatIso(now - std::chrono::minutes(1))) {
                  sess.last_seen_at = core::FormatIso(now);
                  sess.expires_at = core::FormatIso(now + kSessionLife);
                  (void)db::UpdateWebchatSession(ctx.db, sess);
                }
                json::array replies;
                for (const auto& r : out->replies) replies.push_back(PublicMessageJson(r));
                Response r = Json(200, json::object{{"conversationId", out->conversation.id},
                                                    {"message", PublicMessageJson(out->inbound)},
                                                    {"replies", replies}});
                if (outer) {
                  Remember(ctx, *req, scope, r);
                  if (auto st = outer->Commit(); !st) return ErrorResponse(st.error());
                }
                return r;
              });
}

Result<std::string> MessageContent(const Request& req) {
  auto body = JsonBody(req);
  if (!body) return body.error();
  Fields f(*body);
  auto content = f.String("content", true, kMaxMessageChars * 4);
  if (content && core::Utf8Length(*content) > kMaxMessageChars)
    f.Fail("content", "must be at most 4000 characters");
  else if (content && !core::HasVisibleText(*content))
    f.Fail("content", "must not be empty");
  JACK_TRY(f.Finish());
  return *content;
}

void PostMessage(AppState& s, Request& req, Done done) {
  auto content = MessageContent(req);
  if (!content) return done(Fail(content.error()));
  SendGuestMessage(s, std::make_shared<Request>(std::move(req)), std::move(*content),
                   std::move(done));
}

void GetMessages(AppState& s, Request& req, Done done) {
  auto limit = LimitParam(req.Query("limit"));
  if (!limit) return done(ErrorResponse(limit.error()));
  if (req.rejected) return done(ErrorResponse(*req.rejected));
  auto after = req.Query("cursor");
  int lim = *limit;
  WithSession(s, req, std::move(done), [lim, after](Ctx& ctx, db::WebchatSessionRow& sess) {
    json::array items;
    json::value next = nullptr;
    if (sess.conversation_id) {
      db::MessagePage page;
      page.conversation_id = *sess.conversation_id;
      page.limit = lim;
      page.after_id = after;
      auto rows = db::ListMessages(ctx.db, page);
      if (!rows) return ErrorResponse(rows.error());
      bool more = static_cast<int>(rows->size()) > lim;
      if (more) rows->pop_back();
      for (const auto& m : *rows) items.push_back(PublicMessageJson(m));
      if (more) next = json::string(rows->back().id);
    }
    return Json(200, json::object{{"items", items}, {"nextCursor", next}});
  });
}

}  // namespace

void WebchatSend(AppState& s, const std::string& token, const std::string& content, Done done) {
  if (!core::IsValidUtf8(content) || core::Utf8Length(content) > kMaxMessageChars)
    return done(ErrorResponse(Error::Invalid("must be UTF-8, at most 4000 characters", "content")));
  if (!core::HasVisibleText(content))
    return done(ErrorResponse(Error::Invalid("must not be empty", "content")));
  auto req = std::make_shared<Request>();
  req->method = "WS";
  req->headers["authorization"] = "Bearer " + token;
  SendGuestMessage(s, req, content, std::move(done));
}

void WebchatSessionOf(AppState& s, const std::string& token,
                      std::function<void(Result<std::string>)> done) {
  Request req;
  req.headers["authorization"] = "Bearer " + token;
  auto out = std::make_shared<std::string>();
  WithSession(
      s, req,
      [out, done](Response r) {
        if (r.status == 200) return done(*out);
        done(Error::Unauthorized("invalid or expired session"));
      },
      [out](Ctx&, db::WebchatSessionRow& sess) {
        *out = sess.id;
        Response ok;
        return ok;
      });
}

void RegisterWebchatRoutes(Router& r, AppState& s) {
  auto bind = [&s](void (*fn)(AppState&, Request&, Done)) {
    return [&s, fn](Request& req, Done done) { fn(s, req, std::move(done)); };
  };
  const std::string tag = "webchat";
  r.Add("POST", "/api/v1/webchat/sessions", bind(CreateSession),
        {.summary = "Open a web-chat session (60 a minute per address)",
         .tag = tag,
         .auth = "none",
         .body = "WebchatSessionRequest",
         .response = "WebchatSession",
         .status = 201,
         .errors = {400, 415, 429}});
  r.Add("POST", "/api/v1/webchat/identify", bind(Identify),
        {.summary = "Verify the guest with a confirmation number and last name",
         .tag = tag,
         .auth = "webchat",
         .body = "IdentifyRequest",
         .response = "IdentifyResult",
         .errors = {400, 401, 404, 415, 429}});
  r.Add("POST", "/api/v1/webchat/messages", bind(PostMessage),
        {.summary = "A guest message and what the concierge answered",
         .tag = tag,
         .auth = "webchat",
         .body = "WebchatMessageRequest",
         .response = "WebchatExchange",
         .errors = {400, 401, 409, 415, 429},
         .idempotent = true});
  r.Add("GET", "/api/v1/webchat/messages", bind(GetMessages),
        {.summary = "The session's history",
         .tag = tag,
         .auth = "webchat",
         .query = {"limit", "cursor"},
         .response = "List:PublicMessage",
         .errors = {400, 401}});
}

}  // namespace jack::http
