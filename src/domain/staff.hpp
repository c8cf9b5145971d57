#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/records.hpp"
#include "domain/context.hpp"

namespace jack::domain {

struct StaffInput {
  std::string email, name, role;
  std::optional<std::string> department, phone;
  std::string password_hash;  // bcrypt, hashed by the caller off the db thread
};

Status ValidateStaffInput(const std::string& email, const std::string& name,
                          const std::string& role);
// Creates a staff member (audit staff.create) in its own transaction. Duplicate email: conflict.
Result<db::StaffRow> CreateStaff(Ctx& ctx, const Actor& actor, const StaffInput& in);

// PATCH /staff/{id}: absent fields stay. `permissions` are direct grants added to the role's
// defaults (seed-notes.md, Permissions): known permission strings or "*".
struct StaffPatch {
  std::optional<std::string> name, role, status;
  std::optional<std::optional<std::string>> department, phone;
  std::optional<std::vector<std::string>> permissions;
  std::optional<std::string> password_hash;  // bcrypt, hashed by the caller off the db thread
};
// Applies the patch with a staff.update audit row (Jack's own action; details name the
// changed fields). Deactivating a member or changing their password ends their sessions. The
// last active admin cannot lose the role or be deactivated (conflict).
Result<db::StaffRow> UpdateStaffFields(Ctx& ctx, const Actor& actor, std::string_view staff_id,
                                       const StaffPatch& patch);

}  // namespace jack::domain
