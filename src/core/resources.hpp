#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace jack::core {

// Files embedded in the binary at build time (cmake/JackHelpers.cmake `jack_embed`), named by
// their path relative to their base: "migrations/001_init.sql", "templates/en.json",
// "demo/hotel.json", "model/intent.ftz", "web/...". The views live for the whole process.
std::optional<std::string_view> FindResource(std::string_view name);
std::vector<std::string_view> ListResources(std::string_view prefix);

// Tells the kernel that the pages of an embedded resource are not needed now (the intent
// model, once parsed into its own matrices): they leave the resident set and are read back
// from the executable if touched again. Only for views returned by FindResource.
void ReleaseResourcePages(std::string_view resource);

}  // namespace jack::core
