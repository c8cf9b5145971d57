#include "domain/permissions.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

namespace jack::domain {
namespace {

std::vector<std::string> Grants(std::string_view json) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
  }
  return out;
}

bool Holds(const std::vector<std::string>& list, std::string_view p) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& g) { return g == "*" || g == p; });
}

}  // namespace

const std::vector<std::string>& AllPermissions() {
  static const std::vector<std::string> all = {"guest.view",
                                               "guest.view_contact",
                                               "guest.view_financial",
                                               "guest.edit",
                                               "guest.delete",
                                               "conversation.view",
                                               "conversation.respond",
                                               "conversation.assign",
                                               "conversation.escalate",
                                               "task.view",
                                               "task.create",
                                               "task.assign",
                                               "task.complete",
                                               "staff.view",
                                               "staff.manage",
                                               "settings.view",
                                               "settings.edit",
                                               "analytics.view",
                                               "analytics.export"};
  return all;
}

const std::vector<std::string>& AllRoles() {
  static const std::vector<std::string> roles = {"admin",     "manager",      "front_desk",
                                                 "concierge", "housekeeping", "maintenance"};
  return roles;
}

const std::vector<std::string>& RolePermissions(std::string_view role) {
  static const std::map<std::string, std::vector<std::string>, std::less<>> table = {
      {"admin", {"*"}},
      {"manager",
       {"guest.view", "guest.view_contact", "guest.view_financial", "guest.edit",
        "conversation.view", "conversation.respond", "conversation.assign", "conversation.escalate",
        "task.view", "task.create", "task.assign", "task.complete", "staff.view", "analytics.view",
        "analytics.export"}},
      {"front_desk",
       {"guest.view", "guest.view_contact", "guest.edit", "conversation.view",
        "conversation.respond", "conversation.escalate", "task.view", "task.create",
        "analytics.view"}},
      {"concierge",
       {"guest.view", "guest.view_contact", "conversation.view", "conversation.respond",
        "task.view", "task.create", "task.complete"}},
      {"housekeeping", {"task.view", "task.complete"}},
      {"maintenance", {"task.view", "task.complete"}},
  };
  static const std::vector<std::string> none;
  auto it = table.find(role);
  return it == table.end() ? none : it->second;
}

bool IsKnownPermission(std::string_view p) {
  const auto& all = AllPermissions();
  return p == "*" || std::find(all.begin(), all.end(), p) != all.end();
}

bool IsKnownRole(std::string_view role) {
  const auto& r = AllRoles();
  return std::find(r.begin(), r.end(), role) != r.end();
}

bool HasPermission(std::string_view role, std::string_view permissions_json,
                   std::string_view permission) {
  if (Holds(Grants(permissions_json), permission)) return true;
  return Holds(RolePermissions(role), permission);
}

std::vector<std::string> EffectivePermissions(std::string_view role,
                                              std::string_view permissions_json) {
  std::vector<std::string> out;
  for (const auto& p : AllPermissions()) {
    if (HasPermission(role, permissions_json, p)) out.push_back(p);
  }
  if (out.size() == AllPermissions().size() && HasPermission(role, permissions_json, "*"))
    return {"*"};
  return out;
}

}  // namespace jack::domain
