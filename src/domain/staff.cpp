#include "domain/staff.hpp"

#include <boost/json.hpp>

#include "core/ids.hpp"
#include "db/queries.hpp"
#include "db/repositories.hpp"
#include "db/sessions.hpp"
#include "domain/audit.hpp"
#include "domain/guests.hpp"
#include "domain/permissions.hpp"

namespace jack::domain {

Status ValidateStaffInput(const std::string& email, const std::string& name,
                          const std::string& role) {
  Error e = Error::Invalid("invalid staff member");
  if (!NormalizeEmail(email)) e.fields.push_back({"email", "must be an email address"});
  if (name.empty() || name.size() > 200) e.fields.push_back({"name", "must be 1-200 characters"});
  if (!IsKnownRole(role))
    e.fields.push_back(
        {"role", "must be admin, manager, front_desk, concierge, housekeeping or maintenance"});
  if (!e.fields.empty()) return e;
  return {};
}

Result<db::StaffRow> CreateStaff(Ctx& ctx, const Actor& actor, const StaffInput& in) {
  JACK_TRY(ValidateStaffInput(in.email, in.name, in.role));
  db::StaffRow s;
  s.id = core::NewId(ctx.clock.Now());
  s.email = *NormalizeEmail(in.email);
  s.name = in.name;
  s.role = in.role;
  s.department = in.department;
  s.phone = in.phone;
  s.password_hash = in.password_hash;
  s.created_at = s.updated_at = ctx.Now();
  db::Transaction tx(ctx.db);
  JACK_TRY(tx.status());
  if (auto r = db::InsertStaff(ctx.db, s); !r) {
    if (r.error().code == Errc::conflict)
      return Error::Conflict("a staff member with this email exists");
    return r.error();
  }
  boost::json::object details{{"role", s.role}};
  JACK_TRY(Audit(ctx, actor, "staff.create", "staff", s.id, boost::json::serialize(details)));
  JACK_TRY(tx.Commit());
  return s;
}

Result<db::StaffRow> UpdateStaffFields(Ctx& ctx, const Actor& actor, std::string_view staff_id,
                                       const StaffPatch& p) {
  db::Transaction tx(ctx.db);
  JACK_TRY(tx.status());
  JACK_TRY_ASSIGN(auto found, db::FindStaff(ctx.db, staff_id));
  if (!found) return Error::NotFound("staff member not found");
  db::StaffRow s = *found;
  Error e = Error::Invalid("invalid staff member");
  boost::json::array changed;
  auto mark = [&](const char* f) { changed.push_back(boost::json::string(f)); };
  if (p.name) {
    if (p.name->empty() || p.name->size() > 200)
      e.fields.push_back({"name", "must be 1-200 characters"});
    s.name = *p.name;
    mark("name");
  }
  if (p.role) {
    if (!IsKnownRole(*p.role))
      e.fields.push_back(
          {"role", "must be admin, manager, front_desk, concierge, housekeeping or maintenance"});
    s.role = *p.role;
    mark("role");
  }
  if (p.status) {
    if (*p.status != "active" && *p.status != "inactive")
      e.fields.push_back({"status", "must be active or inactive"});
    s.status = *p.status;
    mark("status");
  }
  if (p.department) {
    s.department = *p.department;
    mark("department");
  }
  if (p.phone) {
    s.phone = *p.phone;
    mark("phone");
  }
  if (p.permissions) {
    boost::json::array grants;
    for (size_t i = 0; i < p.permissions->size(); ++i) {
      const auto& g = (*p.permissions)[i];
      if (g != "*" && !IsKnownPermission(g))
        e.fields.push_back({"permissions[" + std::to_string(i) + "]", "unknown permission"});
      grants.push_back(boost::json::string(g));
    }
    s.permissions = boost::json::serialize(grants);
    mark("permissions");
  }
  if (p.password_hash) {
    s.password_hash = *p.password_hash;
    mark("password");
  }
  if (!e.fields.empty()) return e;
  if (changed.empty()) return s;
  const bool was_admin = found->role == "admin" && found->status == "active";
  const bool is_admin = s.role == "admin" && s.status == "active";
  if (was_admin && !is_admin) {
    db::StaffFilter f;
    f.role = "admin";
    f.status = "active";
    f.limit = 2;
    JACK_TRY_ASSIGN(auto admins, db::ListStaff(ctx.db, f));
    if (admins.size() < 2) return Error::Conflict("the last active admin must stay an admin");
  }
  s.updated_at = ctx.Now();
  JACK_TRY(db::UpdateStaff(ctx.db, s));
  if (s.status == "inactive" && found->status == "active")
    JACK_TRY(db::RevokeSessionsOfStaff(ctx.db, s.id, "staff_inactive", s.updated_at));
  else if (p.password_hash)
    JACK_TRY(db::RevokeSessionsOfStaff(ctx.db, s.id, "admin", s.updated_at));
  boost::json::object details{{"fields", changed}};
  JACK_TRY(Audit(ctx, actor, "staff.update", "staff", s.id, boost::json::serialize(details)));
  JACK_TRY(tx.Commit());
  return s;
}

}  // namespace jack::domain
