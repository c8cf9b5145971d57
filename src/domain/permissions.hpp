#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jack::domain {

// The seed's permission strings, in its order.
const std::vector<std::string>& AllPermissions();
const std::vector<std::string>& AllRoles();
// The seed's default role table; empty for an unknown role.
const std::vector<std::string>& RolePermissions(std::string_view role);
bool IsKnownPermission(std::string_view p);
bool IsKnownRole(std::string_view role);

// The seed's hasPermission as seed-notes.md reads it: true if the staff member's own grants
// (the `permissions` JSON array) or their role's defaults hold `*` or `permission`.
// Malformed grants JSON counts as no direct grants.
bool HasPermission(std::string_view role, std::string_view permissions_json,
                   std::string_view permission);
// The effective permission list (role defaults plus direct grants; ["*"] for wildcards).
std::vector<std::string> EffectivePermissions(std::string_view role,
                                              std::string_view permissions_json);

}  // namespace jack::domain
