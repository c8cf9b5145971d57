#include <string>

#include "db/queries.hpp"
#include "db/repositories.hpp"
#include "db/rows.hpp"

namespace jack::db {
using namespace detail;
namespace {

// CONV_COLS with the table's alias, for the joins of the inbox. The last message is found by
// rowid, which ties equal times in insertion order: idx_messages_created then answers it alone
// (ordering by id as well would sort each conversation's messages).
#define C_CONV_COLS                                                                            \
  "c.id, c.guest_id, c.reservation_id, c.channel_type, c.channel_id, c.state, c.assigned_to, " \
  "c.current_intent, c.metadata, c.last_message_at, c.resolved_at, c.idle_warned_at, "         \
  "c.created_at, c.updated_at, c.awaiting_since"
#define INBOX_SELECT                                                                              \
  "SELECT " C_CONV_COLS                                                                           \
  ", %SORT%, g.first_name, g.last_name, r.room_number, m.content, m.direction, "                  \
  "m.sender_type, m.created_at, m.sensitivity FROM conversations c LEFT JOIN guests g ON g.id = " \
  "c.guest_id "                                                                                   \
  "LEFT JOIN reservations r ON r.id = c.reservation_id LEFT JOIN messages m ON m.rowid = "        \
  "(SELECT rowid FROM messages WHERE conversation_id = c.id ORDER BY created_at DESC, rowid "     \
  "DESC LIMIT 1) WHERE (?1 IS NULL OR c.state = ?1) AND (?2 IS NULL OR c.assigned_to = ?2) AND "  \
  "(?3 = 0 OR c.assigned_to IS NULL) AND (?4 IS NULL OR c.channel_type = ?4) AND (?5 IS "         \
  "NULL OR c.guest_id = ?5) AND (?6 IS NULL OR coalesce(c.last_message_at, c.created_at) >= "     \
  "?6) AND (?7 IS NULL OR g.first_name LIKE ?7 ESCAPE '\\' OR g.last_name LIKE ?7 ESCAPE "        \
  "'\\' OR (g.first_name || ' ' || g.last_name) LIKE ?7 ESCAPE '\\' OR c.id = ?8) "

std::string InboxSql(bool recent) {
  std::string s = INBOX_SELECT;
  const std::string sort = recent ? "coalesce(c.last_message_at, c.created_at)" : "c.queue_key";
  s.replace(s.find("%SORT%"), 6, sort);
  if (recent)
    s += "AND (?9 IS NULL OR (coalesce(c.last_message_at, c.created_at), c.id) < (?9, ?10)) "
         "ORDER BY coalesce(c.last_message_at, c.created_at) DESC, c.id DESC LIMIT ?11";
  else
    s += "AND (?9 IS NULL OR (c.queue_key, c.id) > (?9, ?10)) ORDER BY c.queue_key, c.id "
         "LIMIT ?11";
  return s;
}

OptString LikePattern(const OptString& q) {
  if (!q) return std::nullopt;
  std::string esc;
  for (char c : *q) {
    if (c == '%' || c == '_' || c == '\\') esc.push_back('\\');
    esc.push_back(c);
  }
  return "%" + esc + "%";
}

constexpr std::string_view kListStaff =
    "SELECT " STAFF_COLS
    " FROM staff WHERE (?1 IS NULL OR role = ?1) AND (?2 IS NULL OR status = ?2) AND (?3 IS "
    "NULL OR department = ?3) AND (?4 IS NULL OR id > ?4) ORDER BY id LIMIT ?5";
constexpr std::string_view kUpdateStaff =
    "UPDATE staff SET email=?, name=?, phone=?, role=?, department=?, permissions=?, status=?, "
    "password_hash=?, updated_at=? WHERE id=?";
constexpr std::string_view kListReservations =
    "SELECT " RES_COLS
    " FROM reservations WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR arrival_date >= "
    "?2) AND (?3 IS NULL OR arrival_date <= ?3) AND (?4 IS NULL OR room_number = ?4) AND (?5 "
    "IS NULL OR guest_id = ?5) AND (?6 IS NULL OR id > ?6) ORDER BY id LIMIT ?7";
constexpr std::string_view kGuestsInRoom =
    "SELECT " GUEST_COLS
    " FROM guests WHERE id IN (SELECT guest_id FROM reservations WHERE room_number = ?1 AND "
    "status IN ('confirmed', 'checked_in')) AND (?2 IS NULL OR id > ?2) ORDER BY id LIMIT ?3";

#define RULE_COLS                                                                     \
  "id, name, description, trigger_type, trigger_config, action_type, action_config, " \
  "enabled, created_at, updated_at"
constexpr std::string_view kInsertRule =
    "INSERT INTO automation_rules (" RULE_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?)";
constexpr std::string_view kUpdateRule =
    "UPDATE automation_rules SET name=?, description=?, trigger_type=?, trigger_config=?, "
    "action_type=?, action_config=?, enabled=?, updated_at=? WHERE id=?";
constexpr std::string_view kDeleteRule = "DELETE FROM automation_rules WHERE id = ?";
constexpr std::string_view kRuleById = "SELECT " RULE_COLS " FROM automation_rules WHERE id = ?";
constexpr std::string_view kListRules =
    "SELECT " RULE_COLS " FROM automation_rules WHERE (?1 IS NULL OR id > ?1) ORDER BY id LIMIT ?2";

AutomationRuleRow ReadRule(Stmt& q) {
  AutomationRuleRow r;
  r.id = q.Text(0);
  r.name = q.Text(1);
  r.description = q.OptText(2);
  r.trigger_type = q.Text(3);
  r.trigger_config = q.Text(4);
  r.action_type = q.Text(5);
  r.action_config = q.Text(6);
  r.enabled = q.Int(7) != 0;
  r.created_at = q.Text(8);
  r.updated_at = q.Text(9);
  return r;
}

constexpr std::string_view kListAudit =
    "SELECT " AUDIT_COLS
    " FROM audit_log WHERE (?1 IS NULL OR action = ?1) AND (?2 IS NULL OR actor_id = ?2) AND "
    "(?3 IS NULL OR resource_type = ?3) AND (?4 IS NULL OR resource_id = ?4) AND (?5 IS NULL "
    "OR created_at >= ?5) AND (?6 IS NULL OR (created_at, id) < (?6, ?7)) ORDER BY created_at "
    "DESC, id DESC LIMIT ?8";

constexpr std::string_view kConversationFacts =
    "SELECT c.id, c.created_at, c.state, (SELECT min(created_at) FROM messages WHERE "
    "conversation_id = c.id AND direction = 'inbound'), (SELECT min(created_at) FROM messages "
    "WHERE conversation_id = c.id AND direction = 'outbound' AND sender_type IN ('ai', "
    "'staff')), (SELECT count(*) FROM messages WHERE conversation_id = c.id AND sender_type = "
    "'staff'), EXISTS (SELECT 1 FROM audit_log WHERE action = 'conversation.escalate' AND "
    "resource_type = 'conversation' AND resource_id = c.id) FROM conversations c WHERE "
    "c.created_at >= ?1 AND c.created_at < ?2";
constexpr std::string_view kInboundTimes =
    "SELECT created_at FROM messages WHERE direction = 'inbound' AND created_at >= ?1 AND "
    "created_at < ?2";
constexpr std::string_view kEscalationTimes =
    "SELECT created_at FROM audit_log WHERE action = 'conversation.escalate' AND created_at >= "
    "?1 AND created_at < ?2";
constexpr std::string_view kTaskFacts =
    "SELECT department, status, created_at, completed_at FROM tasks WHERE created_at >= ?1 AND "
    "created_at < ?2";

Result<std::vector<std::string>> Times(Database& db, std::string_view sql, std::string_view from,
                                       std::string_view to) {
  return Many<std::string>(
      db, sql, [&](Stmt& q) { q.Bind(from).Bind(to); }, [](Stmt& q) { return q.Text(0); });
}

}  // namespace

Result<std::vector<ConversationListItem>> ListConversations(Database& db,
                                                            const ConversationFilter& f) {
  static const std::string urgency = InboxSql(false), recent = InboxSql(true);
  OptString like = LikePattern(f.q);
  return Many<ConversationListItem>(
      db, f.recent ? recent : urgency,
      [&](Stmt& q) {
        q.Bind(f.state)
            .Bind(f.assigned_to)
            .Bind(int64_t{f.unassigned ? 1 : 0})
            .Bind(f.channel)
            .Bind(f.guest_id)
            .Bind(f.since)
            .Bind(like)
            .Bind(f.q)
            .Bind(f.after_key)
            .Bind(f.after_id)
            .Bind(int64_t{f.limit});
      },
      [](Stmt& q) {
        ConversationListItem it;
        it.conversation = ReadConv(q);
        it.sort_key = q.Text(15);
        it.guest_first_name = q.OptText(16);
        it.guest_last_name = q.OptText(17);
        it.reservation_room = q.OptText(18);
        it.last_content = q.OptText(19);
        it.last_direction = q.OptText(20);
        it.last_sender_type = q.OptText(21);
        it.last_created_at = q.OptText(22);
        it.last_sensitivity = q.OptText(23);
        return it;
      });
}

Result<int64_t> CountConversations(Database& db) {
  auto r = One<int64_t>(
      db, "SELECT count(*) FROM conversations", [](Stmt&) {}, [](Stmt& q) { return q.Int(0); });
  if (!r) return r.error();
  return r->value_or(0);
}

Result<std::vector<StaffRow>> ListStaff(Database& db, const StaffFilter& f) {
  return Many<StaffRow>(
      db, kListStaff,
      [&](Stmt& q) {
        q.Bind(f.role).Bind(f.status).Bind(f.department).Bind(f.after_id).Bind(int64_t{f.limit});
      },
      ReadStaff);
}

Status UpdateStaff(Database& db, const StaffRow& s) {
  return Write(db, kUpdateStaff, [&](Stmt& q) {
    q.Bind(s.email)
        .Bind(s.name)
        .Bind(s.phone)
        .Bind(s.role)
        .Bind(s.department)
        .Bind(s.permissions)
        .Bind(s.status)
        .Bind(s.password_hash)
        .Bind(s.updated_at)
        .Bind(s.id);
  });
}

Result<std::vector<ReservationRow>> ListReservations(Database& db, const ReservationFilter& f) {
  return Many<ReservationRow>(
      db, kListReservations,
      [&](Stmt& q) {
        q.Bind(f.status)
            .Bind(f.arrival_from)
            .Bind(f.arrival_to)
            .Bind(f.room_number)
            .Bind(f.guest_id)
            .Bind(f.after_id)
            .Bind(int64_t{f.limit});
      },
      ReadRes);
}

Result<std::vector<GuestRow>> GuestsInRoom(Database& db, std::string_view room, int limit,
                                           const OptString& after_id) {
  return Many<GuestRow>(
      db, kGuestsInRoom, [&](Stmt& q) { q.Bind(room).Bind(after_id).Bind(int64_t{limit}); },
      ReadGuest);
}

Status DeleteKnowledge(Database& db, std::string_view id) {
  // One transaction: the entry goes with its chunks and vectors, and the word-count cache's
  // second bump (KnowledgeChanged) comes after the delete.
  Transaction tx(db);
  JACK_TRY(tx.status());
  KnowledgeChanged(db);
  JACK_TRY(DeleteEmbeddingsOf(db, id));
  JACK_TRY(Write(db, "DELETE FROM knowledge_chunks WHERE knowledge_id = ?",
                 [&](Stmt& q) { q.Bind(id); }));
  JACK_TRY(Write(db, "DELETE FROM knowledge_base WHERE id = ?", [&](Stmt& q) { q.Bind(id); }));
  return tx.Commit();
}

Status InsertAutomationRule(Database& db, const AutomationRuleRow& r) {
  return Write(db, kInsertRule, [&](Stmt& q) {
    q.Bind(r.id)
        .Bind(r.name)
        .Bind(r.description)
        .Bind(r.trigger_type)
        .Bind(r.trigger_config)
        .Bind(r.action_type)
        .Bind(r.action_config)
        .Bind(int64_t{r.enabled ? 1 : 0})
        .Bind(r.created_at)
        .Bind(r.updated_at);
  });
}
Status UpdateAutomationRule(Database& db, const AutomationRuleRow& r) {
  return Write(db, kUpdateRule, [&](Stmt& q) {
    q.Bind(r.name)
        .Bind(r.description)
        .Bind(r.trigger_type)
        .Bind(r.trigger_config)
        .Bind(r.action_type)
        .Bind(r.action_config)
        .Bind(int64_t{r.enabled ? 1 : 0})
        .Bind(r.updated_at)
        .Bind(r.id);
  });
}
Status DeleteAutomationRule(Database& db, std::string_view id) {
  return Write(db, kDeleteRule, [&](Stmt& q) { q.Bind(id); });
}
Result<std::optional<AutomationRuleRow>> FindAutomationRule(Database& db, std::string_view id) {
  return One<AutomationRuleRow>(
      db, kRuleById, [&](Stmt& q) { q.Bind(id); }, ReadRule);
}
Result<std::vector<AutomationRuleRow>> ListAutomationRules(Database& db, const OptString& after_id,
                                                           int limit) {
  return Many<AutomationRuleRow>(
      db, kListRules, [&](Stmt& q) { q.Bind(after_id).Bind(int64_t{limit}); }, ReadRule);
}

Result<std::vector<AuditRow>> ListAuditFiltered(Database& db, const AuditFilter& f) {
  return Many<AuditRow>(
      db, kListAudit,
      [&](Stmt& q) {
        q.Bind(f.action)
            .Bind(f.actor_id)
            .Bind(f.resource_type)
            .Bind(f.resource_id)
            .Bind(f.since)
            .Bind(f.after_created)
            .Bind(f.after_id)
            .Bind(int64_t{f.limit});
      },
      ReadAudit);
}

Result<std::vector<ConversationFacts>> ConversationFactsBetween(Database& db, std::string_view from,
                                                                std::string_view to) {
  return Many<ConversationFacts>(
      db, kConversationFacts, [&](Stmt& q) { q.Bind(from).Bind(to); },
      [](Stmt& q) {
        ConversationFacts c;
        c.id = q.Text(0);
        c.created_at = q.Text(1);
        c.state = q.Text(2);
        c.first_inbound_at = q.OptText(3);
        c.first_answer_at = q.OptText(4);
        c.staff_messages = q.Int(5);
        c.escalated = q.Int(6) != 0;
        return c;
      });
}
Result<std::vector<std::string>> InboundTimesBetween(Database& db, std::string_view from,
                                                     std::string_view to) {
  return Times(db, kInboundTimes, from, to);
}
Result<std::vector<std::string>> EscalationTimesBetween(Database& db, std::string_view from,
                                                        std::string_view to) {
  return Times(db, kEscalationTimes, from, to);
}
Result<std::vector<TaskFacts>> TaskFactsBetween(Database& db, std::string_view from,
                                                std::string_view to) {
  return Many<TaskFacts>(
      db, kTaskFacts, [&](Stmt& q) { q.Bind(from).Bind(to); },
      [](Stmt& q) {
        TaskFacts t;
        t.department = q.Text(0);
        t.status = q.Text(1);
        t.created_at = q.Text(2);
        t.completed_at = q.OptText(3);
        return t;
      });
}

}  // namespace jack::db
