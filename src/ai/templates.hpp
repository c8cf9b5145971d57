#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace jack::ai {

using Vars = std::vector<std::pair<std::string, std::string>>;

// Reply templates per language (data/templates/<lang>.json, embedded). Unknown languages
// and missing keys fall back to English.
class Templates {
 public:
  static const Templates& Embedded();
  // The template `key` in `lang` with {name} placeholders replaced from `vars`.
  std::string Render(const std::string& lang, const std::string& key, const Vars& vars = {}) const;
  bool Has(const std::string& lang, const std::string& key) const;
  std::vector<std::string> Languages() const;

 private:
  std::map<std::string, std::map<std::string, std::string>> by_lang_;
};

}  // namespace jack::ai
