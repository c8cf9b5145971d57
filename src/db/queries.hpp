#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "db/records.hpp"

// The staff API's lists and reports over the seed's tables (api.md): filtered, cursor-paged
// reads, the automation rules, staff changes and the raw rows of the analytics overview.
// Like repositories.hpp: the caller's connection and transaction.
namespace jack::db {

// ---- conversations: the inbox ----
struct ConversationFilter {
  OptString state, assigned_to, channel, guest_id, since, q;
  bool unassigned = false;  // assignedTo=none
  bool recent = false;      // sort=recent (else urgency, queue_key)
  // Cursor: the sort key and id of the last item of the previous page.
  OptString after_key, after_id;
  int limit = 50;  // rows to return (callers ask for one more to learn if a page follows)
};
struct ConversationListItem {
  ConversationRow conversation;
  std::string sort_key;  // queue_key, or the recency key, for the next cursor
  OptString guest_first_name, guest_last_name, reservation_room;
  OptString last_content, last_direction, last_sender_type, last_created_at, last_sensitivity;
};
Result<std::vector<ConversationListItem>> ListConversations(Database& db,
                                                            const ConversationFilter& f);
Result<int64_t> CountConversations(Database& db);

// ---- staff ----
struct StaffFilter {
  OptString role, status, department, after_id;
  int limit = 50;
};
Result<std::vector<StaffRow>> ListStaff(Database& db, const StaffFilter& f);
Status UpdateStaff(Database& db, const StaffRow& s);

// ---- reservations ----
struct ReservationFilter {
  OptString status, arrival_from, arrival_to, room_number, guest_id, after_id;
  int limit = 50;
};
Result<std::vector<ReservationRow>> ListReservations(Database& db, const ReservationFilter& f);

// Guests with a confirmed or checked-in reservation in `room` (GET /guests?roomNumber=).
Result<std::vector<GuestRow>> GuestsInRoom(Database& db, std::string_view room, int limit,
                                           const OptString& after_id);

// ---- knowledge ----
// Deletes the entry with its chunks and their vectors (the FTS index follows by trigger).
Status DeleteKnowledge(Database& db, std::string_view id);

// ---- automation rules ----
Status InsertAutomationRule(Database& db, const AutomationRuleRow& r);
Status UpdateAutomationRule(Database& db, const AutomationRuleRow& r);
Status DeleteAutomationRule(Database& db, std::string_view id);
Result<std::optional<AutomationRuleRow>> FindAutomationRule(Database& db, std::string_view id);
Result<std::vector<AutomationRuleRow>> ListAutomationRules(Database& db, const OptString& after_id,
                                                           int limit);

// ---- audit ----
struct AuditFilter {
  OptString action, actor_id, resource_type, resource_id, since;
  OptString after_created, after_id;  // cursor (newest first)
  int limit = 50;
};
Result<std::vector<AuditRow>> ListAuditFiltered(Database& db, const AuditFilter& f);

// ---- analytics (raw rows; the domain buckets them by hotel day) ----
struct ConversationFacts {
  std::string id, created_at, state;
  OptString first_inbound_at, first_answer_at;  // answer: by the AI or staff
  int64_t staff_messages = 0;
  bool escalated = false;
};
Result<std::vector<ConversationFacts>> ConversationFactsBetween(Database& db, std::string_view from,
                                                                std::string_view to);
// created_at of inbound messages in [from, to).
Result<std::vector<std::string>> InboundTimesBetween(Database& db, std::string_view from,
                                                     std::string_view to);
// created_at of conversation.escalate audit rows in [from, to).
Result<std::vector<std::string>> EscalationTimesBetween(Database& db, std::string_view from,
                                                        std::string_view to);
struct TaskFacts {
  std::string department, status, created_at;
  OptString completed_at;
};
Result<std::vector<TaskFacts>> TaskFactsBetween(Database& db, std::string_view from,
                                                std::string_view to);

}  // namespace jack::db
