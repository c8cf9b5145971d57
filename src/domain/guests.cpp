#include "domain/guests.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <map>

#include "core/ids.hpp"
#include "core/strings.hpp"
#include "db/repositories.hpp"
#include "domain/audit.hpp"
#include "domain/json_columns.hpp"
#include "domain/settings.hpp"

namespace jack::domain {
namespace {

const std::map<std::string, std::string, std::less<>>& CallingCodes() {
  static const std::map<std::string, std::string, std::less<>> m = {
      {"US", "1"},  {"CA", "1"},  {"GB", "44"},  {"IE", "353"}, {"PT", "351"}, {"ES", "34"},
      {"FR", "33"}, {"DE", "49"}, {"IT", "39"},  {"NL", "31"},  {"BE", "32"},  {"CH", "41"},
      {"AT", "43"}, {"BR", "55"}, {"MX", "52"},  {"AU", "61"},  {"JP", "81"},  {"CN", "86"},
      {"IN", "91"}, {"SE", "46"}, {"NO", "47"},  {"DK", "45"},  {"PL", "48"},  {"GR", "30"},
      {"AR", "54"}, {"ZA", "27"}, {"AE", "971"}, {"SG", "65"},  {"NZ", "64"},  {"FI", "358"}};
  return m;
}

bool ValidStatus(const std::string& s) {
  return s == "confirmed" || s == "checked_in" || s == "checked_out" || s == "cancelled" ||
         s == "no_show";
}

}  // namespace

Result<std::string> NormalizeEmail(std::string_view raw, const std::string& path) {
  std::string e = core::AsciiLower(core::Trim(raw));
  auto at = e.find('@');
  if (e.size() > 254 || at == std::string::npos || at == 0 ||
      e.find('@', at + 1) != std::string::npos || e.find('.', at) == std::string::npos ||
      e.back() == '.' || e[at + 1] == '.')
    return Error::Invalid("must be an email address", path);
  for (unsigned char c : e) {
    if (std::isspace(c) || c < 0x21) return Error::Invalid("must be an email address", path);
  }
  return e;
}

Result<std::string> NormalizePhone(std::string_view raw, std::string_view default_country,
                                   const std::string& path) {
  std::string digits;
  bool plus = false;
  auto t = core::Trim(raw);
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '/') {
      continue;
    } else {
      return Error::Invalid("must be a phone number", path);
    }
  }
  if (!plus && core::StartsWith(digits, "00")) {
    digits = digits.substr(2);
    plus = true;
  }
  if (!plus) {
    auto it = CallingCodes().find(default_country);
    if (it == CallingCodes().end())
      return Error::Invalid("needs an international prefix (+)", path);
    // Drop the national trunk prefix 0, except where it is part of the number (Italy).
    if (!digits.empty() && digits[0] == '0' && default_country != "IT") digits = digits.substr(1);
    // US/CA numbers written with the leading 1.
    if (it->second == "1" && digits.size() == 11 && digits[0] == '1') digits = digits.substr(1);
    if (digits.size() < 6) return Error::Invalid("must be a phone number", path);
    digits = it->second + digits;
  }
  if (digits.size() < 8 || digits.size() > 15 || digits[0] == '0')
    return Error::Invalid("must be a phone number with 8 to 15 digits", path);
  return "+" + digits;
}

Result<db::GuestRow> CreateGuest(Ctx& ctx, const GuestInput& in) {
  db::GuestRow g;
  g.id = core::NewId(ctx.clock.Now());
  g.first_name = in.first_name;
  g.last_name = in.last_name;
  if (in.email) {
    auto e = NormalizeEmail(*in.email);
    if (!e) return e.error();
    g.email = *e;
  }
  if (in.phone) {
    auto p = NormalizePhone(*in.phone, Setting(ctx, "hotel.default_country"));
    if (!p) return p.error();
    g.phone = *p;
  }
  g.language = in.language.value_or("en");
  g.loyalty_tier = in.loyalty_tier;
  g.vip_status = in.vip_status;
  g.notes = in.notes;
  // JSON columns are stored only in their canonical, validated form, whoever calls.
  using Canon = Result<std::string> (*)(const boost::json::value&, const std::string&);
  auto canonical = [](const std::optional<std::string>& text, Canon fn,
                      const char* path) -> Result<std::optional<std::string>> {
    if (!text) return std::optional<std::string>();
    boost::system::error_code ec;
    auto v = boost::json::parse(*text, ec);
    if (ec) return Error::Invalid("must be JSON", path);
    JACK_TRY_ASSIGN(auto c, fn(v, path));
    return std::optional<std::string>(std::move(c));
  };
  JACK_TRY_ASSIGN(auto ext, canonical(in.external_ids_json, CanonicalExternalIds, "externalIds"));
  JACK_TRY_ASSIGN(auto prefs, canonical(in.preferences_json, CanonicalPreferences, "preferences"));
  JACK_TRY_ASSIGN(auto tags, canonical(in.tags_json, CanonicalTags, "tags"));
  if (ext) g.external_ids = *ext;
  if (prefs) g.preferences = *prefs;
  if (tags) g.tags = *tags;
  g.created_at = g.updated_at = ctx.Now();
  if (auto s = db::InsertGuest(ctx.db, g); !s) {
    if (s.error().code == Errc::conflict)
      return Error::Conflict("a guest with this email or phone already exists");
    return s.error();
  }
  return g;
}

Result<db::GuestRow> CreateGuestByStaff(Ctx& ctx, const Actor& actor, const GuestInput& in) {
  Error e = Error::Invalid("invalid guest");
  if (in.first_name.empty() && in.last_name.empty())
    e.fields.push_back({"lastName", "a first or last name is required"});
  if (in.first_name.size() > 200) e.fields.push_back({"firstName", "at most 200 characters"});
  if (in.last_name.size() > 200) e.fields.push_back({"lastName", "at most 200 characters"});
  if (!e.fields.empty()) return e;
  db::Transaction tx(ctx.db);
  JACK_TRY(tx.status());
  JACK_TRY_ASSIGN(auto g, CreateGuest(ctx, in));
  boost::json::object details{{"created", true}};
  JACK_TRY(Audit(ctx, actor, "guest.edit", "guest", g.id, boost::json::serialize(details)));
  JACK_TRY(tx.Commit());
  return g;
}

Result<db::GuestRow> UpdateGuestFields(Ctx& ctx, const Actor& actor, std::string_view guest_id,
                                       const GuestPatch& p) {
  db::Transaction tx(ctx.db);
  JACK_TRY(tx.status());
  JACK_TRY_ASSIGN(auto found, db::FindGuest(ctx.db, guest_id));
  if (!found || (found->first_name == "Erased" && found->last_name == "Guest" && !found->email &&
                 !found->phone))
    return Error::NotFound("guest not found");
  db::GuestRow g = *found;
  boost::json::array changed;
  Error e = Error::Invalid("invalid guest");
  auto mark = [&](const char* field) { changed.push_back(boost::json::string(field)); };
  if (p.first_name) {
    if (p.first_name->size() > 200) e.fields.push_back({"firstName", "at most 200 characters"});
    g.first_name = *p.first_name;
    mark("firstName");
  }
  if (p.last_name) {
    if (p.last_name->size() > 200) e.fields.push_back({"lastName", "at most 200 characters"});
    g.last_name = *p.last_name;
    mark("lastName");
  }
  if (g.first_name.empty() && g.last_name.empty())
    e.fields.push_back({"lastName", "a first or last name is required"});
  if (p.email) {
    if (*p.email) {
      auto n = NormalizeEmail(**p.email);
      if (!n)
        e.fields.push_back({"email", "must be an email address"});
      else
        g.email = *n;
    } else {
      g.email.reset();
    }
    mark("email");
  }
  if (p.phone) {
    if (*p.phone) {
      auto n = NormalizePhone(**p.phone, Setting(ctx, "hotel.default_country"));
      if (!n)
        e.fields.push_back({"phone", n.error().message});
      else
        g.phone = *n;
    } else {
      g.phone.reset();
    }
    mark("phone");
  }
  auto opt = [&](const std::optional<std::optional<std::string>>& v, db::OptString& field,
                 const char* name, size_t max) {
    if (!v) return;
    if (*v && (*v)->size() > max)
      e.fields.push_back({name, "at most " + std::to_string(max) + " characters"});
    field = *v;
    mark(name);
  };
  opt(p.language, g.language, "language", 8);
  opt(p.loyalty_tier, g.loyalty_tier, "loyaltyTier", 64);
  opt(p.vip_status, g.vip_status, "vipStatus", 64);
  opt(p.notes, g.notes, "notes", 10000);
  using Canon = Result<std::string> (*)(const boost::json::value&, const std::string&);
  auto json_col = [&](const std::optional<std::string>& text, Canon fn, const char* name,
                      auto apply) {
    if (!text) return;
    boost::system::error_code ec;
    auto v = boost::json::parse(*text, ec);
    if (ec) {
      e.fields.push_back({name, "must be JSON"});
      return;
    }
    auto c = fn(v, name);
    if (!c) {
      for (const auto& f : c.error().fields) e.fields.push_back(f);
      if (c.error().fields.empty()) e.fields.push_back({name, c.error().message});
      return;
    }
    apply(*c);
    mark(name);
  };
  json_col(p.tags_json, CanonicalTags, "tags", [&](const std::string& c) { g.tags = c; });
  json_col(p.preferences_json, CanonicalPreferences, "preferences",
           [&](const std::string& c) { g.preferences = c; });
  json_col(p.external_ids_json, CanonicalExternalIds, "externalIds",
           [&](const std::string& c) { g.external_ids = c; });
  if (!e.fields.empty()) return e;
  if (changed.empty()) return g;
  g.updated_at = ctx.Now();
  if (auto st = db::UpdateGuest(ctx.db, g); !st) {
    if (st.error().code == Errc::conflict)
      return Error::Conflict("another guest has this email or phone");
    return st.error();
  }
  boost::json::object details{{"fields", changed}};
  JACK_TRY(Audit(ctx, actor, "guest.edit", "guest", g.id, boost::json::serialize(details)));
  JACK_TRY(tx.Commit());
  return g;
}

std::vector<ImportOutcome> ImportReservations(Ctx& ctx, const Actor& actor,
                                              const std::vector<ImportRow>& rows) {
  std::vector<ImportOutcome> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    ImportOutcome o;
    o.row = static_cast<int>(i + 1);
    o.confirmation_number = rows[i].confirmation_number;
    if (!rows[i].input) {
      o.result = "rejected";
      o.error = rows[i].input.error();
    } else {
      auto r = UpsertReservation(ctx, actor, rows[i].confirmation_number, *rows[i].input);
      if (r) {
        o.result = r->created ? "created" : "updated";
      } else {
        o.result = "rejected";
        o.error = r.error();
      }
    }
    out.push_back(std::move(o));
  }
  return out;
}

Status ValidateReservation(const ReservationInput& in) {
  Error e = Error::Invalid("invalid reservation");
  auto add = [&](std::string path, std::string msg) { e.fields.push_back({path, msg}); };
  if (in.room_type.empty()) add("roomType", "is required");
  if (!core::IsValidDate(in.arrival_date)) add("arrivalDate", "must be a date YYYY-MM-DD");
  if (!core::IsValidDate(in.departure_date)) add("departureDate", "must be a date YYYY-MM-DD");
  if (core::IsValidDate(in.arrival_date) && core::IsValidDate(in.departure_date) &&
      in.departure_date < in.arrival_date)
    add("departureDate", "must not be before arrivalDate");
  if (!ValidStatus(in.status))
    add("status", "must be confirmed, checked_in, checked_out, cancelled or no_show");
  if (in.guest.first_name.empty() && in.guest.last_name.empty())
    add("guest.lastName", "is required");
  if (in.total_rate && *in.total_rate < 0) add("totalRate", "must not be negative");
  if (!e.fields.empty()) return e;
  return {};
}

Result<UpsertResult> UpsertReservation(Ctx& ctx, const Actor& actor,
                                       const std::string& confirmation_number,
                                       const ReservationInput& in_raw) {
  if (confirmation_number.empty() || confirmation_number.size() > 64)
    return Error::Invalid("confirmation number must be 1-64 characters", "confirmationNumber");
  JACK_TRY(ValidateReservation(in_raw));
  ReservationInput in = in_raw;
  if (in.guest.email) {
    auto e = NormalizeEmail(*in.guest.email, "guest.email");
    if (!e) return e.error();
    in.guest.email = *e;
  }
  if (in.guest.phone) {
    auto p = NormalizePhone(*in.guest.phone, Setting(ctx, "hotel.default_country"), "guest.phone");
    if (!p) return p.error();
    in.guest.phone = *p;
  }

  db::Transaction tx(ctx.db);
  JACK_TRY(tx.status());
  std::string now = ctx.Now();

  // Match the guest: external id, then email, then phone. All matches must agree.
  std::optional<db::GuestRow> match;
  auto consider = [&](Result<std::optional<db::GuestRow>> r) -> Status {
    if (!r) return r.error();
    if (!*r) return {};
    if (match && match->id != (*r)->id)
      return Error::Conflict("the guest's external id, email and phone match different guests");
    if (!match) match = **r;
    return {};
  };
  if (in.guest.external_ids_json) {
    boost::system::error_code ec;
    auto ids = boost::json::parse(*in.guest.external_ids_json, ec);
    if (!ec && ids.is_object()) {
      for (const auto& kv : ids.as_object()) {
        if (kv.value().is_string())
          JACK_TRY(consider(
              db::FindGuestByExternalId(ctx.db, kv.key(), std::string(kv.value().as_string()))));
      }
    }
  }
  if (in.guest.email) JACK_TRY(consider(db::FindGuestByEmail(ctx.db, *in.guest.email)));
  if (in.guest.phone) JACK_TRY(consider(db::FindGuestByPhone(ctx.db, *in.guest.phone)));

  db::GuestRow guest;
  if (match) {
    guest = *match;
    if (!in.guest.first_name.empty()) guest.first_name = in.guest.first_name;
    if (!in.guest.last_name.empty()) guest.last_name = in.guest.last_name;
    if (in.guest.email) guest.email = in.guest.email;
    if (in.guest.phone) guest.phone = in.guest.phone;
    if (in.guest.language) guest.language = in.guest.language;
    if (in.guest.loyalty_tier) guest.loyalty_tier = in.guest.loyalty_tier;
    if (in.guest.vip_status) guest.vip_status = in.guest.vip_status;
    if (in.guest.external_ids_json) {
      // merge: the PMS adds its ids to those already known
      boost::system::error_code ec;
      auto add = boost::json::parse(*in.guest.external_ids_json, ec);
      if (ec) return Error::Invalid("must be a JSON object", "guest.externalIds");
      JACK_TRY(CanonicalExternalIds(add, "guest.externalIds"));
      auto have = boost::json::parse(guest.external_ids, ec);
      if (ec || !have.is_object()) have = boost::json::object();
      for (const auto& kv : add.as_object()) have.as_object()[kv.key()] = kv.value();
      guest.external_ids = boost::json::serialize(have);
    }
    guest.updated_at = now;
    if (auto s = db::UpdateGuest(ctx.db, guest); !s) {
      if (s.error().code == Errc::conflict)
        return Error::Conflict("the guest's email or phone belongs to another guest");
      return s.error();
    }
  } else {
    auto created = CreateGuest(ctx, in.guest);
    if (!created) return created.error();
    guest = *created;
  }

  auto existing = db::FindReservationByConfirmation(ctx.db, confirmation_number);
  if (!existing) return existing.error();
  db::ReservationRow r;
  bool created = !existing->has_value();
  if (!created) r = **existing;
  r.guest_id = guest.id;
  r.confirmation_number = confirmation_number;
  if (in.external_id) r.external_id = in.external_id;
  r.room_number = in.room_number;
  r.room_type = in.room_type;
  r.arrival_date = in.arrival_date;
  r.departure_date = in.departure_date;
  r.status = in.status;
  if (in.estimated_arrival) r.estimated_arrival = in.estimated_arrival;
  if (in.actual_arrival) r.actual_arrival = in.actual_arrival;
  if (in.estimated_departure) r.estimated_departure = in.estimated_departure;
  if (in.actual_departure) r.actual_departure = in.actual_departure;
  if (in.rate_code) r.rate_code = in.rate_code;
  if (in.total_rate) r.total_rate = in.total_rate;
  if (in.balance) r.balance = in.balance;
  if (in.special_requests_json) r.special_requests = in.special_requests_json;
  if (in.notes_json) r.notes = in.notes_json;
  r.synced_at = r.updated_at = now;
  const std::string previous_guest = created ? std::string() : (*existing)->guest_id;
  if (created) {
    r.id = core::NewId(ctx.clock.Now());
    r.created_at = now;
    JACK_TRY(db::InsertReservation(ctx.db, r));
  } else {
    JACK_TRY(db::UpdateReservation(ctx.db, r));
  }
  // Stay statistics follow the reservations (a PMS may also move a booking to another guest).
  JACK_TRY(db::RefreshGuestStayStats(ctx.db, guest.id, now));
  if (!previous_guest.empty() && previous_guest != guest.id)
    JACK_TRY(db::RefreshGuestStayStats(ctx.db, previous_guest, now));
  JACK_TRY_ASSIGN(auto refreshed, db::FindGuest(ctx.db, guest.id));
  if (refreshed) guest = *refreshed;
  if (actor.type == "staff") {
    boost::json::object details{{"reservationId", r.id}};
    JACK_TRY(Audit(ctx, actor, "guest.edit", "guest", guest.id, boost::json::serialize(details)));
  }
  JACK_TRY(tx.Commit());
  return UpsertResult{r, guest, created};
}

}  // namespace jack::domain
