#include "http/ws.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <deque>

#include "core/log.hpp"
#include "core/strings.hpp"
#include "domain/tokens.hpp"
#include "http/errors.hpp"
#include "http/handlers.hpp"

namespace jack::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;

namespace {

// A socket may hold this much unsent; past it the client is too slow and is disconnected.
constexpr size_t kMaxQueuedFrames = 256;
constexpr size_t kMaxQueuedBytes = 1 << 20;
constexpr size_t kMaxGuestFrame = 64 * 1024;
constexpr int kMaxGuestSockets = 5;

class WsSession : public Subscriber, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(AppState& s, beast::tcp_stream&& stream)
      : s_(s), ws_(std::move(stream)), expiry_(ws_.get_executor()) {}

  ~WsSession() override {
    s_.hub.Remove(this);
    s_.metrics.websockets.fetch_sub(1);
  }

  void Start(bhttp::request<bhttp::string_body> req, int64_t expires_at_unix) {
    s_.metrics.websockets.fetch_add(1);
    ws_.set_option(
        websocket::stream_base::timeout{std::chrono::seconds(10), std::chrono::seconds(60), true});
    ws_.read_message_max(kind == Kind::guest ? kMaxGuestFrame : 4096);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(bhttp::field::server, "jack"); }));
    if (expires_at_unix > 0) {
      // The socket lives no longer than the token that opened it.
      expiry_.expires_at(
          std::chrono::steady_clock::now() +
          std::chrono::seconds(std::max<int64_t>(
              0, expires_at_unix - std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count())));
      expiry_.async_wait([w = weak_from_this()](beast::error_code ec) {
        if (ec) return;
        if (auto self = w.lock())
          self->CloseWith(websocket::close_code::policy_error, "token expired");
      });
    }
    auto self = shared_from_this();
    ws_.async_accept(req, [self](beast::error_code ec) {
      if (ec) return;
      self->s_.hub.Add(self);
      self->Read();
    });
  }

  void Send(std::shared_ptr<const std::string> frame) override {
    net::post(ws_.get_executor(),
              [self = shared_from_this(), frame = std::move(frame)] { self->Enqueue(frame); });
  }

  void Close(const std::string& reason) override {
    net::post(ws_.get_executor(), [self = shared_from_this(), reason] {
      self->CloseWith(websocket::close_code::policy_error, reason.c_str());
    });
  }

  std::string guest_token;

 private:
  void Enqueue(const std::shared_ptr<const std::string>& frame) {
    if (closing_) return;
    if (queue_.size() >= kMaxQueuedFrames || queued_bytes_ + frame->size() > kMaxQueuedBytes) {
      s_.metrics.websocket_drops.fetch_add(1);
      return CloseWith(websocket::close_code::policy_error, "too slow: events were dropped");
    }
    queued_bytes_ += frame->size();
    queue_.push_back(frame);
    if (!writing_) Write();
  }

  void Write() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->queued_bytes_ -= self->queue_.front()->size();
                      self->queue_.pop_front();
                      if (ec) {
                        self->closing_ = true;
                        return;
                      }
                      if (!self->queue_.empty() && !self->closing_)
                        self->Write();
                      else
                        self->writing_ = false;
                    });
  }

  void CloseWith(websocket::close_code code, const char* reason) {
    if (closing_) return;
    closing_ = true;
    expiry_.cancel();
    ws_.async_close(websocket::close_reason(code, reason),
                    [self = shared_from_this()](beast::error_code) {});
  }

  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        self->closing_ = true;
        self->expiry_.cancel();
        if (ec == websocket::error::message_too_big)
          self->Error("PAYLOAD_TOO_LARGE", "the frame is too large", 0);
        return;
      }
      std::string text = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      self->OnFrame(text);
      if (!self->closing_) self->Read();
    });
  }

  void Error(const char* code, const std::string& message, int retry_after) {
    json::object e{{"code", code}, {"message", message}};
    if (retry_after > 0) e["retryAfter"] = retry_after;
    Enqueue(std::make_shared<const std::string>(
        json::serialize(json::object{{"type", "error"}, {"error", e}})));
  }

  void OnFrame(const std::string& text) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    const json::object* o = !ec && v.is_object() ? &v.as_object() : nullptr;
    const json::value* type = o ? o->if_contains("type") : nullptr;
    if (!type || !type->is_string())
      return Error("VALIDATION_ERROR", "frames are JSON objects with a type", 0);
    if (type->as_string() == "ping") {
      return Enqueue(std::make_shared<const std::string>(R"({"type":"pong"})"));
    }
    if (kind != Kind::guest || type->as_string() != "message")
      return Error("VALIDATION_ERROR", "unknown frame type", 0);
    const json::value* content = o->if_contains("content");
    if (!content || !content->is_string())
      return Error("VALIDATION_ERROR", "content must be a string", 0);
    // One message at a time, in the order they came (R3): the next goes once the last is
    // stored and answered.
    if (outbox_.size() >= kMaxWaitingMessages)
      return Error("RATE_LIMITED", "too many messages are waiting; send again shortly", 1);
    outbox_.push_back(std::string(content->as_string()));
    if (!sending_) SendNext();
  }

  void SendNext() {
    if (outbox_.empty() || closing_) {
      sending_ = false;
      return;
    }
    sending_ = true;
    std::string content = std::move(outbox_.front());
    outbox_.pop_front();
    // The answer arrives as message frames through the hub; only errors come back here.
    WebchatSend(s_, guest_token, std::move(content), [w = weak_from_this()](Response r) {
      auto self = w.lock();
      if (!self) return;
      std::string code, message;
      int retry = 0;
      if (r.status >= 400) {
        boost::system::error_code pe;
        auto body = json::parse(r.body, pe);
        code = "INTERNAL_ERROR";
        message = "the message was not taken";
        if (!pe && body.is_object() && body.as_object().if_contains("error")) {
          const auto& e = body.at("error").as_object();
          code = std::string(e.at("code").as_string());
          message = std::string(e.at("message").as_string());
        }
        for (const auto& [k, v] : r.headers)
          if (k == "Retry-After") retry = std::atoi(v.c_str());
      }
      net::post(self->ws_.get_executor(), [self, code, message, retry] {
        if (!code.empty()) self->Error(code.c_str(), message, retry);
        self->SendNext();
      });
    });
  }

  AppState& s_;
  websocket::stream<beast::tcp_stream> ws_;
  net::steady_timer expiry_;
  beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  size_t queued_bytes_ = 0;
  bool writing_ = false, closing_ = false;
  // Guest messages not yet handed to the pipeline, oldest first; `sending_` while one is.
  static constexpr size_t kMaxWaitingMessages = 20;
  std::deque<std::string> outbox_;
  bool sending_ = false;
};

struct Pending {
  beast::tcp_stream stream;
  bhttp::request<bhttp::string_body> req;
};

// Refuses the upgrade with api.md's error body, then closes.
void Refuse(const std::shared_ptr<Pending>& p, Response r) {
  auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
  res->version(11);
  res->result(static_cast<bhttp::status>(r.status));
  res->set(bhttp::field::content_type, "application/json");
  res->set(bhttp::field::server, "jack");
  for (auto& [k, v] : r.headers) res->set(k, v);
  res->body() = r.body;
  res->keep_alive(false);
  res->prepare_payload();
  bhttp::async_write(p->stream, *res, [p, res](beast::error_code, std::size_t) {
    beast::error_code ignored;
    p->stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  });
}

}  // namespace

void AcceptWebSocket(AppState& s, beast::tcp_stream stream,
                     bhttp::request<bhttp::string_body> request, std::string remote_ip) {
  auto p = std::make_shared<Pending>(Pending{std::move(stream), std::move(request)});
  std::string_view target = p->req.target();
  auto q = target.find('?');
  std::string path(target.substr(0, q));
  std::map<std::string, std::string> query;
  if (q != std::string_view::npos) (void)ParseQuery(target.substr(q + 1), query);
  std::string token = query.count("token") ? query["token"] : "";
  auto exec = p->stream.get_executor();
  // Back on the connection's strand with the verdict.
  auto finish = [&s, p, exec](Response refusal, std::shared_ptr<WsSession> session,
                              int64_t expires) {
    net::post(exec, [&s, p, refusal = std::move(refusal), session, expires]() mutable {
      if (!session) return Refuse(p, std::move(refusal));
      (void)s;
      session->Start(std::move(p->req), expires);
    });
  };
  if (path == "/ws") {
    auto claims = domain::VerifyAccessToken(token, s.config.jwt_secret, s.clock->Now());
    if (!claims) return finish(ErrorResponse(claims.error()), nullptr, 0);
    Request req;
    req.headers["authorization"] = "Bearer " + token;
    req.remote_ip = remote_ip;
    WithStaffRead(
        s, req, "",
        [finish](Response r) {
          if (r.status != 200) finish(std::move(r), nullptr, 0);
        },
        [&s, p, finish, expires = claims->expires_at](domain::Ctx&, const StaffCtx& sc) {
          auto session = std::make_shared<WsSession>(s, std::move(p->stream));
          session->kind = Subscriber::Kind::staff;
          session->staff_id = sc.staff.id;
          session->session_id = sc.session_id;
          session->conversations = sc.Can("conversation.view");
          session->tasks = sc.Can("task.view");
          session->redaction = sc.redaction;
          finish({}, session, expires);
          return Response{};
        });
    return;
  }
  if (path == "/ws/chat") {
    if (token.empty() || token.size() > 512)
      return finish(ErrorResponse(Error::Unauthorized("missing session token")), nullptr, 0);
    WebchatSessionOf(s, token, [&s, p, finish, token](Result<std::string> id) {
      if (!id) return finish(ErrorResponse(id.error()), nullptr, 0);
      if (s.hub.GuestSockets(*id) >= kMaxGuestSockets)
        return finish(ErrorResponse(Error::RateLimited(60)), nullptr, 0);
      auto session = std::make_shared<WsSession>(s, std::move(p->stream));
      session->kind = Subscriber::Kind::guest;
      session->webchat_session = *id;
      session->guest_token = token;
      finish({}, session, 0);
    });
    return;
  }
  finish(ErrorResponse(Error::NotFound("no WebSocket at this path")), nullptr, 0);
}

}  // namespace jack::http
