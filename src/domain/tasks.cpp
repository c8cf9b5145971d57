#include "domain/tasks.hpp"

#include <boost/json.hpp>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "db/repositories.hpp"
#include "domain/audit.hpp"
#include "domain/permissions.hpp"

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
  JACK_TRY(Audit(ctx, actor, "task.create", "task", t.id, boost::json::serialize(details)));
  ctx.Emit({Event::Kind::task_created, std::nullopt, std::nullopt, t});
  return {};
}

Status ValidateTaskInput(const TaskInput& in) {
  Error e = Error::Invalid("invalid task");
  auto add = [&](std::string path, std::string msg) { e.fields.push_back({path, msg}); };
  if (in.department && !IsDepartment(*in.department))
    add("department", "must be housekeeping, maintenance, room_service, concierge or front_desk");
  if (in.type && *in.type != "housekeeping" && *in.type != "maintenance" &&
      *in.type != "concierge" && *in.type != "room_service" && *in.type != "other")
    add("type", "must be housekeeping, maintenance, concierge, room_service or other");
  if (in.priority && *in.priority != "urgent" && *in.priority != "high" &&
      *in.priority != "standard" && *in.priority != "low")
    add("priority", "must be urgent, high, standard or low");
  if (in.description && in.description->empty()) add("description", "must not be empty");
  if (in.due_at && *in.due_at && !core::ParseIso(**in.due_at))
    add("dueAt", "must be an ISO 8601 time such as 2026-12-03T10:15:00.000Z");
  if (!e.fields.empty()) return e;
  return {};
}

Result<db::TaskRow> CreateTaskFrom(Ctx& ctx, const TaskInput& in, const Actor& actor) {
  JACK_TRY(ValidateTaskInput(in));
  Error missing = Error::Invalid("invalid task");
  if (!in.department) missing.fields.push_back({"department", "is required"});
  if (!in.description) missing.fields.push_back({"description", "is required"});
  if (!missing.fields.empty()) return missing;
  db::TaskRow t;
  t.department = *in.department;
  t.type = in.type.value_or(TaskTypeFor(t.department));
  t.description = *in.description;
  t.priority = in.priority.value_or("standard");
  if (in.room_number) t.room_number = *in.room_number;
  if (in.items_json) t.items = *in.items_json;
  if (in.due_at && *in.due_at) t.due_at = core::FormatIso(*core::ParseIso(**in.due_at));
  if (in.notes) t.notes = *in.notes;
  if (in.conversation_id && *in.conversation_id) {
    JACK_TRY_ASSIGN(auto c, db::FindConversation(ctx.db, **in.conversation_id));
    if (!c) return Error::Invalid("no conversation " + **in.conversation_id, "conversationId");
    t.conversation_id = **in.conversation_id;
  }
  JACK_TRY(CreateTask(ctx, t, actor));
  return t;
}

Status UpdateTaskFields(Ctx& ctx, db::TaskRow& t, const TaskInput& in, const Actor&) {
  JACK_TRY(ValidateTaskInput(in));
  if (in.department) {
    t.department = *in.department;
    if (!in.type) t.type = TaskTypeFor(t.department);
  }
  if (in.type) t.type = *in.type;
  if (in.description) t.description = *in.description;
  if (in.priority) t.priority = *in.priority;
  if (in.room_number) t.room_number = *in.room_number;
  if (in.items_json) t.items = *in.items_json;
  if (in.due_at)
    t.due_at =
        *in.due_at ? std::optional(core::FormatIso(*core::ParseIso(**in.due_at))) : std::nullopt;
  if (in.notes) t.notes = *in.notes;
  t.updated_at = ctx.Now();
  JACK_TRY(db::UpdateTask(ctx.db, t));
  ctx.Emit({Event::Kind::task_updated, std::nullopt, std::nullopt, t});
  return {};
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
  JACK_TRY(db::UpdateTask(ctx.db, t));
  ctx.Emit({Event::Kind::task_updated, std::nullopt, std::nullopt, t});
  return {};
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
  JACK_TRY(db::UpdateTask(ctx.db, t));
  ctx.Emit({Event::Kind::task_updated, std::nullopt, std::nullopt, t});
  return {};
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
  JACK_TRY(Audit(ctx, actor, "task.complete", "task", t.id, boost::json::serialize(details)));
  ctx.Emit({Event::Kind::task_updated, std::nullopt, std::nullopt, t});
  return {};
}

Status CancelTask(Ctx& ctx, db::TaskRow& t, const Actor&) {
  if (!CanTaskTransition(t.status, "cancelled")) return Refuse(t, "cancelled");
  t.status = "cancelled";
  t.updated_at = ctx.Now();
  JACK_TRY(db::UpdateTask(ctx.db, t));
  ctx.Emit({Event::Kind::task_updated, std::nullopt, std::nullopt, t});
  return {};
}

}  // namespace jack::domain
