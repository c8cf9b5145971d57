#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/records.hpp"
#include "db/repositories.hpp"
#include "domain/context.hpp"

// Text embeddings behind one interface (ai.md; cli.md JACK_EMBEDDING_*), and the knowledge
// index that keeps knowledge_embeddings in step with the knowledge base and the configured
// provider (seed-notes.md, Embedding dimension strategy).
namespace jack::ai {

class Embedder {
 public:
  virtual ~Embedder() = default;
  // The name recorded in settings (embeddings.model) and its vector length.
  virtual std::string model() const = 0;
  virtual int dimensions() const = 0;
  // One L2-normalised vector per text, in order.
  virtual Result<std::vector<std::vector<float>>> Embed(
      const std::vector<std::string>& texts) const = 0;
};

// The local embedder (`local-hash-384`): needs no download and no network. Lower-cased words,
// word pairs and the character 3- and 4-grams of each word are hashed (FNV-1a, signed) into
// 384 dimensions and L2-normalised, so texts that share words or word stems land close.
// Deterministic across runs and machines.
class LocalHashEmbedder final : public Embedder {
 public:
  static constexpr int kDimensions = 384;
  std::string model() const override { return "local-hash-384"; }
  int dimensions() const override { return kDimensions; }
  Result<std::vector<std::vector<float>>> Embed(
      const std::vector<std::string>& texts) const override;
  std::vector<float> EmbedOne(std::string_view text) const;
};

// The text of a chunk as it is embedded: the entry's title gives every chunk its topic.
std::string ChunkEmbeddingText(std::string_view title, std::string_view chunk);

// Re-chunks one entry and embeds its chunks inside the caller's transaction (an inactive
// entry loses its chunks and vectors). The table must already have the embedder's dimension.
Status IndexKnowledgeEntry(domain::Ctx& ctx, const Embedder& embedder, const db::KnowledgeRow& k);

struct IndexSyncReport {
  bool rebuilt = false;  // the provider changed: the vec0 table was recreated
  int entries = 0;       // entries (re)indexed
  int chunks = 0;        // vectors written
};
// Bringing the index in line with the embedder, in three steps so that the slow middle one
// (a remote provider embeds every chunk) runs off the db thread while reads and writes go on:
//   Plan (db thread): entries without chunks get them; lists the chunks to embed: all of them
//     when embeddings.model or the table's dimension differ (a rebuild) or when `force`d,
//     else those without a vector.
//   EmbedPlan (any thread): the vectors, in batches.
//   Apply (db thread): a rebuild stages the vectors and swaps the vec0 table in one short
//     transaction (seed-notes.md: sqlite-vec 0.1.9 cannot rename one); otherwise the vectors
//     are written. Chunks deleted meanwhile are skipped; chunks written meanwhile are caught
//     by the next Plan.
struct IndexPlan {
  bool rebuild = false;
  int entries = 0;  // entries whose chunks are listed
  std::vector<db::ChunkToEmbed> chunks;
};
Result<IndexPlan> PlanKnowledgeIndex(domain::Ctx& ctx, const Embedder& embedder, bool force);
Result<std::vector<std::vector<float>>> EmbedPlan(const Embedder& embedder, const IndexPlan& plan);
Result<IndexSyncReport> ApplyKnowledgeIndex(domain::Ctx& ctx, const Embedder& embedder,
                                            const IndexPlan& plan,
                                            const std::vector<std::vector<float>>& vectors);
// All three on the calling thread, then once more for what was written meanwhile (the CLI,
// jack kb reindex with `force`). Idempotent.
Result<IndexSyncReport> SyncKnowledgeIndex(domain::Ctx& ctx, const Embedder& embedder,
                                           bool force = false);

}  // namespace jack::ai
