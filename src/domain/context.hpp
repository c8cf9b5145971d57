#pragma once

#include <string>

#include "core/clock.hpp"
#include "core/time.hpp"
#include "db/database.hpp"

namespace jack::domain {

// What a service call needs: the connection of the thread it runs on and the clock.
struct Ctx {
  db::Database& db;
  const core::Clock& clock;
  std::string Now() const { return core::FormatIso(clock.Now()); }
};

// Who is acting, for audit rows (seed: actor_type staff, system, guest).
struct Actor {
  std::string type = "system";
  std::string id;
  std::string ip;
  std::string user_agent;
  static Actor System() { return {}; }
  static Actor Staff(std::string id, std::string ip = {}, std::string ua = {}) {
    return {"staff", std::move(id), std::move(ip), std::move(ua)};
  }
  static Actor Guest(std::string id, std::string ip = {}, std::string ua = {}) {
    return {"guest", std::move(id), std::move(ip), std::move(ua)};
  }
};

}  // namespace jack::domain
