#include "ai/training_data.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

namespace jack::ai {
namespace json = boost::json;

namespace {

std::string Lower(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c + 32));
    } else if (c == 0xC3 && i + 1 < s.size()) {
      unsigned char n = static_cast<unsigned char>(s[i + 1]);
      if (n >= 0x80 && n <= 0x9E && n != 0x97) n = static_cast<unsigned char>(n + 0x20);
      out.push_back(static_cast<char>(c));
      out.push_back(static_cast<char>(n));
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string Str(const json::object& o, const char* k) {
  const auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

std::string MapClincLabel(const std::string& label) {
  static const std::map<std::string, std::string> m = {
      {"book_hotel", "inquiry.reservation"},
      {"accept_reservations", "inquiry.reservation"},
      {"cancel_reservation", "inquiry.reservation"},
      {"confirm_reservation", "inquiry.reservation"},
      {"restaurant_reservation", "request.dining.reservation"},
      {"uber", "request.concierge"},
      {"car_rental", "request.concierge"},
      {"alarm", "request.wakeup"},
      {"lost_luggage", "request.front_desk"},
      {"restaurant_suggestion", "inquiry.dining"},
      {"restaurant_reviews", "inquiry.dining"},
      {"meal_suggestion", "inquiry.dining"},
      {"directions", "inquiry.local"},
      {"distance", "inquiry.local"},
      {"traffic", "inquiry.local"},
      {"travel_suggestion", "inquiry.local"},
      {"weather", "inquiry.local"},
      {"plug_type", "inquiry.local"},
      {"greeting", "greeting"},
      {"goodbye", "farewell"},
      {"thank_you", "thanks"},
      {"yes", ""},
      {"no", ""},
      {"maybe", ""},
      {"repeat", ""},
      {"cancel", ""},
  };
  auto it = m.find(label);
  if (it != m.end()) return it->second;
  return "out_of_scope";
}

std::string DepartmentOfIntent(const std::string& intent) {
  auto starts = [&](const char* p) { return intent.rfind(p, 0) == 0; };
  if (starts("request.housekeeping") || starts("request.laundry") || starts("request.dnd") ||
      intent == "complaint.cleanliness")
    return "housekeeping";
  if (starts("request.maintenance") || intent == "complaint.maintenance") return "maintenance";
  if (starts("request.room_service")) return "room_service";
  if (starts("request.dining") || starts("request.concierge")) return "concierge";
  if (starts("request.") || starts("complaint.") || starts("emergency")) return "front_desk";
  return "";
}

std::string ModelText(const std::string& text) {
  std::string lower = Lower(text);
  std::string out;
  out.reserve(lower.size() + 16);
  bool in_digits = false;
  for (size_t i = 0; i < lower.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(lower[i]);
    if (c >= '0' && c <= '9') {
      if (!in_digits) {
        if (!out.empty() && out.back() != ' ') out.push_back(' ');
        out += "<num> ";
      }
      in_digits = true;
      continue;
    }
    in_digits = false;
    if (c < 0x80 && (std::ispunct(c) && c != '\'')) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      out.push_back(static_cast<char>(c));
      out.push_back(' ');
    } else if (std::isspace(c)) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else if (c == 0xC2 && i + 1 < lower.size() &&
               (static_cast<unsigned char>(lower[i + 1]) == 0xBF ||
                static_cast<unsigned char>(lower[i + 1]) == 0xA1)) {
      // ¿ and ¡ are punctuation too
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

namespace {
// FNV-1a over the lower-cased alphanumerics: stable across builds and platforms.
uint64_t SplitHash(const std::string& text) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : Lower(text)) {
    if (std::isalnum(c) || c >= 0x80) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  }
  return h;
}
}  // namespace

bool IsHeldOut(const std::string& text) { return SplitHash(text) % 8 == 0; }
bool IsDev(const std::string& text) { return SplitHash(text) % 8 == 1; }
int SplitBucket(const std::string& text) { return static_cast<int>(SplitHash(text) % 8); }

std::vector<Utterance> LoadOwnUtterances(const std::string& data_dir) {
  std::vector<Utterance> out;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(data_dir + "/intents")) {
    if (e.path().extension() == ".jsonl") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      boost::system::error_code ec;
      auto v = json::parse(line, ec);
      if (ec || !v.is_object())
        throw std::runtime_error(f.string() + ":" + std::to_string(n) + ": not a JSON object");
      const auto& o = v.as_object();
      Utterance u{Str(o, "text"), Str(o, "intent"), Str(o, "lang"), "own"};
      if (u.text.empty() || u.intent.empty())
        throw std::runtime_error(f.string() + ":" + std::to_string(n) + ": needs text and intent");
      if (u.lang.empty()) u.lang = "en";
      out.push_back(std::move(u));
    }
  }
  return out;
}

std::vector<Utterance> LoadClinc(const std::string& path) {
  std::vector<Utterance> out;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string line;
  while (std::getline(in, line)) {
    boost::system::error_code ec;
    auto v = json::parse(line, ec);
    if (ec || !v.is_object()) continue;
    std::string label = Str(v.as_object(), "label");
    std::string intent = MapClincLabel(label);
    if (intent.empty()) continue;
    out.push_back({Str(v.as_object(), "text"), intent, "en", "clinc150:" + label});
  }
  return out;
}

std::vector<LabelledSample> LoadLabelled(const std::string& path) {
  std::vector<LabelledSample> out;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string line;
  while (std::getline(in, line)) {
    boost::system::error_code ec;
    auto v = json::parse(line, ec);
    if (ec || !v.is_object()) continue;
    const auto& o = v.as_object();
    LabelledSample s;
    s.text = Str(o, "text");
    if (o.if_contains("label")) {
      s.clinc_label = Str(o, "label");
      std::string intent = MapClincLabel(s.clinc_label);
      if (intent.empty()) continue;
      s.family = intent.substr(0, intent.find('.'));
      if (intent == "request.dining.reservation" || intent == "request.concierge")
        s.department = "concierge";
      else if (intent == "request.wakeup" || intent == "request.front_desk")
        s.department = "front_desk";
      s.lang = "en";
    } else {
      s.lang = Str(o, "lang");
      s.family = Str(o, "family");
      s.department = Str(o, "department");
      if (const auto* a = o.if_contains("answer")) {
        s.has_answer = true;
        if (a->is_array())
          for (const auto& x : a->as_array())
            if (x.is_string()) s.answer.emplace_back(x.as_string());
      }
      if (const auto* e = o.if_contains("escalate"); e && e->is_bool()) {
        s.escalate = e->as_bool();
        s.has_escalate = true;
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<Utterance> TrainingSet(const std::string& data_dir, int other_domain_per_label) {
  std::vector<Utterance> out;
  for (auto& u : LoadOwnUtterances(data_dir)) {
    if (!IsHeldOut(u.text)) out.push_back(std::move(u));
  }
  std::map<std::string, int> per_label;
  for (auto& u : LoadClinc(data_dir + "/clinc150/train.jsonl")) {
    if (u.intent == "out_of_scope" && ++per_label[u.source] > other_domain_per_label) continue;
    out.push_back(std::move(u));
  }
  for (auto& u : LoadClinc(data_dir + "/clinc150/oos_train.jsonl")) out.push_back(std::move(u));
  return out;
}

}  // namespace jack::ai
