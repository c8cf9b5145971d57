// Unit tests of the outbound HTTP client against a real HTTP server on loopback (a small one
// written here: it speaks HTTP/1.1 over a socket, as providers do).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "outbound/http_client.hpp"

namespace jack::outbound {
namespace {

// Answers each connection with `response` after `delay`, and keeps the requests it read.
class FakeServer {
 public:
  FakeServer(std::string response, std::chrono::milliseconds delay = {})
      : response_(std::move(response)), delay_(delay) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 8);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<std::string> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void Serve() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string req;
      char buf[4096];
      size_t need = std::string::npos;
      while (true) {
        ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        req.append(buf, static_cast<size_t>(n));
        auto end = req.find("\r\n\r\n");
        if (end != std::string::npos && need == std::string::npos) {
          size_t len = 0;
          auto cl = req.find("Content-Length: ");
          if (cl != std::string::npos && cl < end) len = std::stoul(req.substr(cl + 16));
          need = end + 4 + len;
        }
        if (need != std::string::npos && req.size() >= need) break;
      }
      {
        std::lock_guard lock(mu_);
        requests_.push_back(req);
      }
      std::this_thread::sleep_for(delay_);
      ::send(c, response_.data(), response_.size(), MSG_NOSIGNAL);
      ::close(c);
    }
  }
  std::string response_;
  std::chrono::milliseconds delay_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

std::string Reply(int status, const std::string& body, const std::string& extra = "") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" + extra +
         "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

TEST(Fetch, PostsTheBodyAndHeadersAndReadsTheAnswer) {
  FakeServer server(Reply(201, R"({"ok":true})", "X-Request-Id: abc\r\n"));
  std::string body(5000, 'x');  // over curl's 1 kB "Expect: 100-continue" threshold
  auto r = Fetch("POST", server.url("/v1/things"),
                 {{"Authorization", "Bearer k"}, {"Content-Type", "application/json"}}, body, 2000);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, R"({"ok":true})");
  bool seen = false;
  for (const auto& [k, v] : r->headers) seen = seen || (k == "x-request-id" && v == "abc");
  EXPECT_TRUE(seen) << "header names are lower-cased";
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].rfind("POST /v1/things HTTP/1.1\r\n", 0), 0u) << reqs[0].substr(0, 80);
  EXPECT_NE(reqs[0].find("Authorization: Bearer k\r\n"), std::string::npos);
  EXPECT_EQ(reqs[0].find("Expect:"), std::string::npos) << "no 100-continue round trip";
  EXPECT_EQ(reqs[0].substr(reqs[0].size() - body.size()), body);
}

TEST(Fetch, ErrorStatusesAreAnswersNotFailures) {
  FakeServer server(Reply(429, R"({"error":"slow down"})", "Retry-After: 3\r\n"));
  auto r = Fetch("GET", server.url(), {}, "", 2000);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 429);
}

TEST(Fetch, ASlowServerTimesOut) {
  FakeServer server(Reply(200, "{}"), std::chrono::milliseconds(800));
  auto t0 = std::chrono::steady_clock::now();
  auto r = Fetch("GET", server.url(), {}, "", 200);
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unavailable);
  EXPECT_LT(ms, 700) << "gave up at the time-out, not when the server answered";
}

TEST(Fetch, NobodyListeningAndOtherSchemesFail) {
  int port = 0;
  {
    FakeServer gone(Reply(200, "{}"));
    port = std::stoi(gone.url().substr(17));
  }
  auto r = Fetch("GET", "http://127.0.0.1:" + std::to_string(port) + "/", {}, "", 1000);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unavailable);
  EXPECT_FALSE(Fetch("GET", "file:///etc/passwd", {}, "", 1000));
  EXPECT_FALSE(Fetch("GET", "gopher://127.0.0.1/", {}, "", 1000));
}

}  // namespace
}  // namespace jack::outbound
