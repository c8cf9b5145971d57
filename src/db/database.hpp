#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace jack::db {

struct OpenOptions {
  std::string path;  // file path or ":memory:"
  bool read_only = false;
  std::string synchronous = "NORMAL";  // NORMAL (the seed's) or FULL (JACK_SQLITE_SYNCHRONOUS)
  bool load_vec = true;                // load sqlite-vec (vec0.so)
  // false: wal_autocheckpoint = 0, for a connection whose WAL a Checkpointer keeps small.
  bool auto_checkpoint = true;
  // PRAGMA mmap_size; the default is JACK_SQLITE_MMAP_MB megabytes (0 when unset).
  int64_t mmap_bytes = DefaultMmapBytes();
  static int64_t DefaultMmapBytes();
};

class Database;

// A cached prepared statement in use. Binds by position (1, 2, ...) in call order; the
// statement is reset and its bindings cleared when the Stmt goes out of scope.
class Stmt {
 public:
  Stmt(Database* db, sqlite3_stmt* s);
  Stmt(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& operator=(Stmt&&) = delete;
  ~Stmt();

  Stmt& Bind(std::nullptr_t);
  Stmt& Bind(int64_t v);
  Stmt& Bind(int v) { return Bind(static_cast<int64_t>(v)); }
  Stmt& Bind(double v);
  Stmt& Bind(std::string_view v);
  Stmt& Bind(const char* v) { return Bind(std::string_view(v)); }
  Stmt& Bind(const std::string& v) { return Bind(std::string_view(v)); }
  Stmt& Bind(const std::optional<std::string>& v);
  Stmt& Bind(const std::optional<double>& v);
  Stmt& Bind(const std::optional<int64_t>& v);
  Stmt& BindBlob(const void* data, size_t size);

  // Steps once: true when a row is available. Errors: conflict (UNIQUE / PRIMARY KEY /
  // FOREIGN KEY), invalid_argument (CHECK / NOT NULL), unavailable (busy), internal.
  Result<bool> Next();
  // Steps to completion (for writes).
  Status Run();

  bool IsNull(int col) const;
  int64_t Int(int col) const;
  double Real(int col) const;
  std::string Text(int col) const;
  std::optional<std::string> OptText(int col) const;
  std::optional<double> OptReal(int col) const;
  std::optional<int64_t> OptInt(int col) const;

 private:
  Database* db_;
  sqlite3_stmt* s_;
  int next_ = 1;
};

// One SQLite connection with the seed's pragmas (WAL, busy_timeout 5000, synchronous,
// foreign_keys ON) and sqlite-vec loaded. Not thread-safe: one thread owns it (the db
// thread, architecture.md).
class Database {
 public:
  static Result<std::unique_ptr<Database>> Open(const OpenOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // A cached statement for `sql` (prepared once per connection).
  Result<Stmt> Query(std::string_view sql);
  // Runs one or more statements without results.
  Status Exec(std::string_view sql);
  int64_t Changes() const;
  const std::string& path() const { return path_; }
  sqlite3* raw() { return db_; }
  bool in_transaction() const;

  Error ErrorFromCode(int rc) const;

  // A consistent online copy to `path` with SQLite's backup API (pages copied in steps,
  // readers and the writer keep working; a step that meets a lock retries). The copy is a
  // plain database file (rollback journal), openable on its own.
  Status BackupTo(const std::string& path);

  // A memo of settings values for db/repositories' GetSetting. It is dropped when this
  // connection writes a setting and when another connection commits (PRAGMA data_version).
  struct SettingsMemo {
    int64_t data_version = -1;
    std::unordered_map<std::string, std::optional<std::string>> values;
  };
  SettingsMemo& settings_memo() { return settings_memo_; }

  // Called after each commit of this connection with the WAL's length in pages (the
  // Checkpointer's kick). Replaces SQLite's auto-checkpoint, so only for connections opened
  // with auto_checkpoint = false.
  void OnWalCommit(std::function<void(int)> hook);

  // Inside a transaction, runs `f` after the outermost one commits or rolls back (a cache that
  // readers fill must be dropped again once the write is visible to them). Outside one, runs
  // `f` at once, which is before any write the caller makes next: call it inside the write's
  // transaction.
  void AfterCommit(std::function<void()> f);
  void RunAfterCommit();

 private:
  SettingsMemo settings_memo_;
  std::vector<std::function<void()>> after_commit_;
  std::function<void(int)> wal_hook_;
  Database() = default;
  sqlite3* db_ = nullptr;
  std::string path_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// RAII transaction: rolls back unless Commit() succeeded. Uses BEGIN IMMEDIATE so that a
// writer takes the lock up front (no upgrade deadlocks between connections). Inside another
// transaction it is a savepoint: its Commit releases it, its rollback undoes only its part,
// and nothing is durable until the outermost one commits.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Status status() const { return begin_; }
  Status Commit();

 private:
  Database& db_;
  Status begin_;
  bool done_ = false;
  std::string savepoint_;  // empty for the outermost transaction
};

// Checkpoints the WAL from its own connection and thread every `period`, and as soon as the
// writer it watches has appended `kick_frames` pages since the last one (a WAL hook), so that
// the writer (opened with auto_checkpoint = false) never pays for a checkpoint inside a
// commit (measured: the p99 of a message + audit insert went from 2.5 ms to the p50's tens
// of microseconds) and the WAL stays short: readers look every page up in it (measured under
// web-chat load: 500 ms periods let it reach 12,000 pages and readers spent a fifth of their
// time in sqlite3WalFindFrame; kicked at 1,000 pages, 2,100 → 2,700 messages a second).
class Checkpointer {
 public:
  Checkpointer(const std::string& path, std::chrono::milliseconds period);
  // Checkpoint now (thread-safe; for the writer's WAL hook).
  void Kick();
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  bool running() const { return db_ != nullptr; }
  int64_t checkpoints() const { return checkpoints_.load(); }
  void Stop();

 private:
  std::chrono::milliseconds period_;
  std::unique_ptr<Database> db_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool kicked_ = false;
  std::atomic<int64_t> checkpoints_{0};
  std::thread thread_;
};

// Where vec0.so was looked for, in order (cli.md: JACK_SQLITE_VEC_PATH, beside the binary,
// ../lib/jack/, the build tree).
std::vector<std::string> VecCandidates();
std::string SqliteVersion();

}  // namespace jack::db
