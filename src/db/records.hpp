#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace jack::db {

// One struct per table, field for column (seed names in snake_case). JSON-in-TEXT columns
// are kept as text here; domain/json_columns parses and validates them.
using OptString = std::optional<std::string>;

struct SettingRow {
  std::string key, value, updated_at;
};

struct GuestRow {
  std::string id, first_name, last_name;
  OptString email, phone, language, loyalty_tier, vip_status;
  std::string external_ids = "{}", preferences = "[]";
  int64_t stay_count = 0;
  double total_revenue = 0;
  OptString last_stay_date, notes;
  OptString tags = std::string("[]");
  std::string created_at, updated_at;
};

struct ReservationRow {
  std::string id, guest_id, confirmation_number;
  OptString external_id, room_number;
  std::string room_type, arrival_date, departure_date, status = "confirmed";
  OptString estimated_arrival, actual_arrival, estimated_departure, actual_departure, rate_code;
  std::optional<double> total_rate;
  std::optional<double> balance = 0.0;
  OptString special_requests = std::string("[]"), notes = std::string("[]");
  std::string synced_at, created_at, updated_at;
};

struct StaffRow {
  std::string id, email, name;
  OptString phone;
  std::string role;
  OptString department;
  std::string permissions = "[]", status = "active";
  OptString last_active_at, password_hash;
  std::string created_at, updated_at;
};

struct ConversationRow {
  std::string id;
  OptString guest_id, reservation_id;
  std::string channel_type, channel_id, state = "new";
  OptString assigned_to, current_intent;
  std::string metadata = "{}";
  OptString last_message_at, resolved_at, idle_warned_at;
  std::string created_at, updated_at;
  // Jack's (migration 5): when the guest's oldest unanswered message arrived, NULL when
  // nothing waits. The repository derives the inbox order (queue_key) from the row.
  OptString awaiting_since;
};

struct MessageRow {
  std::string id, conversation_id, direction, sender_type;
  OptString sender_id;
  std::string content, content_type = "text";
  OptString media, intent;
  std::optional<double> confidence;
  OptString entities, channel_message_id;
  OptString delivery_status = std::string("sent");
  OptString delivery_error;
  std::string created_at;
  OptString sensitivity;  // Jack's (migration 6): "financial" or none
};

struct TaskRow {
  std::string id;
  OptString conversation_id;
  std::string type, department;
  OptString room_number;
  std::string description;
  OptString items;
  std::string priority = "standard", status = "pending";
  OptString assigned_to, external_id, external_system, due_at, started_at, completed_at, notes,
      completion_notes;
  std::string created_at, updated_at;
};

struct KnowledgeRow {
  std::string id, category, title, content;
  OptString keywords = std::string("[]");
  std::string status = "active";
  OptString language;
  std::string created_at, updated_at;
};

struct ChunkRow {
  std::string id, knowledge_id;
  int64_t ordinal = 0;
  std::string content;
};

struct AuditRow {
  std::string id, actor_type;
  OptString actor_id;
  std::string action, resource_type;
  OptString resource_id, details, ip_address, user_agent;
  std::string created_at;
};

struct WebchatSessionRow {
  std::string id, token_hash;
  OptString conversation_id, guest_id, reservation_id, claimed_name, claimed_email, language;
  bool verified = false;
  OptString ip_address;
  std::string created_at, last_seen_at, expires_at;
};

struct AutomationRuleRow {
  std::string id, name;
  OptString description;
  std::string trigger_type, trigger_config, action_type, action_config;
  bool enabled = true;
  std::string created_at, updated_at;
};

// Migration 5.
struct StaffSessionRow {
  std::string id, staff_id, created_at, last_used_at, expires_at;
  OptString revoked_at, revoked_reason, ip_address, user_agent;
};

struct RefreshTokenRow {
  std::string token_hash, session_id, created_at, expires_at;
  OptString used_at;
};

struct IdempotencyRow {
  std::string scope, key, request_hash;
  int64_t status = 0;
  std::string response, created_at;
};

}  // namespace jack::db
