#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/records.hpp"
#include "domain/context.hpp"

namespace jack::domain {

struct KnowledgeInput {
  std::string category, title, content;
  std::optional<std::string> keywords_json, status, language;
};

Status ValidateKnowledge(const KnowledgeInput& in);
// Creates an entry inside the caller's transaction (or its own when none is open). The FTS
// index follows through migration 1's triggers, so the entry is searchable on return.
Result<db::KnowledgeRow> CreateKnowledge(Ctx& ctx, const KnowledgeInput& in);
// PATCH /knowledge/{id}: absent fields stay; the result is validated as a whole. The caller
// re-indexes the entry (chunks and vectors) in the same transaction.
struct KnowledgePatch {
  std::optional<std::string> category, title, content, keywords_json, status;
  std::optional<std::optional<std::string>> language;
};
Result<db::KnowledgeRow> UpdateKnowledgeEntry(Ctx& ctx, std::string_view id,
                                              const KnowledgePatch& patch);
// Deletes the entry, its chunks and vectors (not found: not_found).
Status DeleteKnowledgeEntry(Ctx& ctx, std::string_view id);

// Splits an entry's content into chunks for vector search: paragraphs (blank lines, or a line
// starting "Q:") packed up to `max_bytes`, long paragraphs cut at sentence ends, and each
// chunk after the first starting with the previous chunk's last sentence (overlap), so that
// a fact near a boundary is whole in at least one chunk. Short content is one chunk.
std::vector<std::string> ChunkText(std::string_view content, size_t max_bytes = 400);

// Rewrites the entry's chunks from its content (inside the caller's transaction). Vectors of
// the old chunks are dropped; the caller embeds the new ones. Inactive entries get none.
Result<std::vector<db::ChunkRow>> RechunkKnowledge(Ctx& ctx, const db::KnowledgeRow& k);

}  // namespace jack::domain
