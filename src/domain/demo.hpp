#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/context.hpp"

namespace jack::domain {

struct DemoLogin {
  std::string email, password, role;
};

// Loads the embedded demo hotel (data/demo): settings, knowledge base, staff for every role,
// guests and reservations dated around today. Refuses (conflict) when the database already
// holds staff or knowledge, so a real hotel is never overwritten. `bcrypt_cost` is the cost
// for the demo staff passwords.
Result<std::vector<DemoLogin>> LoadDemo(Ctx& ctx, int bcrypt_cost);
// The demo staff logins of the embedded demo hotel (to remind the user on later starts).
std::vector<DemoLogin> DemoLogins();
// The demo knowledge base only (for `jack eval` on a fresh database and for tests).
Status LoadDemoKnowledge(Ctx& ctx);

}  // namespace jack::domain
