#include "http/router.hpp"

#include "core/strings.hpp"

namespace jack::http {

namespace {
int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
std::vector<std::string> PathParts(const std::string& p) {
  std::vector<std::string> out;
  for (auto& s : core::Split(p, '/')) {
    if (!s.empty()) out.push_back(std::move(s));
  }
  return out;
}
}  // namespace

bool UrlDecode(std::string_view in, std::string& out, bool plus_space) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int h = Hex(in[i + 1]), l = Hex(in[i + 2]);
      if (h < 0 || l < 0) return false;
      out.push_back(static_cast<char>(h * 16 + l));
      i += 2;
    } else if (c == '+' && plus_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return true;
}

bool ParseQuery(std::string_view q, std::map<std::string, std::string>& out) {
  for (const auto& pair : core::Split(q, '&')) {
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string k, v;
    if (!UrlDecode(std::string_view(pair).substr(0, eq), k, true)) return false;
    if (eq != std::string::npos && !UrlDecode(std::string_view(pair).substr(eq + 1), v, true))
      return false;
    out[k] = v;
  }
  return true;
}

void Router::Add(const std::string& method, const std::string& pattern, Handler h, RouteDoc doc) {
  routes_.push_back({method, pattern, PathParts(pattern), std::move(h), std::move(doc)});
}

Router::Match Router::Find(Request& req, Handler*& out, std::string& allow) {
  auto parts = PathParts(req.path);
  bool path_seen = false;
  for (auto& r : routes_) {
    if (r.parts.size() != parts.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      const auto& p = r.parts[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        std::string v;
        if (!UrlDecode(parts[i], v, false)) v = parts[i];
        params[p.substr(1, p.size() - 2)] = v;
      } else if (p != parts[i]) {
        ok = false;
      }
    }
    if (!ok) continue;
    path_seen = true;
    if (r.method == req.method || (req.method == "HEAD" && r.method == "GET")) {
      req.params = std::move(params);
      out = &r.handler;
      return Match::found;
    }
    if (!allow.empty()) allow += ", ";
    allow += r.method;
  }
  return path_seen ? Match::no_method : Match::no_path;
}

std::vector<Router::Entry> Router::Routes() const {
  std::vector<Entry> out;
  for (const auto& r : routes_) out.push_back({r.method, r.pattern, r.doc});
  return out;
}

}  // namespace jack::http
