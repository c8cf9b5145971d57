#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "domain/context.hpp"
#include "http/json_mapping.hpp"

namespace jack::http {

// One live socket (ws.cpp): the staff dashboard's /ws or a guest's /ws/chat.
class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // Queues a text frame; thread-safe and non-blocking. A socket whose queue is full is
  // closed (a slow client cannot hold memory without bound).
  virtual void Send(std::shared_ptr<const std::string> frame) = 0;
  // Closes the socket (policy violation, with `reason`); thread-safe.
  virtual void Close(const std::string& reason) = 0;

  enum class Kind { staff, guest };
  Kind kind = Kind::staff;
  // Staff: what the member may see, fixed when the socket opened (as a token is).
  bool conversations = false;  // conversation.view
  bool tasks = false;          // task.view
  Redaction redaction;
  std::string staff_id;
  std::string session_id;  // the login session of the token that opened the socket
  // Guest: the web-chat session whose conversation the socket follows.
  std::string webchat_session;
};

// Fans committed events out to the sockets allowed to see them (api.md, Staff WebSocket),
// each event serialised once per view (permissions and redaction) that needs it.
class Hub {
 public:
  void Add(const std::shared_ptr<Subscriber>& s);
  void Remove(const Subscriber* s);
  // Thread-safe; `at` is the ISO time of the events.
  void Publish(const std::vector<domain::Event>& events, const std::string& at);
  size_t size() const;
  // Open sockets of one web-chat session (channels.md: at most 5).
  int GuestSockets(const std::string& webchat_session) const;
  // A socket lives no longer than what let it open: these close the staff sockets of a login
  // session (logout, a replayed refresh token) or of a staff member (deactivated, a new role
  // or new grants: the client reconnects with what it may see now).
  void CloseSession(const std::string& session_id, const std::string& reason);
  void CloseStaff(const std::string& staff_id, const std::string& reason);
  // The staff sockets, for the periodic check that their sessions are still open.
  std::vector<std::shared_ptr<Subscriber>> StaffSockets() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::weak_ptr<Subscriber>> subs_;
};

}  // namespace jack::http
