#include "domain/demo.hpp"

#include <boost/json.hpp>
#include <map>

#include "core/ids.hpp"
#include "core/resources.hpp"
#include "db/repositories.hpp"
#include "domain/guests.hpp"
#include "domain/json_columns.hpp"
#include "domain/knowledge.hpp"
#include "domain/passwords.hpp"
#include "domain/settings.hpp"
#include "domain/staff.hpp"

namespace jack::domain {
namespace json = boost::json;

namespace {

Result<json::value> LoadJson(std::string_view name) {
  auto res = core::FindResource(name);
  if (!res) return Error::Internal("missing embedded resource " + std::string(name));
  boost::system::error_code ec;
  auto v = json::parse(*res, ec);
  if (ec) return Error::Internal("bad embedded resource " + std::string(name));
  return v;
}

std::optional<std::string> OptStr(const json::object& o, std::string_view k) {
  const auto* v = o.if_contains(k);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::string OffsetDate(const std::string& today, const std::string& spec) {
  int off = std::atoi(spec.c_str());
  return core::DaysToDate(*core::DateToDays(today) + off);
}

Status InsertKnowledgeEntries(Ctx& ctx, const json::array& entries) {
  for (const auto& e : entries) {
    const auto& o = e.as_object();
    KnowledgeInput in;
    in.category = OptStr(o, "category").value_or("faq");
    in.title = OptStr(o, "title").value_or("");
    in.content = OptStr(o, "content").value_or("");
    in.language = OptStr(o, "language");
    if (const auto* k = o.if_contains("keywords")) {
      auto kw = CanonicalKeywords(*k, "keywords");
      if (!kw) return kw.error();
      in.keywords_json = *kw;
    }
    auto r = CreateKnowledge(ctx, in);
    if (!r) return r.error();
  }
  return {};
}

}  // namespace

std::vector<DemoLogin> DemoLogins() {
  std::vector<DemoLogin> out;
  auto hotel = LoadJson("demo/hotel.json");
  if (!hotel) return out;
  for (const auto& s : hotel->as_object().at("staff").as_array()) {
    const auto& o = s.as_object();
    out.push_back({OptStr(o, "email").value_or(""), OptStr(o, "password").value_or(""),
                   OptStr(o, "role").value_or("")});
  }
  return out;
}

Status LoadDemoKnowledge(Ctx& ctx) {
  auto kb = LoadJson("demo/knowledge.json");
  if (!kb) return kb.error();
  db::Transaction tx(ctx.db);
  JACK_TRY(tx.status());
  JACK_TRY(InsertKnowledgeEntries(ctx, kb->as_array()));
  return tx.Commit();
}

Result<std::vector<DemoLogin>> LoadDemo(Ctx& ctx, int bcrypt_cost) {
  auto hotel = LoadJson("demo/hotel.json");
  if (!hotel) return hotel.error();
  auto kb = LoadJson("demo/knowledge.json");
  if (!kb) return kb.error();
  auto staff_count = db::CountStaff(ctx.db);
  if (!staff_count) return staff_count.error();
  auto kb_count = db::CountKnowledge(ctx.db);
  if (!kb_count) return kb_count.error();
  if (*staff_count > 0 || *kb_count > 0)
    return Error::Conflict(
        "the database already holds staff or knowledge; the demo loads only into an empty "
        "database");

  const auto& h = hotel->as_object();
  // Hash passwords before the transaction: bcrypt is slow and must not hold the write lock.
  std::vector<DemoLogin> logins;
  std::vector<StaffInput> staff;
  for (const auto& s : h.at("staff").as_array()) {
    const auto& o = s.as_object();
    StaffInput in;
    in.email = OptStr(o, "email").value_or("");
    in.name = OptStr(o, "name").value_or("");
    in.role = OptStr(o, "role").value_or("");
    in.department = OptStr(o, "department");
    std::string pw = OptStr(o, "password").value_or("");
    auto hash = HashPassword(pw, bcrypt_cost);
    if (!hash) return hash.error();
    in.password_hash = *hash;
    staff.push_back(in);
    logins.push_back({in.email, pw, in.role});
  }

  std::string now = ctx.Now();
  {
    db::Transaction tx(ctx.db);
    JACK_TRY(tx.status());
    for (const auto& kv : h.at("settings").as_object()) {
      // The API's rules apply to the demo's settings too; a demo holds no secrets (there is
      // no sealing key here).
      if (!kv.value().is_string()) return Error::Invalid("demo setting is not text", kv.key());
      std::string key(kv.key()), value(kv.value().as_string());
      JACK_TRY(ValidateSetting(key, value));
      if (IsSecretSetting(key)) return Error::Invalid("demo settings hold no secrets", key);
      JACK_TRY(db::PutSetting(ctx.db, key, value, now));
    }
    JACK_TRY(InsertKnowledgeEntries(ctx, kb->as_array()));
    JACK_TRY(tx.Commit());
  }
  for (const auto& in : staff) {
    auto r = CreateStaff(ctx, Actor::System(), in);
    if (!r) return r.error();
  }
  std::string today = HotelToday(ctx);
  db::Transaction tx(ctx.db);
  JACK_TRY(tx.status());
  std::map<std::string, std::string> guest_by_email;
  for (const auto& g : h.at("guests").as_array()) {
    const auto& o = g.as_object();
    GuestInput in;
    in.first_name = OptStr(o, "firstName").value_or("");
    in.last_name = OptStr(o, "lastName").value_or("");
    in.email = OptStr(o, "email");
    in.phone = OptStr(o, "phone");
    in.language = OptStr(o, "language");
    in.loyalty_tier = OptStr(o, "loyaltyTier");
    in.vip_status = OptStr(o, "vipStatus");
    if (const auto* p = o.if_contains("preferences")) {
      auto c = CanonicalPreferences(*p, "preferences");
      if (!c) return c.error();
      in.preferences_json = *c;
    }
    if (const auto* t = o.if_contains("tags")) {
      auto c = CanonicalTags(*t, "tags");
      if (!c) return c.error();
      in.tags_json = *c;
    }
    auto r = CreateGuest(ctx, in);
    if (!r) return r.error();
    if (r->email) guest_by_email[*r->email] = r->id;
  }
  for (const auto& rv : h.at("reservations").as_array()) {
    const auto& o = rv.as_object();
    db::ReservationRow r;
    r.id = core::NewId(ctx.clock.Now());
    auto email = OptStr(o, "guestEmail").value_or("");
    if (!guest_by_email.count(email)) continue;
    r.guest_id = guest_by_email[email];
    r.confirmation_number = OptStr(o, "confirmationNumber").value_or(r.id);
    r.room_number = OptStr(o, "roomNumber");
    r.room_type = OptStr(o, "roomType").value_or("Standard");
    r.arrival_date = OffsetDate(today, OptStr(o, "arrivalDate").value_or("+0"));
    r.departure_date = OffsetDate(today, OptStr(o, "departureDate").value_or("+1"));
    r.status = OptStr(o, "status").value_or("confirmed");
    r.rate_code = OptStr(o, "rateCode");
    if (const auto* v = o.if_contains("totalRate"); v && v->is_number())
      r.total_rate = v->to_number<double>();
    if (const auto* v = o.if_contains("balance"); v && v->is_number())
      r.balance = v->to_number<double>();
    if (const auto* v = o.if_contains("specialRequests")) r.special_requests = json::serialize(*v);
    r.synced_at = r.created_at = r.updated_at = now;
    JACK_TRY(db::InsertReservation(ctx.db, r));
  }
  JACK_TRY(tx.Commit());
  return logins;
}

}  // namespace jack::domain
