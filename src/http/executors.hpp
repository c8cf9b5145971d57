#pragma once

#include <functional>
#include <memory>

namespace jack::http {

// The named executors of architecture.md, behind a pimpl so that handlers need no Asio:
// `db` is one thread that owns the SQLite write connection (every service call runs there);
// `egress` is a small pool for blocking or CPU-heavy work (bcrypt, provider calls).
class Workers {
 public:
  Workers();
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  void Db(std::function<void()> f);
  void Egress(std::function<void()> f);
  // Runs queued work to completion and joins the threads.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jack::http
