#include "db/repositories.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>

namespace jack::db {
namespace {

#define KB_COLS                                                                            \
  "k.id, k.category, k.title, k.content, k.keywords, k.status, k.language, k.created_at, " \
  "k.updated_at"
constexpr std::string_view kInsert =
    "INSERT INTO knowledge_base (id, category, title, content, keywords, status, language, "
    "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)";
constexpr std::string_view kUpdate =
    "UPDATE knowledge_base SET category=?, title=?, content=?, keywords=?, status=?, language=?, "
    "updated_at=? WHERE id=?";
constexpr std::string_view kById = "SELECT " KB_COLS " FROM knowledge_base k WHERE k.id = ?";
constexpr std::string_view kSearch =
    "SELECT " KB_COLS
    ", bm25(knowledge_fts, 2.0, 1.0) AS rank FROM knowledge_fts JOIN knowledge_base k ON "
    "k.rowid = knowledge_fts.rowid WHERE knowledge_fts MATCH ? AND k.status = 'active' ORDER BY "
    "rank LIMIT ?";
constexpr std::string_view kList =
    "SELECT " KB_COLS
    " FROM knowledge_base k WHERE (?1 IS NULL OR k.category = ?1) AND (?2 IS NULL OR k.status = "
    "?2) AND (?4 IS NULL OR k.id > ?4) ORDER BY k.id LIMIT ?3";
constexpr std::string_view kCount = "SELECT count(*) FROM knowledge_base";
constexpr std::string_view kCountActive =
    "SELECT count(*) FROM knowledge_base WHERE status = 'active'";
constexpr std::string_view kCountMatches =
    "SELECT count(*) FROM knowledge_base k WHERE k.rowid IN (SELECT rowid FROM knowledge_fts "
    "WHERE knowledge_fts MATCH ?) AND k.status = 'active'";

KnowledgeRow Read(Stmt& q) {
  KnowledgeRow k;
  k.id = q.Text(0);
  k.category = q.Text(1);
  k.title = q.Text(2);
  k.content = q.Text(3);
  k.keywords = q.OptText(4);
  k.status = q.Text(5);
  k.language = q.OptText(6);
  k.created_at = q.Text(7);
  k.updated_at = q.Text(8);
  return k;
}

}  // namespace

namespace {

// Document frequencies are weights of the retrieval, asked for every guest question: they are
// kept per database and expression until the knowledge changes in this process (the
// generation, moved when a write is made and again when it is committed, so that a count a
// reader takes in between is not kept) or, for changes by another process (a CLI import), for
// at most 10 s.
std::atomic<uint64_t> g_generation{0};

struct DfCache {
  struct Entry {
    int64_t value;
    uint64_t generation;
    std::chrono::steady_clock::time_point at;
  };
  std::mutex mu;
  std::map<std::string, Entry> entries;
};

DfCache& Cache() {
  static DfCache c;
  return c;
}

std::string CacheKey(Database& db, std::string_view match) {
  // A file by its path: all connections to it agree.
  std::string key = db.path();
  key += '\n';
  key += match;
  return key;
}

template <typename F>
Result<int64_t> Cached(Database& db, std::string_view match, F compute) {
  constexpr auto kTtl = std::chrono::seconds(10);
  // An in-memory database is counted afresh: another one may later live at the same
  // address, and it is only the evaluation's and the tests'.
  if (db.path().empty() || db.path() == ":memory:") return compute();
  const auto key = CacheKey(db, match);
  const auto now = std::chrono::steady_clock::now();
  const uint64_t gen = g_generation.load();
  auto& c = Cache();
  {
    std::lock_guard<std::mutex> lock(c.mu);
    auto it = c.entries.find(key);
    if (it != c.entries.end() && it->second.generation == gen && now - it->second.at < kTtl)
      return it->second.value;
  }
  auto v = compute();
  if (!v) return v;
  std::lock_guard<std::mutex> lock(c.mu);
  if (c.entries.size() > 20000) c.entries.clear();
  c.entries[key] = {*v, gen, now};
  return v;
}

}  // namespace

void KnowledgeChanged(Database& db) {
  // Before the write, so that no count taken from here on is kept under the old generation;
  // and again once it is committed, so that no count taken in between (the old one) is kept.
  g_generation.fetch_add(1);
  db.AfterCommit([] { g_generation.fetch_add(1); });
}

// Each knowledge write runs in a transaction of its own (a savepoint inside the caller's), so
// that KnowledgeChanged's second bump comes after the write, also for a caller that has none.
Status InsertKnowledge(Database& db, const KnowledgeRow& k) {
  Transaction tx(db);
  JACK_TRY(tx.status());
  KnowledgeChanged(db);
  auto q = db.Query(kInsert);
  if (!q) return q.error();
  JACK_TRY(q->Bind(k.id)
               .Bind(k.category)
               .Bind(k.title)
               .Bind(k.content)
               .Bind(k.keywords)
               .Bind(k.status)
               .Bind(k.language)
               .Bind(k.created_at)
               .Bind(k.updated_at)
               .Run());
  return tx.Commit();
}

Status UpdateKnowledge(Database& db, const KnowledgeRow& k) {
  Transaction tx(db);
  JACK_TRY(tx.status());
  KnowledgeChanged(db);
  auto q = db.Query(kUpdate);
  if (!q) return q.error();
  JACK_TRY(q->Bind(k.category)
               .Bind(k.title)
               .Bind(k.content)
               .Bind(k.keywords)
               .Bind(k.status)
               .Bind(k.language)
               .Bind(k.updated_at)
               .Bind(k.id)
               .Run());
  return tx.Commit();
}

Result<std::optional<KnowledgeRow>> FindKnowledge(Database& db, std::string_view id) {
  auto q = db.Query(kById);
  if (!q) return q.error();
  q->Bind(id);
  auto r = q->Next();
  if (!r) return r.error();
  if (!*r) return std::optional<KnowledgeRow>();
  return std::optional<KnowledgeRow>(Read(*q));
}

Result<std::vector<KnowledgeHit>> SearchKnowledgeFts(Database& db, std::string_view match,
                                                     int limit) {
  auto q = db.Query(kSearch);
  if (!q) return q.error();
  q->Bind(match).Bind(int64_t{limit});
  std::vector<KnowledgeHit> out;
  for (;;) {
    auto r = q->Next();
    if (!r) return r.error();
    if (!*r) break;
    out.push_back({Read(*q), q->Real(9)});
  }
  return out;
}

Result<std::vector<KnowledgeRow>> ListKnowledge(Database& db, const OptString& category,
                                                const OptString& status, int limit,
                                                const OptString& after_id) {
  auto q = db.Query(kList);
  if (!q) return q.error();
  q->Bind(category).Bind(status).Bind(int64_t{limit}).Bind(after_id);
  std::vector<KnowledgeRow> out;
  for (;;) {
    auto r = q->Next();
    if (!r) return r.error();
    if (!*r) break;
    out.push_back(Read(*q));
  }
  return out;
}

Result<int64_t> CountKnowledge(Database& db) {
  auto q = db.Query(kCount);
  if (!q) return q.error();
  auto r = q->Next();
  if (!r) return r.error();
  return q->Int(0);
}

Result<int64_t> CountActiveKnowledge(Database& db) {
  return Cached(db, "", [&]() -> Result<int64_t> {
    auto q = db.Query(kCountActive);
    if (!q) return q.error();
    auto r = q->Next();
    if (!r) return r.error();
    return q->Int(0);
  });
}

Result<int64_t> CountKnowledgeFts(Database& db, std::string_view match) {
  return Cached(db, match, [&]() -> Result<int64_t> {
    auto q = db.Query(kCountMatches);
    if (!q) return q.error();
    q->Bind(match);
    auto r = q->Next();
    if (!r) return r.error();
    return q->Int(0);
  });
}

// ---- chunks and vectors ----
namespace {

std::string_view AsBlob(const std::vector<float>& v) {
  return {reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float)};
}

Result<std::vector<KnowledgeRow>> Rows(Database& db, std::string_view sql) {
  auto q = db.Query(sql);
  if (!q) return q.error();
  std::vector<KnowledgeRow> out;
  for (;;) {
    auto r = q->Next();
    if (!r) return r.error();
    if (!*r) break;
    out.push_back(Read(*q));
  }
  return out;
}

}  // namespace

Status ReplaceChunks(Database& db, std::string_view knowledge_id,
                     const std::vector<ChunkRow>& chunks) {
  JACK_TRY(DeleteEmbeddingsOf(db, knowledge_id));
  {
    auto q = db.Query("DELETE FROM knowledge_chunks WHERE knowledge_id = ?");
    if (!q) return q.error();
    JACK_TRY(q->Bind(knowledge_id).Run());
  }
  for (const auto& c : chunks) {
    auto q = db.Query(
        "INSERT INTO knowledge_chunks (id, knowledge_id, ordinal, content) VALUES (?,?,?,?)");
    if (!q) return q.error();
    JACK_TRY(q->Bind(c.id).Bind(knowledge_id).Bind(c.ordinal).Bind(c.content).Run());
  }
  return {};
}

Result<std::vector<ChunkRow>> ChunksOf(Database& db, std::string_view knowledge_id) {
  auto q = db.Query(
      "SELECT id, knowledge_id, ordinal, content FROM knowledge_chunks WHERE knowledge_id = ? "
      "ORDER BY ordinal");
  if (!q) return q.error();
  q->Bind(knowledge_id);
  std::vector<ChunkRow> out;
  for (;;) {
    auto r = q->Next();
    if (!r) return r.error();
    if (!*r) break;
    out.push_back({q->Text(0), q->Text(1), q->Int(2), q->Text(3)});
  }
  return out;
}

Result<std::vector<KnowledgeRow>> KnowledgeWithoutChunks(Database& db) {
  return Rows(db, "SELECT " KB_COLS
                  " FROM knowledge_base k WHERE k.status = 'active' AND NOT EXISTS (SELECT 1 "
                  "FROM knowledge_chunks c WHERE c.knowledge_id = k.id) ORDER BY k.id");
}

Result<std::vector<KnowledgeRow>> ActiveKnowledge(Database& db) {
  return Rows(db,
              "SELECT " KB_COLS " FROM knowledge_base k WHERE k.status = 'active' ORDER BY k.id");
}

Status PutEmbedding(Database& db, std::string_view chunk_id, const std::vector<float>& vec) {
  // Chunk ids are new with every re-chunking, so this is always a first insert (vec0 has no
  // UPSERT; a repeat is a conflict).
  auto q = db.Query("INSERT INTO knowledge_embeddings (id, embedding) VALUES (?, ?)");
  if (!q) return q.error();
  auto blob = AsBlob(vec);
  return q->Bind(chunk_id).BindBlob(blob.data(), blob.size()).Run();
}

Status DeleteEmbeddingsOf(Database& db, std::string_view knowledge_id) {
  // One `id = ?` delete per chunk: vec0 resolves those through its id index, whereas an
  // `IN (SELECT ...)` would scan the whole table.
  JACK_TRY_ASSIGN(auto chunks, ChunksOf(db, knowledge_id));
  for (const auto& c : chunks) {
    auto q = db.Query("DELETE FROM knowledge_embeddings WHERE id = ?");
    if (!q) return q.error();
    JACK_TRY(q->Bind(c.id).Run());
  }
  return {};
}

Result<int64_t> CountEmbeddings(Database& db) {
  auto q = db.Query("SELECT count(*) FROM knowledge_embeddings");
  if (!q) return q.error();
  auto r = q->Next();
  if (!r) return r.error();
  return q->Int(0);
}

Result<int> EmbeddingTableDimensions(Database& db) {
  auto q = db.Query("SELECT sql FROM sqlite_master WHERE name = 'knowledge_embeddings'");
  if (!q) return q.error();
  auto r = q->Next();
  if (!r) return r.error();
  if (!*r) return Error::Internal("knowledge_embeddings is missing");
  std::string sql = q->Text(0);
  auto open = sql.find("FLOAT[");
  if (open == std::string::npos) open = sql.find("float[");
  if (open == std::string::npos) return Error::Internal("knowledge_embeddings has no FLOAT[n]");
  return std::atoi(sql.c_str() + open + 6);
}

Result<std::vector<ChunkHit>> NearestChunks(Database& db, const std::vector<float>& query, int k) {
  // vec0 answers the k nearest over all rows; inactive entries' chunks have no vectors
  // (their vectors are dropped when an entry leaves `active`), so no filter is needed.
  auto q = db.Query(
      "WITH nearest AS (SELECT id, distance FROM knowledge_embeddings WHERE embedding MATCH ? "
      "AND k = ?) SELECT n.id, c.knowledge_id, n.distance FROM nearest n JOIN knowledge_chunks c "
      "ON c.id = n.id ORDER BY n.distance");
  if (!q) return q.error();
  auto blob = AsBlob(query);
  q->BindBlob(blob.data(), blob.size()).Bind(int64_t{k});
  std::vector<ChunkHit> out;
  for (;;) {
    auto r = q->Next();
    if (!r) return r.error();
    if (!*r) break;
    out.push_back({q->Text(0), q->Text(1), q->Real(2)});
  }
  return out;
}

namespace {
Result<std::vector<ChunkToEmbed>> ChunkQuery(Database& db, std::string_view sql) {
  auto q = db.Query(sql);
  if (!q) return q.error();
  std::vector<ChunkToEmbed> out;
  for (;;) {
    auto r = q->Next();
    if (!r) return r.error();
    if (!*r) break;
    ChunkToEmbed c;
    c.chunk.id = q->Text(0);
    c.chunk.knowledge_id = q->Text(1);
    c.chunk.ordinal = q->Int(2);
    c.chunk.content = q->Text(3);
    c.title = q->Text(4);
    out.push_back(std::move(c));
  }
  return out;
}
}  // namespace

Result<std::vector<ChunkToEmbed>> ChunksWithoutVectors(Database& db) {
  return ChunkQuery(db,
                    "SELECT c.id, c.knowledge_id, c.ordinal, c.content, k.title FROM "
                    "knowledge_chunks c JOIN knowledge_base k ON k.id = c.knowledge_id WHERE "
                    "k.status = 'active' AND NOT EXISTS (SELECT 1 FROM knowledge_embeddings e "
                    "WHERE e.id = c.id) ORDER BY c.knowledge_id, c.ordinal");
}

Result<std::vector<ChunkToEmbed>> ActiveChunks(Database& db) {
  return ChunkQuery(db,
                    "SELECT c.id, c.knowledge_id, c.ordinal, c.content, k.title FROM "
                    "knowledge_chunks c JOIN knowledge_base k ON k.id = c.knowledge_id WHERE "
                    "k.status = 'active' ORDER BY c.knowledge_id, c.ordinal");
}

Status BeginEmbeddingStaging(Database& db) {
  return db.Exec(
      "DROP TABLE IF EXISTS temp.embedding_rebuild; CREATE TEMP TABLE embedding_rebuild (id TEXT "
      "PRIMARY KEY, embedding BLOB NOT NULL)");
}

Status StageEmbedding(Database& db, std::string_view chunk_id, const std::vector<float>& vec) {
  auto q = db.Query("INSERT OR REPLACE INTO temp.embedding_rebuild (id, embedding) VALUES (?, ?)");
  if (!q) return q.error();
  auto blob = AsBlob(vec);
  return q->Bind(chunk_id).BindBlob(blob.data(), blob.size()).Run();
}

Status SwapInStagedEmbeddings(Database& db, int dimensions, std::string_view model,
                              std::string_view now) {
  if (dimensions < 1 || dimensions > 8192)
    return Error::Invalid("embedding dimension out of range");
  JACK_TRY(db.Exec("DROP TABLE knowledge_embeddings"));
  JACK_TRY(
      db.Exec("CREATE VIRTUAL TABLE knowledge_embeddings USING vec0(\n  id TEXT PRIMARY KEY,\n"
              "  embedding FLOAT[" +
              std::to_string(dimensions) + "]\n)"));
  JACK_TRY(
      db.Exec("INSERT INTO knowledge_embeddings (id, embedding) SELECT id, embedding FROM "
              "temp.embedding_rebuild WHERE id IN (SELECT id FROM knowledge_chunks)"));
  JACK_TRY(db.Exec("DROP TABLE temp.embedding_rebuild"));
  JACK_TRY(PutSetting(db, "embeddings.model", model, now));
  return PutSetting(db, "embeddings.dimensions", std::to_string(dimensions), now);
}

}  // namespace jack::db
