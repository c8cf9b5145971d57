#include "domain/tasks.hpp"

#include <boost/json.hpp>

#include "core/ids.hpp"
#include "core/time.hpp"
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

namespace {

Status CheckStaff(Ctx& ctx, const std::string& staff_id) {
  JACK_TRY_ASSIGN(auto staff, db::FindStaff(ctx.db, staff_id));
  if (!staff) return Error::Invalid("no staff member " + staff_id, "staffId");
  if (staff->status != "active") return Error::Invalid("staff member is not active", "staffId");
  return {};
}

Status Refuse(const db::TaskRow& t, std::string_view to) {
  return Error::Conflict("a " + t.status + " task cannot become " + std::string(to));
}

}  // namespace

Status AssignTask(Ctx& ctx, db::TaskRow& t, const std::string& staff_id, const Actor&) {
  if (t.status == "pending") {
    if (!CanTaskTransition(t.status, "assigned")) return Refuse(t, "assigned");
    t.status = "assigned";
  } else if (t.status != "assigned" && t.status != "in_progress") {
    return Refuse(t, "assigned");
  }
  JACK_TRY(CheckStaff(ctx, staff_id));
  t.assigned_to = staff_id;
  t.updated_at = ctx.Now();
  return db::UpdateTask(ctx.db, t);
}

Status StartTask(Ctx& ctx, db::TaskRow& t, const std::string& staff_id, const Actor&) {
  if (!CanTaskTransition(t.status, "in_progress")) return Refuse(t, "in_progress");
  if (!t.assigned_to) {
    JACK_TRY(CheckStaff(ctx, staff_id));
    t.assigned_to = staff_id;
  }
  const auto now = ctx.Now();
  t.status = "in_progress";
  t.started_at = now;
  t.updated_at = now;
  return db::UpdateTask(ctx.db, t);
}

Status CompleteTask(Ctx& ctx, db::TaskRow& t, const Actor& actor,
                    const std::optional<std::string>& completion_notes) {
  if (!CanTaskTransition(t.status, "completed")) return Refuse(t, "completed");
  const auto now = ctx.Now();
  t.status = "completed";
  t.completed_at = now;
  t.updated_at = now;
  if (completion_notes) t.completion_notes = completion_notes;
  JACK_TRY(db::UpdateTask(ctx.db, t));
  boost::json::object details{{"department", t.department}};
  if (t.started_at) {
    auto started = core::ParseIso(*t.started_at);
    auto done = core::ParseIso(now);
    if (started && done)
      details["minutes"] =
          std::chrono::duration_cast<std::chrono::minutes>(*done - *started).count();
  }
  return Audit(ctx, actor, "task.complete", "task", t.id, boost::json::serialize(details));
}

Status CancelTask(Ctx& ctx, db::TaskRow& t, const Actor&) {
  if (!CanTaskTransition(t.status, "cancelled")) return Refuse(t, "cancelled");
  t.status = "cancelled";
  t.updated_at = ctx.Now();
  return db::UpdateTask(ctx.db, t);
}

}  // namespace jack::domain
