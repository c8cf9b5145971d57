#include "db/repositories.hpp"

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

Status InsertKnowledge(Database& db, const KnowledgeRow& k) {
  auto q = db.Query(kInsert);
  if (!q) return q.error();
  return q->Bind(k.id)
      .Bind(k.category)
      .Bind(k.title)
      .Bind(k.content)
      .Bind(k.keywords)
      .Bind(k.status)
      .Bind(k.language)
      .Bind(k.created_at)
      .Bind(k.updated_at)
      .Run();
}

Status UpdateKnowledge(Database& db, const KnowledgeRow& k) {
  auto q = db.Query(kUpdate);
  if (!q) return q.error();
  return q->Bind(k.category)
      .Bind(k.title)
      .Bind(k.content)
      .Bind(k.keywords)
      .Bind(k.status)
      .Bind(k.language)
      .Bind(k.updated_at)
      .Bind(k.id)
      .Run();
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

}  // namespace jack::db
