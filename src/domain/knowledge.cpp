#include "domain/knowledge.hpp"

#include "core/ids.hpp"
#include "core/strings.hpp"
#include "db/queries.hpp"
#include "db/repositories.hpp"

namespace jack::domain {

Status ValidateKnowledge(const KnowledgeInput& in) {
  Error e = Error::Invalid("invalid knowledge entry");
  const auto& c = in.category;
  if (c != "faq" && c != "policy" && c != "amenity" && c != "menu" && c != "local" &&
      c != "service")
    e.fields.push_back({"category", "must be faq, policy, amenity, menu, local or service"});
  if (in.title.empty() || in.title.size() > 300)
    e.fields.push_back({"title", "must be 1-300 characters"});
  if (in.content.empty() || in.content.size() > 100000)
    e.fields.push_back({"content", "must be 1-100000 characters"});
  if (in.status && *in.status != "active" && *in.status != "draft" && *in.status != "archived")
    e.fields.push_back({"status", "must be active, draft or archived"});
  if (in.language && (in.language->size() != 2 || !std::islower((*in.language)[0]) ||
                      !std::islower((*in.language)[1])))
    e.fields.push_back({"language", "must be an ISO 639-1 code such as en"});
  if (!e.fields.empty()) return e;
  return {};
}

Result<db::KnowledgeRow> CreateKnowledge(Ctx& ctx, const KnowledgeInput& in) {
  JACK_TRY(ValidateKnowledge(in));
  db::KnowledgeRow k;
  k.id = core::NewId(ctx.clock.Now());
  k.category = in.category;
  k.title = in.title;
  k.content = in.content;
  k.keywords = in.keywords_json.value_or("[]");
  k.status = in.status.value_or("active");
  k.language = in.language;
  k.created_at = k.updated_at = ctx.Now();
  JACK_TRY(db::InsertKnowledge(ctx.db, k));
  return k;
}

Result<db::KnowledgeRow> UpdateKnowledgeEntry(Ctx& ctx, std::string_view id,
                                              const KnowledgePatch& p) {
  JACK_TRY_ASSIGN(auto found, db::FindKnowledge(ctx.db, id));
  if (!found) return Error::NotFound("knowledge entry not found");
  db::KnowledgeRow k = *found;
  if (p.category) k.category = *p.category;
  if (p.title) k.title = *p.title;
  if (p.content) k.content = *p.content;
  if (p.keywords_json) k.keywords = *p.keywords_json;
  if (p.status) k.status = *p.status;
  if (p.language) k.language = *p.language;
  KnowledgeInput check{k.category, k.title, k.content, k.keywords, k.status, k.language};
  JACK_TRY(ValidateKnowledge(check));
  k.updated_at = ctx.Now();
  JACK_TRY(db::UpdateKnowledge(ctx.db, k));
  return k;
}

Status DeleteKnowledgeEntry(Ctx& ctx, std::string_view id) {
  JACK_TRY_ASSIGN(auto found, db::FindKnowledge(ctx.db, id));
  if (!found) return Error::NotFound("knowledge entry not found");
  return db::DeleteKnowledge(ctx.db, id);
}

namespace {

// Sentences of a paragraph: cut after '.', '!' or '?' followed by a space (or the end).
std::vector<std::string> Sentences(std::string_view p) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if ((c == '.' || c == '!' || c == '?') && (i + 1 == p.size() || p[i + 1] == ' ')) {
      auto s = core::Trim(p.substr(start, i + 1 - start));
      if (!s.empty()) out.emplace_back(s);
      start = i + 1;
    }
  }
  auto rest = core::Trim(p.substr(start));
  if (!rest.empty()) out.emplace_back(rest);
  return out;
}

std::vector<std::string> Paragraphs(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  size_t pos = 0;
  auto flush = [&] {
    auto t = core::Trim(cur);
    if (!t.empty()) out.emplace_back(t);
    cur.clear();
  };
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    auto trimmed = core::Trim(line);
    if (trimmed.empty() || trimmed.rfind("Q:", 0) == 0) flush();
    if (!trimmed.empty()) {
      if (!cur.empty()) cur += '\n';
      cur.append(trimmed);
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  flush();
  return out;
}

}  // namespace

std::vector<std::string> ChunkText(std::string_view content, size_t max_bytes) {
  // Pieces no longer than max_bytes: whole paragraphs, or sentences of long ones (a single
  // sentence longer than the limit stays whole rather than being cut mid-word).
  std::vector<std::string> pieces;
  std::vector<bool> starts_paragraph;
  for (const auto& p : Paragraphs(content)) {
    if (p.size() <= max_bytes) {
      pieces.push_back(p);
      starts_paragraph.push_back(true);
      continue;
    }
    bool first = true;
    for (auto& s : Sentences(p)) {
      pieces.push_back(std::move(s));
      starts_paragraph.push_back(first);
      first = false;
    }
  }
  std::vector<std::string> chunks;
  std::string cur, last_sentence;
  for (size_t i = 0; i < pieces.size(); ++i) {
    const auto& piece = pieces[i];
    const char* sep = starts_paragraph[i] ? "\n\n" : " ";
    if (!cur.empty() && cur.size() + 2 + piece.size() > max_bytes) {
      chunks.push_back(cur);
      auto sents = Sentences(cur);
      last_sentence = sents.empty() ? std::string() : sents.back();
      cur = (!last_sentence.empty() && last_sentence.size() < max_bytes / 3 &&
             last_sentence.size() + 1 + piece.size() <= max_bytes)
                ? last_sentence
                : std::string();
    }
    if (!cur.empty()) cur += sep;
    cur += piece;
  }
  if (!cur.empty()) chunks.push_back(cur);
  if (chunks.empty()) chunks.emplace_back(core::Trim(content));
  return chunks;
}

Result<std::vector<db::ChunkRow>> RechunkKnowledge(Ctx& ctx, const db::KnowledgeRow& k) {
  std::vector<db::ChunkRow> rows;
  if (k.status == "active") {
    auto texts = ChunkText(k.content);
    for (size_t i = 0; i < texts.size(); ++i)
      rows.push_back({core::NewId(ctx.clock.Now()), k.id, static_cast<int64_t>(i), texts[i]});
  }
  JACK_TRY(db::ReplaceChunks(ctx.db, k.id, rows));
  return rows;
}

}  // namespace jack::domain
