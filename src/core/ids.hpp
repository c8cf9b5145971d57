#pragma once

#include <string>

#include "core/clock.hpp"

namespace jack::core {

// A UUIDv7 (RFC 9562) as 36 lower-case characters. IDs made in one process are strictly
// increasing, also within one millisecond (a 12-bit counter in rand_a, method 3), so that
// ordering by (created_at, id) follows the order of creation.
std::string NewId(TimePoint now);
std::string NewId();

// Random bytes from the OS, as lower-case hex (2 characters per byte) or base64url.
std::string RandomHex(size_t bytes);
std::string RandomToken(size_t bytes);

bool LooksLikeId(const std::string& s);

}  // namespace jack::core
