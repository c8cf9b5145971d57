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
