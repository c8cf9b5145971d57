#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"
#include "http/router.hpp"
#include "http/state.hpp"

namespace jack::http {

// The Beast HTTP server: one io thread, a strand per connection, one request in flight per
// connection. Handlers answer through Done from any thread; the answer is posted back to the
// connection's strand.
class Server {
 public:
  Server(AppState& state, Router& router);
  ~Server();
  // Binds and listens; returns the bound port (for --port 0).
  Result<int> Listen(const std::string& host, int port);
  // Runs the io loop on the calling thread until Stop() or SIGINT/SIGTERM.
  void Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jack::http
