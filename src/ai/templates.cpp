#include "ai/templates.hpp"

#include <boost/json.hpp>

#include "core/resources.hpp"
#include "core/strings.hpp"

namespace jack::ai {

const Templates& Templates::Embedded() {
  static const Templates t = [] {
    Templates out;
    for (auto name : core::ListResources("templates/")) {
      std::string lang(name.substr(10, name.size() - 10 - 5));  // templates/xx.json
      auto body = core::FindResource(name);
      boost::system::error_code ec;
      auto v = boost::json::parse(*body, ec);
      if (ec || !v.is_object()) continue;
      for (const auto& kv : v.as_object()) {
        if (kv.value().is_string())
          out.by_lang_[lang][std::string(kv.key())] = std::string(kv.value().as_string());
      }
    }
    return out;
  }();
  return t;
}

bool Templates::Has(const std::string& lang, const std::string& key) const {
  auto it = by_lang_.find(lang);
  return it != by_lang_.end() && it->second.count(key);
}

std::vector<std::string> Templates::Languages() const {
  std::vector<std::string> out;
  for (const auto& [k, _] : by_lang_) out.push_back(k);
  return out;
}

std::string Templates::Render(const std::string& lang, const std::string& key,
                              const Vars& vars) const {
  std::string text;
  if (Has(lang, key)) {
    text = by_lang_.at(lang).at(key);
  } else if (Has("en", key)) {
    text = by_lang_.at("en").at(key);
  } else {
    return {};
  }
  for (const auto& [name, value] : vars) text = core::ReplaceAll(text, "{" + name + "}", value);
  return text;
}

}  // namespace jack::ai
