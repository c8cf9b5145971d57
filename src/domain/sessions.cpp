#include "domain/sessions.hpp"

#include <chrono>

#include "core/hash.hpp"
#include "core/ids.hpp"
#include "db/repositories.hpp"
#include "db/sessions.hpp"
#include "domain/audit.hpp"

namespace jack::domain {
namespace {

int64_t UnixSeconds(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// A new refresh token for the session (inside the caller's transaction) and a signed access
// token for the staff member.
Result<TokenPair> Issue(Ctx& ctx, const db::StaffRow& staff, const std::string& session_id,
                        const std::string& session_end, const std::string& secret) {
  const auto now = ctx.clock.Now();
  TokenPair out;
  out.refresh_token = core::RandomToken(32);
  db::RefreshTokenRow t;
  t.token_hash = core::Sha256Hex(out.refresh_token);
  t.session_id = session_id;
  t.created_at = core::FormatIso(now);
  t.expires_at =
      std::min(core::FormatIso(now + std::chrono::seconds(kRefreshTokenSeconds)), session_end);
  JACK_TRY(db::InsertRefreshToken(ctx.db, t));
  out.claims.staff_id = staff.id;
  out.claims.role = staff.role;
  out.claims.session_id = session_id;
  out.claims.issued_at = UnixSeconds(now);
  out.claims.expires_at = out.claims.issued_at + kAccessTokenSeconds;
  out.access_token = SignAccessToken(out.claims, secret);
  return out;
}

}  // namespace

Result<TokenPair> StartSession(Ctx& ctx, const db::StaffRow& staff, const Actor& actor,
                               const std::string& secret) {
  const auto now = ctx.clock.Now();
  db::StaffSessionRow s;
  s.id = core::NewId(now);
  s.staff_id = staff.id;
  s.created_at = s.last_used_at = core::FormatIso(now);
  s.expires_at = core::FormatIso(now + std::chrono::seconds(kSessionSeconds));
  if (!actor.ip.empty()) s.ip_address = actor.ip;
  if (!actor.user_agent.empty()) s.user_agent = actor.user_agent;
  db::Transaction tx(ctx.db);
  JACK_TRY(tx.status());
  JACK_TRY(db::InsertStaffSession(ctx.db, s));
  JACK_TRY_ASSIGN(auto pair, Issue(ctx, staff, s.id, s.expires_at, secret));
  JACK_TRY(db::TouchStaff(ctx.db, staff.id, s.created_at));
  JACK_TRY(Audit(ctx, actor, "staff.login", "staff", staff.id));
  JACK_TRY(tx.Commit());
  return pair;
}

Result<TokenPair> RefreshSession(Ctx& ctx, const std::string& refresh_token,
                                 const std::string& secret) {
  auto bad = [] { return Error::Unauthorized("invalid, expired or revoked refresh token"); };
  if (refresh_token.empty() || refresh_token.size() > 256) return bad();
  const std::string now = ctx.Now();
  const std::string hash = core::Sha256Hex(refresh_token);
  db::Transaction tx(ctx.db);
  JACK_TRY(tx.status());
  JACK_TRY_ASSIGN(auto token, db::FindRefreshToken(ctx.db, hash));
  if (!token) return bad();
  JACK_TRY_ASSIGN(auto session, db::FindStaffSession(ctx.db, token->session_id));
  if (!session || session->revoked_at || session->expires_at <= now) return bad();
  if (token->used_at) {
    // A rotated token came back: whoever holds the session's tokens, one copy was stolen.
    JACK_TRY(db::RevokeStaffSession(ctx.db, session->id, "reuse", now));
    JACK_TRY(tx.Commit());
    return bad();
  }
  if (token->expires_at <= now) return bad();
  JACK_TRY_ASSIGN(auto staff, db::FindStaff(ctx.db, session->staff_id));
  if (!staff || staff->status != "active") {
    JACK_TRY(db::RevokeStaffSession(ctx.db, session->id, "staff_inactive", now));
    JACK_TRY(tx.Commit());
    return bad();
  }
  JACK_TRY_ASSIGN(bool used, db::UseRefreshToken(ctx.db, hash, now));
  if (!used) return bad();
  JACK_TRY(db::TouchStaffSession(ctx.db, session->id, now));
  JACK_TRY_ASSIGN(auto pair, Issue(ctx, *staff, session->id, session->expires_at, secret));
  JACK_TRY(tx.Commit());
  return pair;
}

Status EndSession(Ctx& ctx, const std::string& session_id) {
  return db::RevokeStaffSession(ctx.db, session_id, "logout", ctx.Now());
}

Result<bool> SessionOpen(Ctx& ctx, const std::string& session_id) {
  JACK_TRY_ASSIGN(auto s, db::FindStaffSession(ctx.db, session_id));
  return s && !s->revoked_at && s->expires_at > ctx.Now();
}

}  // namespace jack::domain
