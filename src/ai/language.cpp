#include "ai/language.hpp"

#include <cld2/internal/lang_script.h>
#include <cld2/public/compact_lang_det.h>

#include <array>
#include <set>
#include <sstream>

#include "ai/training_data.hpp"

namespace jack::ai {
namespace {

struct Lexicon {
  const char* code;
  std::set<std::string> words;
};

// Words that are frequent in one of the six languages and rare in the others; they decide
// short messages on which CLD2 is unreliable ("hola", "danke", "a que horas").
const std::array<Lexicon, 6>& Lexicons() {
  static const std::array<Lexicon, 6> l = {{
      {"en", {"the",    "is",    "my",   "please", "can",   "you",   "what", "where",
              "thanks", "thank", "hi",   "hello",  "room",  "need",  "have", "we",
              "i",      "and",   "with", "how",    "when",  "does",  "pls",  "towels",
              "bye",    "there", "it's", "what's", "don't", "could", "would"}},
      {"es", {"el",     "la",     "los",      "las",    "es",         "por", "favor",   "gracias",
              "hola",   "quiero", "puede",    "pueden", "habitación", "qué", "dónde",   "cuándo",
              "está",   "tiene",  "necesito", "una",    "hay",        "muy", "toallas", "desayuno",
              "buenos", "buenas", "adiós",    "aire",   "más"}},
      {"fr", {"le",   "les",     "est",  "pour",   "vous",  "merci",    "bonjour", "je",
              "nous", "chambre", "quel", "quelle", "où",    "il",       "y",       "du",
              "des",  "une",     "pas",  "s'il",   "plaît", "pourriez", "avez",    "bonsoir",
              "au",   "revoir",  "mot",  "passe",  "eau"}},
      {"de",
       {"der",  "die", "das",   "ist",   "bitte",  "danke", "hallo",  "ich",     "wir",  "zimmer",
        "wann", "wo",  "wie",   "nicht", "und",    "mit",   "können", "könnten", "noch", "zwei",
        "muss", "bis", "guten", "tag",   "morgen", "es",    "im",     "ein",     "eine", "gibt"}},
      {"it", {"il",         "lo",     "gli",    "è",           "per",       "grazie",     "ciao",
              "buongiorno", "camera", "potete", "vorrei",      "dove",      "quando",     "che",
              "non",        "della",  "delle",  "sono",        "abbiamo",   "posso",      "mi",
              "ci",         "un",     "una",    "arrivederci", "colazione", "asciugamani"}},
      {"pt", {"o",     "os",    "as",      "é",       "obrigado", "obrigada", "olá",     "quarto",
              "que",   "horas", "onde",    "quando",  "não",      "com",      "uma",     "um",
              "posso", "pode",  "podem",   "preciso", "fecha",    "abre",     "piscina", "tchau",
              "bom",   "dia",   "toalhas", "café",    "manhã"}},
  }};
  return l;
}

}  // namespace

bool IsSupportedLanguage(const std::string& c) {
  return c == "en" || c == "es" || c == "fr" || c == "de" || c == "it" || c == "pt";
}

LanguageGuess DetectLanguage(const std::string& text, const std::string& fallback) {
  bool reliable = false;
  CLD2::Language lang3[3];
  int percent3[3];
  int text_bytes = 0;
  CLD2::Language lang = CLD2::DetectLanguageSummary(text.data(), static_cast<int>(text.size()),
                                                    true, lang3, percent3, &text_bytes, &reliable);
  std::string code = CLD2::LanguageCode(lang);
  // CLD2 is dependable on longer texts; on short ones a word list of our six languages
  // decides, and the guest's known language breaks ties.
  if (reliable && text_bytes >= 40 && code != "un") return {code, true};

  std::istringstream words(ModelText(text));
  std::array<int, 6> score{};
  std::string w;
  while (words >> w) {
    for (size_t i = 0; i < Lexicons().size(); ++i) {
      if (Lexicons()[i].words.count(w)) ++score[i];
    }
  }
  int best = -1, best_score = 0;
  bool tie = false;
  for (size_t i = 0; i < score.size(); ++i) {
    if (score[i] > best_score) {
      best = static_cast<int>(i);
      best_score = score[i];
      tie = false;
    } else if (score[i] == best_score && best_score > 0) {
      if (Lexicons()[i].code == fallback)
        best = static_cast<int>(i);
      else if (Lexicons()[best].code != fallback)
        tie = true;
    }
  }
  if (best >= 0 && !tie) {
    std::string lex = Lexicons()[best].code;
    // Agreement with CLD2, or a clear lexical signal, is enough.
    if (lex == code || best_score >= 2 || !reliable) return {lex, true};
  }
  if (reliable && IsSupportedLanguage(code)) return {code, true};
  return {fallback.empty() ? "en" : fallback, false};
}

}  // namespace jack::ai
