#include "http/json_mapping.hpp"

#include <boost/json.hpp>

#include "core/strings.hpp"
#include "domain/permissions.hpp"

namespace jack::http {
namespace json = boost::json;

json::value Num(double v);

namespace {

json::value Opt(const std::optional<std::string>& v) {
  if (!v) return nullptr;
  return json::string(*v);
}
json::value OptD(const std::optional<double>& v) {
  if (!v) return nullptr;
  return Num(*v);
}
// A JSON-in-TEXT column as JSON (stored values were validated on the way in).
json::value Parsed(const std::optional<std::string>& text, json::value fallback) {
  if (!text) return fallback;
  boost::system::error_code ec;
  auto v = json::parse(*text, ec);
  return ec ? fallback : v;
}

}  // namespace

json::value Num(double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v)) && v > -1e15 && v < 1e15)
    return static_cast<int64_t>(v);
  return v;
}

std::string Serialize(const json::value& v) { return json::serialize(v); }

namespace {

// Builds an object in place in one storage (a request's monotonic buffer for list pages):
// strings are copied once, straight into the storage.
class Obj {
 public:
  Obj(json::storage_ptr sp, size_t fields) : o_(std::move(sp)) { o_.reserve(fields); }
  Obj& S(std::string_view k, std::string_view v) {
    o_.emplace(k, v);
    return *this;
  }
  Obj& O(std::string_view k, const std::optional<std::string>& v) {
    if (v)
      o_.emplace(k, std::string_view(*v));
    else
      o_.emplace(k, nullptr);
    return *this;
  }
  Obj& I(std::string_view k, int64_t v) {
    o_.emplace(k, v);
    return *this;
  }
  Obj& B(std::string_view k, bool v) {
    o_.emplace(k, v);
    return *this;
  }
  Obj& N(std::string_view k, double v) {
    o_.emplace(k, Num(v));
    return *this;
  }
  Obj& D(std::string_view k, const std::optional<double>& v) {
    if (v)
      o_.emplace(k, Num(*v));
    else
      o_.emplace(k, nullptr);
    return *this;
  }
  // A JSON-in-TEXT column as JSON (stored values were validated on the way in); `fallback`
  // when absent or unreadable: '{' an object, '[' an array, 'n' null.
  Obj& J(std::string_view k, const std::optional<std::string>& text, char fallback) {
    json::value v;
    if (text) {
      boost::system::error_code ec;
      v = json::parse(*text, ec, o_.storage());
      if (ec) v = nullptr;
    }
    if (v.is_null()) {
      if (fallback == '{') v = json::object(o_.storage());
      if (fallback == '[') v = json::array(o_.storage());
    }
    o_.emplace(k, std::move(v));
    return *this;
  }
  json::object& get() { return o_; }
  json::object Done() { return std::move(o_); }

 private:
  json::object o_;
};

}  // namespace

json::object GuestJson(const db::GuestRow& g, const Redaction& r, json::storage_ptr sp) {
  Obj o(std::move(sp), 17);
  o.S("id", g.id)
      .S("firstName", g.first_name)
      .S("lastName", g.last_name)
      .O("language", g.language)
      .O("loyaltyTier", g.loyalty_tier)
      .O("vipStatus", g.vip_status)
      .J("externalIds", g.external_ids, '{')
      .J("preferences", g.preferences, '[')
      .I("stayCount", g.stay_count)
      .O("lastStayDate", g.last_stay_date)
      .O("notes", g.notes)
      .J("tags", g.tags, '[')
      .S("createdAt", g.created_at)
      .S("updatedAt", g.updated_at);
  if (r.contact) o.O("email", g.email).O("phone", g.phone);
  if (r.financial) o.N("totalRevenue", g.total_revenue);
  return o.Done();
}

json::object ReservationJson(const db::ReservationRow& r, const Redaction& red,
                             json::storage_ptr sp) {
  Obj o(std::move(sp), 22);
  o.S("id", r.id)
      .S("guestId", r.guest_id)
      .S("confirmationNumber", r.confirmation_number)
      .O("externalId", r.external_id)
      .O("roomNumber", r.room_number)
      .S("roomType", r.room_type)
      .S("arrivalDate", r.arrival_date)
      .S("departureDate", r.departure_date)
      .S("status", r.status)
      .O("estimatedArrival", r.estimated_arrival)
      .O("actualArrival", r.actual_arrival)
      .O("estimatedDeparture", r.estimated_departure)
      .O("actualDeparture", r.actual_departure)
      .J("specialRequests", r.special_requests, '[')
      .J("notes", r.notes, '[')
      .S("syncedAt", r.synced_at)
      .S("createdAt", r.created_at)
      .S("updatedAt", r.updated_at);
  if (red.financial)
    o.O("rateCode", r.rate_code).D("totalRate", r.total_rate).D("balance", r.balance);
  return o.Done();
}

json::object ConversationJson(const db::ConversationRow& c, const Redaction& r,
                              json::storage_ptr sp) {
  Obj o(std::move(sp), 22);
  o.S("id", c.id)
      .O("guestId", c.guest_id)
      .O("reservationId", c.reservation_id)
      .S("channel", c.channel_type)
      .S("channelType", c.channel_type)
      .S("state", c.state)
      .O("assignedTo", c.assigned_to)
      .O("currentIntent", c.current_intent)
      .J("metadata", c.metadata, '{')
      .O("lastMessageAt", c.last_message_at)
      .O("resolvedAt", c.resolved_at)
      .O("idleWarnedAt", c.idle_warned_at)
      .B("awaitingReply", c.awaiting_since.has_value())
      .O("awaitingSince", c.awaiting_since)
      .S("createdAt", c.created_at)
      .S("updatedAt", c.updated_at);
  bool personal =
      c.channel_type == "whatsapp" || c.channel_type == "sms" || c.channel_type == "email";
  if (!personal || r.contact) o.S("channelId", c.channel_id);
  return o.Done();
}

namespace {
constexpr std::string_view kWithheld =
    "[financial details: shown to staff with guest.view_financial]";
bool Withheld(const std::optional<std::string>& sensitivity, const Redaction& r) {
  return sensitivity == "financial" && !r.financial;
}
}  // namespace

json::object MessageJson(const db::MessageRow& m, const Redaction& r, json::storage_ptr sp) {
  Obj o(std::move(sp), 15);
  o.S("id", m.id)
      .S("conversationId", m.conversation_id)
      .S("direction", m.direction)
      .S("senderType", m.sender_type)
      .O("senderId", m.sender_id)
      .S("content", Withheld(m.sensitivity, r) ? kWithheld : std::string_view(m.content))
      .S("contentType", m.content_type)
      .J("media", m.media, 'n')
      .O("intent", m.intent)
      .D("confidence", m.confidence)
      .J("entities", m.entities, 'n')
      .O("channelMessageId", m.channel_message_id)
      .O("deliveryStatus", m.delivery_status)
      .O("deliveryError", m.delivery_error)
      .S("createdAt", m.created_at);
  return o.Done();
}

json::object PublicMessageJson(const db::MessageRow& m, json::storage_ptr sp) {
  Obj o(std::move(sp), 7);
  o.S("id", m.id)
      .S("conversationId", m.conversation_id)
      .S("direction", m.direction)
      .S("senderType", m.sender_type)
      .S("content", m.content)
      .S("contentType", m.content_type)
      .S("createdAt", m.created_at);
  return o.Done();
}

json::object TaskJson(const db::TaskRow& t, json::storage_ptr sp) {
  Obj o(std::move(sp), 19);
  o.S("id", t.id)
      .O("conversationId", t.conversation_id)
      .S("type", t.type)
      .S("department", t.department)
      .O("roomNumber", t.room_number)
      .S("description", t.description)
      .J("items", t.items, '[')
      .S("priority", t.priority)
      .S("status", t.status)
      .O("assignedTo", t.assigned_to)
      .O("dueAt", t.due_at)
      .O("startedAt", t.started_at)
      .O("completedAt", t.completed_at)
      .O("notes", t.notes)
      .O("completionNotes", t.completion_notes)
      .O("externalId", t.external_id)
      .O("externalSystem", t.external_system)
      .S("createdAt", t.created_at)
      .S("updatedAt", t.updated_at);
  return o.Done();
}

json::object AuditJson(const db::AuditRow& a, json::storage_ptr sp) {
  Obj o(std::move(sp), 10);
  o.S("id", a.id)
      .S("actorType", a.actor_type)
      .O("actorId", a.actor_id)
      .S("action", a.action)
      .S("resourceType", a.resource_type)
      .O("resourceId", a.resource_id)
      .J("details", a.details, 'n')
      .O("ipAddress", a.ip_address)
      .O("userAgent", a.user_agent)
      .S("createdAt", a.created_at);
  return o.Done();
}

json::object GuestExportJson(const domain::GuestData& d, const std::string& exported_at) {
  const Redaction all{true, true};
  json::array reservations, conversations, audit;
  for (const auto& r : d.reservations) reservations.push_back(ReservationJson(r, all));
  for (const auto& c : d.conversations) {
    auto o = ConversationJson(c.row, all);
    json::array messages, tasks;
    for (const auto& m : c.messages) messages.push_back(MessageJson(m, all));
    for (const auto& t : c.tasks) tasks.push_back(TaskJson(t));
    o["messages"] = std::move(messages);
    o["tasks"] = std::move(tasks);
    conversations.push_back(std::move(o));
  }
  for (const auto& a : d.audit) audit.push_back(AuditJson(a));
  return json::object{
      {"format", "jack.guest-export.v1"},          {"exportedAt", exported_at},
      {"guest", GuestJson(d.guest, all)},          {"reservations", std::move(reservations)},
      {"conversations", std::move(conversations)}, {"auditTrail", std::move(audit)}};
}

json::object ConversationListItemJson(const db::ConversationListItem& it, const Redaction& r,
                                      json::storage_ptr sp) {
  json::object o = ConversationJson(it.conversation, r, sp);
  const auto& c = it.conversation;
  if (c.guest_id)
    o.emplace("guest", Obj(sp, 3)
                           .S("id", *c.guest_id)
                           .O("firstName", it.guest_first_name)
                           .O("lastName", it.guest_last_name)
                           .Done());
  else
    o.emplace("guest", nullptr);
  if (c.reservation_id)
    o.emplace("reservation",
              Obj(sp, 2).S("id", *c.reservation_id).O("roomNumber", it.reservation_room).Done());
  else
    o.emplace("reservation", nullptr);
  if (it.last_created_at)
    o.emplace("lastMessage", Obj(sp, 4)
                                 .O("content", Withheld(it.last_sensitivity, r)
                                                   ? std::optional<std::string>(kWithheld)
                                                   : it.last_content)
                                 .O("direction", it.last_direction)
                                 .O("senderType", it.last_sender_type)
                                 .O("createdAt", it.last_created_at)
                                 .Done());
  else
    o.emplace("lastMessage", nullptr);
  return o;
}

json::object AutomationRuleJson(const db::AutomationRuleRow& r) {
  return json::object{{"id", r.id},
                      {"name", r.name},
                      {"description", Opt(r.description)},
                      {"triggerType", r.trigger_type},
                      {"triggerConfig", Parsed(r.trigger_config, json::object())},
                      {"actionType", r.action_type},
                      {"actionConfig", Parsed(r.action_config, json::object())},
                      {"enabled", r.enabled},
                      {"createdAt", r.created_at},
                      {"updatedAt", r.updated_at}};
}

json::object OverviewJson(const domain::Overview& o) {
  json::array days, deps;
  for (const auto& d : o.days)
    days.push_back(json::object{{"date", d.date},
                                {"conversations", d.conversations},
                                {"inboundMessages", d.inbound_messages},
                                {"escalations", d.escalations},
                                {"tasksCreated", d.tasks_created},
                                {"tasksCompleted", d.tasks_completed}});
  for (const auto& d : o.departments)
    deps.push_back(json::object{{"department", d.department},
                                {"created", d.created},
                                {"completed", d.completed},
                                {"avgMinutesToComplete", OptD(d.avg_minutes_to_complete)}});
  return json::object{
      {"from", o.from},
      {"to", o.to},
      {"timezone", o.timezone},
      {"conversations", o.conversations},
      {"inboundMessages", o.inbound_messages},
      {"escalations", o.escalations},
      {"firstResponseSeconds", json::object{{"p50", OptD(o.first_response_p50_seconds)},
                                            {"avg", OptD(o.first_response_avg_seconds)}}},
      {"aiResolved", o.ai_resolved},
      {"aiResolvedShare", OptD(o.ai_resolved_share)},
      {"days", days},
      {"tasksByDepartment", deps}};
}

json::object SettingJson(const db::SettingRow& s) {
  return json::object{{"key", s.key}, {"value", s.value}, {"updatedAt", s.updated_at}};
}

json::object KnowledgeJson(const db::KnowledgeRow& k) {
  return json::object{{"id", k.id},
                      {"category", k.category},
                      {"title", k.title},
                      {"content", k.content},
                      {"keywords", Parsed(k.keywords, json::array())},
                      {"status", k.status},
                      {"language", Opt(k.language)},
                      {"createdAt", k.created_at},
                      {"updatedAt", k.updated_at}};
}

json::object StaffJson(const db::StaffRow& s) {
  return json::object{{"id", s.id},
                      {"email", s.email},
                      {"name", s.name},
                      {"phone", Opt(s.phone)},
                      {"role", s.role},
                      {"department", Opt(s.department)},
                      {"permissions", Parsed(s.permissions, json::array())},
                      {"status", s.status},
                      {"lastActiveAt", Opt(s.last_active_at)},
                      {"createdAt", s.created_at},
                      {"updatedAt", s.updated_at}};
}

json::object UserJson(const db::StaffRow& s) {
  json::array perms;
  for (const auto& p : domain::EffectivePermissions(s.role, s.permissions))
    perms.push_back(json::string(p));
  return json::object{
      {"id", s.id}, {"email", s.email}, {"name", s.name}, {"role", s.role}, {"permissions", perms}};
}

Result<json::object> ParseBody(const std::string& body) {
  if (!core::IsValidUtf8(body)) return Error::Invalid("the body is not valid UTF-8");
  json::parse_options opt;
  opt.max_depth = 32;
  boost::system::error_code ec;
  auto v = json::parse(body, ec, json::storage_ptr(), opt);
  if (ec) return Error::Invalid("the body is not valid JSON: " + ec.message());
  if (!v.is_object()) return Error::Invalid("the body must be a JSON object");
  return std::move(v.as_object());
}

std::optional<std::string> Fields::String(const char* name, bool required, size_t max_len) {
  const auto* v = o_.if_contains(name);
  if (!v || v->is_null()) {
    if (required) errors_.push_back({name, "is required"});
    return std::nullopt;
  }
  if (!v->is_string()) {
    errors_.push_back({name, "must be a string"});
    return std::nullopt;
  }
  std::string s(v->as_string());
  if (s.size() > max_len) {
    errors_.push_back({name, "must be at most " + std::to_string(max_len) + " bytes"});
    return std::nullopt;
  }
  if (required && core::Trim(s).empty()) {
    errors_.push_back({name, "must not be empty"});
    return std::nullopt;
  }
  return s;
}

std::optional<double> Fields::Number(const char* name, bool required) {
  const auto* v = o_.if_contains(name);
  if (!v || v->is_null()) {
    if (required) errors_.push_back({name, "is required"});
    return std::nullopt;
  }
  if (!v->is_number()) {
    errors_.push_back({name, "must be a number"});
    return std::nullopt;
  }
  return v->to_number<double>();
}

const json::value* Fields::Raw(const char* name) {
  const auto* v = o_.if_contains(name);
  if (!v || v->is_null()) return nullptr;
  return v;
}

std::optional<std::optional<std::string>> Fields::Nullable(const char* name, size_t max_len) {
  const auto* v = o_.if_contains(name);
  if (!v) return std::nullopt;
  if (v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) {
    errors_.push_back({name, "must be a string or null"});
    return std::nullopt;
  }
  if (v->as_string().size() > max_len) {
    errors_.push_back({name, "must be at most " + std::to_string(max_len) + " bytes"});
    return std::nullopt;
  }
  return std::optional<std::string>(std::string(v->as_string()));
}

std::optional<bool> Fields::Bool(const char* name, bool required) {
  const auto* v = o_.if_contains(name);
  if (!v || v->is_null()) {
    if (required) errors_.push_back({name, "is required"});
    return std::nullopt;
  }
  if (!v->is_bool()) {
    errors_.push_back({name, "must be true or false"});
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<std::vector<std::string>> Fields::StringList(const char* name, size_t max_items,
                                                           size_t max_len) {
  const auto* v = o_.if_contains(name);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_array() || v->as_array().size() > max_items) {
    errors_.push_back(
        {name, "must be an array of at most " + std::to_string(max_items) + " strings"});
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < v->as_array().size(); ++i) {
    const auto& e = v->as_array()[i];
    if (!e.is_string() || e.as_string().empty() || e.as_string().size() > max_len) {
      errors_.push_back(
          {std::string(name) + "[" + std::to_string(i) + "]",
           "must be a non-empty string of at most " + std::to_string(max_len) + " bytes"});
      return std::nullopt;
    }
    out.emplace_back(e.as_string());
  }
  return out;
}

std::optional<std::string> Fields::JsonText(const char* name, bool required) {
  const auto* v = o_.if_contains(name);
  if (!v || v->is_null()) {
    if (required) errors_.push_back({name, "is required"});
    return std::nullopt;
  }
  return json::serialize(*v);
}

void Fields::Fail(const std::string& path, const std::string& message) {
  errors_.push_back({path, message});
}

Status Fields::Finish() const {
  if (errors_.empty()) return {};
  Error e = Error::Invalid(errors_.size() == 1 ? errors_[0].path + " " + errors_[0].message
                                               : "invalid fields");
  e.fields = errors_;
  return e;
}

Result<int> LimitParam(const std::optional<std::string>& v) {
  if (!v) return 50;
  if (v->empty() || v->size() > 4 || v->find_first_not_of("0123456789") != std::string::npos)
    return Error::Invalid("must be a whole number from 1 to 200", "limit");
  int n = std::stoi(*v);
  if (n < 1 || n > 200) return Error::Invalid("must be a whole number from 1 to 200", "limit");
  return n;
}

}  // namespace jack::http
