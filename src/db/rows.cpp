#include "db/rows.hpp"

namespace jack::db::detail {

GuestRow ReadGuest(Stmt& q) {
  GuestRow g;
  g.id = q.Text(0);
  g.first_name = q.Text(1);
  g.last_name = q.Text(2);
  g.email = q.OptText(3);
  g.phone = q.OptText(4);
  g.language = q.OptText(5);
  g.loyalty_tier = q.OptText(6);
  g.vip_status = q.OptText(7);
  g.external_ids = q.Text(8);
  g.preferences = q.Text(9);
  g.stay_count = q.Int(10);
  g.total_revenue = q.Real(11);
  g.last_stay_date = q.OptText(12);
  g.notes = q.OptText(13);
  g.tags = q.OptText(14);
  g.created_at = q.Text(15);
  g.updated_at = q.Text(16);
  return g;
}

ReservationRow ReadRes(Stmt& q) {
  ReservationRow r;
  r.id = q.Text(0);
  r.guest_id = q.Text(1);
  r.confirmation_number = q.Text(2);
  r.external_id = q.OptText(3);
  r.room_number = q.OptText(4);
  r.room_type = q.Text(5);
  r.arrival_date = q.Text(6);
  r.departure_date = q.Text(7);
  r.status = q.Text(8);
  r.estimated_arrival = q.OptText(9);
  r.actual_arrival = q.OptText(10);
  r.estimated_departure = q.OptText(11);
  r.actual_departure = q.OptText(12);
  r.rate_code = q.OptText(13);
  r.total_rate = q.OptReal(14);
  r.balance = q.OptReal(15);
  r.special_requests = q.OptText(16);
  r.notes = q.OptText(17);
  r.synced_at = q.Text(18);
  r.created_at = q.Text(19);
  r.updated_at = q.Text(20);
  return r;
}

StaffRow ReadStaff(Stmt& q) {
  StaffRow s;
  s.id = q.Text(0);
  s.email = q.Text(1);
  s.name = q.Text(2);
  s.phone = q.OptText(3);
  s.role = q.Text(4);
  s.department = q.OptText(5);
  s.permissions = q.Text(6);
  s.status = q.Text(7);
  s.last_active_at = q.OptText(8);
  s.password_hash = q.OptText(9);
  s.created_at = q.Text(10);
  s.updated_at = q.Text(11);
  return s;
}

ConversationRow ReadConv(Stmt& q) {
  ConversationRow c;
  c.id = q.Text(0);
  c.guest_id = q.OptText(1);
  c.reservation_id = q.OptText(2);
  c.channel_type = q.Text(3);
  c.channel_id = q.Text(4);
  c.state = q.Text(5);
  c.assigned_to = q.OptText(6);
  c.current_intent = q.OptText(7);
  c.metadata = q.Text(8);
  c.last_message_at = q.OptText(9);
  c.resolved_at = q.OptText(10);
  c.idle_warned_at = q.OptText(11);
  c.created_at = q.Text(12);
  c.updated_at = q.Text(13);
  c.awaiting_since = q.OptText(14);
  return c;
}

MessageRow ReadMsg(Stmt& q) {
  MessageRow m;
  m.id = q.Text(0);
  m.conversation_id = q.Text(1);
  m.direction = q.Text(2);
  m.sender_type = q.Text(3);
  m.sender_id = q.OptText(4);
  m.content = q.Text(5);
  m.content_type = q.Text(6);
  m.media = q.OptText(7);
  m.intent = q.OptText(8);
  m.confidence = q.OptReal(9);
  m.entities = q.OptText(10);
  m.channel_message_id = q.OptText(11);
  m.delivery_status = q.OptText(12);
  m.delivery_error = q.OptText(13);
  m.created_at = q.Text(14);
  m.sensitivity = q.OptText(15);
  return m;
}

TaskRow ReadTask(Stmt& q) {
  TaskRow t;
  t.id = q.Text(0);
  t.conversation_id = q.OptText(1);
  t.type = q.Text(2);
  t.department = q.Text(3);
  t.room_number = q.OptText(4);
  t.description = q.Text(5);
  t.items = q.OptText(6);
  t.priority = q.Text(7);
  t.status = q.Text(8);
  t.assigned_to = q.OptText(9);
  t.external_id = q.OptText(10);
  t.external_system = q.OptText(11);
  t.due_at = q.OptText(12);
  t.started_at = q.OptText(13);
  t.completed_at = q.OptText(14);
  t.notes = q.OptText(15);
  t.completion_notes = q.OptText(16);
  t.created_at = q.Text(17);
  t.updated_at = q.Text(18);
  return t;
}

AuditRow ReadAudit(Stmt& q) {
  AuditRow a;
  a.id = q.Text(0);
  a.actor_type = q.Text(1);
  a.actor_id = q.OptText(2);
  a.action = q.Text(3);
  a.resource_type = q.Text(4);
  a.resource_id = q.OptText(5);
  a.details = q.OptText(6);
  a.ip_address = q.OptText(7);
  a.user_agent = q.OptText(8);
  a.created_at = q.Text(9);
  return a;
}

WebchatSessionRow ReadWcs(Stmt& q) {
  WebchatSessionRow s;
  s.id = q.Text(0);
  s.token_hash = q.Text(1);
  s.conversation_id = q.OptText(2);
  s.guest_id = q.OptText(3);
  s.reservation_id = q.OptText(4);
  s.claimed_name = q.OptText(5);
  s.claimed_email = q.OptText(6);
  s.language = q.OptText(7);
  s.verified = q.Int(8) != 0;
  s.ip_address = q.OptText(9);
  s.created_at = q.Text(10);
  s.last_seen_at = q.Text(11);
  s.expires_at = q.Text(12);
  return s;
}

}  // namespace jack::db::detail
