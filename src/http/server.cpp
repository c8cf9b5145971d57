#include "http/server.hpp"

#include <algorithm>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <cctype>
#include <chrono>
#include <optional>
#include <thread>

#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/resources.hpp"
#include "core/strings.hpp"
#include "http/errors.hpp"
#include "http/ws.hpp"

namespace jack::http {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr size_t kHeaderLimit = 16 * 1024;
constexpr size_t kApiBodyLimit = 64 * 1024;
constexpr size_t kWebhookBodyLimit = 1024 * 1024;
constexpr size_t kKnowledgeBodyLimit = 512 * 1024;
constexpr size_t kImportBodyLimit = 8 * 1024 * 1024;
constexpr auto kReadTimeout = std::chrono::seconds(30);

// Request body limits per route (api.md: 413 over them): webhooks take what providers send,
// knowledge entries may be long, a PMS import is a file; everything else is small JSON.
size_t BodyLimitFor(std::string_view target) {
  if (target.substr(0, 10) == "/webhooks/") return kWebhookBodyLimit;
  if (target.substr(0, 27) == "/api/v1/reservations/import") return kImportBodyLimit;
  if (target.substr(0, 17) == "/api/v1/knowledge") return kKnowledgeBodyLimit;
  return kApiBodyLimit;
}

const char* ContentTypeFor(const std::string& path) {
  auto ends = [&](const char* s) {
    std::string_view e(s);
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".json")) return "application/json";
  return "application/octet-stream";
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, AppState& state, Router& router)
      : stream_(std::move(socket)), state_(state), router_(router) {}

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

 private:
  void DoRead() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(kImportBodyLimit);
    stream_.expires_after(kReadTimeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    std::string_view target = parser_->get().target();
    size_t limit = BodyLimitFor(target);
    // Only "chunked" is understood; a body in another transfer-coding would be misread.
    if (auto te = parser_->get().find(bhttp::field::transfer_encoding);
        te != parser_->get().end() && !beast::iequals(te->value(), "chunked"))
      return OnReadError(bhttp::error::bad_transfer_encoding);
    // Beast checks a declared Content-Length against the limit while parsing the header, so a
    // lower limit for this route must be checked here.
    if (auto len = parser_->content_length(); len && *len > limit)
      return OnReadError(bhttp::error::body_limit);
    parser_->body_limit(limit);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    Response r;
    if (ec == bhttp::error::header_limit) {
      r = EdgeError(431, "HEADERS_TOO_LARGE", "request headers are too large");
    } else if (ec == bhttp::error::body_limit) {
      r = EdgeError(413, "PAYLOAD_TOO_LARGE", "request body is too large");
    } else {
      r = EdgeError(400, "VALIDATION_ERROR", "malformed HTTP request");
    }
    close_after_ = true;
    cors_allowed_ = false;
    started_ = std::chrono::steady_clock::now();
    request_id_ = core::NewId();
    method_ = "-";
    path_ = "-";
    Write(std::move(r));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    stream_.expires_never();
    started_ = std::chrono::steady_clock::now();
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    Request req;
    req.method = std::string(msg.method_string());
    std::string_view target = msg.target();
    auto q = target.find('?');
    req.path = std::string(target.substr(0, q));
    for (const auto& field : msg) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers[name] = std::string(field.value());
    }
    // A caller's request id is echoed and logged only if it is a plain token (letters,
    // digits, . _ : -, at most 128): anything else could forge log fields.
    req.request_id = req.Header("x-request-id");
    bool plain = !req.request_id.empty() && req.request_id.size() <= 128 &&
                 std::all_of(req.request_id.begin(), req.request_id.end(), [](unsigned char c) {
                   return std::isalnum(c) || c == '.' || c == '_' || c == ':' || c == '-';
                 });
    if (!plain) req.request_id = core::NewId();
    request_id_ = req.request_id;
    method_ = req.method;
    path_ = req.path;
    beast::error_code ep;
    auto remote = stream_.socket().remote_endpoint(ep);
    req.remote_ip =
        ClientIp(ep ? "unknown" : remote.address().to_string(), req.Header("x-forwarded-for"));
    req.body = std::move(msg.body());
    if (q != std::string_view::npos && !ParseQuery(target.substr(q + 1), req.query)) {
      return Write(EdgeError(400, "VALIDATION_ERROR", "malformed query string"));
    }
    // Every cursor this server gives is an id or base64url: anything else is refused (400,
    // after the token and permission checks) rather than compared against ids.
    if (auto c = req.query.find("cursor"); c != req.query.end()) {
      const auto& v = c->second;
      bool ok =
          !v.empty() && v.size() <= 512 && std::all_of(v.begin(), v.end(), [](unsigned char ch) {
            return std::isalnum(ch) || ch == '-' || ch == '_';
          });
      if (!ok) req.Reject(Error::Invalid("is not a cursor this server gave", "cursor"));
    }
    head_ = req.method == "HEAD";
    if (beast::websocket::is_upgrade(msg)) {
      state_.metrics.Observe(101, 0);
      return AcceptWebSocket(state_, std::move(stream_), parser_->release(), req.remote_ip);
    }
    // CORS (security.cors_origins): a cross-origin browser call from an origin not on the list
    // gets no Access-Control headers (the browser then refuses it); its preflight is 403.
    origin_ = req.Header("origin");
    cors_allowed_ = !origin_.empty() && OriginAllowed(origin_, req.Header("host"));
    if (req.method == "OPTIONS" && !origin_.empty() &&
        !req.Header("access-control-request-method").empty()) {
      if (!cors_allowed_) return Write(EdgeError(403, "FORBIDDEN", "origin not allowed"));
      Response pre;
      pre.status = 204;
      pre.content_type.clear();
      pre.headers.emplace_back("Access-Control-Allow-Methods",
                               "GET, POST, PUT, PATCH, DELETE, OPTIONS");
      pre.headers.emplace_back("Access-Control-Allow-Headers",
                               "Authorization, Content-Type, Idempotency-Key, X-Request-Id");
      pre.headers.emplace_back("Access-Control-Max-Age", "600");
      return Write(std::move(pre));
    }
    Handler* h = nullptr;
    std::string allow;
    auto m = router_.Find(req, h, allow);
    if (m == Router::Match::found) {
      auto self = shared_from_this();
      (*h)(req, [self](Response r) {
        net::post(self->stream_.get_executor(),
                  [self, r = std::move(r)]() mutable { self->Write(std::move(r)); });
      });
      return;
    }
    if (m == Router::Match::no_method) {
      Response r = EdgeError(405, "METHOD_NOT_ALLOWED", "method not allowed on this path");
      r.headers.emplace_back("Allow", allow);
      return Write(std::move(r));
    }
    if (req.method == "GET" || req.method == "HEAD") {
      std::string name = req.path == "/" ? "web/index.html" : "web" + req.path;
      if (name.find("..") == std::string::npos) {
        if (auto res = core::FindResource(name)) {
          Response r;
          r.body = std::string(*res);
          r.content_type = ContentTypeFor(name);
          return Write(std::move(r));
        }
      }
    }
    Write(EdgeError(404, "NOT_FOUND", "no such route"));
  }

  void Write(Response r) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(11);
    res->result(static_cast<bhttp::status>(r.status));
    res->set(bhttp::field::server, "jack");
    if (!r.content_type.empty() && r.status != 204)
      res->set(bhttp::field::content_type, r.content_type);
    res->set("X-Request-Id", request_id_);
    res->set("X-Content-Type-Options", "nosniff");
    res->set("X-Frame-Options", "DENY");
    res->set("Referrer-Policy", "no-referrer");
    res->set("Content-Security-Policy",
             "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    res->set(bhttp::field::cache_control, "no-store");
    if (cors_allowed_) {
      res->set("Access-Control-Allow-Origin", origin_);
      res->set("Access-Control-Expose-Headers", "X-Request-Id, Retry-After");
      res->set(bhttp::field::vary, "Origin");
    }
    for (auto& [k, v] : r.headers) res->set(k, v);
    int status = r.status;
    if (status != 204) res->body() = std::move(r.body);
    res->keep_alive(keep_alive_ && !close_after_);
    res->prepare_payload();
    if (head_) res->body().clear();
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
            .count();
    state_.metrics.Observe(status, ms / 1000.0);
    if (path_ != "/health") {
      char dur[32];
      std::snprintf(dur, sizeof dur, "%.3f", ms);
      std::string st = std::to_string(status);
      // The path only: query strings may carry tokens and never reach the logs.
      core::Log(status >= 500 ? core::LogLevel::error : core::LogLevel::info, "request",
                {{"method", method_},
                 {"path", path_},
                 {"status", st},
                 {"ms", dur},
                 {"requestId", request_id_}});
    }
    bhttp::async_write(stream_, *res,
                       [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
                         self->OnWrite(ec, !res->keep_alive());
                       });
  }

  void OnWrite(beast::error_code ec, bool close) {
    if (ec) return;
    if (close) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    head_ = false;
    DoRead();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  AppState& state_;
  Router& router_;
  // The client's address: the peer, or, when the peer is a trusted proxy
  // (JACK_TRUSTED_PROXIES), the nearest address in X-Forwarded-For that is not one.
  std::string ClientIp(const std::string& peer, const std::string& forwarded) const {
    const auto& trusted = state_.config.trusted_proxies;
    auto is_trusted = [&](const std::string& a) {
      return std::find(trusted.begin(), trusted.end(), a) != trusted.end();
    };
    if (forwarded.empty() || !is_trusted(peer)) return peer;
    auto hops = core::Split(forwarded, ',');
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
      std::string hop(core::Trim(*it));
      if (hop.empty() || hop.size() > 64) break;
      if (!is_trusted(hop)) return hop;
    }
    return peer;
  }

  // Same origin (the Host the request came to), or listed in security.cors_origins.
  bool OriginAllowed(const std::string& origin, const std::string& host) const {
    auto scheme = origin.find("://");
    if (scheme != std::string::npos && !host.empty() && origin.substr(scheme + 3) == host)
      return true;
    auto allowed = state_.CorsOrigins();
    return std::find(allowed->begin(), allowed->end(), origin) != allowed->end();
  }

  bool keep_alive_ = false;
  bool close_after_ = false;
  bool head_ = false;
  bool cors_allowed_ = false;
  std::string origin_;
  std::chrono::steady_clock::time_point started_;
  std::string request_id_, method_, path_;
};

}  // namespace

struct Server::Impl {
  AppState& state;
  Router& router;
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  // Drains the workers on stop while the I/O thread still writes their answers.
  std::thread drain;
  std::optional<net::steady_timer> flush;
  // Keeps run() going while the drain runs: sessions waiting for a worker's answer have no
  // operation pending on the I/O context.
  std::optional<net::executor_work_guard<net::io_context::executor_type>> keep;

  Impl(AppState& s, Router& r) : state(s), router(r) {}
  ~Impl() {
    if (drain.joinable()) drain.join();
  }

  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (!ec) {
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<Session>(std::move(socket), state, router)->Start();
      }
      if (acceptor.is_open()) Accept();
    });
  }
};

Server::Server(AppState& state, Router& router) : impl_(std::make_unique<Impl>(state, router)) {}
Server::~Server() = default;

Result<int> Server::Listen(const std::string& host, int port) {
  beast::error_code ec;
  auto addr = net::ip::make_address(host, ec);
  if (ec) return Error::Invalid("bad listen address " + host);
  tcp::endpoint ep(addr, static_cast<unsigned short>(port));
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return Error::Unavailable("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                              ec.message());
  impl_->Accept();
  return static_cast<int>(a.local_endpoint().port());
}

void Server::Run() {
  impl_->signals.async_wait([this](beast::error_code, int) { Stop(); });
  impl_->ioc.run();
  if (impl_->drain.joinable()) impl_->drain.join();
}

void Server::Stop() {
  // No new connections; the work already accepted runs to its end (Workers::Stop) and its
  // answers are written, then the I/O stops: a guest whose message was stored gets its answer,
  // not a closed connection.
  net::post(impl_->ioc, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
    impl_->signals.cancel(ec);
    if (impl_->drain.joinable()) return;  // stopping already
    impl_->keep.emplace(net::make_work_guard(impl_->ioc));
    impl_->drain = std::thread([this] {
      impl_->state.workers.Stop();
      net::post(impl_->ioc, [this] {
        impl_->flush.emplace(impl_->ioc, std::chrono::milliseconds(200));
        impl_->flush->async_wait([this](beast::error_code) {
          impl_->keep.reset();
          impl_->ioc.stop();
        });
      });
    });
  });
}

}  // namespace jack::http
