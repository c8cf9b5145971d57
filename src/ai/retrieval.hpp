#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "db/records.hpp"

namespace jack::ai {

struct RetrievedFact {
  db::KnowledgeRow entry;
  std::string quote;    // the sentences that answer, at most ~400 characters
  double score = 0;     // 0..1: share of the question's terms the entry covers, rank-weighted
  double fts_rank = 0;  // FTS5 bm25 (lower is better)
  std::optional<double> cosine;  // of the entry's nearest chunk, when a query vector was given
  // How many of the guest's own concepts it holds (the intent's topic words not counted).
  int concepts = 0;
  // Holds a concept of the guest that at most a tenth of the entries hold: found by what the
  // question is about, not only by common words ("ask", "day").
  bool specific = false;
  // The entry's title (not only its keywords) names one of the guest's concepts: the page is
  // about what the guest asks ("In-room safe" for "how do I lock the safe").
  bool titled = false;
  // The quote holds the kind of fact the question asks for: a price for "how much is a
  // cocktail at the bar?" (the bar's page gives its floor and hours, no prices), a time for
  // "until when" (true when the question asks for no such kind).
  bool holds_asked_kind = true;
};

// The English search terms for a question: its own words (stop words removed, by their
// Snowball stem), their English from the glossaries (data/glossary/; such a term ends in '~',
// matched as a whole word with its inflections), and the topic words of its intent
// (inquiry.wifi adds "wifi password" ...), so that a question in any of the six languages
// finds an entry written in English.
std::vector<std::string> QueryTerms(const std::string& text, const std::string& intent);
// The parts of a message, split at commas, semicolons and the words for "and" / "also" of
// the six languages ("two towels and the wifi password" → "two towels", "the wifi password").
std::vector<std::string> SplitClauses(const std::string& text);
// An FTS5 MATCH expression over `terms` (OR of quoted prefix terms); empty when none.
std::string FtsExpression(const std::vector<std::string>& terms);

// Best entries for a question, best first: FTS5 bm25 candidates re-scored by the share of the
// question's concepts they hold, each concept weighted by its rarity in the knowledge base.
// `language`: the question's; its words the glossary does not know weigh little unless it
// is English.
// With `query_vector` (the question embedded by the configured embedder, whose vectors the
// index holds), the entries of the nearest chunks are candidates too, ranked with the text's
// candidates by reciprocal rank (k = 60); an entry whose nearest chunk is within cosine
// kVectorMatch of the question scores at least that cosine, so that a question in a language
// the glossary does not know finds the entry that answers it.
Result<std::vector<RetrievedFact>> Retrieve(db::Database& db, const std::string& text,
                                            const std::string& intent, int limit,
                                            const std::string& language = "en",
                                            const std::vector<float>* query_vector = nullptr);
// Cosine similarity from which a chunk's entry counts as relevant by meaning alone.
constexpr double kVectorMatch = 0.5;

// GET /knowledge/search: FTS5 bm25 candidates and vec0 nearest chunks fused by reciprocal
// rank (k = 60), each hit with the parts of its score.
struct SearchHit {
  db::KnowledgeRow entry;
  std::string snippet;
  double score = 0;                       // Σ 1 / (60 + rank) over the lists it is in
  std::optional<double> fts_rank;         // bm25 (lower is better), when FTS found it
  std::optional<double> vector_distance;  // L2 of its nearest chunk, when kNN found it
};
class Embedder;
// `query_vector` is the query embedded beforehand (a remote embedder is called on a provider
// thread, not here); without it a local embedder embeds the query here and a remote one
// leaves the search to full text.
Result<std::vector<SearchHit>> SearchKnowledge(db::Database& db, const Embedder& embedder,
                                               const std::string& query, int limit,
                                               const std::vector<float>* query_vector = nullptr);

// The sentences of `content` that best cover `terms`, in their original order, within
// `max_chars`. With the guest's `question`, sentences that hold the kind of fact it asks for
// (a time for "what time", a price for "how much", a place for "where") come first.
// `weights`: one per term (1 when absent).
std::string QuoteSentences(const std::string& content, const std::vector<std::string>& terms,
                           size_t max_chars, const std::string& question = {},
                           const std::vector<double>& weights = {});

}  // namespace jack::ai
