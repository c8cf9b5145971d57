#pragma once

#include <optional>
#include <string>

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

}  // namespace jack::domain
