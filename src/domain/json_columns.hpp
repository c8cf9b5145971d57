#pragma once

#include <boost/json/fwd.hpp>
#include <string>

#include "core/result.hpp"

// The JSON-in-TEXT columns of the seed, validated at the boundary so that nothing malformed
// is stored. Each returns the canonical serialisation to store, or invalid_argument naming
// `path` and the offending element.
namespace jack::domain {

// [{category, key, value, source: stated|learned|staff|history|inferred, confidence 0..1}]
Result<std::string> CanonicalPreferences(const boost::json::value& v, const std::string& path);
// ["vip", "business"]: strings, 1-64 characters, at most 50.
Result<std::string> CanonicalTags(const boost::json::value& v, const std::string& path);
// {"pms": "12345"}: string values.
Result<std::string> CanonicalExternalIds(const boost::json::value& v, const std::string& path);
// ["wifi", "password"]
Result<std::string> CanonicalKeywords(const boost::json::value& v, const std::string& path);
// [{"item": "towels", "quantity": 2}]
Result<std::string> CanonicalItems(const boost::json::value& v, const std::string& path);
// JSON array of strings (reservation special requests and notes).
Result<std::string> CanonicalStringArray(const boost::json::value& v, const std::string& path,
                                         size_t max_items, size_t max_len);

}  // namespace jack::domain
