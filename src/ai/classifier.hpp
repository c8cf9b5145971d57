#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace fasttext {
class FastText;
}

namespace jack::ai {

struct IntentScore {
  std::string intent;  // full code
  double probability = 0;
};

struct Classification {
  std::string intent;     // best intent code
  std::string family;     // its family (ai.md)
  double confidence = 0;  // probability mass of the best family
  double intent_probability = 0;
  std::vector<IntentScore> top;  // best first
};

std::string FamilyOf(std::string_view intent);

// The fastText model embedded at build time (resource "model/intent.ftz"). Thread-safe for
// prediction after construction.
class IntentClassifier {
 public:
  static Result<std::shared_ptr<const IntentClassifier>> LoadEmbedded();
  static Result<std::shared_ptr<const IntentClassifier>> LoadBytes(std::string_view bytes);
  ~IntentClassifier();
  Classification Classify(const std::string& text) const;
  size_t label_count() const;

 private:
  IntentClassifier();
  static Result<std::shared_ptr<const IntentClassifier>> Load(std::string_view bytes, bool release);
  std::unique_ptr<fasttext::FastText> ft_;
};

}  // namespace jack::ai
