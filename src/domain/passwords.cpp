#include "domain/passwords.hpp"

#include <crypt.h>

#include <cstdlib>
#include <cstring>

#include "core/hash.hpp"

namespace jack::domain {

Result<std::string> HashPassword(const std::string& password, int cost) {
  if (password.size() > 72) return Error::Invalid("password must be at most 72 bytes", "password");
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost), nullptr, 0, salt, sizeof salt))
    return Error::Internal("crypt_gensalt failed");
  crypt_data data;
  std::memset(&data, 0, sizeof data);
  const char* h = crypt_r(password.c_str(), salt, &data);
  if (!h || h[0] == '*') return Error::Internal("crypt failed");
  return std::string(h);
}

bool VerifyPassword(const std::string& password, const std::string& hash) {
  if (hash.empty() || hash[0] != '$' || password.size() > 72) return false;
  crypt_data data;
  std::memset(&data, 0, sizeof data);
  const char* h = crypt_r(password.c_str(), hash.c_str(), &data);
  if (!h || h[0] == '*') return false;
  return core::ConstantTimeEquals(h, hash);
}

int BcryptCost() {
  if (const char* env = std::getenv("JACK_BCRYPT_COST")) {
    int c = std::atoi(env);
    if (c >= 4 && c <= 31) return c;
  }
  return 12;
}

Status CheckPasswordPolicy(const std::string& password) {
  if (password.size() < 10)
    return Error::Invalid("password must have at least 10 characters", "password");
  if (password.size() > 72) return Error::Invalid("password must be at most 72 bytes", "password");
  return {};
}

}  // namespace jack::domain
