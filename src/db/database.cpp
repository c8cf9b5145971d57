#include "db/database.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#ifndef JACK_BUILD_VEC_DIR
#define JACK_BUILD_VEC_DIR ""
#endif

namespace jack::db {
namespace fs = std::filesystem;

Stmt::Stmt(Database* db, sqlite3_stmt* s) : db_(db), s_(s) {}
Stmt::Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_), next_(o.next_) { o.s_ = nullptr; }
Stmt::~Stmt() {
  if (s_) {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
}

Stmt& Stmt::Bind(std::nullptr_t) {
  sqlite3_bind_null(s_, next_++);
  return *this;
}
Stmt& Stmt::Bind(int64_t v) {
  sqlite3_bind_int64(s_, next_++, v);
  return *this;
}
Stmt& Stmt::Bind(double v) {
  sqlite3_bind_double(s_, next_++, v);
  return *this;
}
Stmt& Stmt::Bind(std::string_view v) {
  sqlite3_bind_text(s_, next_++, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::Bind(const std::optional<std::string>& v) {
  return v ? Bind(std::string_view(*v)) : Bind(nullptr);
}
Stmt& Stmt::Bind(const std::optional<double>& v) { return v ? Bind(*v) : Bind(nullptr); }
Stmt& Stmt::Bind(const std::optional<int64_t>& v) { return v ? Bind(*v) : Bind(nullptr); }
Stmt& Stmt::BindBlob(const void* data, size_t size) {
  sqlite3_bind_blob(s_, next_++, data, static_cast<int>(size), SQLITE_TRANSIENT);
  return *this;
}

Result<bool> Stmt::Next() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->ErrorFromCode(rc);
}

Status Stmt::Run() {
  for (;;) {
    auto r = Next();
    if (!r) return r.error();
    if (!*r) return {};
  }
}

bool Stmt::IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
int64_t Stmt::Int(int col) const { return sqlite3_column_int64(s_, col); }
double Stmt::Real(int col) const { return sqlite3_column_double(s_, col); }
std::string Stmt::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  if (!p) return {};
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(s_, col)));
}
std::optional<std::string> Stmt::OptText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}
std::optional<double> Stmt::OptReal(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Real(col);
}
std::optional<int64_t> Stmt::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

std::vector<std::string> VecCandidates() {
  std::vector<std::string> out;
  if (const char* env = std::getenv("JACK_SQLITE_VEC_PATH"); env && *env) out.emplace_back(env);
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    out.push_back((exe.parent_path() / "vec0.so").string());
    out.push_back(
        (exe.parent_path() / ".." / "lib" / "jack" / "vec0.so").lexically_normal().string());
    // a test binary in build/tests finds the copy beside build/jack
    out.push_back((exe.parent_path() / ".." / "vec0.so").lexically_normal().string());
  }
  if (std::string_view(JACK_BUILD_VEC_DIR).size() > 0) {
    out.push_back(std::string(JACK_BUILD_VEC_DIR) + "/vec0.so");
  }
  return out;
}

std::string SqliteVersion() { return sqlite3_libversion(); }

Error Database::ErrorFromCode(int rc) const {
  std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
      rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    return Error::Conflict(msg);
  if (rc == SQLITE_CONSTRAINT_CHECK || rc == SQLITE_CONSTRAINT_NOTNULL ||
      primary == SQLITE_CONSTRAINT || primary == SQLITE_MISMATCH || primary == SQLITE_TOOBIG)
    return Error::Invalid(msg);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Error::Unavailable(msg);
  return Error::Internal("sqlite: " + msg);
}

Result<std::unique_ptr<Database>> Database::Open(const OpenOptions& options) {
  std::unique_ptr<Database> db(new Database());
  db->path_ = options.path;
  int flags =
      options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;
  if (options.path != ":memory:" && !options.read_only) {
    fs::path parent = fs::path(options.path).parent_path();
    std::error_code ec;
    if (!parent.empty()) fs::create_directories(parent, ec);
  }
  int rc = sqlite3_open_v2(options.path.c_str(), &db->db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db->db_ ? sqlite3_errmsg(db->db_) : sqlite3_errstr(rc);
    return Error::Unavailable("cannot open database " + options.path + ": " + msg);
  }
  sqlite3_extended_result_codes(db->db_, 1);
  if (options.load_vec) {
    sqlite3_enable_load_extension(db->db_, 1);
    std::string tried;
    bool loaded = false;
    for (const auto& cand : VecCandidates()) {
      std::error_code ec;
      if (!fs::exists(cand, ec)) {
        tried += (tried.empty() ? "" : ", ") + cand;
        continue;
      }
      char* err = nullptr;
      if (sqlite3_load_extension(db->db_, cand.c_str(), "sqlite3_vec_init", &err) == SQLITE_OK) {
        loaded = true;
        break;
      }
      tried += (tried.empty() ? "" : ", ") + cand + " (" + (err ? err : "load failed") + ")";
      sqlite3_free(err);
    }
    sqlite3_enable_load_extension(db->db_, 0);
    if (!loaded) {
      return Error::Unavailable("sqlite-vec (vec0.so) not found; tried: " + tried +
                                "; set JACK_SQLITE_VEC_PATH or run scripts/setup.sh");
    }
  }
  std::string sync = options.synchronous == "FULL" ? "FULL" : "NORMAL";
  std::string pragmas = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; ";
  if (!options.read_only && options.path != ":memory:") pragmas += "PRAGMA journal_mode = WAL; ";
  pragmas += "PRAGMA synchronous = " + sync + "; ";
  // FAST: deleted and overwritten cells are zeroed inside their b-tree pages (no extra I/O),
  // so that old copies of personal data do not linger in the file; erasure turns it fully on.
  pragmas += "PRAGMA secure_delete = FAST; ";
  // Savepoints (nested db::Transaction) journal the pages they change: in memory, not in a
  // temporary file.
  pragmas += "PRAGMA temp_store = MEMORY; ";
  if (options.path != ":memory:") {
    // A memory map (JACK_SQLITE_MMAP_MB) saves a copy per page read, but every page it touched
    // counts in the process' resident set; off by default (measured: the conversation list
    // serves the same 5,000 requests a second without it, with 37 MB less RSS).
    pragmas += "PRAGMA mmap_size = " + std::to_string(options.mmap_bytes) + "; ";
    // With a Checkpointer running, commits never pay for a checkpoint.
    if (!options.auto_checkpoint) pragmas += "PRAGMA wal_autocheckpoint = 0; ";
  }
  if (auto s = db->Exec(pragmas); !s) return s.error();
  return db;
}

int64_t OpenOptions::DefaultMmapBytes() {
  const char* mb = std::getenv("JACK_SQLITE_MMAP_MB");
  if (!mb || !*mb) return 0;
  long long v = std::atoll(mb);
  return v > 0 && v <= 65536 ? v * 1024 * 1024 : 0;
}

Checkpointer::Checkpointer(const std::string& path, std::chrono::milliseconds period)
    : period_(period) {
  OpenOptions o;
  o.path = path;
  o.load_vec = false;  // checkpoints copy pages; they need no virtual table module
  auto d = Database::Open(o);
  if (!d) return;
  db_ = std::move(*d);
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, period_, [this] { return stop_ || kicked_; });
      kicked_ = false;
      lock.unlock();
      // PASSIVE never waits for readers or the writer; a WAL grown past 4096 pages (16 MB)
      // gets a RESTART, which waits (busy_timeout) so that the file stops growing.
      int log = 0, done = 0;
      int mode = SQLITE_CHECKPOINT_PASSIVE;
      sqlite3_wal_checkpoint_v2(db_->raw(), nullptr, mode, &log, &done);
      if (log > 4096 && done == log)
        sqlite3_wal_checkpoint_v2(db_->raw(), nullptr, SQLITE_CHECKPOINT_RESTART, &log, &done);
      checkpoints_.fetch_add(1);
      lock.lock();
    }
  });
}

Checkpointer::~Checkpointer() { Stop(); }

void Checkpointer::Kick() {
  {
    std::lock_guard lock(mu_);
    kicked_ = true;
  }
  cv_.notify_one();
}

void Checkpointer::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (db_) {
    // A last full checkpoint so that the WAL is small when the process ends.
    sqlite3_wal_checkpoint_v2(db_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    db_.reset();
  }
}

Database::~Database() {
  for (auto& [_, s] : cache_) sqlite3_finalize(s);
  if (db_) sqlite3_close_v2(db_);
}

Result<Stmt> Database::Query(std::string_view sql) {
  std::string key(sql);
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &s, nullptr);
    if (rc != SQLITE_OK) return Error::Internal("prepare: " + std::string(sqlite3_errmsg(db_)));
    it = cache_.emplace(std::move(key), s).first;
  }
  return Stmt(this, it->second);
}

Status Database::Exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Error e = ErrorFromCode(rc);
    if (err) {
      e.message = err;
      sqlite3_free(err);
    }
    return e;
  }
  return {};
}

Status Database::BackupTo(const std::string& path) {
  sqlite3* dest = nullptr;
  if (sqlite3_open_v2(path.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string msg = dest ? sqlite3_errmsg(dest) : "cannot open";
    sqlite3_close(dest);
    return Error::Invalid("cannot write backup " + path + ": " + msg);
  }
  sqlite3_backup* b = sqlite3_backup_init(dest, "main", db_, "main");
  if (!b) {
    std::string msg = sqlite3_errmsg(dest);
    sqlite3_close(dest);
    return Error::Internal("backup: " + msg);
  }
  // All pages in one step: the copy is one read transaction, a consistent snapshot that WAL
  // writers never block. Stepping in slices would restart whenever another connection writes,
  // and a busy server could keep a backup from ever finishing.
  int rc;
  do {
    rc = sqlite3_backup_step(b, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  std::string msg = sqlite3_errmsg(dest);
  sqlite3_close(dest);
  if (rc != SQLITE_DONE) return Error::Internal("backup failed: " + msg);
  return {};
}

int64_t Database::Changes() const { return sqlite3_changes64(db_); }
bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

void Database::OnWalCommit(std::function<void(int)> hook) {
  wal_hook_ = std::move(hook);
  sqlite3_wal_hook(
      db_,
      [](void* self, sqlite3*, const char*, int frames) {
        auto* d = static_cast<Database*>(self);
        if (d->wal_hook_) d->wal_hook_(frames);
        return SQLITE_OK;
      },
      this);
}

void Database::AfterCommit(std::function<void()> f) {
  if (!in_transaction()) {
    f();
    return;
  }
  after_commit_.push_back(std::move(f));
}

void Database::RunAfterCommit() {
  auto fs = std::move(after_commit_);
  after_commit_.clear();
  for (auto& f : fs) f();
}

Transaction::Transaction(Database& db) : db_(db) {
  if (db.in_transaction()) {
    // Nested: a savepoint, so that a service that opens its own transaction composes with a
    // caller that wraps several (the idempotency record and the write it records).
    static std::atomic<int64_t> counter{0};
    savepoint_ = "jack_sp" + std::to_string(++counter);
    begin_ = db.Exec("SAVEPOINT " + savepoint_);
  } else {
    begin_ = db.Exec("BEGIN IMMEDIATE");
  }
  if (!begin_) done_ = true;
}

Transaction::~Transaction() {
  if (!done_) {
    if (savepoint_.empty()) {
      (void)db_.Exec("ROLLBACK");
      db_.RunAfterCommit();
    } else {
      (void)db_.Exec("ROLLBACK TO " + savepoint_);
      (void)db_.Exec("RELEASE " + savepoint_);
    }
    db_.settings_memo().values.clear();
  }
}

Status Transaction::Commit() {
  if (done_) return begin_.ok() ? Status(Error::Internal("transaction already finished")) : begin_;
  auto s = db_.Exec(savepoint_.empty() ? std::string("COMMIT") : "RELEASE " + savepoint_);
  if (!s) {
    if (savepoint_.empty()) {
      (void)db_.Exec("ROLLBACK");
    } else {
      (void)db_.Exec("ROLLBACK TO " + savepoint_);
      (void)db_.Exec("RELEASE " + savepoint_);
    }
    db_.settings_memo().values.clear();
  }
  done_ = true;
  if (savepoint_.empty()) db_.RunAfterCommit();
  return s;
}

}  // namespace jack::db
