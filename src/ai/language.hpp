#pragma once

#include <string>

namespace jack::ai {

struct LanguageGuess {
  std::string code;       // ISO 639-1
  bool reliable = false;  // false: `code` is the fallback
};

// The language of a guest message: CLD2 when it is reliable, else a word list of the six
// product languages for short texts, else `fallback` (the guest's known language). Input
// must be valid UTF-8.
LanguageGuess DetectLanguage(const std::string& text, const std::string& fallback);
bool IsSupportedLanguage(const std::string& code);  // en es fr de it pt

}  // namespace jack::ai
