#include "db/repositories.hpp"

#include "db/lifecycle.hpp"
#include "db/rows.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

#include "core/time.hpp"

namespace jack::db {
using namespace detail;
namespace {

// ---- settings ----
constexpr std::string_view kGetSetting = "SELECT value FROM settings WHERE key = ?";
constexpr std::string_view kListSettings =
    "SELECT key, value, updated_at FROM settings ORDER BY key";
constexpr std::string_view kPutSetting =
    "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
    "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";

// ---- guests ----
constexpr std::string_view kInsertGuest =
    "INSERT INTO guests (" GUEST_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr std::string_view kUpdateGuest =
    "UPDATE guests SET first_name=?, last_name=?, email=?, phone=?, language=?, loyalty_tier=?, "
    "vip_status=?, external_ids=?, preferences=?, stay_count=?, total_revenue=?, "
    "last_stay_date=?, notes=?, tags=?, updated_at=? WHERE id=?";
constexpr std::string_view kGuestById = "SELECT " GUEST_COLS " FROM guests WHERE id = ?";
constexpr std::string_view kGuestByEmail = "SELECT " GUEST_COLS " FROM guests WHERE email = ?";
constexpr std::string_view kGuestByPhone = "SELECT " GUEST_COLS " FROM guests WHERE phone = ?";
constexpr std::string_view kGuestByExternal =
    "SELECT " GUEST_COLS
    " FROM guests WHERE json_valid(external_ids) AND json_extract(external_ids, '$.' || "
    "json_quote(?)) = ? LIMIT 1";
constexpr std::string_view kListGuests =
    "SELECT " GUEST_COLS
    " FROM guests WHERE (?1 IS NULL OR email = ?1) AND (?2 IS NULL OR phone = ?2) AND "
    "(?3 IS NULL OR first_name LIKE ?3 ESCAPE '\\' OR last_name LIKE ?3 ESCAPE '\\' OR "
    "(first_name || ' ' || last_name) LIKE ?3 ESCAPE '\\' OR (?6 = 0 AND (email LIKE ?3 "
    "ESCAPE '\\' OR phone LIKE ?3 ESCAPE '\\'))) AND (?4 IS NULL OR id > ?4) ORDER BY id LIMIT ?5";

// ---- reservations ----
constexpr std::string_view kInsertRes =
    "INSERT INTO reservations (" RES_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr std::string_view kUpdateRes =
    "UPDATE reservations SET guest_id=?, confirmation_number=?, external_id=?, room_number=?, "
    "room_type=?, arrival_date=?, departure_date=?, status=?, estimated_arrival=?, "
    "actual_arrival=?, estimated_departure=?, actual_departure=?, rate_code=?, total_rate=?, "
    "balance=?, special_requests=?, notes=?, synced_at=?, updated_at=? WHERE id=?";
constexpr std::string_view kResById = "SELECT " RES_COLS " FROM reservations WHERE id = ?";
constexpr std::string_view kResByConf =
    "SELECT " RES_COLS " FROM reservations WHERE confirmation_number = ?";
constexpr std::string_view kResCurrent =
    "SELECT " RES_COLS
    " FROM reservations WHERE guest_id = ? AND arrival_date <= ?2 AND departure_date >= ?2 AND "
    "status IN ('confirmed', 'checked_in') ORDER BY status = 'checked_in' DESC, arrival_date "
    "DESC LIMIT 1";

// ---- staff ----
constexpr std::string_view kInsertStaff =
    "INSERT INTO staff (" STAFF_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr std::string_view kStaffById = "SELECT " STAFF_COLS " FROM staff WHERE id = ?";
constexpr std::string_view kStaffByEmail = "SELECT " STAFF_COLS " FROM staff WHERE email = ?";
constexpr std::string_view kCountStaff = "SELECT count(*) FROM staff";
constexpr std::string_view kCountGuestItemTasks =
    "SELECT count(*) FROM tasks t JOIN conversations c ON c.id = t.conversation_id "
    "WHERE c.guest_id = ? AND t.items IS NOT NULL AND json_valid(t.items) AND EXISTS "
    "(SELECT 1 FROM json_each(t.items) j WHERE json_extract(j.value, '$.item') = ?)";
constexpr std::string_view kTouchStaff = "UPDATE staff SET last_active_at = ? WHERE id = ?";

// ---- conversations ----
constexpr std::string_view kInsertConv =
    "INSERT INTO conversations (" CONV_COLS ", queue_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr std::string_view kUpdateConv =
    "UPDATE conversations SET guest_id=?, reservation_id=?, channel_type=?, channel_id=?, "
    "state=?, assigned_to=?, current_intent=?, metadata=?, last_message_at=?, resolved_at=?, "
    "idle_warned_at=?, updated_at=?, awaiting_since=?, queue_key=? WHERE id=?";
constexpr std::string_view kConvById = "SELECT " CONV_COLS " FROM conversations WHERE id = ?";

// ---- messages ----
constexpr std::string_view kInsertMsg =
    "INSERT INTO messages (" MSG_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr std::string_view kMsgById = "SELECT " MSG_COLS " FROM messages WHERE id = ?";
constexpr std::string_view kMsgPageFirst =
    "SELECT " MSG_COLS " FROM messages WHERE conversation_id = ? ORDER BY created_at, id LIMIT ?";
constexpr std::string_view kMsgPageAfter =
    "SELECT " MSG_COLS
    " FROM messages WHERE conversation_id = ?1 AND (created_at, id) > (SELECT created_at, id "
    "FROM messages WHERE id = ?2) ORDER BY created_at, id LIMIT ?3";
constexpr std::string_view kMsgPageBefore =
    "SELECT * FROM (SELECT " MSG_COLS
    " FROM messages WHERE conversation_id = ?1 AND (created_at, id) < (SELECT created_at, id "
    "FROM messages WHERE id = ?2) ORDER BY created_at DESC, id DESC LIMIT ?3) ORDER BY "
    "created_at, id";
constexpr std::string_view kMsgRecent =
    "SELECT * FROM (SELECT " MSG_COLS
    " FROM messages WHERE conversation_id = ? ORDER BY created_at DESC, id DESC LIMIT ?) "
    "ORDER BY created_at, id";

// ---- tasks ----
constexpr std::string_view kInsertTask =
    "INSERT INTO tasks (" TASK_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr std::string_view kUpdateTask =
    "UPDATE tasks SET conversation_id=?, type=?, department=?, room_number=?, description=?, "
    "items=?, priority=?, status=?, assigned_to=?, external_id=?, external_system=?, due_at=?, "
    "started_at=?, completed_at=?, notes=?, completion_notes=?, updated_at=? WHERE id=?";
constexpr std::string_view kTaskById = "SELECT " TASK_COLS " FROM tasks WHERE id = ?";
constexpr std::string_view kListTasks =
    "SELECT " TASK_COLS
    " FROM tasks WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR department = ?2) AND "
    "(?3 IS NULL OR assigned_to = ?3) AND (?4 IS NULL OR priority = ?4) AND (?5 IS NULL OR "
    "room_number = ?5) AND (?6 IS NULL OR conversation_id = ?6) AND (?7 IS NULL OR id > ?7) "
    "ORDER BY id LIMIT ?8";

// ---- audit ----
constexpr std::string_view kInsertAudit =
    "INSERT INTO audit_log (" AUDIT_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?)";
constexpr std::string_view kListAudit =
    "SELECT " AUDIT_COLS
    " FROM audit_log WHERE (?1 IS NULL OR action = ?1) AND (?2 IS NULL OR resource_id = ?2) "
    "ORDER BY created_at DESC, id DESC LIMIT ?3";

// ---- webchat sessions ----
constexpr std::string_view kInsertWcs =
    "INSERT INTO webchat_sessions (" WCS_COLS ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";
constexpr std::string_view kUpdateWcs =
    "UPDATE webchat_sessions SET conversation_id=?, guest_id=?, reservation_id=?, "
    "claimed_name=?, claimed_email=?, language=?, verified=?, last_seen_at=?, expires_at=? "
    "WHERE id=?";
constexpr std::string_view kWcsByHash =
    "SELECT " WCS_COLS " FROM webchat_sessions WHERE token_hash = ?";

}  // namespace

// settings
Result<std::optional<std::string>> GetSetting(Database& db, std::string_view key) {
  auto& memo = db.settings_memo();
  if (db.in_transaction()) {  // a value read inside a transaction may yet be rolled back
    return One<std::string>(
        db, kGetSetting, [&](Stmt& q) { q.Bind(key); }, [](Stmt& q) { return q.Text(0); });
  }
  auto v = One<int64_t>(
      db, "PRAGMA data_version", [](Stmt&) {}, [](Stmt& q) { return q.Int(0); });
  if (!v) return v.error();
  if (v->value_or(-1) != memo.data_version) {
    memo.values.clear();
    memo.data_version = v->value_or(-1);
  }
  std::string k(key);
  if (auto it = memo.values.find(k); it != memo.values.end()) return it->second;
  auto r = One<std::string>(
      db, kGetSetting, [&](Stmt& q) { q.Bind(key); }, [](Stmt& q) { return q.Text(0); });
  if (r) memo.values.emplace(std::move(k), *r);
  return r;
}
Result<std::vector<SettingRow>> ListSettings(Database& db) {
  return Many<SettingRow>(
      db, kListSettings, [](Stmt&) {},
      [](Stmt& q) {
        return SettingRow{q.Text(0), q.Text(1), q.Text(2)};
      });
}
Status PutSetting(Database& db, std::string_view key, std::string_view value,
                  std::string_view now) {
  db.settings_memo().values.clear();
  return Write(db, kPutSetting, [&](Stmt& q) { q.Bind(key).Bind(value).Bind(now); });
}

// guests
Status InsertGuest(Database& db, const GuestRow& g) {
  return Write(db, kInsertGuest, [&](Stmt& q) {
    q.Bind(g.id)
        .Bind(g.first_name)
        .Bind(g.last_name)
        .Bind(g.email)
        .Bind(g.phone)
        .Bind(g.language)
        .Bind(g.loyalty_tier)
        .Bind(g.vip_status)
        .Bind(g.external_ids)
        .Bind(g.preferences)
        .Bind(g.stay_count)
        .Bind(g.total_revenue)
        .Bind(g.last_stay_date)
        .Bind(g.notes)
        .Bind(g.tags)
        .Bind(g.created_at)
        .Bind(g.updated_at);
  });
}
Status UpdateGuest(Database& db, const GuestRow& g) {
  return Write(db, kUpdateGuest, [&](Stmt& q) {
    q.Bind(g.first_name)
        .Bind(g.last_name)
        .Bind(g.email)
        .Bind(g.phone)
        .Bind(g.language)
        .Bind(g.loyalty_tier)
        .Bind(g.vip_status)
        .Bind(g.external_ids)
        .Bind(g.preferences)
        .Bind(g.stay_count)
        .Bind(g.total_revenue)
        .Bind(g.last_stay_date)
        .Bind(g.notes)
        .Bind(g.tags)
        .Bind(g.updated_at)
        .Bind(g.id);
  });
}
Result<std::optional<GuestRow>> FindGuest(Database& db, std::string_view id) {
  return One<GuestRow>(
      db, kGuestById, [&](Stmt& q) { q.Bind(id); }, ReadGuest);
}
Result<std::optional<GuestRow>> FindGuestByEmail(Database& db, std::string_view email) {
  return One<GuestRow>(
      db, kGuestByEmail, [&](Stmt& q) { q.Bind(email); }, ReadGuest);
}
Result<std::optional<GuestRow>> FindGuestByPhone(Database& db, std::string_view phone) {
  return One<GuestRow>(
      db, kGuestByPhone, [&](Stmt& q) { q.Bind(phone); }, ReadGuest);
}
Result<std::optional<GuestRow>> FindGuestByExternalId(Database& db, std::string_view key,
                                                      std::string_view value) {
  return One<GuestRow>(
      db, kGuestByExternal, [&](Stmt& q) { q.Bind(key).Bind(value); }, ReadGuest);
}
Result<std::vector<GuestRow>> ListGuests(Database& db, const GuestFilter& f) {
  OptString like;
  if (f.q) {
    std::string esc;
    for (char c : *f.q) {
      if (c == '%' || c == '_' || c == '\\') esc.push_back('\\');
      esc.push_back(c);
    }
    like = "%" + esc + "%";
  }
  return Many<GuestRow>(
      db, kListGuests,
      [&](Stmt& q) {
        q.Bind(f.email)
            .Bind(f.phone)
            .Bind(like)
            .Bind(f.after_id)
            .Bind(int64_t{f.limit})
            .Bind(int64_t{f.names_only ? 1 : 0});
      },
      ReadGuest);
}

// reservations
Status InsertReservation(Database& db, const ReservationRow& r) {
  return Write(db, kInsertRes, [&](Stmt& q) {
    q.Bind(r.id)
        .Bind(r.guest_id)
        .Bind(r.confirmation_number)
        .Bind(r.external_id)
        .Bind(r.room_number)
        .Bind(r.room_type)
        .Bind(r.arrival_date)
        .Bind(r.departure_date)
        .Bind(r.status)
        .Bind(r.estimated_arrival)
        .Bind(r.actual_arrival)
        .Bind(r.estimated_departure)
        .Bind(r.actual_departure)
        .Bind(r.rate_code)
        .Bind(r.total_rate)
        .Bind(r.balance)
        .Bind(r.special_requests)
        .Bind(r.notes)
        .Bind(r.synced_at)
        .Bind(r.created_at)
        .Bind(r.updated_at);
  });
}
Status UpdateReservation(Database& db, const ReservationRow& r) {
  return Write(db, kUpdateRes, [&](Stmt& q) {
    q.Bind(r.guest_id)
        .Bind(r.confirmation_number)
        .Bind(r.external_id)
        .Bind(r.room_number)
        .Bind(r.room_type)
        .Bind(r.arrival_date)
        .Bind(r.departure_date)
        .Bind(r.status)
        .Bind(r.estimated_arrival)
        .Bind(r.actual_arrival)
        .Bind(r.estimated_departure)
        .Bind(r.actual_departure)
        .Bind(r.rate_code)
        .Bind(r.total_rate)
        .Bind(r.balance)
        .Bind(r.special_requests)
        .Bind(r.notes)
        .Bind(r.synced_at)
        .Bind(r.updated_at)
        .Bind(r.id);
  });
}
Result<std::optional<ReservationRow>> FindReservation(Database& db, std::string_view id) {
  return One<ReservationRow>(
      db, kResById, [&](Stmt& q) { q.Bind(id); }, ReadRes);
}
Result<std::optional<ReservationRow>> FindReservationByConfirmation(Database& db,
                                                                    std::string_view number) {
  return One<ReservationRow>(
      db, kResByConf, [&](Stmt& q) { q.Bind(number); }, ReadRes);
}
Status RefreshGuestStayStats(Database& db, std::string_view guest_id, std::string_view now) {
  return Write(db,
               "UPDATE guests SET (stay_count, total_revenue, last_stay_date, updated_at) = "
               "(SELECT count(*), coalesce(sum(total_rate), 0), max(departure_date), ?2 FROM "
               "reservations WHERE guest_id = ?1 AND status = 'checked_out') WHERE id = ?1",
               [&](Stmt& q) { q.Bind(guest_id).Bind(now); });
}
Result<std::optional<ReservationRow>> FindCurrentReservation(Database& db,
                                                             std::string_view guest_id,
                                                             std::string_view today) {
  return One<ReservationRow>(
      db, kResCurrent, [&](Stmt& q) { q.Bind(guest_id).Bind(today); }, ReadRes);
}

// staff
Status InsertStaff(Database& db, const StaffRow& s) {
  return Write(db, kInsertStaff, [&](Stmt& q) {
    q.Bind(s.id)
        .Bind(s.email)
        .Bind(s.name)
        .Bind(s.phone)
        .Bind(s.role)
        .Bind(s.department)
        .Bind(s.permissions)
        .Bind(s.status)
        .Bind(s.last_active_at)
        .Bind(s.password_hash)
        .Bind(s.created_at)
        .Bind(s.updated_at);
  });
}
Result<std::optional<StaffRow>> FindStaff(Database& db, std::string_view id) {
  return One<StaffRow>(
      db, kStaffById, [&](Stmt& q) { q.Bind(id); }, ReadStaff);
}
Result<std::optional<StaffRow>> FindStaffByEmail(Database& db, std::string_view email) {
  return One<StaffRow>(
      db, kStaffByEmail, [&](Stmt& q) { q.Bind(email); }, ReadStaff);
}
Result<int64_t> CountStaff(Database& db) {
  auto r = One<int64_t>(
      db, kCountStaff, [](Stmt&) {}, [](Stmt& q) { return q.Int(0); });
  if (!r) return r.error();
  return r->value_or(0);
}
Result<int64_t> CountGuestItemTasks(Database& db, std::string_view guest_id,
                                    std::string_view item) {
  auto r = One<int64_t>(
      db, kCountGuestItemTasks, [&](Stmt& q) { q.Bind(guest_id).Bind(item); },
      [](Stmt& q) { return q.Int(0); });
  if (!r) return r.error();
  return r->value_or(0);
}
Status TouchStaff(Database& db, std::string_view id, std::string_view now) {
  return Write(db, kTouchStaff, [&](Stmt& q) { q.Bind(now).Bind(id); });
}

// conversations
std::string QueueKey(const ConversationRow& c) {
  auto ms = [](const std::string& iso) -> int64_t {
    auto t = core::ParseIso(iso);
    if (!t) return 0;
    return std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count();
  };
  const int64_t last = ms(c.last_message_at.value_or(c.created_at));
  const int64_t newest_first = 9999999999999 - last;
  const bool open = c.state == "new" || c.state == "active";
  int rank;
  int64_t key;
  if (c.state == "escalated" && c.awaiting_since) {
    rank = 0, key = ms(*c.awaiting_since);
  } else if (c.state == "escalated") {
    rank = 1, key = newest_first;
  } else if (open && c.awaiting_since) {
    rank = 2, key = ms(*c.awaiting_since);
  } else if (open) {
    rank = 3, key = newest_first;
  } else {
    rank = 4, key = newest_first;
  }
  char out[32];
  std::snprintf(out, sizeof out, "%d|%013lld", rank, static_cast<long long>(key));
  return out;
}

Status InsertConversation(Database& db, const ConversationRow& c) {
  return Write(db, kInsertConv, [&](Stmt& q) {
    q.Bind(c.id)
        .Bind(c.guest_id)
        .Bind(c.reservation_id)
        .Bind(c.channel_type)
        .Bind(c.channel_id)
        .Bind(c.state)
        .Bind(c.assigned_to)
        .Bind(c.current_intent)
        .Bind(c.metadata)
        .Bind(c.last_message_at)
        .Bind(c.resolved_at)
        .Bind(c.idle_warned_at)
        .Bind(c.created_at)
        .Bind(c.updated_at)
        .Bind(c.awaiting_since)
        .Bind(QueueKey(c));
  });
}
Status UpdateConversation(Database& db, const ConversationRow& c) {
  return Write(db, kUpdateConv, [&](Stmt& q) {
    q.Bind(c.guest_id)
        .Bind(c.reservation_id)
        .Bind(c.channel_type)
        .Bind(c.channel_id)
        .Bind(c.state)
        .Bind(c.assigned_to)
        .Bind(c.current_intent)
        .Bind(c.metadata)
        .Bind(c.last_message_at)
        .Bind(c.resolved_at)
        .Bind(c.idle_warned_at)
        .Bind(c.updated_at)
        .Bind(c.awaiting_since)
        .Bind(QueueKey(c))
        .Bind(c.id);
  });
}
Result<std::optional<ConversationRow>> FindConversation(Database& db, std::string_view id) {
  return One<ConversationRow>(
      db, kConvById, [&](Stmt& q) { q.Bind(id); }, ReadConv);
}

// messages
Status InsertMessage(Database& db, const MessageRow& m) {
  return Write(db, kInsertMsg, [&](Stmt& q) {
    q.Bind(m.id)
        .Bind(m.conversation_id)
        .Bind(m.direction)
        .Bind(m.sender_type)
        .Bind(m.sender_id)
        .Bind(m.content)
        .Bind(m.content_type)
        .Bind(m.media)
        .Bind(m.intent)
        .Bind(m.confidence)
        .Bind(m.entities)
        .Bind(m.channel_message_id)
        .Bind(m.delivery_status)
        .Bind(m.delivery_error)
        .Bind(m.created_at)
        .Bind(m.sensitivity);
  });
}
Result<std::optional<MessageRow>> FindMessage(Database& db, std::string_view id) {
  return One<MessageRow>(
      db, kMsgById, [&](Stmt& q) { q.Bind(id); }, ReadMsg);
}
Result<std::vector<MessageRow>> ListMessages(Database& db, const MessagePage& p) {
  int64_t lim = p.limit + 1;
  if (p.after_id) {
    return Many<MessageRow>(
        db, kMsgPageAfter, [&](Stmt& q) { q.Bind(p.conversation_id).Bind(*p.after_id).Bind(lim); },
        ReadMsg);
  }
  if (p.before_id) {
    return Many<MessageRow>(
        db, kMsgPageBefore,
        [&](Stmt& q) { q.Bind(p.conversation_id).Bind(*p.before_id).Bind(lim); }, ReadMsg);
  }
  return Many<MessageRow>(
      db, kMsgPageFirst, [&](Stmt& q) { q.Bind(p.conversation_id).Bind(lim); }, ReadMsg);
}
Result<std::vector<MessageRow>> RecentMessages(Database& db, std::string_view conversation_id,
                                               int n) {
  return Many<MessageRow>(
      db, kMsgRecent, [&](Stmt& q) { q.Bind(conversation_id).Bind(int64_t{n}); }, ReadMsg);
}

// tasks
Status InsertTask(Database& db, const TaskRow& t) {
  return Write(db, kInsertTask, [&](Stmt& q) {
    q.Bind(t.id)
        .Bind(t.conversation_id)
        .Bind(t.type)
        .Bind(t.department)
        .Bind(t.room_number)
        .Bind(t.description)
        .Bind(t.items)
        .Bind(t.priority)
        .Bind(t.status)
        .Bind(t.assigned_to)
        .Bind(t.external_id)
        .Bind(t.external_system)
        .Bind(t.due_at)
        .Bind(t.started_at)
        .Bind(t.completed_at)
        .Bind(t.notes)
        .Bind(t.completion_notes)
        .Bind(t.created_at)
        .Bind(t.updated_at);
  });
}
Status UpdateTask(Database& db, const TaskRow& t) {
  return Write(db, kUpdateTask, [&](Stmt& q) {
    q.Bind(t.conversation_id)
        .Bind(t.type)
        .Bind(t.department)
        .Bind(t.room_number)
        .Bind(t.description)
        .Bind(t.items)
        .Bind(t.priority)
        .Bind(t.status)
        .Bind(t.assigned_to)
        .Bind(t.external_id)
        .Bind(t.external_system)
        .Bind(t.due_at)
        .Bind(t.started_at)
        .Bind(t.completed_at)
        .Bind(t.notes)
        .Bind(t.completion_notes)
        .Bind(t.updated_at)
        .Bind(t.id);
  });
}
Result<std::optional<TaskRow>> FindTask(Database& db, std::string_view id) {
  return One<TaskRow>(
      db, kTaskById, [&](Stmt& q) { q.Bind(id); }, ReadTask);
}
Result<std::vector<TaskRow>> ListTasks(Database& db, const TaskFilter& f) {
  return Many<TaskRow>(
      db, kListTasks,
      [&](Stmt& q) {
        q.Bind(f.status)
            .Bind(f.department)
            .Bind(f.assigned_to)
            .Bind(f.priority)
            .Bind(f.room_number)
            .Bind(f.conversation_id)
            .Bind(f.after_id)
            .Bind(int64_t{f.limit});
      },
      ReadTask);
}

// audit
Status InsertAudit(Database& db, const AuditRow& a) {
  return Write(db, kInsertAudit, [&](Stmt& q) {
    q.Bind(a.id)
        .Bind(a.actor_type)
        .Bind(a.actor_id)
        .Bind(a.action)
        .Bind(a.resource_type)
        .Bind(a.resource_id)
        .Bind(a.details)
        .Bind(a.ip_address)
        .Bind(a.user_agent)
        .Bind(a.created_at);
  });
}
Result<std::vector<AuditRow>> ListAudit(Database& db, const OptString& action,
                                        const OptString& resource_id, int limit) {
  return Many<AuditRow>(
      db, kListAudit, [&](Stmt& q) { q.Bind(action).Bind(resource_id).Bind(int64_t{limit}); },
      ReadAudit);
}

// web-chat sessions
Status InsertWebchatSession(Database& db, const WebchatSessionRow& s) {
  return Write(db, kInsertWcs, [&](Stmt& q) {
    q.Bind(s.id)
        .Bind(s.token_hash)
        .Bind(s.conversation_id)
        .Bind(s.guest_id)
        .Bind(s.reservation_id)
        .Bind(s.claimed_name)
        .Bind(s.claimed_email)
        .Bind(s.language)
        .Bind(int64_t{s.verified ? 1 : 0})
        .Bind(s.ip_address)
        .Bind(s.created_at)
        .Bind(s.last_seen_at)
        .Bind(s.expires_at);
  });
}
Status UpdateWebchatSession(Database& db, const WebchatSessionRow& s) {
  return Write(db, kUpdateWcs, [&](Stmt& q) {
    q.Bind(s.conversation_id)
        .Bind(s.guest_id)
        .Bind(s.reservation_id)
        .Bind(s.claimed_name)
        .Bind(s.claimed_email)
        .Bind(s.language)
        .Bind(int64_t{s.verified ? 1 : 0})
        .Bind(s.last_seen_at)
        .Bind(s.expires_at)
        .Bind(s.id);
  });
}
Result<std::optional<WebchatSessionRow>> FindWebchatSessionByTokenHash(Database& db,
                                                                       std::string_view hash) {
  return One<WebchatSessionRow>(
      db, kWcsByHash, [&](Stmt& q) { q.Bind(hash); }, ReadWcs);
}

// ---------------------------------------------------------------------------------------------
// Life cycle (db/lifecycle.hpp): retention, erasure, export, idle conversations
// ---------------------------------------------------------------------------------------------
namespace {

constexpr std::string_view kCountExpired =
    "SELECT (SELECT count(*) FROM messages WHERE created_at < ?1), "
    "(SELECT count(*) FROM conversations WHERE coalesce(last_message_at, created_at) < ?2), "
    "(SELECT count(*) FROM tasks WHERE created_at < ?3), "
    "(SELECT count(*) FROM audit_log WHERE created_at < ?4)";
constexpr std::string_view kDeleteTasks =
    "DELETE FROM tasks WHERE rowid IN (SELECT rowid FROM tasks WHERE created_at < ? LIMIT ?)";
constexpr std::string_view kDeleteMessages =
    "DELETE FROM messages WHERE rowid IN (SELECT rowid FROM messages WHERE created_at < ? LIMIT "
    "?)";
// Conversations past their time that no message refers to any more (messages are never
// newer than last_message_at, so they went first).
constexpr std::string_view kExpiredConversations =
    "CREATE TEMP TABLE IF NOT EXISTS expired_conversations (id TEXT PRIMARY KEY)";
constexpr std::string_view kFillExpiredConversations =
    "INSERT INTO temp.expired_conversations SELECT id FROM conversations c WHERE "
    "coalesce(c.last_message_at, c.created_at) < ? AND NOT EXISTS (SELECT 1 FROM messages m "
    "WHERE m.conversation_id = c.id) LIMIT ?";
constexpr std::string_view kUnlinkTasks =
    "UPDATE tasks SET conversation_id = NULL WHERE conversation_id IN (SELECT id FROM "
    "temp.expired_conversations)";
constexpr std::string_view kUnlinkSessions =
    "DELETE FROM webchat_sessions WHERE conversation_id IN (SELECT id FROM "
    "temp.expired_conversations)";
constexpr std::string_view kDeleteConversations =
    "DELETE FROM conversations WHERE id IN (SELECT id FROM temp.expired_conversations)";
constexpr std::string_view kClearExpiredConversations = "DELETE FROM temp.expired_conversations";
constexpr std::string_view kDeleteAudit =
    "DELETE FROM audit_log WHERE rowid IN (SELECT rowid FROM audit_log WHERE created_at < ? "
    "LIMIT ?)";

constexpr std::string_view kConvsOfGuest =
    "SELECT " CONV_COLS " FROM conversations WHERE guest_id = ? ORDER BY created_at, id";
constexpr std::string_view kConvsOfClaimedEmail =
    "SELECT " CONV_COLS
    " FROM conversations WHERE id IN (SELECT conversation_id FROM webchat_sessions WHERE "
    "claimed_email = ?1) AND (guest_id IS NULL OR guest_id <> ?2) ORDER BY created_at, id";
constexpr std::string_view kDeleteSessionsClaiming =
    "DELETE FROM webchat_sessions WHERE claimed_email = ?";
constexpr std::string_view kResOfGuest =
    "SELECT " RES_COLS " FROM reservations WHERE guest_id = ? ORDER BY arrival_date, id";
constexpr std::string_view kMsgsOfConv =
    "SELECT " MSG_COLS " FROM messages WHERE conversation_id = ? ORDER BY created_at, id";
constexpr std::string_view kTasksOfConv =
    "SELECT " TASK_COLS " FROM tasks WHERE conversation_id = ? ORDER BY created_at, id";
constexpr std::string_view kTasksMentioning =
    "SELECT " TASK_COLS
    " FROM tasks WHERE instr(lower(description), lower(?1)) > 0 OR instr(lower(coalesce(notes, "
    "'')), lower(?1)) > 0 OR instr(lower(coalesce(completion_notes, '')), lower(?1)) > 0";
constexpr std::string_view kAuditOfGuest =
    "SELECT " AUDIT_COLS
    " FROM audit_log WHERE (resource_type = 'guest' AND resource_id = ?1) OR (actor_type = "
    "'guest' AND actor_id = ?1) ORDER BY created_at, id";
constexpr std::string_view kUpdateMsgContent =
    "UPDATE messages SET content = ?, media = ?, entities = ? WHERE id = ?";
constexpr std::string_view kDeleteSessionsOfGuest =
    "DELETE FROM webchat_sessions WHERE guest_id = ?1 OR conversation_id IN (SELECT id FROM "
    "conversations WHERE guest_id = ?1)";
constexpr std::string_view kForgetActorAddresses =
    "UPDATE audit_log SET ip_address = NULL, user_agent = NULL WHERE actor_type = 'guest' AND "
    "actor_id = ? AND (ip_address IS NOT NULL OR user_agent IS NOT NULL)";

constexpr std::string_view kIdleToWarn =
    "SELECT " CONV_COLS
    " FROM conversations c WHERE c.state = 'active' AND c.assigned_to IS NULL AND "
    "c.idle_warned_at IS NULL AND c.last_message_at < ? AND (SELECT m.direction FROM messages m "
    "WHERE m.conversation_id = c.id ORDER BY m.created_at DESC, m.id DESC LIMIT 1) = 'outbound' "
    "ORDER BY c.last_message_at LIMIT ?";
constexpr std::string_view kIdleToAbandon =
    "SELECT " CONV_COLS
    " FROM conversations c WHERE c.state = 'active' AND c.assigned_to IS NULL AND "
    "c.idle_warned_at IS NOT NULL AND c.idle_warned_at < ? ORDER BY c.idle_warned_at LIMIT ?";

}  // namespace

Result<RetentionCounts> CountExpired(Database& db, const RetentionCutoffs& c) {
  auto q = db.Query(kCountExpired);
  if (!q) return q.error();
  q->Bind(c.messages).Bind(c.conversations).Bind(c.tasks).Bind(c.audit);
  auto r = q->Next();
  if (!r) return r.error();
  RetentionCounts n;
  n.messages = q->Int(0);
  n.conversations = q->Int(1);
  n.tasks = q->Int(2);
  n.audit = q->Int(3);
  return n;
}

Result<RetentionCounts> DeleteExpiredBatch(Database& db, const RetentionCutoffs& c, int batch) {
  RetentionCounts n;
  const int64_t lim = batch;
  JACK_TRY(Write(db, kDeleteTasks, [&](Stmt& q) { q.Bind(c.tasks).Bind(lim); }));
  n.tasks = db.Changes();
  JACK_TRY(Write(db, kDeleteMessages, [&](Stmt& q) { q.Bind(c.messages).Bind(lim); }));
  n.messages = db.Changes();
  JACK_TRY(db.Exec(kExpiredConversations));
  JACK_TRY(Write(db, kClearExpiredConversations, [](Stmt&) {}));
  JACK_TRY(
      Write(db, kFillExpiredConversations, [&](Stmt& q) { q.Bind(c.conversations).Bind(lim); }));
  JACK_TRY(Write(db, kUnlinkTasks, [](Stmt&) {}));
  JACK_TRY(Write(db, kUnlinkSessions, [](Stmt&) {}));
  JACK_TRY(Write(db, kDeleteConversations, [](Stmt&) {}));
  n.conversations = db.Changes();
  JACK_TRY(Write(db, kClearExpiredConversations, [](Stmt&) {}));
  JACK_TRY(Write(db, kDeleteAudit, [&](Stmt& q) { q.Bind(c.audit).Bind(lim); }));
  n.audit = db.Changes();
  return n;
}

Result<std::vector<ConversationRow>> ConversationsOfGuest(Database& db, std::string_view guest_id) {
  return Many<ConversationRow>(
      db, kConvsOfGuest, [&](Stmt& q) { q.Bind(guest_id); }, ReadConv);
}
Result<std::vector<ConversationRow>> ConversationsClaimingEmail(Database& db,
                                                                std::string_view email,
                                                                std::string_view guest_id) {
  return Many<ConversationRow>(
      db, kConvsOfClaimedEmail, [&](Stmt& q) { q.Bind(email).Bind(guest_id); }, ReadConv);
}
Status DeleteWebchatSessionsClaiming(Database& db, std::string_view email) {
  return Write(db, kDeleteSessionsClaiming, [&](Stmt& q) { q.Bind(email); });
}
Result<std::vector<ReservationRow>> ReservationsOfGuest(Database& db, std::string_view guest_id) {
  return Many<ReservationRow>(
      db, kResOfGuest, [&](Stmt& q) { q.Bind(guest_id); }, ReadRes);
}
Result<std::vector<MessageRow>> MessagesOfConversation(Database& db,
                                                       std::string_view conversation_id) {
  return Many<MessageRow>(
      db, kMsgsOfConv, [&](Stmt& q) { q.Bind(conversation_id); }, ReadMsg);
}
Result<std::vector<TaskRow>> TasksOfConversation(Database& db, std::string_view conversation_id) {
  return Many<TaskRow>(
      db, kTasksOfConv, [&](Stmt& q) { q.Bind(conversation_id); }, ReadTask);
}
Result<std::vector<TaskRow>> TasksMentioning(Database& db, std::string_view needle) {
  return Many<TaskRow>(
      db, kTasksMentioning, [&](Stmt& q) { q.Bind(needle); }, ReadTask);
}
Result<std::vector<AuditRow>> AuditOfGuest(Database& db, std::string_view guest_id) {
  return Many<AuditRow>(
      db, kAuditOfGuest, [&](Stmt& q) { q.Bind(guest_id); }, ReadAudit);
}
Status UpdateMessageContent(Database& db, std::string_view id, std::string_view content,
                            const OptString& media, const OptString& entities) {
  return Write(db, kUpdateMsgContent,
               [&](Stmt& q) { q.Bind(content).Bind(media).Bind(entities).Bind(id); });
}
Status DeleteWebchatSessionsOfGuest(Database& db, std::string_view guest_id) {
  return Write(db, kDeleteSessionsOfGuest, [&](Stmt& q) { q.Bind(guest_id); });
}
Status ForgetGuestActorAddresses(Database& db, std::string_view guest_id) {
  return Write(db, kForgetActorAddresses, [&](Stmt& q) { q.Bind(guest_id); });
}
Status RebuildKnowledgeFts(Database& db) {
  return db.Exec("INSERT INTO knowledge_fts(knowledge_fts) VALUES('rebuild')");
}
Status VacuumAndRebuildFts(Database& db) {
  JACK_TRY(db.Exec("VACUUM"));
  return RebuildKnowledgeFts(db);
}
Status ScrubAfterErasure(Database& db) {
  JACK_TRY(db.Exec("INSERT INTO knowledge_fts(knowledge_fts) VALUES('optimize')"));
  // A TRUNCATE checkpoint fails while a reader holds an old snapshot (a read connection in
  // the middle of a query): until it succeeds the erased bytes stay in the main file's old
  // pages. Readers finish in milliseconds, so it is tried again for up to 3 s; past that the
  // caller reports it (the data is already gone from the live pages, and the next checkpoint
  // overwrites it).
  for (int attempt = 0;; ++attempt) {
    auto q = db.Query("PRAGMA wal_checkpoint(TRUNCATE)");
    if (!q) return q.error();
    auto r = q->Next();
    if (!r) return r.error();
    if (!*r || q->Int(0) == 0) return {};
    if (attempt >= 30)
      return Error::Unavailable("the WAL could not be truncated: a reader holds an old snapshot");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

Result<std::vector<ConversationRow>> IdleToWarn(Database& db, std::string_view before, int limit) {
  return Many<ConversationRow>(
      db, kIdleToWarn, [&](Stmt& q) { q.Bind(before).Bind(int64_t{limit}); }, ReadConv);
}
Result<std::vector<ConversationRow>> IdleToAbandon(Database& db, std::string_view before,
                                                   int limit) {
  return Many<ConversationRow>(
      db, kIdleToAbandon, [&](Stmt& q) { q.Bind(before).Bind(int64_t{limit}); }, ReadConv);
}

Result<std::optional<std::string>> LastJobRun(Database& db, std::string_view name) {
  auto q = db.Query("SELECT last_run_at FROM job_runs WHERE name = ?");
  if (!q) return q.error();
  q->Bind(name);
  auto r = q->Next();
  if (!r) return r.error();
  if (!*r) return std::optional<std::string>();
  return std::optional<std::string>(q->Text(0));
}
Status RecordJobRun(Database& db, std::string_view name, std::string_view at,
                    std::string_view result_json) {
  return Write(db,
               "INSERT INTO job_runs (name, last_run_at, result) VALUES (?, ?, ?) ON "
               "CONFLICT(name) DO UPDATE SET last_run_at = excluded.last_run_at, result = "
               "excluded.result",
               [&](Stmt& q) { q.Bind(name).Bind(at).Bind(result_json); });
}

Result<bool> AuditExists(Database& db, std::string_view action, std::string_view resource_type,
                         std::string_view resource_id, std::string_view actor_id,
                         std::string_view session) {
  // idx_audit_resource narrows to the guest's rows; the rest is checked on those few.
  auto q = db.Query(
      "SELECT 1 FROM audit_log WHERE resource_type = ? AND resource_id = ? AND action = ? AND "
      "actor_id = ? AND json_extract(details, '$.session') = ? LIMIT 1");
  if (!q) return q.error();
  q->Bind(resource_type).Bind(resource_id).Bind(action).Bind(actor_id).Bind(session);
  auto r = q->Next();
  if (!r) return r.error();
  return *r;
}

}  // namespace jack::db
