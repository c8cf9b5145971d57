#include "domain/json_columns.hpp"

#include <boost/json.hpp>

#include "core/strings.hpp"

namespace jack::domain {
namespace json = boost::json;

namespace {
bool GoodString(const json::value& v, size_t max_len) {
  return v.is_string() && !v.as_string().empty() && v.as_string().size() <= max_len &&
         core::IsValidUtf8(v.as_string());
}
}  // namespace

Result<std::string> CanonicalStringArray(const json::value& v, const std::string& path,
                                         size_t max_items, size_t max_len) {
  if (!v.is_array()) return Error::Invalid("must be an array of strings", path);
  if (v.as_array().size() > max_items)
    return Error::Invalid("at most " + std::to_string(max_items) + " items", path);
  json::array out;
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    const auto& e = v.as_array()[i];
    if (!GoodString(e, max_len))
      return Error::Invalid(
          "must be a non-empty string of at most " + std::to_string(max_len) + " characters",
          path + "[" + std::to_string(i) + "]");
    out.push_back(e);
  }
  return json::serialize(out);
}

Result<std::string> CanonicalTags(const json::value& v, const std::string& path) {
  return CanonicalStringArray(v, path, 50, 64);
}

Result<std::string> CanonicalKeywords(const json::value& v, const std::string& path) {
  return CanonicalStringArray(v, path, 100, 100);
}

Result<std::string> CanonicalExternalIds(const json::value& v, const std::string& path) {
  if (!v.is_object()) return Error::Invalid("must be an object of strings", path);
  if (v.as_object().size() > 50) return Error::Invalid("at most 50 keys", path);
  json::object out;
  for (const auto& kv : v.as_object()) {
    if (kv.key().empty() || kv.key().size() > 64)
      return Error::Invalid("keys must be 1-64 characters", path);
    if (!GoodString(kv.value(), 256))
      return Error::Invalid("must be a non-empty string", path + "." + std::string(kv.key()));
    out[kv.key()] = kv.value();
  }
  return json::serialize(out);
}

Result<std::string> CanonicalPreferences(const json::value& v, const std::string& path) {
  if (!v.is_array()) return Error::Invalid("must be an array of preferences", path);
  if (v.as_array().size() > 200) return Error::Invalid("at most 200 preferences", path);
  json::array out;
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    std::string p = path + "[" + std::to_string(i) + "]";
    const auto& e = v.as_array()[i];
    if (!e.is_object()) return Error::Invalid("must be an object", p);
    const auto& o = e.as_object();
    json::object c;
    for (const char* k : {"category", "key", "value"}) {
      const auto* f = o.if_contains(k);
      if (!f || !GoodString(*f, 200))
        return Error::Invalid("must be a non-empty string", p + "." + k);
      c[k] = *f;
    }
    std::string source = "stated";
    if (const auto* s = o.if_contains("source")) {
      if (!s->is_string()) return Error::Invalid("must be a string", p + ".source");
      source = std::string(s->as_string());
      if (source != "stated" && source != "learned" && source != "staff" && source != "history" &&
          source != "inferred")
        return Error::Invalid("must be stated, learned, staff, history or inferred", p + ".source");
    }
    c["source"] = source;
    double conf = source == "stated" || source == "staff" ? 1.0 : 0.7;
    if (const auto* cf = o.if_contains("confidence")) {
      if (!cf->is_number()) return Error::Invalid("must be a number", p + ".confidence");
      conf = cf->to_number<double>();
      if (conf < 0 || conf > 1) return Error::Invalid("must be from 0 to 1", p + ".confidence");
    }
    c["confidence"] = conf;
    if (const auto* u = o.if_contains("updatedAt"); u && u->is_string()) c["updatedAt"] = *u;
    out.push_back(std::move(c));
  }
  return json::serialize(out);
}

Result<std::string> CanonicalItems(const json::value& v, const std::string& path) {
  if (!v.is_array()) return Error::Invalid("must be an array of {item, quantity}", path);
  if (v.as_array().size() > 50) return Error::Invalid("at most 50 items", path);
  json::array out;
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    std::string p = path + "[" + std::to_string(i) + "]";
    const auto& e = v.as_array()[i];
    if (!e.is_object()) return Error::Invalid("must be an object", p);
    const auto* item = e.as_object().if_contains("item");
    if (!item || !GoodString(*item, 100))
      return Error::Invalid("must be a non-empty string", p + ".item");
    int64_t q = 1;
    if (const auto* qv = e.as_object().if_contains("quantity")) {
      if (!qv->is_int64() || qv->as_int64() < 1 || qv->as_int64() > 1000)
        return Error::Invalid("must be a whole number from 1 to 1000", p + ".quantity");
      q = qv->as_int64();
    }
    out.push_back(json::object{{"item", *item}, {"quantity", q}});
  }
  return json::serialize(out);
}

}  // namespace jack::domain
