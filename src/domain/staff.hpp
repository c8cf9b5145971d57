#pragma once

#include <optional>
#include <string>

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

}  // namespace jack::domain
