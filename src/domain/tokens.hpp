#pragma once

#include <cstdint>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace jack::domain {

struct AccessClaims {
  std::string staff_id;
  std::string role;
  std::string session_id;  // the login session (jti family), for "once per session" audits
  int64_t issued_at = 0;   // unix seconds
  int64_t expires_at = 0;  // unix seconds
};

constexpr int64_t kAccessTokenSeconds = 15 * 60;

// JWT with `alg` fixed to HS256 and `typ` claim "access". Verification refuses any other
// algorithm (including "none"), a bad signature, a missing or past `exp`, and other token
// types (unauthorized).
std::string SignAccessToken(const AccessClaims& claims, const std::string& secret);
Result<AccessClaims> VerifyAccessToken(const std::string& token, const std::string& secret,
                                       core::TimePoint now);

}  // namespace jack::domain
