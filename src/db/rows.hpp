#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "db/records.hpp"

// Shared by the repository files of src/db only: the column lists of the seed's tables (in
// the order the readers expect), the row readers and small statement helpers.

#define GUEST_COLS                                                                              \
  "id, first_name, last_name, email, phone, language, loyalty_tier, vip_status, external_ids, " \
  "preferences, stay_count, total_revenue, last_stay_date, notes, tags, created_at, updated_at"
#define RES_COLS                                                                           \
  "id, guest_id, confirmation_number, external_id, room_number, room_type, arrival_date, " \
  "departure_date, status, estimated_arrival, actual_arrival, estimated_departure, "       \
  "actual_departure, rate_code, total_rate, balance, special_requests, notes, synced_at, " \
  "created_at, updated_at"
#define STAFF_COLS                                                                  \
  "id, email, name, phone, role, department, permissions, status, last_active_at, " \
  "password_hash, created_at, updated_at"
#define CONV_COLS                                                                        \
  "id, guest_id, reservation_id, channel_type, channel_id, state, assigned_to, "         \
  "current_intent, metadata, last_message_at, resolved_at, idle_warned_at, created_at, " \
  "updated_at, awaiting_since"
#define MSG_COLS                                                                           \
  "id, conversation_id, direction, sender_type, sender_id, content, content_type, media, " \
  "intent, confidence, entities, channel_message_id, delivery_status, delivery_error, "    \
  "created_at, sensitivity"
#define TASK_COLS                                                                         \
  "id, conversation_id, type, department, room_number, description, items, priority, "    \
  "status, assigned_to, external_id, external_system, due_at, started_at, completed_at, " \
  "notes, completion_notes, created_at, updated_at"
#define AUDIT_COLS                                                                      \
  "id, actor_type, actor_id, action, resource_type, resource_id, details, ip_address, " \
  "user_agent, created_at"
#define WCS_COLS                                                                             \
  "id, token_hash, conversation_id, guest_id, reservation_id, claimed_name, claimed_email, " \
  "language, verified, ip_address, created_at, last_seen_at, expires_at"

namespace jack::db::detail {

// One row or none.
template <class Row, class Reader, class Binder>
Result<std::optional<Row>> One(Database& db, std::string_view sql, Binder bind, Reader read) {
  auto q = db.Query(sql);
  if (!q) return q.error();
  bind(*q);
  auto r = q->Next();
  if (!r) return r.error();
  if (!*r) return std::optional<Row>();
  return std::optional<Row>(read(*q));
}

template <class Row, class Reader, class Binder>
Result<std::vector<Row>> Many(Database& db, std::string_view sql, Binder bind, Reader read) {
  auto q = db.Query(sql);
  if (!q) return q.error();
  bind(*q);
  std::vector<Row> out;
  for (;;) {
    auto r = q->Next();
    if (!r) return r.error();
    if (!*r) break;
    out.push_back(read(*q));
  }
  return out;
}

template <class Binder>
Status Write(Database& db, std::string_view sql, Binder bind) {
  auto q = db.Query(sql);
  if (!q) return q.error();
  bind(*q);
  return q->Run();
}

GuestRow ReadGuest(Stmt& q);
ReservationRow ReadRes(Stmt& q);
StaffRow ReadStaff(Stmt& q);
ConversationRow ReadConv(Stmt& q);
MessageRow ReadMsg(Stmt& q);
TaskRow ReadTask(Stmt& q);
AuditRow ReadAudit(Stmt& q);
WebchatSessionRow ReadWcs(Stmt& q);

}  // namespace jack::db::detail
