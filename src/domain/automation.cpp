#include "domain/automation.hpp"

#include <boost/json.hpp>
#include <set>

#include "core/ids.hpp"
#include "db/queries.hpp"
#include "domain/audit.hpp"
#include "domain/permissions.hpp"
#include "domain/tasks.hpp"

namespace jack::domain {
namespace json = boost::json;
namespace {

bool IsClock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return false;
  for (size_t i : {0, 1, 3, 4})
    if (s[i] < '0' || s[i] > '9') return false;
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  return h < 24 && m < 60;
}

// Reads a JSON object and checks its fields one by one.
class Config {
 public:
  Config(std::string_view text, std::string path) : path_(std::move(path)) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) {
      Fail("", "must be a JSON object");
      return;
    }
    in_ = v.as_object();
  }
  // A string field, required or not, with its allowed values (empty: any, 1-2000 chars).
  std::optional<std::string> String(const char* key, bool required,
                                    const std::set<std::string>& allowed = {}) {
    const auto* v = in_.if_contains(key);
    if (!v) {
      if (required) Fail(key, "is required");
      return std::nullopt;
    }
    if (!v->is_string() || v->as_string().empty() || v->as_string().size() > 2000) {
      Fail(key, "must be a non-empty string");
      return std::nullopt;
    }
    std::string s(v->as_string());
    if (!allowed.empty() && !allowed.count(s)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      Fail(key, "must be one of " + list);
      return std::nullopt;
    }
    out_[key] = s;
    return s;
  }
  std::optional<int64_t> Int(const char* key, bool required, int64_t lo, int64_t hi) {
    const auto* v = in_.if_contains(key);
    if (!v) {
      if (required) Fail(key, "is required");
      return std::nullopt;
    }
    if (!v->is_int64() || v->as_int64() < lo || v->as_int64() > hi) {
      Fail(key, "must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
      return std::nullopt;
    }
    out_[key] = v->as_int64();
    return v->as_int64();
  }
  bool Has(const char* key) const { return in_.contains(key); }
  void Fail(const std::string& key, const std::string& message) {
    error_.fields.push_back({key.empty() ? path_ : path_ + "." + key, message});
  }
  void Unknown(const std::set<std::string>& known) {
    for (const auto& kv : in_)
      if (!known.count(std::string(kv.key()))) Fail(std::string(kv.key()), "is not a known field");
  }
  Result<std::string> Done() {
    if (!error_.fields.empty()) return error_;
    return json::serialize(out_);
  }

 private:
  std::string path_;
  json::object in_, out_;
  Error error_ = Error::Invalid("invalid automation rule");
};

}  // namespace

Result<std::string> CanonicalTriggerConfig(std::string_view type, std::string_view text,
                                           const std::string& path) {
  Config c(text, path);
  if (type == "time_based") {
    c.String(
        "type", true,
        {"pre_arrival", "arrival_day", "post_checkin", "pre_departure", "post_departure", "daily"});
    if (auto t = c.String("time", true); t && !IsClock(*t)) c.Fail("time", "must be HH:MM");
    c.Int("offset_days", false, -60, 60);
    c.Unknown({"type", "time", "offset_days"});
  } else if (type == "event_based") {
    c.String("event", true,
             {"reservation.created", "reservation.checked_in", "reservation.checked_out",
              "conversation.escalated", "conversation.resolved", "task.created", "task.completed",
              "message.received"});
    c.Unknown({"event"});
  } else if (type == "condition_based") {
    c.String("condition", true, {"conversation_idle", "task_overdue", "unanswered", "vip_arrival"});
    c.Int("minutes", false, 1, 10080);
    c.Unknown({"condition", "minutes"});
  } else {
    return Error::Invalid("must be time_based, event_based or condition_based", "triggerType");
  }
  return c.Done();
}

Result<std::string> CanonicalActionConfig(std::string_view type, std::string_view text,
                                          const std::string& path) {
  Config c(text, path);
  if (type == "send_message") {
    auto tpl = c.String("template", false);
    auto content = c.String("content", false);
    if (!tpl && !content && !c.Has("template") && !c.Has("content"))
      c.Fail("template", "a template or a content is required");
    c.String("channel", false, {"auto", "whatsapp", "sms", "email", "webchat"});
    if (auto q = c.String("quiet_hours", false);
        q &&
        (q->size() != 11 || (*q)[5] != '-' || !IsClock(q->substr(0, 5)) || !IsClock(q->substr(6))))
      c.Fail("quiet_hours", "must be HH:MM-HH:MM");
    c.Int("max_per_guest_per_day", false, 1, 20);
    c.Unknown({"template", "content", "channel", "quiet_hours", "max_per_guest_per_day"});
  } else if (type == "create_task") {
    c.String("department", true,
             {"housekeeping", "maintenance", "room_service", "concierge", "front_desk"});
    c.String("description", true);
    c.String("priority", false, {"urgent", "high", "standard", "low"});
    c.Unknown({"department", "description", "priority"});
  } else if (type == "notify_staff") {
    c.String("message", true);
    std::set<std::string> roles(AllRoles().begin(), AllRoles().end());
    c.String("role", false, roles);
    c.String("staff_id", false);
    c.Unknown({"message", "role", "staff_id"});
  } else {
    return Error::Invalid("must be send_message, create_task or notify_staff", "actionType");
  }
  return c.Done();
}

namespace {

Status Apply(db::AutomationRuleRow& r, const AutomationInput& in) {
  Error e = Error::Invalid("invalid automation rule");
  if (in.name) r.name = *in.name;
  if (in.description) r.description = *in.description;
  if (in.trigger_type) r.trigger_type = *in.trigger_type;
  if (in.action_type) r.action_type = *in.action_type;
  if (in.trigger_config_json) r.trigger_config = *in.trigger_config_json;
  if (in.action_config_json) r.action_config = *in.action_config_json;
  if (in.enabled) r.enabled = *in.enabled;
  if (r.name.empty() || r.name.size() > 200)
    e.fields.push_back({"name", "must be 1-200 characters"});
  if (r.description && r.description->size() > 2000)
    e.fields.push_back({"description", "at most 2000 characters"});
  auto trig = CanonicalTriggerConfig(r.trigger_type, r.trigger_config, "triggerConfig");
  if (trig)
    r.trigger_config = *trig;
  else
    for (const auto& f : trig.error().fields) e.fields.push_back(f);
  auto act = CanonicalActionConfig(r.action_type, r.action_config, "actionConfig");
  if (act)
    r.action_config = *act;
  else
    for (const auto& f : act.error().fields) e.fields.push_back(f);
  if (!e.fields.empty()) return e;
  return {};
}

}  // namespace

Result<db::AutomationRuleRow> CreateAutomationRule(Ctx& ctx, const Actor& actor,
                                                   const AutomationInput& in) {
  Error e = Error::Invalid("invalid automation rule");
  if (!in.name) e.fields.push_back({"name", "is required"});
  if (!in.trigger_type) e.fields.push_back({"triggerType", "is required"});
  if (!in.trigger_config_json) e.fields.push_back({"triggerConfig", "is required"});
  if (!in.action_type) e.fields.push_back({"actionType", "is required"});
  if (!in.action_config_json) e.fields.push_back({"actionConfig", "is required"});
  if (!e.fields.empty()) return e;
  db::AutomationRuleRow r;
  r.id = core::NewId(ctx.clock.Now());
  JACK_TRY(Apply(r, in));
  r.created_at = r.updated_at = ctx.Now();
  db::Transaction tx(ctx.db);
  JACK_TRY(tx.status());
  JACK_TRY(db::InsertAutomationRule(ctx.db, r));
  json::object details{{"change", "create"}};
  JACK_TRY(Audit(ctx, actor, "settings.change", "automation_rule", r.id, json::serialize(details)));
  JACK_TRY(tx.Commit());
  return r;
}

Result<db::AutomationRuleRow> UpdateAutomationRule(Ctx& ctx, const Actor& actor,
                                                   std::string_view id, const AutomationInput& in) {
  db::Transaction tx(ctx.db);
  JACK_TRY(tx.status());
  JACK_TRY_ASSIGN(auto found, db::FindAutomationRule(ctx.db, id));
  if (!found) return Error::NotFound("automation rule not found");
  db::AutomationRuleRow r = *found;
  JACK_TRY(Apply(r, in));
  r.updated_at = ctx.Now();
  JACK_TRY(db::UpdateAutomationRule(ctx.db, r));
  json::object details{{"change", "update"}};
  JACK_TRY(Audit(ctx, actor, "settings.change", "automation_rule", r.id, json::serialize(details)));
  JACK_TRY(tx.Commit());
  return r;
}

Status DeleteAutomationRule(Ctx& ctx, const Actor& actor, std::string_view id) {
  db::Transaction tx(ctx.db);
  JACK_TRY(tx.status());
  JACK_TRY_ASSIGN(auto found, db::FindAutomationRule(ctx.db, id));
  if (!found) return Error::NotFound("automation rule not found");
  JACK_TRY(db::DeleteAutomationRule(ctx.db, id));
  json::object details{{"change", "delete"}};
  JACK_TRY(
      Audit(ctx, actor, "settings.change", "automation_rule", found->id, json::serialize(details)));
  return tx.Commit();
}

}  // namespace jack::domain
