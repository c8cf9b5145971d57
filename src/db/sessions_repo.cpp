#include "db/sessions.hpp"

#include "db/rows.hpp"

namespace jack::db {
using namespace detail;
namespace {

#define SESSION_COLS                                                                 \
  "id, staff_id, created_at, last_used_at, expires_at, revoked_at, revoked_reason, " \
  "ip_address, user_agent"
constexpr std::string_view kInsertSession =
    "INSERT INTO staff_sessions (" SESSION_COLS ") VALUES (?,?,?,?,?,?,?,?,?)";
constexpr std::string_view kSessionById =
    "SELECT " SESSION_COLS " FROM staff_sessions WHERE id = ?";
constexpr std::string_view kTouchSession =
    "UPDATE staff_sessions SET last_used_at = ? WHERE id = ?";
constexpr std::string_view kRevokeSession =
    "UPDATE staff_sessions SET revoked_at = ?1, revoked_reason = ?2 WHERE id = ?3 AND "
    "revoked_at IS NULL";
constexpr std::string_view kRevokeOfStaff =
    "UPDATE staff_sessions SET revoked_at = ?1, revoked_reason = ?2 WHERE staff_id = ?3 AND "
    "revoked_at IS NULL";
constexpr std::string_view kInsertRefresh =
    "INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at, used_at) "
    "VALUES (?,?,?,?,?)";
constexpr std::string_view kRefreshByHash =
    "SELECT token_hash, session_id, created_at, expires_at, used_at FROM refresh_tokens WHERE "
    "token_hash = ?";
constexpr std::string_view kUseRefresh =
    "UPDATE refresh_tokens SET used_at = ?1 WHERE token_hash = ?2 AND used_at IS NULL";
constexpr std::string_view kFindIdem =
    "SELECT scope, key, request_hash, status, response, created_at FROM idempotency_keys WHERE "
    "scope = ? AND key = ?";
constexpr std::string_view kInsertIdem =
    "INSERT INTO idempotency_keys (scope, key, request_hash, status, response, created_at) "
    "VALUES (?,?,?,?,?,?) ON CONFLICT (scope, key) DO UPDATE SET request_hash = "
    "excluded.request_hash, status = excluded.status, response = excluded.response, "
    "created_at = excluded.created_at";
constexpr std::string_view kDeleteIdem = "DELETE FROM idempotency_keys WHERE created_at < ?";

StaffSessionRow ReadSession(Stmt& q) {
  StaffSessionRow s;
  s.id = q.Text(0);
  s.staff_id = q.Text(1);
  s.created_at = q.Text(2);
  s.last_used_at = q.Text(3);
  s.expires_at = q.Text(4);
  s.revoked_at = q.OptText(5);
  s.revoked_reason = q.OptText(6);
  s.ip_address = q.OptText(7);
  s.user_agent = q.OptText(8);
  return s;
}

RefreshTokenRow ReadRefresh(Stmt& q) {
  RefreshTokenRow t;
  t.token_hash = q.Text(0);
  t.session_id = q.Text(1);
  t.created_at = q.Text(2);
  t.expires_at = q.Text(3);
  t.used_at = q.OptText(4);
  return t;
}

}  // namespace

Status InsertStaffSession(Database& db, const StaffSessionRow& s) {
  return Write(db, kInsertSession, [&](Stmt& q) {
    q.Bind(s.id)
        .Bind(s.staff_id)
        .Bind(s.created_at)
        .Bind(s.last_used_at)
        .Bind(s.expires_at)
        .Bind(s.revoked_at)
        .Bind(s.revoked_reason)
        .Bind(s.ip_address)
        .Bind(s.user_agent);
  });
}
Result<std::optional<StaffSessionRow>> FindStaffSession(Database& db, std::string_view id) {
  return One<StaffSessionRow>(
      db, kSessionById, [&](Stmt& q) { q.Bind(id); }, ReadSession);
}
Status TouchStaffSession(Database& db, std::string_view id, std::string_view now) {
  return Write(db, kTouchSession, [&](Stmt& q) { q.Bind(now).Bind(id); });
}
Status RevokeStaffSession(Database& db, std::string_view id, std::string_view reason,
                          std::string_view now) {
  return Write(db, kRevokeSession, [&](Stmt& q) { q.Bind(now).Bind(reason).Bind(id); });
}
Status RevokeSessionsOfStaff(Database& db, std::string_view staff_id, std::string_view reason,
                             std::string_view now) {
  return Write(db, kRevokeOfStaff, [&](Stmt& q) { q.Bind(now).Bind(reason).Bind(staff_id); });
}
Status InsertRefreshToken(Database& db, const RefreshTokenRow& t) {
  return Write(db, kInsertRefresh, [&](Stmt& q) {
    q.Bind(t.token_hash).Bind(t.session_id).Bind(t.created_at).Bind(t.expires_at).Bind(t.used_at);
  });
}
Result<std::optional<RefreshTokenRow>> FindRefreshToken(Database& db, std::string_view hash) {
  return One<RefreshTokenRow>(
      db, kRefreshByHash, [&](Stmt& q) { q.Bind(hash); }, ReadRefresh);
}
Result<bool> UseRefreshToken(Database& db, std::string_view hash, std::string_view now) {
  JACK_TRY(Write(db, kUseRefresh, [&](Stmt& q) { q.Bind(now).Bind(hash); }));
  return db.Changes() == 1;
}
Result<std::optional<IdempotencyRow>> FindIdempotencyKey(Database& db, std::string_view scope,
                                                         std::string_view key) {
  return One<IdempotencyRow>(
      db, kFindIdem, [&](Stmt& q) { q.Bind(scope).Bind(key); },
      [](Stmt& q) {
        IdempotencyRow r;
        r.scope = q.Text(0);
        r.key = q.Text(1);
        r.request_hash = q.Text(2);
        r.status = q.Int(3);
        r.response = q.Text(4);
        r.created_at = q.Text(5);
        return r;
      });
}
Status PutIdempotencyKey(Database& db, const IdempotencyRow& r) {
  return Write(db, kInsertIdem, [&](Stmt& q) {
    q.Bind(r.scope)
        .Bind(r.key)
        .Bind(r.request_hash)
        .Bind(r.status)
        .Bind(r.response)
        .Bind(r.created_at);
  });
}
Result<int64_t> DeleteIdempotencyKeysBefore(Database& db, std::string_view before) {
  JACK_TRY(Write(db, kDeleteIdem, [&](Stmt& q) { q.Bind(before); }));
  return db.Changes();
}

}  // namespace jack::db
