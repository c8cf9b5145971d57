#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "db/records.hpp"
#include "domain/context.hpp"

namespace jack::domain {

bool IsDepartment(std::string_view d);
// Task `type` for a department (ai.md: the department for four, `other` for front_desk).
std::string TaskTypeFor(std::string_view department);
// seed-notes.md, Tasks.
bool CanTaskTransition(std::string_view from, std::string_view to);

// Inserts a task and its task.create audit row inside the caller's transaction.
Status CreateTask(Ctx& ctx, db::TaskRow& t, const Actor& actor);

// A task typed by staff (POST /tasks) or its changes (PATCH /tasks/{id}): absent fields stay
// as they are; `due_at` and `conversation_id` hold nullopt inside to clear.
struct TaskInput {
  std::optional<std::string> type, department, description, priority, room_number, notes;
  std::optional<std::string> items_json;  // canonical (json_columns.hpp)
  std::optional<std::optional<std::string>> due_at, conversation_id;
};
Status ValidateTaskInput(const TaskInput& in);
// department and description are required; type follows the department unless given.
Result<db::TaskRow> CreateTaskFrom(Ctx& ctx, const TaskInput& in, const Actor& actor);
// Changes the fields of a task (not its status: that is the actions below).
Status UpdateTaskFields(Ctx& ctx, db::TaskRow& t, const TaskInput& in, const Actor& actor);

// Task actions inside the caller's transaction (seed-notes.md, Tasks); `t` is updated and
// saved. Illegal transitions are conflict (409).

// pending → assigned; an assigned or in-progress task changes hands without changing state.
Status AssignTask(Ctx& ctx, db::TaskRow& t, const std::string& staff_id, const Actor& actor);
// pending/assigned → in_progress with started_at; an unassigned task goes to `staff_id`.
Status StartTask(Ctx& ctx, db::TaskRow& t, const std::string& staff_id, const Actor& actor);
// in_progress → completed with completed_at and completion notes (audit task.complete).
Status CompleteTask(Ctx& ctx, db::TaskRow& t, const Actor& actor,
                    const std::optional<std::string>& completion_notes);
// pending/assigned/in_progress → cancelled.
Status CancelTask(Ctx& ctx, db::TaskRow& t, const Actor& actor);

}  // namespace jack::domain
