#include "http/hub.hpp"

#include <boost/json.hpp>
#include <map>

namespace jack::http {
namespace json = boost::json;

void Hub::Add(const std::shared_ptr<Subscriber>& s) {
  std::lock_guard lock(mu_);
  subs_.push_back(s);
}

void Hub::Remove(const Subscriber* s) {
  std::lock_guard lock(mu_);
  std::erase_if(subs_, [s](const std::weak_ptr<Subscriber>& w) {
    auto p = w.lock();
    return !p || p.get() == s;
  });
}

size_t Hub::size() const {
  std::lock_guard lock(mu_);
  return subs_.size();
}

int Hub::GuestSockets(const std::string& session) const {
  std::lock_guard lock(mu_);
  int n = 0;
  for (const auto& w : subs_)
    if (auto p = w.lock(); p && p->kind == Subscriber::Kind::guest && p->webchat_session == session)
      ++n;
  return n;
}

void Hub::CloseSession(const std::string& session_id, const std::string& reason) {
  for (const auto& s : StaffSockets())
    if (s->session_id == session_id) s->Close(reason);
}

void Hub::CloseStaff(const std::string& staff_id, const std::string& reason) {
  for (const auto& s : StaffSockets())
    if (s->staff_id == staff_id) s->Close(reason);
}

std::vector<std::shared_ptr<Subscriber>> Hub::StaffSockets() const {
  std::vector<std::shared_ptr<Subscriber>> out;
  std::lock_guard lock(mu_);
  for (const auto& w : subs_)
    if (auto p = w.lock(); p && p->kind == Subscriber::Kind::staff) out.push_back(std::move(p));
  return out;
}

namespace {

const char* TypeOf(domain::Event::Kind k) {
  switch (k) {
    case domain::Event::Kind::message_created:
      return "message.created";
    case domain::Event::Kind::conversation_updated:
      return "conversation.updated";
    case domain::Event::Kind::conversation_escalated:
      return "conversation.escalated";
    case domain::Event::Kind::task_created:
      return "task.created";
    case domain::Event::Kind::task_updated:
      return "task.updated";
  }
  return "unknown";
}

std::shared_ptr<const std::string> Frame(json::object o) {
  return std::make_shared<const std::string>(json::serialize(o));
}

}  // namespace

void Hub::Publish(const std::vector<domain::Event>& events, const std::string& at) {
  std::vector<std::shared_ptr<Subscriber>> live;
  {
    std::lock_guard lock(mu_);
    if (subs_.empty()) return;
    std::erase_if(subs_, [](const std::weak_ptr<Subscriber>& w) { return w.expired(); });
    for (const auto& w : subs_)
      if (auto p = w.lock()) live.push_back(std::move(p));
  }
  for (const auto& e : events) {
    const bool is_task =
        e.kind == domain::Event::Kind::task_created || e.kind == domain::Event::Kind::task_updated;
    // One frame per staff view (redaction) and one for the guest, made when first needed.
    std::map<std::pair<bool, bool>, std::shared_ptr<const std::string>> staff_frames;
    std::shared_ptr<const std::string> guest_frame;
    for (const auto& s : live) {
      if (s->kind == Subscriber::Kind::guest) {
        if (e.kind != domain::Event::Kind::message_created || !e.message || !e.conversation ||
            e.conversation->channel_type != "webchat" ||
            e.conversation->channel_id != s->webchat_session)
          continue;
        if (!guest_frame)
          guest_frame =
              Frame(json::object{{"type", "message"}, {"message", PublicMessageJson(*e.message)}});
        s->Send(guest_frame);
        continue;
      }
      if (is_task ? !s->tasks : !s->conversations) continue;
      auto key = std::make_pair(s->redaction.contact, s->redaction.financial);
      auto& frame = staff_frames[key];
      if (!frame) {
        json::value data;
        if (is_task && e.task)
          data = TaskJson(*e.task);
        else if (e.kind == domain::Event::Kind::message_created && e.message)
          data = MessageJson(*e.message, s->redaction);
        else if (e.conversation)
          data = ConversationJson(*e.conversation, s->redaction);
        else
          continue;
        frame = Frame(json::object{{"type", TypeOf(e.kind)}, {"data", data}, {"at", at}});
      }
      s->Send(frame);
    }
  }
}

}  // namespace jack::http
