#include "domain/audit.hpp"

#include <boost/json.hpp>

#include "core/ids.hpp"
#include "db/repositories.hpp"

namespace jack::domain {

Status Audit(Ctx& ctx, const Actor& actor, std::string_view action, std::string_view resource_type,
             std::string_view resource_id, std::string details_json) {
  db::AuditRow a;
  auto now = ctx.clock.Now();
  a.id = core::NewId(now);
  a.actor_type = actor.type;
  if (!actor.id.empty()) a.actor_id = actor.id;
  a.action = std::string(action);
  a.resource_type = std::string(resource_type);
  if (!resource_id.empty()) a.resource_id = std::string(resource_id);
  if (!details_json.empty()) a.details = std::move(details_json);
  if (!actor.ip.empty()) a.ip_address = actor.ip;
  if (!actor.user_agent.empty()) a.user_agent = actor.user_agent;
  a.created_at = core::FormatIso(now);
  return db::InsertAudit(ctx.db, a);
}

Result<bool> AuditGuestView(Ctx& ctx, const Actor& actor, std::string_view guest_id,
                            std::string_view session_id) {
  JACK_TRY_ASSIGN(bool seen,
                  db::AuditExists(ctx.db, "guest.view", "guest", guest_id, actor.id, session_id));
  if (seen) return false;
  boost::json::object details{{"session", session_id}};
  JACK_TRY(Audit(ctx, actor, "guest.view", "guest", guest_id, boost::json::serialize(details)));
  return true;
}

}  // namespace jack::domain
