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

json::object GuestJson(const db::GuestRow& g, const Redaction& r) {
  json::object o{{"id", g.id},
                 {"firstName", g.first_name},
                 {"lastName", g.last_name},
                 {"language", Opt(g.language)},
                 {"loyaltyTier", Opt(g.loyalty_tier)},
                 {"vipStatus", Opt(g.vip_status)},
                 {"externalIds", Parsed(g.external_ids, json::object())},
                 {"preferences", Parsed(g.preferences, json::array())},
                 {"stayCount", g.stay_count},
                 {"lastStayDate", Opt(g.last_stay_date)},
                 {"notes", Opt(g.notes)},
                 {"tags", Parsed(g.tags, json::array())},
                 {"createdAt", g.created_at},
                 {"updatedAt", g.updated_at}};
  if (r.contact) {
    o["email"] = Opt(g.email);
    o["phone"] = Opt(g.phone);
  }
  if (r.financial) o["totalRevenue"] = Num(g.total_revenue);
  return o;
}

json::object ReservationJson(const db::ReservationRow& r, const Redaction& red) {
  json::object o{{"id", r.id},
                 {"guestId", r.guest_id},
                 {"confirmationNumber", r.confirmation_number},
                 {"externalId", Opt(r.external_id)},
                 {"roomNumber", Opt(r.room_number)},
                 {"roomType", r.room_type},
                 {"arrivalDate", r.arrival_date},
                 {"departureDate", r.departure_date},
                 {"status", r.status},
                 {"estimatedArrival", Opt(r.estimated_arrival)},
                 {"actualArrival", Opt(r.actual_arrival)},
                 {"estimatedDeparture", Opt(r.estimated_departure)},
                 {"actualDeparture", Opt(r.actual_departure)},
                 {"specialRequests", Parsed(r.special_requests, json::array())},
                 {"notes", Parsed(r.notes, json::array())},
                 {"syncedAt", r.synced_at},
                 {"createdAt", r.created_at},
                 {"updatedAt", r.updated_at}};
  if (red.financial) {
    o["rateCode"] = Opt(r.rate_code);
    o["totalRate"] = OptD(r.total_rate);
    o["balance"] = OptD(r.balance);
  }
  return o;
}

json::object ConversationJson(const db::ConversationRow& c, const Redaction& r) {
  json::object o{{"id", c.id},
                 {"guestId", Opt(c.guest_id)},
                 {"reservationId", Opt(c.reservation_id)},
                 {"channel", c.channel_type},
                 {"channelType", c.channel_type},
                 {"state", c.state},
                 {"assignedTo", Opt(c.assigned_to)},
                 {"currentIntent", Opt(c.current_intent)},
                 {"metadata", Parsed(c.metadata, json::object())},
                 {"lastMessageAt", Opt(c.last_message_at)},
                 {"resolvedAt", Opt(c.resolved_at)},
                 {"idleWarnedAt", Opt(c.idle_warned_at)},
                 {"awaitingReply", c.awaiting_since.has_value()},
                 {"awaitingSince", Opt(c.awaiting_since)},
                 {"createdAt", c.created_at},
                 {"updatedAt", c.updated_at}};
  bool personal =
      c.channel_type == "whatsapp" || c.channel_type == "sms" || c.channel_type == "email";
  if (!personal || r.contact) o["channelId"] = c.channel_id;
  return o;
}

json::object MessageJson(const db::MessageRow& m) {
  return json::object{{"id", m.id},
                      {"conversationId", m.conversation_id},
                      {"direction", m.direction},
                      {"senderType", m.sender_type},
                      {"senderId", Opt(m.sender_id)},
                      {"content", m.content},
                      {"contentType", m.content_type},
                      {"media", Parsed(m.media, nullptr)},
                      {"intent", Opt(m.intent)},
                      {"confidence", OptD(m.confidence)},
                      {"entities", Parsed(m.entities, nullptr)},
                      {"channelMessageId", Opt(m.channel_message_id)},
                      {"deliveryStatus", Opt(m.delivery_status)},
                      {"deliveryError", Opt(m.delivery_error)},
                      {"createdAt", m.created_at}};
}

json::object PublicMessageJson(const db::MessageRow& m) {
  return json::object{{"id", m.id},
                      {"conversationId", m.conversation_id},
                      {"direction", m.direction},
                      {"senderType", m.sender_type},
                      {"content", m.content},
                      {"contentType", m.content_type},
                      {"createdAt", m.created_at}};
}

json::object TaskJson(const db::TaskRow& t) {
  return json::object{{"id", t.id},
                      {"conversationId", Opt(t.conversation_id)},
                      {"type", t.type},
                      {"department", t.department},
                      {"roomNumber", Opt(t.room_number)},
                      {"description", t.description},
                      {"items", Parsed(t.items, json::array())},
                      {"priority", t.priority},
                      {"status", t.status},
                      {"assignedTo", Opt(t.assigned_to)},
                      {"dueAt", Opt(t.due_at)},
                      {"startedAt", Opt(t.started_at)},
                      {"completedAt", Opt(t.completed_at)},
                      {"notes", Opt(t.notes)},
                      {"completionNotes", Opt(t.completion_notes)},
                      {"externalId", Opt(t.external_id)},
                      {"externalSystem", Opt(t.external_system)},
                      {"createdAt", t.created_at},
                      {"updatedAt", t.updated_at}};
}

json::object AuditJson(const db::AuditRow& a) {
  return json::object{{"id", a.id},
                      {"actorType", a.actor_type},
                      {"actorId", Opt(a.actor_id)},
                      {"action", a.action},
                      {"resourceType", a.resource_type},
                      {"resourceId", Opt(a.resource_id)},
                      {"details", Parsed(a.details, nullptr)},
                      {"ipAddress", Opt(a.ip_address)},
                      {"userAgent", Opt(a.user_agent)},
                      {"createdAt", a.created_at}};
}

json::object GuestExportJson(const domain::GuestData& d, const std::string& exported_at) {
  const Redaction all{true, true};
  json::array reservations, conversations, audit;
  for (const auto& r : d.reservations) reservations.push_back(ReservationJson(r, all));
  for (const auto& c : d.conversations) {
    auto o = ConversationJson(c.row, all);
    json::array messages, tasks;
    for (const auto& m : c.messages) messages.push_back(MessageJson(m));
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

json::object ConversationListItemJson(const db::ConversationListItem& it, const Redaction& r) {
  json::object o = ConversationJson(it.conversation, r);
  const auto& c = it.conversation;
  o["guest"] = c.guest_id ? json::value(json::object{{"id", *c.guest_id},
                                                     {"firstName", Opt(it.guest_first_name)},
                                                     {"lastName", Opt(it.guest_last_name)}})
                          : json::value(nullptr);
  o["reservation"] = c.reservation_id
                         ? json::value(json::object{{"id", *c.reservation_id},
                                                    {"roomNumber", Opt(it.reservation_room)}})
                         : json::value(nullptr);
  o["lastMessage"] = it.last_created_at
                         ? json::value(json::object{{"content", Opt(it.last_content)},
                                                    {"direction", Opt(it.last_direction)},
                                                    {"senderType", Opt(it.last_sender_type)},
                                                    {"createdAt", Opt(it.last_created_at)}})
                         : json::value(nullptr);
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
