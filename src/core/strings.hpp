#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jack::core {

std::string AsciiLower(std::string_view s);
// Lower-cases ASCII and the Latin-1 letters of the six product languages (À-Þ → à-þ).
std::string Utf8Lower(std::string_view s);
std::string_view Trim(std::string_view s);
std::vector<std::string> Split(std::string_view s, char sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
bool StartsWith(std::string_view s, std::string_view prefix);
bool IsValidUtf8(std::string_view s);
// Number of Unicode code points of valid UTF-8.
size_t Utf8Length(std::string_view s);
// Whether valid UTF-8 `s` holds a character a reader can see: not only spaces (ASCII or
// Unicode, U+00A0 included), control characters, zero-width or byte-order marks.
bool HasVisibleText(std::string_view s);
// At most `max_bytes` of `s`, cut before a character rather than inside one.
std::string Utf8Prefix(std::string_view s, size_t max_bytes);
// Lower-cased, punctuation and symbols removed, whitespace collapsed: used to compare
// utterances for near-duplicates (training vs evaluation data).
std::string NormalizeUtterance(std::string_view s);
// Replaces every occurrence of `from` in `s`.
std::string ReplaceAll(std::string s, std::string_view from, std::string_view to);

}  // namespace jack::core
