#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "db/records.hpp"
#include "domain/context.hpp"
#include "domain/tokens.hpp"

// Staff login sessions (api.md, Auth): a short access token (JWT, 15 minutes) names its
// session; a refresh token (opaque, stored as SHA-256) is rotated on every refresh, and a
// rotated token presented again revokes the whole session (a replay means it was stolen).
namespace jack::domain {

constexpr int64_t kRefreshTokenSeconds = 7 * 24 * 3600;
constexpr int64_t kSessionSeconds = 30 * 24 * 3600;

struct TokenPair {
  std::string access_token, refresh_token;
  AccessClaims claims;
};

// Opens a session for a staff member whose password was verified: writes the session, its
// first refresh token, touches last_active_at and writes the staff.login audit row, in one
// transaction.
Result<TokenPair> StartSession(Ctx& ctx, const db::StaffRow& staff, const Actor& actor,
                               const std::string& secret);
// Rotates a refresh token. Unknown, expired or revoked: unauthorized. A token already used:
// unauthorized, and the session is revoked (reason "reuse").
Result<TokenPair> RefreshSession(Ctx& ctx, const std::string& refresh_token,
                                 const std::string& secret);
// Logout: revokes the session (idempotent).
Status EndSession(Ctx& ctx, const std::string& session_id);
// Whether an access token's session is still open (not revoked, not past its end).
Result<bool> SessionOpen(Ctx& ctx, const std::string& session_id);

}  // namespace jack::domain
