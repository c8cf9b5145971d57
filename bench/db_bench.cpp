// Storage benchmark (issue: the data contract's bar). For 10k and 100k rows per table, on a
// real file database with the seed's pragmas and sqlite-vec: point lookup, conversation
// message page, task queue by department, FTS5 search, vec0 kNN over 384-dimension vectors,
// and a message insert with its audit row in one transaction. Prints per-operation latency.
// Usage: jack_db_bench [ROWS...]   (default 10000 100000)
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "ai/embedding.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "db/repositories.hpp"

using namespace jack;
namespace fs = std::filesystem;

namespace {

// A vocabulary of hotel words plus synthetic ones, drawn with a skewed (Zipf-like)
// distribution, so that search terms are as selective as in a real knowledge base.
const char* kWords[] = {
    "breakfast", "pool",    "towel",   "parking", "spa",        "sauna",    "garden", "terrace",
    "museum",    "airport", "taxi",    "shuttle", "wifi",       "password", "gym",    "laundry",
    "pillow",    "minibar", "balcony", "view",    "restaurant", "menu",     "vegan",  "gluten",
    "checkout",  "checkin", "luggage", "storage", "umbrella",   "bicycle",  "beach",  "harbour",
    "cathedral", "market",  "tram",    "ticket",  "concert",    "wine",     "tapas",  "sunset"};
constexpr size_t kNumWords = sizeof(kWords) / sizeof(kWords[0]);

std::vector<std::string> MakeVocabulary() {
  std::vector<std::string> v(kWords, kWords + kNumWords);
  const char* syl[] = {"ka", "lo", "mi", "ter", "san", "vo", "ri", "del", "pa", "nu", "zen", "bo"};
  std::mt19937 r(7);
  while (v.size() < 5000) {
    std::string w;
    int n = 2 + static_cast<int>(r() % 3);
    for (int i = 0; i < n; ++i) w += syl[r() % 12];
    v.push_back(w);
  }
  return v;
}

const std::string& Word(std::mt19937& r) {
  static const auto vocab = MakeVocabulary();
  size_t span = 1 + r() % vocab.size();
  return vocab[r() % span];
}

void Check(const Status& s, const char* what) {
  if (!s) {
    std::fprintf(stderr, "%s: %s\n", what, s.error().message.c_str());
    std::exit(1);
  }
}

struct Stats {
  double p50, p99, mean;
};

// JACK_BENCH_ONLY=WORD measures only the operations whose name contains WORD (for profiling).
bool Selected(const char* name) {
  const char* only = std::getenv("JACK_BENCH_ONLY");
  return !only || std::string(name).find(only) != std::string::npos;
}

Stats Measure(int n, const std::function<void(int)>& op) {
  std::vector<double> us;
  us.reserve(n);
  for (int i = 0; i < n; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    op(i);
    us.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  double sum = 0;
  for (double u : us) sum += u;
  return {us[us.size() / 2], us[std::min(us.size() - 1, us.size() * 99 / 100)], sum / n};
}

void Print(const char* name, int n, const std::function<void(int)>& op, double target_ms) {
  if (!Selected(name)) return;
  Stats s = Measure(n, op);
  std::printf("  %-44s p50 %8.1f us  p99 %8.1f us  mean %8.1f us  (target %.1f ms)\n", name, s.p50,
              s.p99, s.mean, target_ms);
}

void Run(int rows) {
  char tmpl[] = "/tmp/jack-db-bench-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  auto path = dir + "/bench.db";
  // As `jack serve` opens it: no checkpoint inside commits, a Checkpointer beside.
  db::OpenOptions oo;
  oo.path = path;
  oo.auto_checkpoint = false;
  auto opened = db::Database::Open(oo);
  if (!opened) Check(opened.error(), "open");
  db::Checkpointer checkpointer(path, std::chrono::milliseconds(500));
  auto& d = **opened;
  auto m = db::Migrate(d);
  if (!m) Check(m.error(), "migrate");
  std::mt19937 rng(42);
  ai::LocalHashEmbedder embedder;
  auto now = std::chrono::system_clock::now();
  auto iso = [&](int64_t seconds_ago) {
    return core::FormatIso(now - std::chrono::seconds(seconds_ago));
  };
  // The vec0 table in the local provider's dimension (the dimension strategy's rebuild).
  {
    db::Transaction tx(d);
    Check(db::BeginEmbeddingStaging(d), "staging");
    Check(db::SwapInStagedEmbeddings(d, embedder.dimensions(), embedder.model(), iso(0)), "swap");
    Check(tx.Commit(), "commit");
  }

  auto fill_start = std::chrono::steady_clock::now();
  std::vector<std::string> guest_ids, conv_ids;
  const int conversations = std::max(1, rows / 20);  // 20 messages each
  {
    db::Transaction tx(d);
    for (int i = 0; i < rows; ++i) {
      db::GuestRow g;
      g.id = core::NewId();
      g.first_name = "Guest";
      g.last_name = "N" + std::to_string(i);
      g.email = "guest" + std::to_string(i) + "@example.org";
      g.created_at = g.updated_at = iso(rows - i);
      Check(db::InsertGuest(d, g), "guest");
      guest_ids.push_back(g.id);
    }
    for (int i = 0; i < conversations; ++i) {
      db::ConversationRow c;
      c.id = core::NewId();
      c.guest_id = guest_ids[i % guest_ids.size()];
      c.channel_type = "webchat";
      c.channel_id = c.id;
      c.state = "active";
      c.created_at = c.updated_at = iso(rows - i);
      c.last_message_at = c.created_at;
      Check(db::InsertConversation(d, c), "conversation");
      conv_ids.push_back(c.id);
    }
    for (int i = 0; i < rows; ++i) {
      db::MessageRow msg;
      msg.id = core::NewId();
      msg.conversation_id = conv_ids[i % conversations];
      msg.direction = i % 2 ? "outbound" : "inbound";
      msg.sender_type = i % 2 ? "ai" : "guest";
      msg.content = std::string("Could I have ") + kWords[i % kNumWords] + " please?";
      msg.created_at = iso(rows - i);
      Check(db::InsertMessage(d, msg), "message");
    }
    const char* departments[] = {"housekeeping", "maintenance", "room_service", "concierge",
                                 "front_desk"};
    const char* statuses[] = {"pending", "assigned", "in_progress", "completed", "cancelled"};
    for (int i = 0; i < rows; ++i) {
      db::TaskRow t;
      t.id = core::NewId();
      t.department = departments[i % 5];
      t.type = i % 5 == 4 ? "other" : t.department;
      t.description = "task " + std::to_string(i);
      t.status = statuses[(i / 5) % 5];
      t.created_at = t.updated_at = iso(rows - i);
      Check(db::InsertTask(d, t), "task");
    }
    for (int i = 0; i < rows; ++i) {
      db::KnowledgeRow k;
      k.id = core::NewId();
      k.category = "faq";
      k.title = Word(rng) + " " + Word(rng);
      for (int w = 0; w < 40; ++w) k.content += Word(rng) + " ";
      k.created_at = k.updated_at = iso(0);
      Check(db::InsertKnowledge(d, k), "knowledge");
      db::ChunkRow c{core::NewId(), k.id, 0, k.content};
      Check(db::ReplaceChunks(d, k.id, {c}), "chunk");
      Check(db::PutEmbedding(d, c.id, embedder.EmbedOne(k.title + "\n" + k.content)), "vector");
    }
    Check(tx.Commit(), "commit");
  }
  // Steady state: the bulk load checkpointed out of the WAL (a server's WAL cycles within a
  // second under the Checkpointer), so reads come from the memory-mapped file.
  Check(d.Exec("PRAGMA wal_checkpoint(TRUNCATE)"), "checkpoint");
  double fill_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - fill_start).count();
  std::printf(
      "%d rows per table (guests, messages in %d conversations, tasks, knowledge + "
      "384-d vectors); filled in %.1f s\n",
      rows, conversations, fill_s);

  Print(
      "point lookup (guest by id)", 20000,
      [&](int) {
        auto g = db::FindGuest(d, guest_ids[rng() % guest_ids.size()]);
        if (!g || !*g) std::exit(2);
      },
      0.1);
  Print(
      "conversation message page (50, oldest first)", 5000,
      [&](int) {
        db::MessagePage p;
        p.conversation_id = conv_ids[rng() % conv_ids.size()];
        auto r = db::ListMessages(d, p);
        if (!r || r->empty()) std::exit(2);
      },
      1.0);
  Print(
      "task queue by department (pending, 50)", 5000,
      [&](int i) {
        db::TaskFilter f;
        const char* deps[] = {"housekeeping", "maintenance", "room_service", "concierge"};
        f.department = deps[i % 4];
        f.status = "pending";
        auto r = db::ListTasks(d, f);
        if (!r) std::exit(2);
      },
      1.0);
  Print(
      "FTS5 search (2 words, top 10)", 1000,
      [&](int) {
        std::string q = Word(rng) + " " + Word(rng);
        auto r = db::SearchKnowledgeFts(d, q, 10);
        if (!r) std::exit(2);
      },
      5.0);
  std::vector<std::vector<float>> queries;
  for (int i = 0; i < 50; ++i) queries.push_back(embedder.EmbedOne(Word(rng) + " " + Word(rng)));
  Print(
      "vec0 kNN (384-d, k = 10)", rows >= 100000 ? 50 : 200,
      [&](int i) {
        auto r = db::NearestChunks(d, queries[i % queries.size()], 10);
        if (!r || r->empty()) std::exit(2);
      },
      5.0);
  Print(
      "message + audit row insert (one transaction)", 5000,
      [&](int i) {
        db::Transaction tx(d);
        db::MessageRow msg;
        msg.id = core::NewId();
        msg.conversation_id = conv_ids[i % conv_ids.size()];
        msg.direction = "inbound";
        msg.sender_type = "guest";
        msg.content = "Two more towels please";
        msg.created_at = iso(0);
        Check(db::InsertMessage(d, msg), "message");
        db::AuditRow a;
        a.id = core::NewId();
        a.actor_type = "guest";
        a.action = "guest.view";
        a.resource_type = "guest";
        a.resource_id = msg.id;
        a.created_at = msg.created_at;
        Check(db::InsertAudit(d, a), "audit");
        Check(tx.Commit(), "commit");
      },
      0.1);
  checkpointer.Stop();
  opened->reset();
  fs::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
  if (sizes.empty()) sizes = {10000, 100000};
  std::printf("jack storage benchmark: SQLite %s, WAL, synchronous NORMAL, sqlite-vec loaded\n",
              db::SqliteVersion().c_str());
  for (int n : sizes) {
    if (n < 100) {
      std::fprintf(stderr, "jack_db_bench: ROWS must be at least 100\n");
      return 1;
    }
    Run(n);
  }
  return 0;
}
