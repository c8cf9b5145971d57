#include "ai/embedding.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "ai/llm.hpp"
#include "db/repositories.hpp"
#include "domain/knowledge.hpp"
#include "domain/settings.hpp"
#include "outbound/http_client.hpp"

namespace jack::ai {
namespace {

uint64_t Fnv1a(std::string_view s, uint64_t seed) {
  uint64_t h = 1469598103934665603ull ^ seed;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  // Final avalanche (splitmix64) so that nearby strings spread over the buckets.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

// Lower-cased words; bytes of UTF-8 sequences count as letters, so accented words stay
// whole.
std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c >= 0x80) {
      cur += static_cast<char>(std::tolower(c));
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

// Function words of the six languages: they carry no topic and would make every text look
// alike.
bool IsStopWord(std::string_view w) {
  static const std::unordered_set<std::string_view> kStop = {
      // en
      "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "is", "are", "was", "be",
      "it", "its", "this", "that", "with", "as", "by", "from", "do", "does", "i", "you", "we", "my",
      "your", "our", "me", "can", "could", "would", "will", "please", "what", "when", "where",
      "how", "there", "have", "has", "if", "any", "some", "not",
      // es
      "el", "la", "los", "las", "un", "una", "y", "o", "de", "del", "al", "en", "con", "por",
      "para", "es", "son", "que", "se", "mi", "su", "lo", "le", "hay", "como",
      // fr
      "le", "les", "une", "des", "du", "et", "ou", "au", "aux", "est", "sont", "je", "vous", "nous",
      "il", "elle", "ce", "pour", "avec", "sur", "dans", "pas", "qui", "quel", "quelle",
      // de
      "der", "die", "das", "ein", "eine", "und", "oder", "zu", "im", "ist", "sind", "ich", "sie",
      "wir", "mit", "auf", "für", "von", "wann", "wo", "wie", "gibt", "es",
      // it
      "il", "lo", "gli", "uno", "di", "da", "con", "per", "che", "sono", "è", "dove", "quando",
      // pt
      "o", "os", "as", "um", "uma", "e", "do", "da", "dos", "das", "em", "no", "na", "com", "por",
      "que", "é", "onde", "quando"};
  return kStop.count(w) > 0;
}

// A light suffix stripper (English plurals and verb endings; Romance plurals), so that
// "massages"/"massage" and "booked"/"book" share their word feature. Character n-grams
// cover the rest of the morphology.
std::string Stem(const std::string& w) {
  auto ends = [&](std::string_view suf) {
    return w.size() > suf.size() + 2 && w.compare(w.size() - suf.size(), suf.size(), suf) == 0;
  };
  if (w.size() > 5 && ends("ing")) return w.substr(0, w.size() - 3);
  if (w.size() > 4 && ends("ed")) return w.substr(0, w.size() - 2);
  if (w.size() > 3 && ends("s") && !ends("ss") && !ends("us")) return w.substr(0, w.size() - 1);
  return w;
}

}  // namespace

std::vector<float> LocalHashEmbedder::EmbedOne(std::string_view text) const {
  // Feature counts first, then sublinear weights (1 + ln tf): a word repeated ten times in a
  // long chunk does not drown the rest.
  std::unordered_map<uint64_t, float> features;
  auto add = [&](std::string_view f, uint64_t seed, float w) { features[Fnv1a(f, seed)] += w; };
  auto all = Words(text);
  std::vector<std::string> words;
  for (auto& w : all)
    if (!IsStopWord(w)) words.push_back(Stem(w));
  for (size_t i = 0; i < words.size(); ++i) {
    const auto& w = words[i];
    add(w, 1, 1.0f);
    if (i + 1 < words.size()) add(w + " " + words[i + 1], 2, 0.4f);
    const std::string padded = "<" + w + ">";
    for (size_t n = 3; n <= 4; ++n) {
      if (padded.size() < n) continue;
      for (size_t j = 0; j + n <= padded.size(); ++j)
        add(std::string_view(padded).substr(j, n), 3 + n, 0.2f);
    }
  }
  std::vector<float> v(kDimensions, 0.0f);
  for (const auto& [h, count] : features) {
    // Weights are multiples of the feature's unit weight; the log keeps repeats sublinear.
    float weight = count < 1.0f ? count : 1.0f + std::log(count);
    v[h % v.size()] += (h >> 63) ? -weight : weight;
  }
  double norm = 0;
  for (float x : v) norm += double(x) * x;
  if (norm > 0) {
    float inv = static_cast<float>(1.0 / std::sqrt(norm));
    for (float& x : v) x *= inv;
  }
  return v;
}

Result<std::vector<std::vector<float>>> LocalHashEmbedder::Embed(
    const std::vector<std::string>& texts) const {
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back(EmbedOne(t));
  return out;
}

int KnownEmbeddingDimensions(std::string_view model) {
  static const std::pair<std::string_view, int> kKnown[] = {
      {"text-embedding-3-small", 1536}, {"text-embedding-3-large", 3072},
      {"text-embedding-ada-002", 1536}, {"nomic-embed-text", 768},
      {"mxbai-embed-large", 1024},      {"all-minilm", 384}};
  for (const auto& [name, dims] : kKnown)
    if (model == name || (model.size() > name.size() && model.substr(0, name.size()) == name &&
                          model[name.size()] == ':'))
      return dims;
  return 0;
}

Result<std::vector<std::vector<float>>> OpenAIEmbedder::Embed(
    const std::vector<std::string>& texts) const {
  constexpr size_t kBatch = 64;
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  for (size_t i = 0; i < texts.size(); i += kBatch) {
    std::vector<std::string> batch(
        texts.begin() + static_cast<std::ptrdiff_t>(i),
        texts.begin() + static_cast<std::ptrdiff_t>(std::min(texts.size(), i + kBatch)));
    JACK_TRY_ASSIGN(auto vs, EmbedBatch(batch, o_.timeout_ms));
    for (auto& v : vs) out.push_back(std::move(v));
  }
  return out;
}

Result<std::vector<float>> Embedder::EmbedQuestion(const std::string& text, long) const {
  JACK_TRY_ASSIGN(auto vs, Embed({text}));
  if (vs.size() != 1) return Error::Internal("embedder gave no vector for one text");
  return std::move(vs[0]);
}

Result<std::vector<float>> OpenAIEmbedder::EmbedQuestion(const std::string& text,
                                                         long budget_ms) const {
  JACK_TRY_ASSIGN(auto vs, EmbedBatch({text}, std::min(budget_ms, o_.timeout_ms)));
  if (vs.size() != 1) return Error::Unavailable("embedding provider gave no vector");
  return std::move(vs[0]);
}

Result<std::vector<std::vector<float>>> OpenAIEmbedder::EmbedBatch(
    const std::vector<std::string>& texts, long budget_ms) const {
  namespace json = boost::json;
  json::array input;
  for (const auto& t : texts) input.emplace_back(t.empty() ? std::string(" ") : t);
  json::object req{{"model", o_.model}, {"input", std::move(input)}};
  if (o_.send_dimensions) req["dimensions"] = o_.dimensions;
  std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/json"}};
  if (!o_.api_key.empty()) headers.emplace_back("Authorization", "Bearer " + o_.api_key);
  outbound::RetryPolicy policy;
  policy.budget = std::chrono::milliseconds(budget_ms);
  auto r = outbound::FetchWithRetry("POST", o_.base_url + "/embeddings", headers,
                                    json::serialize(req), policy);
  if (!r) return Error::Unavailable("embedding provider: " + r.error().message);
  if (r->status != 200) {
    std::string msg = ProviderErrorMessage(r->body);
    return Error::Unavailable("embedding provider answered HTTP " + std::to_string(r->status) +
                              (msg.empty() ? "" : ": " + msg));
  }
  auto bad = [](const std::string& why) {
    return Error::Unavailable("embedding provider sent an unusable answer: " + why);
  };
  boost::system::error_code ec;
  auto v = json::parse(r->body, ec);
  if (ec || !v.is_object()) return bad("not JSON");
  const auto* data = v.as_object().if_contains("data");
  if (!data || !data->is_array()) return bad("no data array");
  if (data->as_array().size() != texts.size())
    return bad(std::to_string(data->as_array().size()) + " vectors for " +
               std::to_string(texts.size()) + " texts");
  std::vector<std::vector<float>> out(texts.size());
  for (size_t i = 0; i < data->as_array().size(); ++i) {
    const auto& item = data->as_array()[i];
    if (!item.is_object()) return bad("an item is not an object");
    size_t index = i;  // answers are in input order; `index` says so explicitly when present
    if (const auto* ix = item.as_object().if_contains("index"); ix && ix->is_int64()) {
      if (ix->as_int64() < 0 || static_cast<size_t>(ix->as_int64()) >= texts.size())
        return bad("an index out of range");
      index = static_cast<size_t>(ix->as_int64());
    }
    const auto* emb = item.as_object().if_contains("embedding");
    if (!emb || !emb->is_array()) return bad("an item without an embedding array");
    if (static_cast<int>(emb->as_array().size()) != o_.dimensions)
      return bad("a vector of " + std::to_string(emb->as_array().size()) + " numbers, not " +
                 std::to_string(o_.dimensions) + " (JACK_EMBEDDING_DIMENSIONS)");
    if (!out[index].empty()) return bad("two vectors for one text");
    auto& vec = out[index];
    vec.reserve(emb->as_array().size());
    double norm = 0;
    for (const auto& x : emb->as_array()) {
      if (!x.is_number()) return bad("a vector holds something other than numbers");
      double d = x.to_number<double>();
      if (!std::isfinite(d)) return bad("a vector holds a number that is not finite");
      vec.push_back(static_cast<float>(d));
      norm += d * d;
    }
    if (norm <= 0) return bad("a zero vector");
    float inv = static_cast<float>(1.0 / std::sqrt(norm));
    for (float& x : vec) x *= inv;
  }
  return out;
}

std::string ChunkEmbeddingText(std::string_view title, std::string_view chunk) {
  std::string s(title);
  s += "\n";
  s += chunk;
  return s;
}

Status IndexKnowledgeEntry(domain::Ctx& ctx, const Embedder& embedder, const db::KnowledgeRow& k) {
  JACK_TRY_ASSIGN(auto chunks, domain::RechunkKnowledge(ctx, k));
  if (chunks.empty()) return {};
  JACK_TRY_ASSIGN(int dims, db::EmbeddingTableDimensions(ctx.db));
  // During a rebuild for another provider the entry is found by full text at once and gets
  // its vectors when the rebuild's catch-up plans it.
  if (dims != embedder.dimensions()) return {};
  // A remote provider is not called inside the caller's transaction: the chunks wait for
  // their vectors (ChunksWithoutVectors), which the caller embeds off the db thread.
  if (embedder.remote()) return {};
  std::vector<std::string> texts;
  for (const auto& c : chunks) texts.push_back(ChunkEmbeddingText(k.title, c.content));
  JACK_TRY_ASSIGN(auto vectors, embedder.Embed(texts));
  if (vectors.size() != chunks.size())
    return Error::Internal("the embedder returned " + std::to_string(vectors.size()) +
                           " vectors for " + std::to_string(chunks.size()) + " texts");
  for (size_t i = 0; i < chunks.size(); ++i) {
    if (static_cast<int>(vectors[i].size()) != dims)
      return Error::Internal("the embedder returned a vector of the wrong dimension");
    JACK_TRY(db::PutEmbedding(ctx.db, chunks[i].id, vectors[i]));
  }
  return {};
}

Result<IndexPlan> PlanKnowledgeIndex(domain::Ctx& ctx, const Embedder& embedder, bool force) {
  IndexPlan plan;
  JACK_TRY_ASSIGN(int dims, db::EmbeddingTableDimensions(ctx.db));
  const std::string model = domain::Setting(ctx, "embeddings.model");
  plan.rebuild = force || model != embedder.model() || dims != embedder.dimensions() ||
                 domain::Setting(ctx, "embeddings.dimensions") != std::to_string(dims);
  // Entries without chunks (new, or a forced re-chunk) get them in short transactions.
  JACK_TRY_ASSIGN(auto missing,
                  force ? db::ActiveKnowledge(ctx.db) : db::KnowledgeWithoutChunks(ctx.db));
  for (const auto& k : missing) {
    db::Transaction tx(ctx.db);
    JACK_TRY(tx.status());
    JACK_TRY(domain::RechunkKnowledge(ctx, k));
    JACK_TRY(tx.Commit());
  }
  if (plan.rebuild) {
    JACK_TRY_ASSIGN(plan.chunks, db::ActiveChunks(ctx.db));
  } else {
    JACK_TRY_ASSIGN(plan.chunks, db::ChunksWithoutVectors(ctx.db));
  }
  std::string last;
  for (const auto& c : plan.chunks)
    if (c.chunk.knowledge_id != last) ++plan.entries, last = c.chunk.knowledge_id;
  return plan;
}

Result<std::vector<std::vector<float>>> EmbedPlan(const Embedder& embedder, const IndexPlan& plan) {
  constexpr size_t kBatch = 64;
  std::vector<std::vector<float>> out;
  out.reserve(plan.chunks.size());
  for (size_t i = 0; i < plan.chunks.size(); i += kBatch) {
    std::vector<std::string> texts;
    for (size_t j = i; j < std::min(plan.chunks.size(), i + kBatch); ++j)
      texts.push_back(ChunkEmbeddingText(plan.chunks[j].title, plan.chunks[j].chunk.content));
    JACK_TRY_ASSIGN(auto vs, embedder.Embed(texts));
    if (vs.size() != texts.size())
      return Error::Internal("the embedder returned the wrong number of vectors");
    for (auto& v : vs) {
      if (static_cast<int>(v.size()) != embedder.dimensions())
        return Error::Internal("the embedder returned a vector of the wrong dimension");
      out.push_back(std::move(v));
    }
  }
  return out;
}

Result<IndexSyncReport> ApplyKnowledgeIndex(domain::Ctx& ctx, const Embedder& embedder,
                                            const IndexPlan& plan,
                                            const std::vector<std::vector<float>>& vectors) {
  IndexSyncReport report;
  report.rebuilt = plan.rebuild;
  report.entries = plan.entries;
  if (vectors.size() != plan.chunks.size()) return Error::Internal("vectors and chunks differ");
  if (plan.rebuild) {
    // Staged outside the swap's transaction; the swap keeps only chunks that still exist.
    JACK_TRY(db::BeginEmbeddingStaging(ctx.db));
    for (size_t i = 0; i < vectors.size(); ++i)
      JACK_TRY(db::StageEmbedding(ctx.db, plan.chunks[i].chunk.id, vectors[i]));
    db::Transaction tx(ctx.db);
    JACK_TRY(tx.status());
    JACK_TRY(
        db::SwapInStagedEmbeddings(ctx.db, embedder.dimensions(), embedder.model(), ctx.Now()));
    JACK_TRY(tx.Commit());
    report.chunks = static_cast<int>(vectors.size());
    return report;
  }
  JACK_TRY_ASSIGN(int dims, db::EmbeddingTableDimensions(ctx.db));
  if (dims != embedder.dimensions()) return report;  // a rebuild swapped in meanwhile
  db::Transaction tx(ctx.db);
  JACK_TRY(tx.status());
  // Only chunks that still exist and still lack a vector: another run (a request's own, the
  // background one) may have written some meanwhile.
  JACK_TRY_ASSIGN(auto waiting, db::ChunksWithoutVectors(ctx.db));
  std::unordered_set<std::string> pending;
  for (const auto& c : waiting) pending.insert(c.chunk.id);
  for (size_t i = 0; i < vectors.size(); ++i) {
    if (!pending.count(plan.chunks[i].chunk.id)) continue;
    JACK_TRY(db::PutEmbedding(ctx.db, plan.chunks[i].chunk.id, vectors[i]));
    ++report.chunks;
  }
  JACK_TRY(tx.Commit());
  return report;
}

Result<IndexSyncReport> SyncKnowledgeIndex(domain::Ctx& ctx, const Embedder& embedder, bool force) {
  IndexSyncReport total;
  for (int round = 0; round < 2; ++round) {
    JACK_TRY_ASSIGN(auto plan, PlanKnowledgeIndex(ctx, embedder, force && round == 0));
    if (plan.chunks.empty() && !plan.rebuild) break;
    JACK_TRY_ASSIGN(auto vectors, EmbedPlan(embedder, plan));
    JACK_TRY_ASSIGN(auto r, ApplyKnowledgeIndex(ctx, embedder, plan, vectors));
    total.rebuilt = total.rebuilt || r.rebuilt;
    total.entries += r.entries;
    total.chunks += r.chunks;
  }
  return total;
}

}  // namespace jack::ai
