#pragma once

#include <boost/json/fwd.hpp>
#include <boost/json/storage_ptr.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/queries.hpp"
#include "db/records.hpp"
#include "domain/analytics.hpp"
#include "domain/privacy.hpp"

// Our API's JSON shapes (api.md), camelCase, and the parsing of request bodies. The only
// place that knows them.
namespace jack::http {

struct Redaction {
  bool contact = false;    // guest.view_contact
  bool financial = false;  // guest.view_financial
};

// Each builds in `sp` (default: the heap); list pages pass one monotonic buffer for all items.
boost::json::object GuestJson(const db::GuestRow& g, const Redaction& r,
                              boost::json::storage_ptr sp = {});
boost::json::object ReservationJson(const db::ReservationRow& r, const Redaction& red,
                                    boost::json::storage_ptr sp = {});
boost::json::object ConversationJson(const db::ConversationRow& c, const Redaction& r,
                                     boost::json::storage_ptr sp = {});
// Staff API. A financial answer's text is withheld from staff without guest.view_financial.
boost::json::object MessageJson(const db::MessageRow& m, const Redaction& r,
                                boost::json::storage_ptr sp = {});
boost::json::object PublicMessageJson(const db::MessageRow& m,
                                      boost::json::storage_ptr sp = {});  // web chat
boost::json::object TaskJson(const db::TaskRow& t, boost::json::storage_ptr sp = {});
boost::json::object KnowledgeJson(const db::KnowledgeRow& k);
boost::json::object StaffJson(const db::StaffRow& s);
boost::json::object UserJson(const db::StaffRow& s);  // with effective permissions
boost::json::object AuditJson(const db::AuditRow& a, boost::json::storage_ptr sp = {});
// The GDPR export (api.md: GET /guests/{id}/export; jack guest export): everything held about
// the guest, unredacted (it is the guest's own data), with the time and format version.
boost::json::object GuestExportJson(const domain::GuestData& d, const std::string& exported_at);
std::string Serialize(const boost::json::value& v);
// GET /conversations items: the conversation with guest {id, firstName, lastName}, reservation
// {id, roomNumber}, lastMessage {content, direction, senderType, createdAt} and awaitingReply.
boost::json::object ConversationListItemJson(const db::ConversationListItem& it, const Redaction& r,
                                             boost::json::storage_ptr sp = {});
boost::json::object AutomationRuleJson(const db::AutomationRuleRow& r);
boost::json::object OverviewJson(const domain::Overview& o);
boost::json::object SettingJson(const db::SettingRow& s);
// A number: whole values as integers ("0", not "0E0").
boost::json::value Num(double v);

// A JSON object body, or VALIDATION_ERROR (also for a body that is not valid JSON, not an
// object, nested deeper than 32 levels, or not UTF-8).
Result<boost::json::object> ParseBody(const std::string& body);

// Typed field readers that collect errors: a field of the wrong type is an error, a missing
// optional field is nullopt.
class Fields {
 public:
  explicit Fields(const boost::json::object& o) : o_(o) {}
  std::optional<std::string> String(const char* name, bool required, size_t max_len = 10000);
  std::optional<double> Number(const char* name, bool required);
  const boost::json::value* Raw(const char* name);
  // Present-and-null is Some(nullopt) (clear the field); absent is nullopt (leave it).
  std::optional<std::optional<std::string>> Nullable(const char* name, size_t max_len = 10000);
  std::optional<bool> Bool(const char* name, bool required = false);
  std::optional<std::vector<std::string>> StringList(const char* name, size_t max_items,
                                                     size_t max_len);
  // A JSON object or array field as canonical text, for the domain's validators.
  std::optional<std::string> JsonText(const char* name, bool required = false);
  void Fail(const std::string& path, const std::string& message);
  // Unknown fields are ignored (clients may be newer); the errors found so far.
  Status Finish() const;

 private:
  const boost::json::object& o_;
  std::vector<FieldError> errors_;
};

// limit (1..200, default 50) from ?limit=.
Result<int> LimitParam(const std::optional<std::string>& v);

}  // namespace jack::http
