#pragma once

#include <functional>
#include <memory>
#include <string>

namespace jack::db {
class Database;
}

namespace jack::http {

// The named executors of architecture.md, behind a pimpl so that handlers need no Asio:
// `db` is one thread that owns the SQLite write connection (every service call that writes
// runs there); `read` is a small pool whose threads each own a connection to the same file
// for the read-only endpoints (WAL lets them read while the writer writes); `egress` is a
// small pool for blocking or CPU-heavy work (bcrypt, provider calls).
class Workers {
 public:
  Workers();
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  void Db(std::function<void()> f);
  void Egress(std::function<void()> f);
  // Calls to embedding providers over the network: their own threads, so that a stalled
  // provider never delays the CPU work of `egress` (a login's bcrypt).
  void Provider(std::function<void()> f);
  // Calls to the chat model, and the embedding of a guest's question, apart from the index's
  // embedding runs (on `provider`): a long re-embedding run never queues a guest's answer.
  void Model(std::function<void()> f);
  // Starts `threads` readers on the database file at `path` (none for ":memory:", whose data
  // only the writer's connection sees: reads then run on the db thread).
  void StartReaders(const std::string& path, int threads);
  bool has_readers() const;
  // Runs `f` with a reader's connection (on the db thread with `writer` when there are no
  // readers, or when a reader's connection cannot be opened).
  void Read(db::Database& writer, std::function<void(db::Database&)> f);
  // Runs queued work to completion and joins the threads. Work posted to the read or model
  // pool once it is stopping runs on the db thread or on the caller's thread instead.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jack::http
