#include "app/config.hpp"

#include <cstdlib>
#include <fstream>

#include "core/strings.hpp"

namespace jack::app {

void LoadDotEnv() {
  std::ifstream in(".env");
  std::string line;
  while (std::getline(in, line)) {
    auto t = std::string(core::Trim(line));
    if (t.empty() || t[0] == '#') continue;
    if (core::StartsWith(t, "export ")) t = t.substr(7);
    auto eq = t.find('=');
    if (eq == std::string::npos) continue;
    std::string k(core::Trim(t.substr(0, eq)));
    std::string v(core::Trim(t.substr(eq + 1)));
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front())
      v = v.substr(1, v.size() - 2);
    setenv(k.c_str(), v.c_str(), 0);
  }
}

std::string Env(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

}  // namespace jack::app
