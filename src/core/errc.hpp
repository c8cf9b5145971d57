#pragma once

#include <string_view>

namespace jack {

// Product error codes. Domain code names these, never HTTP statuses; http/errors.cpp maps
// each to the status and code string of api.md.
enum class Errc {
  invalid_argument,   // 400 VALIDATION_ERROR
  unauthorized,       // 401
  forbidden,          // 403
  not_found,          // 404
  conflict,           // 409: duplicate, illegal transition, idempotency mismatch
  payload_too_large,  // 413
  rate_limited,       // 429
  unavailable,        // 503
  internal,           // 500: a broken invariant, never bad input
};

std::string_view ErrcName(Errc e);

}  // namespace jack
