#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "db/records.hpp"
#include "domain/context.hpp"

// Automation rules (the seed's automation_rules): their configurations validated, so that
// the scheduler that runs them never meets a rule it cannot read. The seed's examples are
// the shapes: trigger {"type": "pre_arrival", "offset_days": -3, "time": "10:00"}, action
// {"template": "welcome", "channel": "whatsapp"}.
//
// time_based       {type: pre_arrival | arrival_day | post_checkin | pre_departure |
//                   post_departure | daily, time: "HH:MM" (hotel time), offset_days?: -60..60}
// event_based      {event: reservation.created | reservation.checked_in |
//                   reservation.checked_out | conversation.escalated | conversation.resolved |
//                   task.created | task.completed | message.received}
// condition_based  {condition: conversation_idle | task_overdue | unanswered | vip_arrival,
//                   minutes?: 1..10080}
// send_message     {template? | content?: one of them, channel?: auto | whatsapp | sms |
//                   email | webchat, quiet_hours?: "HH:MM-HH:MM", max_per_guest_per_day?: 1..20}
// create_task      {department, description, priority?}
// notify_staff     {message, role? | staff_id?}
namespace jack::domain {

struct AutomationInput {
  std::optional<std::string> name, trigger_type, action_type;
  std::optional<std::optional<std::string>> description;
  std::optional<std::string> trigger_config_json, action_config_json;  // any JSON text
  std::optional<bool> enabled;
};

// The canonical serialisation of a configuration, or invalid_argument naming the field
// (`path` prefixes it: "triggerConfig.time").
Result<std::string> CanonicalTriggerConfig(std::string_view trigger_type, std::string_view json,
                                           const std::string& path);
Result<std::string> CanonicalActionConfig(std::string_view action_type, std::string_view json,
                                          const std::string& path);

// POST: name, triggerType, triggerConfig, actionType and actionConfig are required.
Result<db::AutomationRuleRow> CreateAutomationRule(Ctx& ctx, const Actor& actor,
                                                   const AutomationInput& in);
// PATCH: the merged rule is validated as a whole.
Result<db::AutomationRuleRow> UpdateAutomationRule(Ctx& ctx, const Actor& actor,
                                                   std::string_view id, const AutomationInput& in);
Status DeleteAutomationRule(Ctx& ctx, const Actor& actor, std::string_view id);

}  // namespace jack::domain
