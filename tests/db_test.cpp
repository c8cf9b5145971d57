// Unit tests of the storage layer: migration 1 against the seed, pragmas, CHECK constraints,
// FTS and vec0 tables, migration bookkeeping, transactions and repositories.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "db/database.hpp"
#include "db/lifecycle.hpp"
#include "db/migrations.hpp"
#include "db/repositories.hpp"

namespace jack::db {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<Database> OpenMemory() {
  auto d = Database::Open({":memory:"});
  if (!d) throw std::runtime_error("open :memory: failed: " + d.error().message);
  return std::move(*d);
}

std::unique_ptr<Database> Migrated() {
  auto d = OpenMemory();
  auto n = Migrate(*d);
  if (!n) throw std::runtime_error("migrate failed: " + n.error().message);
  return d;
}

// All rows of a one-column text query.
std::vector<std::string> Strings(Database& d, const std::string& sql) {
  auto q = d.Query(sql);
  if (!q) throw std::runtime_error(q.error().message);
  std::vector<std::string> out;
  for (;;) {
    auto r = q->Next();
    if (!r) throw std::runtime_error(r.error().message);
    if (!*r) break;
    out.push_back(q->Text(0));
  }
  return out;
}

std::string One(Database& d, const std::string& sql) {
  auto v = Strings(d, sql);
  return v.empty() ? std::string("<no row>") : v[0];
}

int64_t Count(Database& d, const std::string& sql) { return std::stoll(One(d, sql)); }

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/jack-db-test-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// ---------------------------------------------------------------------------------------------
// Migration 1: the seed's schema
// ---------------------------------------------------------------------------------------------

TEST(Schema, EmptyDatabaseMigratesAllEmbeddedMigrations) {
  auto d = OpenMemory();
  ASSERT_GE(EmbeddedMigrations().size(), 1u);
  EXPECT_EQ(EmbeddedMigrations()[0].name, "001_init.sql");
  EXPECT_EQ(EmbeddedMigrations()[0].version, 1);
  auto n = Migrate(*d);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, static_cast<int>(EmbeddedMigrations().size()));
  EXPECT_EQ(Count(*d, "SELECT count(*) FROM schema_migrations"),
            static_cast<int64_t>(EmbeddedMigrations().size()));
  EXPECT_TRUE(CheckMigrations(*d));
}

TEST(Schema, EverySeedTableExists) {
  auto d = Migrated();
  auto names = Strings(*d, "SELECT name FROM sqlite_master WHERE type = 'table'");
  std::set<std::string> have(names.begin(), names.end());
  for (const char* t : {"settings", "guests", "reservations", "conversations", "messages", "tasks",
                        "staff", "knowledge_base", "knowledge_fts", "knowledge_embeddings",
                        "automation_rules", "audit_log", "schema_migrations"}) {
    EXPECT_TRUE(have.count(t)) << "missing table " << t;
  }
  EXPECT_NE(One(*d, "SELECT sql FROM sqlite_master WHERE name = 'knowledge_fts'").find("fts5"),
            std::string::npos);
  EXPECT_NE(
      One(*d, "SELECT sql FROM sqlite_master WHERE name = 'knowledge_embeddings'").find("vec0"),
      std::string::npos);
}

TEST(Schema, EverySeedColumnExists) {
  // The seed's columns, exactly as data-model.md names them (later migrations may add more).
  const std::map<std::string, std::vector<std::string>> seed = {
      {"settings", {"key", "value", "updated_at"}},
      {"guests",
       {"id", "first_name", "last_name", "email", "phone", "language", "loyalty_tier", "vip_status",
        "external_ids", "preferences", "stay_count", "total_revenue", "last_stay_date", "notes",
        "tags", "created_at", "updated_at"}},
      {"reservations",
       {"id",
        "guest_id",
        "confirmation_number",
        "external_id",
        "room_number",
        "room_type",
        "arrival_date",
        "departure_date",
        "status",
        "estimated_arrival",
        "actual_arrival",
        "estimated_departure",
        "actual_departure",
        "rate_code",
        "total_rate",
        "balance",
        "special_requests",
        "notes",
        "synced_at",
        "created_at",
        "updated_at"}},
      {"conversations",
       {"id", "guest_id", "reservation_id", "channel_type", "channel_id", "state", "assigned_to",
        "current_intent", "metadata", "last_message_at", "resolved_at", "idle_warned_at",
        "created_at", "updated_at"}},
      {"messages",
       {"id", "conversation_id", "direction", "sender_type", "sender_id", "content", "content_type",
        "media", "intent", "confidence", "entities", "channel_message_id", "delivery_status",
        "delivery_error", "created_at"}},
      {"tasks",
       {"id", "conversation_id", "type", "department", "room_number", "description", "items",
        "priority", "status", "assigned_to", "external_id", "external_system", "due_at",
        "started_at", "completed_at", "notes", "completion_notes", "created_at", "updated_at"}},
      {"staff",
       {"id", "email", "name", "phone", "role", "department", "permissions", "status",
        "last_active_at", "password_hash", "created_at", "updated_at"}},
      {"knowledge_base",
       {"id", "category", "title", "content", "keywords", "status", "created_at", "updated_at"}},
      {"automation_rules",
       {"id", "name", "description", "trigger_type", "trigger_config", "action_type",
        "action_config", "enabled", "created_at", "updated_at"}},
      {"audit_log",
       {"id", "actor_type", "actor_id", "action", "resource_type", "resource_id", "details",
        "ip_address", "user_agent", "created_at"}},
  };
  auto d = Migrated();
  for (const auto& [table, cols] : seed) {
    auto have_v = Strings(*d, "SELECT name FROM pragma_table_info('" + table + "')");
    std::set<std::string> have(have_v.begin(), have_v.end());
    for (const auto& c : cols) EXPECT_TRUE(have.count(c)) << table << "." << c << " is missing";
  }
}

TEST(Schema, EverySeedIndexExists) {
  auto d = Migrated();
  auto names = Strings(*d, "SELECT name FROM sqlite_master WHERE type = 'index'");
  std::set<std::string> have(names.begin(), names.end());
  for (const char* i : {"idx_guests_email",
                        "idx_guests_phone",
                        "idx_guests_name",
                        "idx_reservations_guest",
                        "idx_reservations_dates",
                        "idx_reservations_status",
                        "idx_reservations_room",
                        "idx_conversations_guest",
                        "idx_conversations_channel",
                        "idx_conversations_state",
                        "idx_conversations_assigned",
                        "idx_messages_conversation",
                        "idx_messages_created",
                        "idx_messages_channel_id",
                        "idx_tasks_conversation",
                        "idx_tasks_status",
                        "idx_tasks_department",
                        "idx_tasks_assigned",
                        "idx_tasks_room",
                        "idx_staff_role",
                        "idx_staff_department",
                        "idx_knowledge_category",
                        "idx_knowledge_status",
                        "idx_automation_enabled",
                        "idx_automation_trigger",
                        "idx_audit_created",
                        "idx_audit_actor",
                        "idx_audit_resource",
                        "idx_audit_action"}) {
    EXPECT_TRUE(have.count(i)) << "missing index " << i;
  }
  // The unique and partial indexes keep their seed semantics.
  std::string email = One(*d, "SELECT sql FROM sqlite_master WHERE name = 'idx_guests_email'");
  EXPECT_NE(email.find("UNIQUE"), std::string::npos) << email;
  EXPECT_NE(email.find("WHERE email IS NOT NULL"), std::string::npos) << email;
  std::string phone = One(*d, "SELECT sql FROM sqlite_master WHERE name = 'idx_guests_phone'");
  EXPECT_NE(phone.find("UNIQUE"), std::string::npos) << phone;
}

// ---------------------------------------------------------------------------------------------
// Conformance: the migrated schema against a database built from the seed's own SQL
// (tests/data/seed_schema.sql, the SQL blocks of data-model.md verbatim).
// ---------------------------------------------------------------------------------------------

std::unique_ptr<Database> FromSeedSql() {
  std::ifstream in(std::string(JACK_SOURCE_DIR) + "/tests/data/seed_schema.sql");
  std::stringstream sql;
  sql << in.rdbuf();
  if (sql.str().empty()) throw std::runtime_error("tests/data/seed_schema.sql is missing");
  auto d = OpenMemory();
  auto st = d->Exec(sql.str());
  if (!st) throw std::runtime_error("seed SQL failed: " + st.error().message);
  return d;
}

// Rows of any query as "|"-joined strings (NULL shown as <null>).
std::vector<std::string> Rows(Database& d, const std::string& sql, int cols) {
  auto q = d.Query(sql);
  if (!q) throw std::runtime_error(q.error().message + " in " + sql);
  std::vector<std::string> out;
  for (;;) {
    auto r = q->Next();
    if (!r) throw std::runtime_error(r.error().message);
    if (!*r) break;
    std::string row;
    for (int i = 0; i < cols; ++i) {
      if (i) row += "|";
      row += q->IsNull(i) ? "<null>" : q->Text(i);
    }
    out.push_back(row);
  }
  return out;
}

// Whitespace collapsed and lower-cased, SQL comments dropped: two spellings of one statement
// compare equal.
std::string NormalSql(const std::string& sql) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql.compare(i, 2, "--") == 0) {
      while (i < sql.size() && sql[i] != '\n') ++i;
      space = true;
      continue;
    }
    unsigned char ch = static_cast<unsigned char>(sql[i]);
    if (std::isspace(ch)) {
      space = true;
      continue;
    }
    if (space && !out.empty() && out.back() != '(' && ch != ')' && ch != ',') out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(ch));
  }
  return out;
}

// The seed's own tables, not the shadow tables of FTS5 and vec0 nor SQLite's.
#define kNotShadow                                                                  \
  "name NOT GLOB 'knowledge_fts_*' AND name NOT GLOB 'knowledge_embeddings_*' AND " \
  "name NOT GLOB 'sqlite_*'"

// Columns Jack adds to seed tables in later migrations (never changing a seed column).
const std::set<std::string> kJackColumns = {"knowledge_base.language",
                                            "conversations.awaiting_since",
                                            "conversations.queue_key", "messages.sensitivity"};

TEST(Conformance, EveryTableColumnTypeNotNullDefaultAndKeyIsTheSeeds) {
  auto seed = FromSeedSql();
  auto jack = Migrated();
  auto tables = Strings(*seed,
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
                        "'CREATE VIRTUAL%' AND " kNotShadow " ORDER BY name");
  ASSERT_EQ(tables.size(), 10u);  // settings ... audit_log
  for (const auto& t : tables) {
    const std::string q =
        "SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('" + t + "')";
    auto want = Rows(*seed, q, 6);
    auto have = Rows(*jack, q, 6);
    ASSERT_GE(have.size(), want.size()) << t;
    for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(have[i], want[i]) << "table " << t;
    for (size_t i = want.size(); i < have.size(); ++i) {
      auto name = have[i].substr(have[i].find('|') + 1);
      name = name.substr(0, name.find('|'));
      EXPECT_TRUE(kJackColumns.count(t + "." + name)) << "unexpected column " << t << "." << name;
    }
  }
}

TEST(Conformance, EveryIndexHasTheSeedsColumnsUniquenessAndWhere) {
  auto seed = FromSeedSql();
  auto jack = Migrated();
  auto tables = Strings(*seed,
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
                        "'CREATE VIRTUAL%' AND " kNotShadow " ORDER BY name");
  int compared = 0;
  for (const auto& t : tables) {
    const std::string list = "SELECT name, \"unique\", origin, partial FROM pragma_index_list('" +
                             t + "') ORDER BY name";
    auto want = Rows(*seed, list, 4);
    auto have_v = Rows(*jack, list, 4);
    std::set<std::string> have(have_v.begin(), have_v.end());
    for (const auto& w : want) {
      EXPECT_TRUE(have.count(w)) << "index row " << w << " of " << t;
      const std::string name = w.substr(0, w.find('|'));
      const std::string info =
          "SELECT seqno, cid, name FROM pragma_index_info('" + name + "') ORDER BY seqno";
      if (name.rfind("sqlite_autoindex_", 0) != 0) {
        EXPECT_EQ(Rows(*jack, info, 3), Rows(*seed, info, 3)) << name;
        const std::string sql = "SELECT sql FROM sqlite_master WHERE name = '" + name + "'";
        EXPECT_EQ(NormalSql(One(*jack, sql)), NormalSql(One(*seed, sql))) << name;
      }
      ++compared;
    }
  }
  EXPECT_GE(compared, 29);
}

TEST(Conformance, EveryForeignKeyIsTheSeeds) {
  auto seed = FromSeedSql();
  auto jack = Migrated();
  int compared = 0;
  for (const auto& t : Strings(*seed, "SELECT name FROM sqlite_master WHERE type = 'table'")) {
    const std::string q =
        "SELECT \"table\", \"from\", \"to\", on_update, on_delete, match FROM "
        "pragma_foreign_key_list('" +
        t + "') ORDER BY \"from\"";
    auto want = Rows(*seed, q, 6);
    EXPECT_EQ(Rows(*jack, q, 6), want) << t;
    compared += static_cast<int>(want.size());
  }
  EXPECT_EQ(compared, 7);
}

TEST(Conformance, FtsAndVecTablesAreDeclaredAsInTheSeed) {
  auto seed = FromSeedSql();
  auto jack = Migrated();
  for (const char* t : {"knowledge_fts", "knowledge_embeddings"}) {
    const std::string sql = std::string("SELECT sql FROM sqlite_master WHERE name = '") + t + "'";
    EXPECT_EQ(NormalSql(One(*jack, sql)), NormalSql(One(*seed, sql))) << t;
    const std::string cols = std::string("SELECT name, type FROM pragma_table_info('") + t + "')";
    EXPECT_EQ(Rows(*jack, cols, 2), Rows(*seed, cols, 2)) << t;
  }
  EXPECT_EQ(One(*jack, "SELECT value FROM settings WHERE key = 'embeddings.dimensions'"),
            One(*seed, "SELECT value FROM settings WHERE key = 'embeddings.dimensions'"));
}

// The CHECK constraints are Jack's only change to the seed's CREATE TABLE statements: with
// them stripped, each statement is the seed's.
TEST(Conformance, TableStatementsDifferOnlyByChecks) {
  auto seed = FromSeedSql();
  auto one = Database::Open({":memory:"});
  ASSERT_TRUE(one);
  ASSERT_TRUE(MigrateTo(**one, 1));
  auto strip_checks = [](std::string s) {
    for (size_t p; (p = s.find(" check (")) != std::string::npos ||
                   (p = s.find(" check(")) != std::string::npos;) {
      size_t i = s.find('(', p);
      int depth = 0;
      size_t j = i;
      for (; j < s.size(); ++j) {
        if (s[j] == '(') ++depth;
        if (s[j] == ')' && --depth == 0) break;
      }
      s.erase(p, j + 1 - p);
    }
    return s;
  };
  for (const auto& t : Strings(*seed,
                               "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT "
                               "LIKE 'CREATE VIRTUAL%' AND " kNotShadow)) {
    // Later migrations append Jack's columns (ALTER TABLE); migration 1 is the seed's.
    const std::string sql = "SELECT sql FROM sqlite_master WHERE name = '" + t + "'";
    EXPECT_EQ(strip_checks(NormalSql(One(**one, sql))), NormalSql(One(*seed, sql))) << t;
  }
}

// Migration 1 alone is the seed (with its CHECKs and the FTS sync triggers): every table and
// index of it and nothing of Jack's own; Jack's tables and indexes come later.
TEST(Conformance, MigrationOneAloneIsTheSeedAndNothingMore) {
  auto seed = FromSeedSql();
  auto one = Database::Open({":memory:"});
  ASSERT_TRUE(one);
  ASSERT_TRUE(MigrateTo(**one, 1));
  const std::string objects =
      "SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('table', 'index') AND "
      "name <> 'schema_migrations' AND name NOT LIKE 'sqlite_autoindex_schema_migrations%' "
      "AND " kNotShadow " ORDER BY 1";
  EXPECT_EQ(Strings(**one, objects), Strings(*seed, objects));
  EXPECT_EQ(Strings(**one,
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name <> "
                    "'knowledge_base' ORDER BY 1"),
            std::vector<std::string>{})
      << "migration 1's only triggers keep knowledge_fts in sync";
  const std::string kb = "SELECT sql FROM sqlite_master WHERE name = 'knowledge_base'";
  EXPECT_NE(NormalSql(One(**one, kb)).find("category"), std::string::npos);
  // After every migration: the indexes on seed tables are the seed's and Jack's listed ones.
  auto latest = Migrated();
  const std::set<std::string> jack_indexes = {"idx_conversations_queue",
                                              "idx_conversations_recent"};
  for (const auto& t : Strings(*seed,
                               "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT "
                               "LIKE 'CREATE VIRTUAL%' AND " kNotShadow)) {
    const std::string list = "SELECT name FROM pragma_index_list('" + t + "') ORDER BY name";
    auto want = Strings(*seed, list);
    std::set<std::string> allowed(want.begin(), want.end());
    for (const auto& name : Strings(*latest, list))
      EXPECT_TRUE(allowed.count(name) || jack_indexes.count(name))
          << "index " << name << " on seed table " << t << " is neither the seed's nor listed";
  }
}

TEST(Schema, SeedEmbeddingSettings) {
  auto d = Migrated();
  auto model = GetSetting(*d, "embeddings.model");
  ASSERT_TRUE(model);
  ASSERT_TRUE(model->has_value());
  EXPECT_EQ(**model, "text-embedding-3-small");
  auto dims = GetSetting(*d, "embeddings.dimensions");
  ASSERT_TRUE(dims && dims->has_value());
  EXPECT_EQ(**dims, "1536");
}

TEST(Pragmas, FileDatabaseHasTheSeedPragmas) {
  TempDir tmp;
  auto d = Database::Open({tmp.File("jack.db")});
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(One(**d, "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(One(**d, "PRAGMA busy_timeout"), "5000");
  EXPECT_EQ(One(**d, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(One(**d, "PRAGMA synchronous"), "1");  // NORMAL
  // Jack's own: deleted cells zeroed (no stale copies of personal data), savepoint journals
  // in memory, no memory map unless asked (JACK_SQLITE_MMAP_MB).
  EXPECT_EQ(One(**d, "PRAGMA secure_delete"), "2");  // FAST
  EXPECT_EQ(One(**d, "PRAGMA temp_store"), "2");     // MEMORY
  EXPECT_EQ(One(**d, "PRAGMA mmap_size"), "0");
  ASSERT_TRUE(Migrate(**d));
  EXPECT_TRUE(fs::exists(tmp.File("jack.db")));
}

TEST(Pragmas, SynchronousFullWhenAsked) {
  TempDir tmp;
  OpenOptions o{tmp.File("full.db")};
  o.synchronous = "FULL";
  auto d = Database::Open(o);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(One(**d, "PRAGMA synchronous"), "2");
}

TEST(Pragmas, ForeignKeysAreEnforced) {
  auto d = Migrated();
  auto s = d->Exec(
      "INSERT INTO messages (id, conversation_id, direction, sender_type, content) "
      "VALUES ('m1', 'no-such-conversation', 'inbound', 'guest', 'hi')");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, Errc::conflict) << s.error().message;
}

// ---------------------------------------------------------------------------------------------
// CHECK constraints on every enumerated column
// ---------------------------------------------------------------------------------------------

struct EnumColumn {
  std::string table, column;
  std::vector<std::string> allowed;
};

void PrintTo(const EnumColumn& c, std::ostream* os) { *os << c.table << "." << c.column; }

// A valid row of `table` (column → value) with fresh unique keys; parents are created first.
std::map<std::string, std::string> ValidRow(Database& d, const std::string& table) {
  static int n = 0;
  std::string id = "row-" + std::to_string(++n);
  if (table == "conversations")
    return {{"id", id}, {"channel_type", "webchat"}, {"channel_id", id}, {"state", "new"}};
  if (table == "messages") {
    std::string conv = "conv-of-" + id;
    if (!d.Exec("INSERT INTO conversations (id, channel_type, channel_id) VALUES ('" + conv +
                "', 'webchat', 'x')"))
      throw std::runtime_error("parent conversation");
    return {{"id", id},
            {"conversation_id", conv},
            {"direction", "inbound"},
            {"sender_type", "guest"},
            {"content", "hi"},
            {"content_type", "text"},
            {"delivery_status", "sent"}};
  }
  if (table == "tasks")
    return {{"id", id},           {"type", "housekeeping"}, {"department", "housekeeping"},
            {"description", "d"}, {"priority", "standard"}, {"status", "pending"}};
  if (table == "staff")
    return {{"id", id},
            {"email", id + "@example.com"},
            {"name", "N"},
            {"role", "admin"},
            {"status", "active"}};
  if (table == "reservations") {
    std::string guest = "guest-of-" + id;
    if (!d.Exec("INSERT INTO guests (id, first_name, last_name) VALUES ('" + guest +
                "', 'A', 'B')"))
      throw std::runtime_error("parent guest");
    return {{"id", id},
            {"guest_id", guest},
            {"confirmation_number", id},
            {"room_type", "Std"},
            {"arrival_date", "2026-12-01"},
            {"departure_date", "2026-12-03"},
            {"status", "confirmed"}};
  }
  if (table == "knowledge_base")
    return {
        {"id", id}, {"category", "faq"}, {"title", "T"}, {"content", "C"}, {"status", "active"}};
  if (table == "automation_rules")
    return {{"id", id},
            {"name", "R"},
            {"trigger_type", "event_based"},
            {"trigger_config", "{}"},
            {"action_type", "send_message"},
            {"action_config", "{}"}};
  if (table == "audit_log")
    return {{"id", id}, {"actor_type", "system"}, {"action", "a"}, {"resource_type", "r"}};
  throw std::runtime_error("no valid row for " + table);
}

Status InsertRow(Database& d, const std::string& table,
                 const std::map<std::string, std::string>& row) {
  std::string cols, marks;
  for (const auto& [k, v] : row) {
    cols += (cols.empty() ? "" : ", ") + k;
    marks += marks.empty() ? "?" : ", ?";
  }
  auto q = d.Query("INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ")");
  if (!q) return q.error();
  for (const auto& [k, v] : row) q->Bind(v);
  return q->Run();
}

class EnumCheck : public ::testing::TestWithParam<EnumColumn> {};

TEST_P(EnumCheck, AcceptsDocumentedValuesAndRefusesOthers) {
  const auto& p = GetParam();
  auto d = Migrated();
  for (const auto& v : p.allowed) {
    auto row = ValidRow(*d, p.table);
    row[p.column] = v;
    auto s = InsertRow(*d, p.table, row);
    EXPECT_TRUE(s.ok()) << p.table << "." << p.column << " = '" << v
                        << "' refused: " << (s.ok() ? "" : s.error().message);
  }
  for (const std::string& bad :
       std::vector<std::string>{"bogus", "", " " + p.allowed[0], p.allowed[0] + "x"}) {
    auto row = ValidRow(*d, p.table);
    row[p.column] = bad;
    auto s = InsertRow(*d, p.table, row);
    ASSERT_FALSE(s.ok()) << p.table << "." << p.column << " accepted '" << bad << "'";
    EXPECT_EQ(s.error().code, Errc::invalid_argument) << s.error().message;
    EXPECT_NE(s.error().message.find("CHECK"), std::string::npos) << s.error().message;
  }
  // Case matters: the stored values are lower-case codes.
  auto row = ValidRow(*d, p.table);
  std::string up = p.allowed[0];
  for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  row[p.column] = up;
  EXPECT_FALSE(InsertRow(*d, p.table, row).ok()) << p.table << "." << p.column << " = " << up;
}

INSTANTIATE_TEST_SUITE_P(
    SeedEnums, EnumCheck,
    ::testing::Values(
        EnumColumn{
            "conversations", "state", {"new", "active", "escalated", "resolved", "abandoned"}},
        EnumColumn{"conversations", "channel_type", {"whatsapp", "sms", "email", "webchat"}},
        EnumColumn{"messages", "direction", {"inbound", "outbound"}},
        EnumColumn{"messages", "sender_type", {"guest", "ai", "staff", "system"}},
        EnumColumn{"messages",
                   "content_type",
                   {"text", "image", "audio", "video", "document", "location", "interactive"}},
        EnumColumn{
            "messages", "delivery_status", {"pending", "sent", "delivered", "read", "failed"}},
        EnumColumn{
            "tasks", "type", {"housekeeping", "maintenance", "concierge", "room_service", "other"}},
        EnumColumn{"tasks", "priority", {"urgent", "high", "standard", "low"}},
        EnumColumn{
            "tasks", "status", {"pending", "assigned", "in_progress", "completed", "cancelled"}},
        EnumColumn{"staff",
                   "role",
                   {"admin", "manager", "front_desk", "concierge", "housekeeping", "maintenance"}},
        EnumColumn{"staff", "status", {"active", "inactive"}},
        EnumColumn{"reservations",
                   "status",
                   {"confirmed", "checked_in", "checked_out", "cancelled", "no_show"}},
        EnumColumn{
            "knowledge_base", "category", {"faq", "policy", "amenity", "menu", "local", "service"}},
        EnumColumn{"knowledge_base", "status", {"active", "draft", "archived"}},
        EnumColumn{
            "automation_rules", "trigger_type", {"time_based", "event_based", "condition_based"}},
        EnumColumn{
            "automation_rules", "action_type", {"send_message", "create_task", "notify_staff"}},
        EnumColumn{"audit_log", "actor_type", {"staff", "system", "guest"}}),
    [](const ::testing::TestParamInfo<EnumColumn>& i) {
      return i.param.table + "_" + i.param.column;
    });

TEST(Checks, DeliveryStatusMayBeNull) {
  auto d = Migrated();
  auto row = ValidRow(*d, "messages");
  row.erase("delivery_status");
  ASSERT_TRUE(InsertRow(*d, "messages", row));
  EXPECT_EQ(One(*d, "SELECT delivery_status FROM messages WHERE id = '" + row["id"] + "'"),
            "sent");  // the seed's default
  ASSERT_TRUE(d->Exec("UPDATE messages SET delivery_status = NULL WHERE id = '" + row["id"] + "'"));
}

TEST(Checks, SeedDefaults) {
  auto d = Migrated();
  ASSERT_TRUE(
      d->Exec("INSERT INTO conversations (id, channel_type, channel_id) VALUES ('c', "
              "'sms', '+351912345678')"));
  EXPECT_EQ(One(*d, "SELECT state FROM conversations WHERE id = 'c'"), "active");
  EXPECT_EQ(One(*d, "SELECT metadata FROM conversations WHERE id = 'c'"), "{}");
  ASSERT_TRUE(d->Exec("INSERT INTO guests (id, first_name, last_name) VALUES ('g', 'A', 'B')"));
  EXPECT_EQ(One(*d,
                "SELECT language || '|' || external_ids || '|' || preferences || '|' || tags "
                "FROM guests WHERE id = 'g'"),
            "en|{}|[]|[]");
}

// ---------------------------------------------------------------------------------------------
// Full-text and vector search tables
// ---------------------------------------------------------------------------------------------

int64_t FtsHits(Database& d, const std::string& word) {
  auto q = d.Query("SELECT count(*) FROM knowledge_fts WHERE knowledge_fts MATCH ?");
  if (!q) throw std::runtime_error(q.error().message);
  q->Bind(word);
  auto r = q->Next();
  if (!r || !*r) throw std::runtime_error("fts count");
  return q->Int(0);
}

TEST(Fts, FollowsInsertsUpdatesAndDeletes) {
  auto d = Migrated();
  ASSERT_TRUE(
      d->Exec("INSERT INTO knowledge_base (id, category, title, content) VALUES "
              "('k1', 'faq', 'Zebracorn rules', 'The zebracorn is fed at noon.'),"
              "('k2', 'faq', 'Pool', 'The pool opens at seven.')"));
  EXPECT_EQ(FtsHits(*d, "zebracorn"), 1);
  EXPECT_EQ(FtsHits(*d, "pool"), 1);

  ASSERT_TRUE(
      d->Exec("UPDATE knowledge_base SET content = 'The unicornfish swims at dusk.' "
              "WHERE id = 'k1'"));
  EXPECT_EQ(FtsHits(*d, "unicornfish"), 1) << "new content must be found";
  EXPECT_EQ(FtsHits(*d, "noon"), 0) << "old content must be gone";
  EXPECT_EQ(FtsHits(*d, "zebracorn"), 1) << "the title was not changed";

  ASSERT_TRUE(d->Exec("UPDATE knowledge_base SET title = 'Fish' WHERE id = 'k1'"));
  EXPECT_EQ(FtsHits(*d, "zebracorn"), 0);
  EXPECT_EQ(FtsHits(*d, "fish"), 1);

  // Through the repository too.
  auto k = FindKnowledge(*d, "k2");
  ASSERT_TRUE(k && k->has_value());
  KnowledgeRow row = **k;
  row.content = "The spa closes at nine.";
  row.updated_at = "2026-12-03T10:00:00.000Z";
  ASSERT_TRUE(UpdateKnowledge(*d, row));
  EXPECT_EQ(FtsHits(*d, "spa"), 1);
  EXPECT_EQ(FtsHits(*d, "seven"), 0);
  auto hits = SearchKnowledgeFts(*d, "\"spa\"", 5);
  ASSERT_TRUE(hits);
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].row.id, "k2");

  ASSERT_TRUE(d->Exec("DELETE FROM knowledge_base WHERE id = 'k1'"));
  EXPECT_EQ(FtsHits(*d, "unicornfish"), 0);
  EXPECT_EQ(FtsHits(*d, "fish"), 0);
  EXPECT_EQ(FtsHits(*d, "spa"), 1);
  // The index is consistent with its content table.
  EXPECT_TRUE(
      d->Exec("INSERT INTO knowledge_fts(knowledge_fts, rank) VALUES('integrity-check', 1)"));
}

// VACUUM renumbers the implicit rowids of knowledge_base (seed-notes.md); the FTS index then
// points at the wrong rows until it is rebuilt, which VacuumAndRebuildFts does at once.
TEST(Fts, VacuumIsFollowedByARebuildSoSearchStillFindsTheRightRows) {
  auto d = Migrated();
  for (int i = 0; i < 40; ++i)
    ASSERT_TRUE(d->Exec("INSERT INTO knowledge_base (id, category, title, content) VALUES ('k" +
                        std::to_string(i) + "', 'faq', 'Entry " + std::to_string(i) +
                        "', 'filler text " + std::to_string(i) + "')"));
  ASSERT_TRUE(
      d->Exec("INSERT INTO knowledge_base (id, category, title, content) VALUES "
              "('last', 'faq', 'Zebracorn', 'The zebracorn is fed at noon.')"));
  ASSERT_TRUE(d->Exec("DELETE FROM knowledge_base WHERE id GLOB 'k*'"));
  ASSERT_TRUE(VacuumAndRebuildFts(*d));
  auto hits = SearchKnowledgeFts(*d, "\"zebracorn\"", 5);
  ASSERT_TRUE(hits) << hits.error().message;
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].row.id, "last");
  EXPECT_EQ((*hits)[0].row.content, "The zebracorn is fed at noon.");
  EXPECT_TRUE(
      d->Exec("INSERT INTO knowledge_fts(knowledge_fts, rank) VALUES('integrity-check', 1)"));
}

TEST(Fts, RepositoryInsertIsSearchableAtOnce) {
  auto d = Migrated();
  KnowledgeRow k;
  k.id = core::NewId();
  k.category = "amenity";
  k.title = "Rooftop bar";
  k.content = "The rooftop bar serves cocktails until midnight.";
  k.created_at = k.updated_at = "2026-12-03T10:00:00.000Z";
  ASSERT_TRUE(InsertKnowledge(*d, k));
  auto hits = SearchKnowledgeFts(*d, "\"cocktails\"*", 5);
  ASSERT_TRUE(hits) << hits.error().message;
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].row.title, "Rooftop bar");
  // Archived entries are not search results.
  k.status = "archived";
  ASSERT_TRUE(UpdateKnowledge(*d, k));
  hits = SearchKnowledgeFts(*d, "\"cocktails\"*", 5);
  ASSERT_TRUE(hits);
  EXPECT_TRUE(hits->empty());
}

std::vector<float> Basis(size_t dims, size_t hot, float other = 0.0f) {
  std::vector<float> v(dims, other);
  v[hot] = 1.0f;
  return v;
}

TEST(Vec, KnowledgeEmbeddingsIsVec0With1536Dimensions) {
  auto d = Migrated();
  auto ins = [&](const std::string& id, const std::vector<float>& v) {
    auto q = d->Query("INSERT INTO knowledge_embeddings (id, embedding) VALUES (?, ?)");
    if (!q) return Status(q.error());
    q->Bind(id).BindBlob(v.data(), v.size() * sizeof(float));
    return q->Run();
  };
  ASSERT_TRUE(ins("a", Basis(1536, 0)));
  ASSERT_TRUE(ins("b", Basis(1536, 1)));
  ASSERT_TRUE(ins("c", Basis(1536, 2)));
  EXPECT_FALSE(ins("short", Basis(384, 0)).ok()) << "a 384-dim vector must not fit FLOAT[1536]";
  EXPECT_EQ(Count(*d, "SELECT count(*) FROM knowledge_embeddings"), 3);

  auto query = Basis(1536, 1, 0.01f);
  auto q =
      d->Query("SELECT id, distance FROM knowledge_embeddings WHERE embedding MATCH ? AND k = 1");
  ASSERT_TRUE(q) << q.error().message;
  q->BindBlob(query.data(), query.size() * sizeof(float));
  auto r = q->Next();
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(*r);
  EXPECT_EQ(q->Text(0), "b");
  EXPECT_LT(q->Real(1), 0.5);
  auto r2 = q->Next();
  ASSERT_TRUE(r2);
  EXPECT_FALSE(*r2) << "k = 1 returns one row";
}

TEST(Vec, JsonVectorsAreAcceptedToo) {
  auto d = Migrated();
  std::string json = "[";
  for (int i = 0; i < 1536; ++i) json += (i ? "," : "") + std::string(i == 7 ? "1.0" : "0.0");
  json += "]";
  auto q = d->Query("INSERT INTO knowledge_embeddings (id, embedding) VALUES ('j', ?)");
  ASSERT_TRUE(q);
  q->Bind(json);
  ASSERT_TRUE(q->Run());
  auto s = d->Query("SELECT id FROM knowledge_embeddings WHERE embedding MATCH ? AND k = 1");
  ASSERT_TRUE(s);
  s->Bind(json);
  auto r = s->Next();
  ASSERT_TRUE(r && *r);
  EXPECT_EQ(s->Text(0), "j");
}

// ---------------------------------------------------------------------------------------------
// Migration bookkeeping
// ---------------------------------------------------------------------------------------------

TEST(Migrations, SecondRunAppliesNothing) {
  auto d = OpenMemory();
  auto first = Migrate(*d);
  ASSERT_TRUE(first);
  EXPECT_GT(*first, 0);
  auto second = Migrate(*d);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(*second, 0);
}

TEST(Migrations, StatusListsAppliedWithChecksums) {
  auto d = OpenMemory();
  auto before = MigrationStatusList(*d);
  ASSERT_TRUE(before);
  ASSERT_FALSE(before->empty());
  for (const auto& m : *before) EXPECT_TRUE(m.applied_at.empty()) << m.name;
  EXPECT_FALSE(CheckMigrations(*d).ok()) << "pending migrations make the database not ready";
  ASSERT_TRUE(Migrate(*d));
  auto after = MigrationStatusList(*d);
  ASSERT_TRUE(after);
  for (const auto& m : *after) {
    EXPECT_FALSE(m.applied_at.empty()) << m.name;
    EXPECT_EQ(m.checksum.size(), 64u) << m.name;
  }
  EXPECT_EQ((*after)[0].checksum, EmbeddedMigrations()[0].checksum);
}

TEST(Migrations, ChangedChecksumIsAConflict) {
  auto d = Migrated();
  ASSERT_TRUE(d->Exec("UPDATE schema_migrations SET checksum = 'deadbeef' WHERE version = 1"));
  auto r = Migrate(*d);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::conflict) << r.error().message;
  EXPECT_NE(r.error().message.find("001_init.sql"), std::string::npos) << r.error().message;
  auto c = CheckMigrations(*d);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::conflict);
}

TEST(Migrations, UnknownNewerVersionIsRefused) {
  auto d = Migrated();
  ASSERT_TRUE(
      d->Exec("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES "
              "(999, '999_future.sql', 'abc', '2030-01-01T00:00:00.000Z')"));
  auto r = Migrate(*d);
  ASSERT_FALSE(r.ok()) << "a database newer than the binary must not be used";
  EXPECT_EQ(r.error().code, Errc::conflict);
  EXPECT_NE(r.error().message.find("999"), std::string::npos) << r.error().message;
}

TEST(Migrations, FailedMigrationLeavesNoTrace) {
  // A database where migration 1's objects exist in a conflicting form: the migration fails
  // and nothing is recorded as applied.
  auto d = OpenMemory();
  ASSERT_TRUE(d->Exec("CREATE TABLE staff (id TEXT PRIMARY KEY)"));  // lacks the seed columns
  auto r = Migrate(*d);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Count(*d, "SELECT count(*) FROM schema_migrations"), 0);
  EXPECT_EQ(Count(*d, "SELECT count(*) FROM sqlite_master WHERE name = 'settings'"), 0)
      << "the failed migration's transaction must roll back";
}

// ---------------------------------------------------------------------------------------------
// Transactions
// ---------------------------------------------------------------------------------------------

TEST(Transactions, RollsBackWhenNotCommitted) {
  auto d = Migrated();
  {
    Transaction tx(*d);
    ASSERT_TRUE(tx.status());
    EXPECT_TRUE(d->in_transaction());
    ASSERT_TRUE(PutSetting(*d, "test.key", "v1", "2026-12-03T10:00:00.000Z"));
    auto in = GetSetting(*d, "test.key");
    ASSERT_TRUE(in && in->has_value());  // visible inside
  }
  EXPECT_FALSE(d->in_transaction());
  EXPECT_EQ(Count(*d, "SELECT count(*) FROM settings WHERE key = 'test.key'"), 0)
      << "an uncommitted transaction must roll back";
  auto after = GetSetting(*d, "test.key");
  ASSERT_TRUE(after);
  EXPECT_FALSE(after->has_value())
      << "GetSetting must not answer from a value that was rolled back (got '"
      << after->value_or("") << "')";
}

TEST(Transactions, SettingReadAfterRollbackIsTheCommittedValue) {
  auto d = Migrated();
  ASSERT_TRUE(PutSetting(*d, "hotel.name", "Committed", "2026-12-03T10:00:00.000Z"));
  {
    Transaction tx(*d);
    ASSERT_TRUE(tx.status());
    ASSERT_TRUE(PutSetting(*d, "hotel.name", "Rolled back", "2026-12-03T10:00:01.000Z"));
    auto inside = GetSetting(*d, "hotel.name");
    ASSERT_TRUE(inside && inside->has_value());
    EXPECT_EQ(**inside, "Rolled back");
  }
  EXPECT_EQ(One(*d, "SELECT value FROM settings WHERE key = 'hotel.name'"), "Committed");
  auto after = GetSetting(*d, "hotel.name");
  ASSERT_TRUE(after && after->has_value());
  EXPECT_EQ(**after, "Committed");
}

TEST(Transactions, CommitKeepsAndSecondCommitFails) {
  auto d = Migrated();
  Transaction tx(*d);
  ASSERT_TRUE(tx.status());
  ASSERT_TRUE(PutSetting(*d, "test.key", "v1", "2026-12-03T10:00:00.000Z"));
  ASSERT_TRUE(tx.Commit());
  EXPECT_FALSE(tx.Commit().ok());
  auto v = GetSetting(*d, "test.key");
  ASSERT_TRUE(v && v->has_value());
  EXPECT_EQ(**v, "v1");
}

TEST(Transactions, NestedOnesAreSavepointsOfTheOuter) {
  auto d = Migrated();
  {
    Transaction outer(*d);
    ASSERT_TRUE(outer.status());
    ASSERT_TRUE(PutSetting(*d, "test.outer", "1", "2026-12-03T10:00:00.000Z"));
    {
      Transaction kept(*d);
      ASSERT_TRUE(kept.status());
      ASSERT_TRUE(PutSetting(*d, "test.kept", "1", "2026-12-03T10:00:00.000Z"));
      ASSERT_TRUE(kept.Commit());
    }
    {
      Transaction undone(*d);
      ASSERT_TRUE(undone.status());
      ASSERT_TRUE(PutSetting(*d, "test.undone", "1", "2026-12-03T10:00:00.000Z"));
      // no Commit: only this part is rolled back
    }
    EXPECT_TRUE(d->in_transaction()) << "an inner rollback must not end the outer transaction";
    ASSERT_TRUE(outer.Commit());
  }
  EXPECT_TRUE(GetSetting(*d, "test.outer")->has_value());
  EXPECT_TRUE(GetSetting(*d, "test.kept")->has_value());
  EXPECT_FALSE(GetSetting(*d, "test.undone")->has_value());
  {
    // An inner commit is not durable when the outer transaction rolls back.
    Transaction outer(*d);
    Transaction inner(*d);
    ASSERT_TRUE(PutSetting(*d, "test.lost", "1", "2026-12-03T10:00:00.000Z"));
    ASSERT_TRUE(inner.Commit());
  }
  EXPECT_FALSE(GetSetting(*d, "test.lost")->has_value());
}

TEST(Transactions, FileWritersSerialise) {
  TempDir tmp;
  auto a = Database::Open({tmp.File("tx.db")});
  ASSERT_TRUE(a);
  ASSERT_TRUE(Migrate(**a));
  auto b = Database::Open({tmp.File("tx.db")});
  ASSERT_TRUE(b);
  ASSERT_TRUE((*b)->Exec("PRAGMA busy_timeout = 50"));
  Transaction ta(**a);
  ASSERT_TRUE(ta.status());
  Transaction tb(**b);
  ASSERT_FALSE(tb.status().ok()) << "BEGIN IMMEDIATE must take the write lock up front";
  EXPECT_EQ(tb.status().error().code, Errc::unavailable);
}

// ---------------------------------------------------------------------------------------------
// Repositories
// ---------------------------------------------------------------------------------------------

GuestRow SampleGuest() {
  GuestRow g;
  g.id = core::NewId();
  g.first_name = "Anna";
  g.last_name = "Whitfield";
  g.email = "anna@example.com";
  g.phone = "+447700900123";
  g.language = "en";
  g.loyalty_tier = "gold";
  g.external_ids = R"({"pms":"12345"})";
  g.preferences =
      R"([{"category":"room","key":"floor","value":"high","source":"stated","confidence":1.0}])";
  g.stay_count = 3;
  g.total_revenue = 1234.5;
  g.notes = "Prefers \xF0\x9F\x8C\x8A views";
  g.tags = R"(["business"])";
  g.created_at = g.updated_at = "2026-12-03T10:00:00.000Z";
  return g;
}

TEST(Repositories, GuestRoundTrip) {
  auto d = Migrated();
  GuestRow g = SampleGuest();
  ASSERT_TRUE(InsertGuest(*d, g));
  auto got = FindGuest(*d, g.id);
  ASSERT_TRUE(got && got->has_value());
  const GuestRow& r = **got;
  EXPECT_EQ(r.first_name, g.first_name);
  EXPECT_EQ(r.last_name, g.last_name);
  EXPECT_EQ(r.email, g.email);
  EXPECT_EQ(r.phone, g.phone);
  EXPECT_EQ(r.loyalty_tier, g.loyalty_tier);
  EXPECT_FALSE(r.vip_status.has_value());
  EXPECT_EQ(r.external_ids, g.external_ids);
  EXPECT_EQ(r.preferences, g.preferences);
  EXPECT_EQ(r.stay_count, 3);
  EXPECT_DOUBLE_EQ(r.total_revenue, 1234.5);
  EXPECT_EQ(r.notes, g.notes);
  EXPECT_EQ(r.tags, g.tags);
  EXPECT_EQ(r.created_at, g.created_at);

  auto by_email = FindGuestByEmail(*d, "anna@example.com");
  ASSERT_TRUE(by_email && by_email->has_value());
  EXPECT_EQ((*by_email)->id, g.id);
  auto by_phone = FindGuestByPhone(*d, "+447700900123");
  ASSERT_TRUE(by_phone && by_phone->has_value());
  auto by_ext = FindGuestByExternalId(*d, "pms", "12345");
  ASSERT_TRUE(by_ext && by_ext->has_value());
  EXPECT_EQ((*by_ext)->id, g.id);
  auto none = FindGuestByExternalId(*d, "pms", "99999");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());

  GuestRow u = r;
  u.first_name = "Anne";
  u.email.reset();
  u.updated_at = "2026-12-04T10:00:00.000Z";
  ASSERT_TRUE(UpdateGuest(*d, u));
  auto again = FindGuest(*d, g.id);
  ASSERT_TRUE(again && again->has_value());
  EXPECT_EQ((*again)->first_name, "Anne");
  EXPECT_FALSE((*again)->email.has_value());

  // The unique email index refuses a second guest with the same address: conflict.
  GuestRow dup = SampleGuest();
  dup.email = "other@example.com";
  dup.phone = "+351912345678";
  ASSERT_TRUE(InsertGuest(*d, dup));
  GuestRow dup2 = SampleGuest();
  dup2.phone.reset();
  dup2.email = "other@example.com";
  auto s = InsertGuest(*d, dup2);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, Errc::conflict);
}

TEST(Repositories, ConversationRoundTrip) {
  auto d = Migrated();
  GuestRow g = SampleGuest();
  ASSERT_TRUE(InsertGuest(*d, g));
  ConversationRow c;
  c.id = core::NewId();
  c.guest_id = g.id;
  c.channel_type = "webchat";
  c.channel_id = "session-1";
  c.state = "new";
  c.metadata = R"({"language":"pt"})";
  c.created_at = c.updated_at = "2026-12-03T10:00:00.000Z";
  ASSERT_TRUE(InsertConversation(*d, c));
  auto got = FindConversation(*d, c.id);
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->guest_id, g.id);
  EXPECT_EQ((*got)->channel_type, "webchat");
  EXPECT_EQ((*got)->channel_id, "session-1");
  EXPECT_EQ((*got)->state, "new");
  EXPECT_EQ((*got)->metadata, c.metadata);
  EXPECT_FALSE((*got)->assigned_to.has_value());

  ConversationRow u = **got;
  u.state = "escalated";
  u.current_intent = "human_request";
  u.last_message_at = "2026-12-03T10:05:00.000Z";
  u.updated_at = "2026-12-03T10:05:00.000Z";
  ASSERT_TRUE(UpdateConversation(*d, u));
  auto again = FindConversation(*d, c.id);
  ASSERT_TRUE(again && again->has_value());
  EXPECT_EQ((*again)->state, "escalated");
  EXPECT_EQ((*again)->current_intent, "human_request");
  EXPECT_EQ((*again)->last_message_at, "2026-12-03T10:05:00.000Z");

  auto missing = FindConversation(*d, "nope");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
  // A bad state is refused by the CHECK constraint through the repository too.
  u.state = "closed";
  auto s = UpdateConversation(*d, u);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, Errc::invalid_argument);
}

class MessagePaging : public ::testing::Test {
 protected:
  void SetUp() override {
    d_ = Migrated();
    c_.id = "conv";
    c_.channel_type = "webchat";
    c_.channel_id = "s";
    c_.created_at = c_.updated_at = "2026-12-03T10:00:00.000Z";
    ASSERT_TRUE(InsertConversation(*d_, c_));
    // Inserted out of order; ids deliberately not in time order, and two share a timestamp.
    Add("m-c", "2026-12-03T10:00:01.000Z");
    Add("m-a", "2026-12-03T10:00:02.000Z");
    Add("m-b", "2026-12-03T10:00:01.000Z");
    Add("m-d", "2026-12-03T10:00:00.500Z");
    Add("m-e", "2026-12-03T10:00:03.000Z");
    // Another conversation's message never shows up.
    ConversationRow other = c_;
    other.id = "other";
    ASSERT_TRUE(InsertConversation(*d_, other));
    MessageRow m;
    m.id = "m-0";
    m.conversation_id = "other";
    m.direction = "inbound";
    m.sender_type = "guest";
    m.content = "elsewhere";
    m.created_at = "2026-12-03T10:00:01.500Z";
    ASSERT_TRUE(InsertMessage(*d_, m));
  }
  void Add(const std::string& id, const std::string& at) {
    MessageRow m;
    m.id = id;
    m.conversation_id = c_.id;
    m.direction = "inbound";
    m.sender_type = "guest";
    m.content = "message " + id;
    m.intent = "greeting";
    m.confidence = 0.9;
    m.entities = "[]";
    m.created_at = at;
    ASSERT_TRUE(InsertMessage(*d_, m));
  }
  std::vector<std::string> Ids(MessagePage p) {
    p.conversation_id = c_.id;
    auto r = ListMessages(*d_, p);
    if (!r) throw std::runtime_error(r.error().message);
    std::vector<std::string> out;
    for (const auto& m : *r) out.push_back(m.id);
    return out;
  }
  std::unique_ptr<Database> d_;
  ConversationRow c_;
};

using V = std::vector<std::string>;

TEST_F(MessagePaging, FirstPageIsOldestFirstByCreatedAtThenId) {
  MessagePage p;
  p.limit = 50;
  EXPECT_EQ(Ids(p), (V{"m-d", "m-b", "m-c", "m-a", "m-e"}));
  p.limit = 2;
  EXPECT_EQ(Ids(p), (V{"m-d", "m-b", "m-c"})) << "limit + 1 rows tell the caller more exist";
}

TEST_F(MessagePaging, AfterIsStrictlyLaterInOrder) {
  MessagePage p;
  p.limit = 2;
  p.after_id = "m-b";
  EXPECT_EQ(Ids(p), (V{"m-c", "m-a", "m-e"}));
  p.after_id = "m-a";
  EXPECT_EQ(Ids(p), (V{"m-e"}));
  p.after_id = "m-e";
  EXPECT_TRUE(Ids(p).empty());
}

TEST_F(MessagePaging, BeforeIsStrictlyEarlierOldestFirst) {
  MessagePage p;
  p.limit = 2;
  p.before_id = "m-e";
  EXPECT_EQ(Ids(p), (V{"m-b", "m-c", "m-a"})) << "the newest limit + 1 before, oldest first";
  p.before_id = "m-c";
  EXPECT_EQ(Ids(p), (V{"m-d", "m-b"}));
  p.before_id = "m-d";
  EXPECT_TRUE(Ids(p).empty());
}

TEST_F(MessagePaging, RecentAndFind) {
  auto r = RecentMessages(*d_, c_.id, 2);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].id, "m-a");
  EXPECT_EQ((*r)[1].id, "m-e");
  auto m = FindMessage(*d_, "m-b");
  ASSERT_TRUE(m && m->has_value());
  EXPECT_EQ((*m)->content, "message m-b");
  EXPECT_EQ((*m)->intent, "greeting");
  ASSERT_TRUE((*m)->confidence.has_value());
  EXPECT_DOUBLE_EQ(*(*m)->confidence, 0.9);
  EXPECT_EQ((*m)->entities, "[]");
  EXPECT_EQ((*m)->delivery_status, "sent");
  EXPECT_EQ((*m)->content_type, "text");
}

TEST(Repositories, MessageTextSurvivesByteForByte) {
  auto d = Migrated();
  ConversationRow c;
  c.id = "c";
  c.channel_type = "webchat";
  c.channel_id = "s";
  c.created_at = c.updated_at = "2026-12-03T10:00:00.000Z";
  ASSERT_TRUE(InsertConversation(*d, c));
  std::string text =
      "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 مرحبا 日本 "
      "e\xCC\x81 "
      "'; DROP TABLE messages; --";
  MessageRow m;
  m.id = "m";
  m.conversation_id = "c";
  m.direction = "inbound";
  m.sender_type = "guest";
  m.content = text;
  m.created_at = "2026-12-03T10:00:00.000Z";
  ASSERT_TRUE(InsertMessage(*d, m));
  auto got = FindMessage(*d, "m");
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ((*got)->content, text);
}

TEST(Repositories, TasksFilterAndUpdate) {
  auto d = Migrated();
  for (int i = 0; i < 3; ++i) {
    TaskRow t;
    t.id = core::NewId();
    t.type = i == 2 ? "maintenance" : "housekeeping";
    t.department = t.type;
    t.room_number = "12" + std::to_string(i);
    t.description = "task " + std::to_string(i);
    t.items = R"([{"item":"towel","quantity":2}])";
    t.created_at = t.updated_at = "2026-12-03T10:00:00.000Z";
    ASSERT_TRUE(InsertTask(*d, t));
  }
  TaskFilter f;
  f.department = "housekeeping";
  auto hk = ListTasks(*d, f);
  ASSERT_TRUE(hk);
  EXPECT_EQ(hk->size(), 2u);
  f = {};
  f.room_number = "122";
  auto one = ListTasks(*d, f);
  ASSERT_TRUE(one);
  ASSERT_EQ(one->size(), 1u);
  TaskRow t = (*one)[0];
  EXPECT_EQ(t.items, R"([{"item":"towel","quantity":2}])");
  EXPECT_EQ(t.status, "pending");
  t.status = "in_progress";
  t.started_at = "2026-12-03T10:01:00.000Z";
  ASSERT_TRUE(UpdateTask(*d, t));
  auto again = FindTask(*d, t.id);
  ASSERT_TRUE(again && again->has_value());
  EXPECT_EQ((*again)->status, "in_progress");
  EXPECT_EQ((*again)->started_at, "2026-12-03T10:01:00.000Z");
}

TEST(Repositories, AuditIsAppendOnlyAndListable) {
  auto d = Migrated();
  AuditRow a;
  a.id = core::NewId();
  a.actor_type = "system";
  a.action = "conversation.escalate";
  a.resource_type = "conversation";
  a.resource_id = "c1";
  a.details = R"({"reason":"emergency"})";
  a.created_at = "2026-12-03T10:00:00.000Z";
  ASSERT_TRUE(InsertAudit(*d, a));
  auto rows = ListAudit(*d, std::string("conversation.escalate"), std::string("c1"), 10);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].details, a.details);
  auto other = ListAudit(*d, std::string("staff.login"), std::nullopt, 10);
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->empty());
}

TEST(Database, OpenFailsClearlyForAnUnwritablePath) {
  auto d = Database::Open({"/proc/no-such-dir/jack.db"});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, Errc::unavailable);
}

TEST(Database, VecCandidatesNameTheBuildTree) {
  auto c = VecCandidates();
  ASSERT_FALSE(c.empty());
  bool any_exists = false;
  for (const auto& p : c) any_exists = any_exists || fs::exists(p);
  EXPECT_TRUE(any_exists) << "vec0.so must be found for the tests to run";
  EXPECT_FALSE(SqliteVersion().empty());
}

}  // namespace
}  // namespace jack::db
