#include "domain/tasks.hpp"

#include <boost/json.hpp>

#include "core/ids.hpp"
#include "db/repositories.hpp"
#include "domain/audit.hpp"

namespace jack::domain {

bool IsDepartment(std::string_view d) {
  return d == "housekeeping" || d == "maintenance" || d == "room_service" || d == "concierge" ||
         d == "front_desk";
}

std::string TaskTypeFor(std::string_view department) {
  if (department == "housekeeping" || department == "maintenance" || department == "room_service" ||
      department == "concierge")
    return std::string(department);
  return "other";
}

bool CanTaskTransition(std::string_view from, std::string_view to) {
  if (from == "pending") return to == "assigned" || to == "in_progress" || to == "cancelled";
  if (from == "assigned") return to == "in_progress" || to == "cancelled";
  if (from == "in_progress") return to == "completed" || to == "cancelled";
  return false;
}

Status CreateTask(Ctx& ctx, db::TaskRow& t, const Actor& actor) {
  auto now = ctx.clock.Now();
  if (t.id.empty()) t.id = core::NewId(now);
  t.created_at = t.updated_at = core::FormatIso(now);
  JACK_TRY(db::InsertTask(ctx.db, t));
  boost::json::object details{{"department", t.department}, {"priority", t.priority}};
  if (t.conversation_id) details["conversationId"] = *t.conversation_id;
  return Audit(ctx, actor, "task.create", "task", t.id, boost::json::serialize(details));
}

}  // namespace jack::domain
