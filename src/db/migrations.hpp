#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"

namespace jack::db {

struct Migration {
  int version = 0;
  std::string name;  // file name, e.g. "001_init.sql"
  std::string sql;
  std::string checksum;  // SHA-256 hex of the file
};

struct MigrationStatus {
  int version = 0;
  std::string name;
  std::string checksum;
  std::string applied_at;  // empty when pending
};

// The migrations embedded in this binary, in version order.
const std::vector<Migration>& EmbeddedMigrations();

// Applies pending migrations, each in its own transaction, recording version, name and
// checksum in schema_migrations. Refuses (failed: conflict) when an applied migration's
// checksum differs from the embedded one or the database has a version this binary lacks.
// Returns the number applied.
Result<int> Migrate(Database& db);
// The same, stopping after `up_to_version` (tests of upgrades with data).
Result<int> MigrateTo(Database& db, int up_to_version);
Result<std::vector<MigrationStatus>> MigrationStatusList(Database& db);
// Checks without applying: ok when the schema is current and the checksums match.
Status CheckMigrations(Database& db);

}  // namespace jack::db
