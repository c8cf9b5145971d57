#pragma once

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

}  // namespace jack::domain
