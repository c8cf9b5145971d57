#include "domain/staff.hpp"

#include <boost/json.hpp>

#include "core/ids.hpp"
#include "db/repositories.hpp"
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

}  // namespace jack::domain
