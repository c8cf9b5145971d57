#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "db/records.hpp"

namespace jack::domain {

// A change that staff see live (api.md, Staff WebSocket), raised by the service that made
// it. The caller publishes the events of a call once its transaction committed.
struct Event {
  enum class Kind {
    message_created,
    conversation_updated,
    conversation_escalated,
    task_created,
    task_updated
  };
  Kind kind;
  std::optional<db::ConversationRow> conversation;  // message_created: its conversation
  std::optional<db::MessageRow> message;
  std::optional<db::TaskRow> task;
};

// What a service call needs: the connection of the thread it runs on and the clock; where
// events go (none: nobody listens, as in the CLI).
struct Ctx {
  db::Database& db;
  const core::Clock& clock;
  std::vector<Event>* events = nullptr;
  std::string Now() const { return core::FormatIso(clock.Now()); }
  void Emit(Event e) const {
    if (events) events->push_back(std::move(e));
  }
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
