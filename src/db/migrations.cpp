#include "db/migrations.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "core/hash.hpp"
#include "core/resources.hpp"
#include "core/time.hpp"

namespace jack::db {
namespace {

constexpr std::string_view kCreateTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at TEXT NOT NULL
))sql";
constexpr std::string_view kSelectApplied =
    "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version";
constexpr std::string_view kInsertApplied =
    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)";

Result<std::map<int, MigrationStatus>> Applied(Database& db) {
  JACK_TRY(db.Exec(kCreateTable));
  auto q = db.Query(kSelectApplied);
  if (!q) return q.error();
  std::map<int, MigrationStatus> out;
  for (;;) {
    auto row = q->Next();
    if (!row) return row.error();
    if (!*row) break;
    MigrationStatus m;
    m.version = static_cast<int>(q->Int(0));
    m.name = q->Text(1);
    m.checksum = q->Text(2);
    m.applied_at = q->Text(3);
    out.emplace(m.version, m);
  }
  return out;
}

Status Verify(const std::map<int, MigrationStatus>& applied) {
  const auto& embedded = EmbeddedMigrations();
  for (const auto& [version, a] : applied) {
    auto it = std::find_if(embedded.begin(), embedded.end(),
                           [&](const Migration& m) { return m.version == version; });
    if (it == embedded.end()) {
      return Error::Conflict("the database has migration " + std::to_string(version) + " (" +
                             a.name + ") that this binary does not know: it is newer than jack");
    }
    if (it->checksum != a.checksum) {
      return Error::Conflict("migration " + a.name +
                             " was changed after it was applied (checksum " +
                             a.checksum.substr(0, 12) + " in the database, " +
                             it->checksum.substr(0, 12) + " in this binary)");
    }
  }
  return {};
}

}  // namespace

const std::vector<Migration>& EmbeddedMigrations() {
  static const std::vector<Migration> migrations = [] {
    std::vector<Migration> out;
    for (auto name : core::ListResources("migrations/")) {
      Migration m;
      m.name = std::string(name.substr(std::string_view("migrations/").size()));
      m.version = std::atoi(m.name.c_str());
      m.sql = std::string(*core::FindResource(name));
      m.checksum = core::Sha256Hex(m.sql);
      if (m.version > 0) out.push_back(std::move(m));
    }
    std::sort(out.begin(), out.end(),
              [](const Migration& a, const Migration& b) { return a.version < b.version; });
    return out;
  }();
  return migrations;
}

Result<int> Migrate(Database& db) { return MigrateTo(db, std::numeric_limits<int>::max()); }

Result<int> MigrateTo(Database& db, int up_to_version) {
  auto applied = Applied(db);
  if (!applied) return applied.error();
  JACK_TRY(Verify(*applied));
  int count = 0;
  for (const auto& m : EmbeddedMigrations()) {
    if (applied->count(m.version) || m.version > up_to_version) continue;
    Transaction tx(db);
    JACK_TRY(tx.status());
    if (auto s = db.Exec(m.sql); !s) {
      Error e = s.error();
      e.message = "migration " + m.name + " failed: " + e.message;
      e.code = Errc::internal;
      return e;
    }
    auto ins = db.Query(kInsertApplied);
    if (!ins) return ins.error();
    JACK_TRY(ins->Bind(m.version)
                 .Bind(m.name)
                 .Bind(m.checksum)
                 .Bind(core::FormatIso(std::chrono::system_clock::now()))
                 .Run());
    JACK_TRY(tx.Commit());
    ++count;
  }
  return count;
}

Result<std::vector<MigrationStatus>> MigrationStatusList(Database& db) {
  auto applied = Applied(db);
  if (!applied) return applied.error();
  std::vector<MigrationStatus> out;
  for (const auto& m : EmbeddedMigrations()) {
    MigrationStatus s{m.version, m.name, m.checksum, ""};
    if (auto it = applied->find(m.version); it != applied->end()) {
      s.applied_at = it->second.applied_at;
      s.checksum = it->second.checksum;
    }
    out.push_back(s);
  }
  for (const auto& [v, a] : *applied) {
    if (std::none_of(out.begin(), out.end(), [&](const auto& s) { return s.version == v; }))
      out.push_back(a);
  }
  return out;
}

Status CheckMigrations(Database& db) {
  auto applied = Applied(db);
  if (!applied) return applied.error();
  JACK_TRY(Verify(*applied));
  for (const auto& m : EmbeddedMigrations()) {
    if (!applied->count(m.version))
      return Error::Unavailable("migration " + m.name + " is pending");
  }
  return {};
}

}  // namespace jack::db
