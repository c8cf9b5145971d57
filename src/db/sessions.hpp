#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "db/database.hpp"
#include "db/records.hpp"

// Staff login sessions, refresh tokens and idempotency keys (migration 5). Like
// repositories.hpp: the caller's connection and transaction.
namespace jack::db {

Status InsertStaffSession(Database& db, const StaffSessionRow& s);
Result<std::optional<StaffSessionRow>> FindStaffSession(Database& db, std::string_view id);
Status TouchStaffSession(Database& db, std::string_view id, std::string_view now);
// Revokes the session (if not revoked yet) with `reason`.
Status RevokeStaffSession(Database& db, std::string_view id, std::string_view reason,
                          std::string_view now);
// Revokes every open session of a staff member (deactivation, role change).
Status RevokeSessionsOfStaff(Database& db, std::string_view staff_id, std::string_view reason,
                             std::string_view now);

Status InsertRefreshToken(Database& db, const RefreshTokenRow& t);
Result<std::optional<RefreshTokenRow>> FindRefreshToken(Database& db, std::string_view hash);
// Marks the token used, only if it was not: false when another request used it first.
Result<bool> UseRefreshToken(Database& db, std::string_view hash, std::string_view now);

Result<std::optional<IdempotencyRow>> FindIdempotencyKey(Database& db, std::string_view scope,
                                                         std::string_view key);
// Records (or, for an expired key, replaces) the first answer to a key.
Status PutIdempotencyKey(Database& db, const IdempotencyRow& r);
// Keys older than `before` go (they are honoured for 24 hours).
Result<int64_t> DeleteIdempotencyKeysBefore(Database& db, std::string_view before);

}  // namespace jack::db
