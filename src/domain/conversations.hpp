#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "db/records.hpp"
#include "domain/context.hpp"

namespace jack::domain {

// seed-notes.md, Conversation ownership and states.
bool IsOpenState(std::string_view state);  // new, active, escalated
// Whether the AI answers the guest in this conversation now.
bool AiOwns(const db::ConversationRow& c);
// Whether `from` may move to `to` through an explicit transition (not counting the no-op
// resolve of a resolved conversation, which callers answer with the unchanged state).
bool CanTransition(std::string_view from, std::string_view to);

// Escalates inside the caller's transaction: state escalated, audit conversation.escalate.
// Returns false (and changes nothing) when the conversation is already escalated.
// With `save` false the caller writes the conversation row itself (once, at the end).
Result<bool> EscalateConversation(Ctx& ctx, db::ConversationRow& c, const Actor& actor,
                                  std::string_view reason, bool save = true);

// Stores a message inside the caller's transaction and moves the conversation's
// last_message_at; an inbound message reopens a resolved or abandoned conversation
// (owner from conversations.reopen_owner).
Status AppendMessage(Ctx& ctx, db::ConversationRow& c, db::MessageRow& m, bool save = true);

// Staff actions on a conversation, each inside the caller's transaction; `c` is updated and
// saved. They return false when nothing changed (an idempotent repeat) and conflict when the
// state does not allow the action (seed-notes.md, Conversation ownership and states).

// Sets or clears the assignee of an open conversation (audit conversation.assign). The staff
// member must exist and be active (invalid_argument otherwise).
Result<bool> AssignConversation(Ctx& ctx, db::ConversationRow& c,
                                const std::optional<std::string>& staff_id, const Actor& actor);
// Any open state → resolved with resolved_at (audit conversation.resolve); resolving a
// resolved conversation changes nothing.
Result<bool> ResolveConversation(Ctx& ctx, db::ConversationRow& c, const Actor& actor,
                                 std::string_view resolution = {});
// Escalated, or active with an assignee → active with no assignee: the AI answers again
// (audit conversation.assign with assignedTo null).
Result<bool> HandBackConversation(Ctx& ctx, db::ConversationRow& c, const Actor& actor);

// A staff member's reply (POST /conversations/{id}/messages), inside the caller's
// transaction: an outbound staff message; the conversation becomes staff-owned if nobody
// owned it (the AI falls silent) and a new one becomes active. Web-chat replies are delivered
// at once (the guest's socket and history); other channels' stay pending for their outbox.
// A resolved or abandoned conversation is a conflict: it reopens when the guest writes.
Result<db::MessageRow> StaffReply(Ctx& ctx, db::ConversationRow& c, const std::string& staff_id,
                                  const std::string& content, const std::string& content_type,
                                  const Actor& actor);

}  // namespace jack::domain
