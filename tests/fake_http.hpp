// A small HTTP/1.1 server on loopback for tests of provider and channel clients: it reads
// each request (headers and Content-Length body) from a real socket and answers with what
// the test's handler returns, after an optional delay. One connection at a time.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace jack::fake {

// A whole HTTP response with a JSON body.
inline std::string Reply(int status, const std::string& body, const std::string& extra = "") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" + extra +
         "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

// The body of a raw request.
inline std::string BodyOf(const std::string& request) {
  auto end = request.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : request.substr(end + 4);
}

class FakeHttpServer {
 public:
  // `handler` gets the raw request and the number of requests before it (0 for the first).
  using Handler = std::function<std::string(const std::string& request, int index)>;

  explicit FakeHttpServer(Handler handler, std::chrono::milliseconds delay = {})
      : handler_(std::move(handler)), delay_(delay) {
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
  // Always answers `response`.
  explicit FakeHttpServer(std::string response, std::chrono::milliseconds delay = {})
      : FakeHttpServer([r = std::move(response)](const std::string&, int) { return r; }, delay) {}
  ~FakeHttpServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int port() const { return port_; }
  std::vector<std::string> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  void set_delay(std::chrono::milliseconds d) { delay_ms_ = static_cast<int>(d.count()); }

 private:
  void Serve() {
    delay_ms_ = static_cast<int>(delay_.count());
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
      int index;
      {
        std::lock_guard lock(mu_);
        index = static_cast<int>(requests_.size());
        requests_.push_back(req);
      }
      std::string response = handler_(req, index);
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_.load()));
      ::send(c, response.data(), response.size(), MSG_NOSIGNAL);
      ::close(c);
    }
  }
  Handler handler_;
  std::chrono::milliseconds delay_;
  std::atomic<int> delay_ms_{0};
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace jack::fake
