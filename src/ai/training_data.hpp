#pragma once

#include <string>
#include <vector>

// Labelled utterances for the local intent model: the product's own (data/intents/*.jsonl)
// and CLINC150's training splits mapped onto ai.md's intents. No dependency beyond the
// standard library and Boost.JSON, so the build-time trainer can use it.
namespace jack::ai {

struct Utterance {
  std::string text;
  std::string intent;  // full code, e.g. "request.housekeeping"
  std::string lang;    // en, es, ... ("en" for CLINC150)
  std::string source;  // "own" or "clinc150"
};

// ai.md's CLINC150 label mapping: the intent for `label`, "" for labels that are not scored
// (yes, no, maybe, repeat, cancel), "out_of_scope" for every other domain and for "oos".
std::string MapClincLabel(const std::string& label);

// The department a request or complaint intent routes to by default ("" for others). The
// pipeline refines complaint.noise (equipment noise goes to maintenance).
std::string DepartmentOfIntent(const std::string& intent);

// The text the model sees, for training and prediction alike: lower-cased, punctuation split
// from words, digit runs replaced by a placeholder token.
std::string ModelText(const std::string& text);

// Whether an own utterance is in the held-out split (about 1 in 8, by a stable hash of its
// normalised text), which the model never trains on.
bool IsHeldOut(const std::string& text);
// A development split of the training utterances (another eighth, disjoint from the held-out
// one), for tuning the trainer without looking at the held-out set: `jack_train --dev`.
bool IsDev(const std::string& text);
// The eighth (0-7) an own utterance falls in: 0 is held out, 1 the dev split.
int SplitBucket(const std::string& text);

// Reads data/intents/*.jsonl under `data_dir` (own) — throws std::runtime_error on a malformed
// line so that the build fails loudly.
std::vector<Utterance> LoadOwnUtterances(const std::string& data_dir);
// Reads a CLINC150-format file ({"text","label"}), mapping labels; unscored rows are dropped.
std::vector<Utterance> LoadClinc(const std::string& path);
// Reads the sample format ({"text","lang","family","department","escalate"}).
struct LabelledSample {
  std::string text, lang, family, department;  // department "" when null
  bool escalate = false;
  bool has_escalate = false;
  std::string clinc_label;  // set for CLINC150 rows
  // Knowledge questions (eval/kb-questions.jsonl): "answer" lists the facts of which the reply
  // must hold at least one (case-insensitive); "answer": null marks a question the knowledge
  // base cannot answer, where any knowledge answer is an invented fact.
  bool has_answer = false;
  std::vector<std::string> answer;  // empty with has_answer: unanswerable
};
std::vector<LabelledSample> LoadLabelled(const std::string& path);

// The training set: own utterances outside the held-out split, plus CLINC150 train and
// oos_train (other-domain labels capped at `other_domain_per_label` rows each).
std::vector<Utterance> TrainingSet(const std::string& data_dir, int other_domain_per_label);

}  // namespace jack::ai
