#pragma once

#include <string>

namespace jack::app {

// Reads `.env` in the working directory (KEY=VALUE lines) without overriding variables that
// are already set.
void LoadDotEnv();
std::string Env(const char* name, const std::string& fallback = "");

}  // namespace jack::app
