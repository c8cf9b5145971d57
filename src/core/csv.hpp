#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace jack::core {

// RFC 4180 CSV: fields separated by commas, records by CRLF or LF; a quoted field may hold
// commas, line breaks and doubled quotes. A UTF-8 byte-order mark is skipped; empty lines
// are dropped. An unterminated quote is invalid_argument naming the record.
Result<std::vector<std::vector<std::string>>> ParseCsv(std::string_view text);

}  // namespace jack::core
