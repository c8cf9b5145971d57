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
  // True when Embed() goes over the network: callers then run it on a provider thread, never
  // on the db thread or a read connection's thread.
  virtual bool remote() const { return false; }
  // One text a guest is waiting on, within `budget_ms` (retries included) where the embedder
  // goes over the network.
  virtual Result<std::vector<float>> EmbedQuestion(const std::string& text, long budget_ms) const;
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

// Any `/v1/embeddings` server (OpenAI, Ollama, llama.cpp server, vLLM): POST
// {base_url}/embeddings with {model, input: [...]} (and `dimensions` when it was configured
// explicitly), in batches of 64, retried on 429/5xx within the time-out. The answer must give
// one vector of `dimensions` numbers per input; they are L2-normalised here (not every server
// does). Errors (unavailable) name the status and the provider's message, never the key.
struct RemoteEmbedderOptions {
  std::string base_url;  // up to and including /v1, e.g. https://api.openai.com/v1
  std::string api_key;   // sent as a Bearer token when not empty
  std::string model;
  int dimensions = 0;
  bool send_dimensions = false;  // ask the server for `dimensions` (text-embedding-3-*)
  long timeout_ms = 30000;       // per batch, retries included
};
class OpenAIEmbedder final : public Embedder {
 public:
  explicit OpenAIEmbedder(RemoteEmbedderOptions o) : o_(std::move(o)) {}
  std::string model() const override { return o_.model; }
  int dimensions() const override { return o_.dimensions; }
  bool remote() const override { return true; }
  Result<std::vector<std::vector<float>>> Embed(
      const std::vector<std::string>& texts) const override;
  Result<std::vector<float>> EmbedQuestion(const std::string& text, long budget_ms) const override;

 private:
  Result<std::vector<std::vector<float>>> EmbedBatch(const std::vector<std::string>& texts,
                                                     long budget_ms) const;
  RemoteEmbedderOptions o_;
};

// The vector length of the models we know (text-embedding-3-small 1536, -3-large 3072,
// ada-002 1536, nomic-embed-text 768, mxbai-embed-large 1024, all-minilm 384), else 0.
int KnownEmbeddingDimensions(std::string_view model);

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
