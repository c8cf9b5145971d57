#include "domain/conversations.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "core/ids.hpp"
#include "db/repositories.hpp"
#include "domain/audit.hpp"
#include "domain/permissions.hpp"
#include "domain/settings.hpp"

namespace jack::domain {

bool IsOpenState(std::string_view s) { return s == "new" || s == "active" || s == "escalated"; }

bool AiOwns(const db::ConversationRow& c) {
  return (c.state == "new" || c.state == "active") && !c.assigned_to;
}

bool CanTransition(std::string_view from, std::string_view to) {
  if (from == "new") return to == "active" || to == "escalated" || to == "resolved";
  if (from == "active") return to == "escalated" || to == "resolved" || to == "abandoned";
  if (from == "escalated") return to == "active" || to == "resolved";
  if (from == "resolved" || from == "abandoned") return to == "active";
  return false;
}

Result<bool> EscalateConversation(Ctx& ctx, db::ConversationRow& c, const Actor& actor,
                                  std::string_view reason, bool save) {
  if (c.state == "escalated") return false;
  if (!CanTransition(c.state, "escalated"))
    return Error::Conflict("a " + c.state + " conversation cannot be escalated");
  c.state = "escalated";
  c.updated_at = ctx.Now();
  // Audit details hold IDs and codes only (seed-notes.md): a reason typed by staff may name the
  // guest, so it is kept on the conversation (whose metadata erasure clears), and the audit row
  // records only that there was one.
  const bool is_code = !reason.empty() && reason.size() <= 40 &&
                       std::all_of(reason.begin(), reason.end(), [](unsigned char ch) {
                         return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                                ch == '.' || ch == '-';
                       });
  if (!is_code) {
    boost::system::error_code ec;
    auto meta = boost::json::parse(c.metadata.empty() ? "{}" : c.metadata, ec);
    if (ec || !meta.is_object()) meta = boost::json::object{};
    meta.as_object()["escalationReason"] = reason;
    c.metadata = boost::json::serialize(meta);
  }
  if (save) JACK_TRY(db::UpdateConversation(ctx.db, c));
  boost::json::object details{{"reason", is_code ? reason : std::string_view("staff_note")}};
  JACK_TRY(Audit(ctx, actor, "conversation.escalate", "conversation", c.id,
                 boost::json::serialize(details)));
  ctx.Emit({Event::Kind::conversation_escalated, c, std::nullopt, std::nullopt});
  return true;
}

Status AppendMessage(Ctx& ctx, db::ConversationRow& c, db::MessageRow& m, bool save) {
  auto now = ctx.clock.Now();
  if (m.id.empty()) m.id = core::NewId(now);
  if (m.created_at.empty()) m.created_at = core::FormatIso(now);
  m.conversation_id = c.id;
  JACK_TRY(db::InsertMessage(ctx.db, m));
  bool reopened_for_staff = false;
  if (m.direction == "inbound" && (c.state == "resolved" || c.state == "abandoned")) {
    // Reopened (seed-notes.md): owned by the AI, or with conversations.reopen_owner = staff by
    // its last assignee, and by the staff queue (escalated) when nobody had it.
    c.resolved_at.reset();
    c.idle_warned_at.reset();
    if (Setting(ctx, "conversations.reopen_owner") != "staff") {
      c.assigned_to.reset();
      c.state = "active";
    } else {
      c.state = c.assigned_to ? "active" : "escalated";
      reopened_for_staff = !c.assigned_to;
    }
  }
  if (m.direction == "inbound") c.idle_warned_at.reset();
  // The guest waits from their oldest unanswered message; an answer (by the AI or staff)
  // ends the wait, a system notice (hand-off acknowledgement, idle warning) does not.
  if (m.direction == "inbound") {
    if (!c.awaiting_since || m.created_at < *c.awaiting_since) c.awaiting_since = m.created_at;
  } else if (m.sender_type != "system") {
    c.awaiting_since.reset();
  }
  if (!c.last_message_at || *c.last_message_at < m.created_at) c.last_message_at = m.created_at;
  c.updated_at = core::FormatIso(now);
  if (save) JACK_TRY(db::UpdateConversation(ctx.db, c));
  if (reopened_for_staff) {
    boost::json::object details{{"reason", "reopened"}};
    JACK_TRY(Audit(ctx, Actor::System(), "conversation.escalate", "conversation", c.id,
                   boost::json::serialize(details)));
    ctx.Emit({Event::Kind::conversation_escalated, c, std::nullopt, std::nullopt});
  }
  ctx.Emit({Event::Kind::message_created, c, m, std::nullopt});
  return {};
}

namespace {

Status CheckAssignee(Ctx& ctx, const std::string& staff_id) {
  JACK_TRY_ASSIGN(auto staff, db::FindStaff(ctx.db, staff_id));
  if (!staff) return Error::Invalid("no staff member " + staff_id, "staffId");
  if (staff->status != "active") return Error::Invalid("staff member is not active", "staffId");
  // The AI falls silent for an assignee, who must be able to read and answer the guest.
  if (!HasPermission(staff->role, staff->permissions, "conversation.respond"))
    return Error::Invalid("this staff member cannot answer guests (conversation.respond)",
                          "staffId");
  return {};
}

}  // namespace

Result<bool> AssignConversation(Ctx& ctx, db::ConversationRow& c,
                                const std::optional<std::string>& staff_id, const Actor& actor) {
  if (!IsOpenState(c.state))
    return Error::Conflict("a " + c.state + " conversation cannot be assigned");
  if (staff_id) JACK_TRY(CheckAssignee(ctx, *staff_id));
  if (c.assigned_to == staff_id) return false;
  c.assigned_to = staff_id;
  // An idle warning belongs to the AI's watch; a new owner starts the clock afresh.
  c.idle_warned_at.reset();
  c.updated_at = ctx.Now();
  JACK_TRY(db::UpdateConversation(ctx.db, c));
  boost::json::object details{
      {"assignedTo", staff_id ? boost::json::value(*staff_id) : boost::json::value(nullptr)}};
  JACK_TRY(Audit(ctx, actor, "conversation.assign", "conversation", c.id,
                 boost::json::serialize(details)));
  ctx.Emit({Event::Kind::conversation_updated, c, std::nullopt, std::nullopt});
  return true;
}

Result<bool> ResolveConversation(Ctx& ctx, db::ConversationRow& c, const Actor& actor,
                                 std::string_view resolution) {
  if (c.state == "resolved") return false;
  if (!CanTransition(c.state, "resolved"))
    return Error::Conflict("a " + c.state + " conversation cannot be resolved");
  const auto now = ctx.Now();
  c.state = "resolved";
  c.resolved_at = now;
  c.idle_warned_at.reset();
  c.updated_at = now;
  JACK_TRY(db::UpdateConversation(ctx.db, c));
  boost::json::object details;
  // The resolution is a short code or note typed by staff; it is kept out of the audit row
  // (details hold IDs only), only its presence is noted.
  details["withResolution"] = !resolution.empty();
  JACK_TRY(Audit(ctx, actor, "conversation.resolve", "conversation", c.id,
                 boost::json::serialize(details)));
  ctx.Emit({Event::Kind::conversation_updated, c, std::nullopt, std::nullopt});
  return true;
}

Result<bool> HandBackConversation(Ctx& ctx, db::ConversationRow& c, const Actor& actor) {
  const bool from_escalated = c.state == "escalated";
  const bool from_assigned = c.state == "active" && c.assigned_to.has_value();
  if (!from_escalated && !from_assigned) {
    if ((c.state == "active" || c.state == "new") && !c.assigned_to) return false;
    return Error::Conflict("a " + c.state + " conversation cannot be handed back to the AI");
  }
  c.state = "active";
  c.assigned_to.reset();
  c.updated_at = ctx.Now();
  JACK_TRY(db::UpdateConversation(ctx.db, c));
  boost::json::object details{{"assignedTo", nullptr}, {"handBack", true}};
  JACK_TRY(Audit(ctx, actor, "conversation.assign", "conversation", c.id,
                 boost::json::serialize(details)));
  ctx.Emit({Event::Kind::conversation_updated, c, std::nullopt, std::nullopt});
  return true;
}

Result<db::MessageRow> StaffReply(Ctx& ctx, db::ConversationRow& c, const std::string& staff_id,
                                  const std::string& content, const std::string& content_type,
                                  const Actor& actor) {
  if (!IsOpenState(c.state))
    return Error::Conflict("a " + c.state +
                           " conversation takes no reply; it reopens when the guest writes");
  db::MessageRow m;
  m.direction = "outbound";
  m.sender_type = "staff";
  m.sender_id = staff_id;
  m.content = content;
  m.content_type = content_type;
  m.delivery_status = c.channel_type == "webchat" ? "sent" : "pending";
  bool owner_changed = false;
  if (!c.assigned_to) {
    c.assigned_to = staff_id;
    c.idle_warned_at.reset();
    owner_changed = true;
  }
  if (c.state == "new") c.state = "active";
  JACK_TRY(AppendMessage(ctx, c, m));
  if (owner_changed) {
    boost::json::object details{{"assignedTo", staff_id}, {"byReply", true}};
    JACK_TRY(Audit(ctx, actor, "conversation.assign", "conversation", c.id,
                   boost::json::serialize(details)));
    ctx.Emit({Event::Kind::conversation_updated, c, std::nullopt, std::nullopt});
  }
  return m;
}

}  // namespace jack::domain
