#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace jack::core {

// Sets up the process logger (spdlog, stderr). `format` is "text" or "json"
// (JACK_LOG_FORMAT); `level` is a spdlog level name (JACK_LOG_LEVEL). Callers never pass
// secrets or tokens.
void InitLogging(const std::string& level, const std::string& format);

enum class LogLevel { debug, info, warn, error };
using LogField = std::pair<std::string_view, std::string_view>;

// One structured line: `msg k=v ...` as text, or one JSON object per line.
void Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields = {});

}  // namespace jack::core
