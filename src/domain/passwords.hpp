#pragma once

#include <string>

#include "core/result.hpp"

namespace jack::domain {

// bcrypt ($2b$) through libxcrypt. Cost 12 in production (JACK_BCRYPT_COST; tests lower it).
// CPU-heavy (~185 ms at cost 12): call off the db and io threads.
Result<std::string> HashPassword(const std::string& password, int cost);
bool VerifyPassword(const std::string& password, const std::string& hash);
// The configured cost: JACK_BCRYPT_COST when 4..31, else 12.
int BcryptCost();
// A policy check for new passwords: 10+ characters.
Status CheckPasswordPolicy(const std::string& password);

}  // namespace jack::domain
