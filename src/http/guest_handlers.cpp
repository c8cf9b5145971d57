// Guests and reservations (api.md, Guests, reservations).
#include <boost/json.hpp>
#include <map>

#include "core/csv.hpp"
#include "core/strings.hpp"
#include "db/queries.hpp"
#include "db/repositories.hpp"
#include "domain/audit.hpp"
#include "domain/guests.hpp"
#include "domain/json_columns.hpp"
#include "domain/privacy.hpp"
#include "domain/settings.hpp"
#include "http/errors.hpp"
#include "http/handlers.hpp"
#include "http/reservation_import.hpp"

namespace jack::http {
namespace json = boost::json;
using domain::Ctx;

Result<domain::ReservationInput> ParseReservation(const json::object& body) {
  Fields f(body);
  domain::ReservationInput in;
  const json::value* g = f.Raw("guest");
  if (!g || !g->is_object()) {
    f.Fail("guest", "must be an object with firstName and lastName");
  } else {
    Fields gf(g->as_object());
    in.guest.first_name = gf.String("firstName", false, 200).value_or("");
    in.guest.last_name = gf.String("lastName", true, 200).value_or("");
    in.guest.email = gf.String("email", false, 254);
    in.guest.phone = gf.String("phone", false, 40);
    in.guest.language = gf.String("language", false, 8);
    in.guest.loyalty_tier = gf.String("loyaltyTier", false, 64);
    in.guest.vip_status = gf.String("vipStatus", false, 64);
    if (const auto* x = gf.Raw("externalIds")) {
      auto c = domain::CanonicalExternalIds(*x, "guest.externalIds");
      if (!c)
        gf.Fail(c.error().fields.empty() ? "externalIds" : c.error().fields[0].path,
                c.error().message);
      else
        in.guest.external_ids_json = *c;
    }
    if (auto st = gf.Finish(); !st)
      for (const auto& fe : st.error().fields)
        f.Fail(core::StartsWith(fe.path, "guest.") ? fe.path : "guest." + fe.path, fe.message);
  }
  in.room_number = f.String("roomNumber", false, 16);
  in.room_type = f.String("roomType", true, 100).value_or("");
  in.arrival_date = f.String("arrivalDate", true, 10).value_or("");
  in.departure_date = f.String("departureDate", true, 10).value_or("");
  in.status = f.String("status", false, 16).value_or("confirmed");
  in.external_id = f.String("externalId", false, 128);
  in.rate_code = f.String("rateCode", false, 64);
  in.estimated_arrival = f.String("estimatedArrival", false, 40);
  in.estimated_departure = f.String("estimatedDeparture", false, 40);
  in.actual_arrival = f.String("actualArrival", false, 40);
  in.actual_departure = f.String("actualDeparture", false, 40);
  in.total_rate = f.Number("totalRate", false);
  in.balance = f.Number("balance", false);
  for (const char* k : {"specialRequests", "notes"}) {
    if (const auto* x = f.Raw(k)) {
      auto c = domain::CanonicalStringArray(*x, k, 100, 2000);
      if (!c)
        f.Fail(k, c.error().message);
      else if (std::string(k) == "notes")
        in.notes_json = *c;
      else
        in.special_requests_json = *c;
    }
  }
  JACK_TRY(f.Finish());
  JACK_TRY(domain::ValidateReservation(in));
  return in;
}

namespace {

// A CSV header as a key: lower case without spaces, dashes or underscores, so that
// "Confirmation Number", "confirmation_number" and "confirmationNumber" are one column.
std::string HeaderKey(std::string_view h) {
  std::string out;
  for (char c : core::Trim(h))
    if (c != ' ' && c != '_' && c != '-') out.push_back(static_cast<char>(std::tolower(c)));
  return out;
}

// One CSV record as the JSON object of PUT /reservations/{confirmationNumber}.
json::object CsvRecordAsJson(const std::map<std::string, std::string>& rec) {
  json::object o, guest;
  auto put = [&](json::object& into, const char* key, const std::string& col) {
    auto it = rec.find(col);
    if (it != rec.end() && !core::Trim(it->second).empty())
      into[key] = std::string(core::Trim(it->second));
  };
  put(guest, "firstName", "firstname");
  put(guest, "lastName", "lastname");
  put(guest, "email", "email");
  put(guest, "phone", "phone");
  put(guest, "language", "language");
  put(guest, "loyaltyTier", "loyaltytier");
  put(guest, "vipStatus", "vipstatus");
  if (auto it = rec.find("pmsguestid"); it != rec.end() && !core::Trim(it->second).empty())
    guest["externalIds"] = json::object{{"pms", std::string(core::Trim(it->second))}};
  o["guest"] = guest;
  for (const auto& [key, col] : std::vector<std::pair<const char*, const char*>>{
           {"roomNumber", "roomnumber"},
           {"roomType", "roomtype"},
           {"arrivalDate", "arrivaldate"},
           {"departureDate", "departuredate"},
           {"status", "status"},
           {"externalId", "externalid"},
           {"rateCode", "ratecode"},
           {"estimatedArrival", "estimatedarrival"},
           {"estimatedDeparture", "estimateddeparture"}})
    put(o, key, col);
  for (const auto& [key, col] : std::vector<std::pair<const char*, const char*>>{
           {"totalRate", "totalrate"}, {"balance", "balance"}}) {
    auto it = rec.find(col);
    if (it == rec.end() || core::Trim(it->second).empty()) continue;
    try {
      size_t used = 0;
      std::string v(core::Trim(it->second));
      double d = std::stod(v, &used);
      o[key] = used == v.size() ? json::value(d) : json::value(v);
    } catch (const std::exception&) {
      o[key] = it->second;  // a string: the row is rejected as "must be a number"
    }
  }
  // Several special requests or notes in one cell, separated by "|".
  for (const auto& [key, col] : std::vector<std::pair<const char*, const char*>>{
           {"specialRequests", "specialrequests"}, {"notes", "notes"}}) {
    auto it = rec.find(col);
    if (it == rec.end() || core::Trim(it->second).empty()) continue;
    json::array parts;
    for (const auto& p : core::Split(it->second, '|'))
      if (!core::Trim(p).empty()) parts.push_back(json::string(core::Trim(p)));
    o[key] = parts;
  }
  return o;
}

}  // namespace

Result<std::vector<domain::ImportRow>> ParseReservationImport(const std::string& body,
                                                              const std::string& content_type) {
  constexpr size_t kMaxRows = 5000;
  std::vector<domain::ImportRow> rows;
  auto add = [&](const std::string& conf, const json::object& o) {
    domain::ImportRow row{conf, Error::Invalid("")};
    if (conf.empty() || conf.size() > 64)
      row.input = Error::Invalid("must be 1-64 characters", "confirmationNumber");
    else
      row.input = ParseReservation(o);
    rows.push_back(std::move(row));
  };
  std::string ct = core::AsciiLower(content_type);
  if (ct.find("csv") != std::string::npos) {
    if (!core::IsValidUtf8(body)) return Error::Invalid("the CSV is not valid UTF-8");
    JACK_TRY_ASSIGN(auto records, core::ParseCsv(body));
    if (records.empty()) return Error::Invalid("the CSV has no header row");
    std::vector<std::string> header;
    for (const auto& h : records[0]) header.push_back(HeaderKey(h));
    if (std::find(header.begin(), header.end(), "confirmationnumber") == header.end())
      return Error::Invalid("the CSV needs a confirmationNumber column");
    if (records.size() - 1 > kMaxRows)
      return Error::Invalid("at most " + std::to_string(kMaxRows) + " rows per import");
    for (size_t i = 1; i < records.size(); ++i) {
      std::map<std::string, std::string> rec;
      for (size_t c = 0; c < header.size() && c < records[i].size(); ++c)
        rec[header[c]] = records[i][c];
      add(std::string(core::Trim(rec["confirmationnumber"])), CsvRecordAsJson(rec));
    }
    return rows;
  }
  if (!ct.empty() && ct.find("json") == std::string::npos) {
    Error e{Errc::invalid_argument, "Content-Type must be application/json or text/csv", {}, {}, 0};
    e.details.emplace_back("unsupportedMediaType", ct);
    return e;
  }
  if (!core::IsValidUtf8(body)) return Error::Invalid("the body is not valid UTF-8");
  json::parse_options opt;
  opt.max_depth = 32;
  boost::system::error_code ec;
  auto v = json::parse(body, ec, json::storage_ptr(), opt);
  if (ec) return Error::Invalid("the body is not valid JSON: " + ec.message());
  const json::array* items = nullptr;
  if (v.is_array())
    items = &v.as_array();
  else if (v.is_object() && v.as_object().if_contains("items") &&
           v.as_object().at("items").is_array())
    items = &v.as_object().at("items").as_array();
  if (!items) return Error::Invalid("the body must be a JSON array of reservations");
  if (items->size() > kMaxRows)
    return Error::Invalid("at most " + std::to_string(kMaxRows) + " rows per import");
  for (const auto& item : *items) {
    if (!item.is_object()) {
      domain::ImportRow row{"", Error::Invalid("must be an object")};
      rows.push_back(std::move(row));
      continue;
    }
    const auto* conf = item.as_object().if_contains("confirmationNumber");
    add(conf && conf->is_string() ? std::string(conf->as_string()) : "", item.as_object());
  }
  return rows;
}

namespace {

// ---- guests ----
void ListGuests(AppState& s, Request& req, Done done) {
  auto limit = LimitParam(req.Query("limit"));
  if (!limit) req.Reject(limit.error());
  db::GuestFilter f;
  f.limit = (limit ? *limit : 50) + 1;
  f.q = req.Query("q");
  if (f.q && (f.q->empty() || f.q->size() > 200))
    req.Reject(Error::Invalid("must be 1-200 characters", "q"));
  f.after_id = req.Query("cursor");
  auto email = req.Query("email");
  auto phone = req.Query("phone");
  auto room = req.Query("roomNumber");
  WithStaffRead(
      s, req, "guest.view", std::move(done),
      [f, email, phone, room, lim = (limit ? *limit : 50)](Ctx& ctx, const StaffCtx& sc) mutable {
        // Looking guests up by contact data needs the permission to see it.
        if ((email || phone) && !sc.Can("guest.view_contact"))
          return ErrorResponse(Error::Forbidden("guest.view_contact"));
        f.names_only = !sc.Can("guest.view_contact");
        if (email) {
          auto e = domain::NormalizeEmail(*email);
          if (!e) return ErrorResponse(e.error());
          f.email = *e;
        }
        if (phone) {
          auto p = domain::NormalizePhone(*phone, domain::Setting(ctx, "hotel.default_country"));
          if (!p) return ErrorResponse(p.error());
          f.phone = *p;
        }
        auto rows =
            room ? db::GuestsInRoom(ctx.db, *room, f.limit, f.after_id) : db::ListGuests(ctx.db, f);
        if (!rows) return ErrorResponse(rows.error());
        bool more = static_cast<int>(rows->size()) > lim;
        if (more) rows->pop_back();
        Arena arena;
        json::array items = arena.Array(rows->size());
        for (const auto& g : *rows) items.push_back(GuestJson(g, sc.redaction, arena.sp));
        return Page(std::move(items),
                    more ? std::optional<std::string>(rows->back().id) : std::nullopt);
      });
}

domain::GuestInput ReadGuestInput(Fields& f) {
  domain::GuestInput in;
  in.first_name = f.String("firstName", false, 200).value_or("");
  in.last_name = f.String("lastName", false, 200).value_or("");
  in.email = f.String("email", false, 254);
  in.phone = f.String("phone", false, 40);
  in.language = f.String("language", false, 8);
  in.loyalty_tier = f.String("loyaltyTier", false, 64);
  in.vip_status = f.String("vipStatus", false, 64);
  in.notes = f.String("notes", false, 10000);
  in.tags_json = f.JsonText("tags");
  in.preferences_json = f.JsonText("preferences");
  in.external_ids_json = f.JsonText("externalIds");
  return in;
}

void CreateGuest(AppState& s, Request& req, Done done) {
  WithStaffRequest(
      s, req, "guest.edit", std::move(done),
      [](Ctx& ctx, const StaffCtx& sc, const Request& rq) {
        auto body = JsonBody(rq);
        if (!body) return BodyError(body.error());
        Fields f(*body);
        auto in = ReadGuestInput(f);
        if (auto st = f.Finish(); !st) return BodyError(st.error());
        auto g = domain::CreateGuestByStaff(ctx, sc.actor, in);
        if (!g) return ErrorResponse(g.error());
        return Json(201, GuestJson(*g, sc.redaction));
      },
      /*idempotent=*/true);
}

void GetGuest(AppState& s, Request& req, Done done) {
  // A write: the first view in a session is audited (guest.view once per session).
  WithStaff(s, req, "guest.view", std::move(done),
            [id = req.params["id"]](Ctx& ctx, const StaffCtx& sc) {
              auto g = db::FindGuest(ctx.db, id);
              if (!g) return ErrorResponse(g.error());
              if (!*g) return ErrorResponse(Error::NotFound("guest not found"));
              db::Transaction tx(ctx.db);
              if (!tx.status()) return ErrorResponse(tx.status().error());
              auto audited = domain::AuditGuestView(ctx, sc.actor, id, sc.session_id);
              if (!audited) return ErrorResponse(audited.error());
              if (auto st = tx.Commit(); !st) return ErrorResponse(st.error());
              return Json(200, GuestJson(**g, sc.redaction));
            });
}

void PatchGuest(AppState& s, Request& req, Done done) {
  WithStaffRequest(s, req, "guest.edit", std::move(done),
                   [](Ctx& ctx, const StaffCtx& sc, const Request& rq) {
                     auto body = JsonBody(rq);
                     if (!body) return BodyError(body.error());
                     Fields f(*body);
                     domain::GuestPatch p;
                     p.first_name = f.String("firstName", false, 200);
                     p.last_name = f.String("lastName", false, 200);
                     p.email = f.Nullable("email", 254);
                     p.phone = f.Nullable("phone", 40);
                     p.language = f.Nullable("language", 8);
                     p.loyalty_tier = f.Nullable("loyaltyTier", 64);
                     p.vip_status = f.Nullable("vipStatus", 64);
                     p.notes = f.Nullable("notes", 10000);
                     p.tags_json = f.JsonText("tags");
                     p.preferences_json = f.JsonText("preferences");
                     p.external_ids_json = f.JsonText("externalIds");
                     // Contact fields are changed only by those who may see them.
                     if ((p.email || p.phone) && !sc.Can("guest.view_contact"))
                       return ErrorResponse(Error::Forbidden("guest.view_contact"));
                     if (auto st = f.Finish(); !st) return BodyError(st.error());
                     auto g = domain::UpdateGuestFields(ctx, sc.actor, rq.params.at("id"), p);
                     if (!g) return ErrorResponse(g.error());
                     return Json(200, GuestJson(*g, sc.redaction));
                   });
}

void DeleteGuest(AppState& s, Request& req, Done done) {
  WithStaff(s, req, "guest.delete", std::move(done),
            [id = req.params["id"]](Ctx& ctx, const StaffCtx& sc) {
              auto r = domain::EraseGuest(ctx, sc.actor, id);
              if (!r) return ErrorResponse(r.error());
              return NoContent();
            });
}

void ExportGuest(AppState& s, Request& req, Done done) {
  WithStaff(s, req, "guest.view", std::move(done),
            [id = req.params["id"]](Ctx& ctx, const StaffCtx& sc) {
              if (!sc.Can("analytics.export"))
                return ErrorResponse(Error::Forbidden("analytics.export"));
              auto data = domain::ExportGuest(ctx, sc.actor, id);
              if (!data) return ErrorResponse(data.error());
              Response r = Json(200, GuestExportJson(*data, ctx.Now()));
              r.headers.emplace_back("Content-Disposition",
                                     "attachment; filename=\"guest-" + id + ".json\"");
              return r;
            });
}

// ---- reservations ----
void ListReservations(AppState& s, Request& req, Done done) {
  auto limit = LimitParam(req.Query("limit"));
  if (!limit) req.Reject(limit.error());
  db::ReservationFilter f;
  Error e = Error::Invalid("invalid query");
  f.status = req.Query("status");
  if (f.status && *f.status != "confirmed" && *f.status != "checked_in" &&
      *f.status != "checked_out" && *f.status != "cancelled" && *f.status != "no_show")
    e.fields.push_back(
        {"status", "must be confirmed, checked_in, checked_out, cancelled or no_show"});
  f.arrival_from = req.Query("arrivalFrom");
  f.arrival_to = req.Query("arrivalTo");
  for (const auto& [name, v] :
       {std::pair{"arrivalFrom", f.arrival_from}, std::pair{"arrivalTo", f.arrival_to}})
    if (v && !core::IsValidDate(*v)) e.fields.push_back({name, "must be a date YYYY-MM-DD"});
  f.room_number = req.Query("roomNumber");
  f.guest_id = req.Query("guestId");
  f.after_id = req.Query("cursor");
  if (!e.fields.empty()) req.Reject(e);
  f.limit = (limit ? *limit : 50) + 1;
  WithStaffRead(s, req, "guest.view", std::move(done),
                [f, lim = (limit ? *limit : 50)](Ctx& ctx, const StaffCtx& sc) {
                  auto rows = db::ListReservations(ctx.db, f);
                  if (!rows) return ErrorResponse(rows.error());
                  bool more = static_cast<int>(rows->size()) > lim;
                  if (more) rows->pop_back();
                  Arena arena;
                  json::array items = arena.Array(rows->size());
                  for (const auto& r : *rows)
                    items.push_back(ReservationJson(r, sc.redaction, arena.sp));
                  return Page(std::move(items),
                              more ? std::optional<std::string>(rows->back().id) : std::nullopt);
                });
}

void PutReservation(AppState& s, Request& req, Done done) {
  WithStaffRequest(
      s, req, "guest.edit", std::move(done), [](Ctx& ctx, const StaffCtx& sc, const Request& rq) {
        auto body = JsonBody(rq);
        if (!body) return BodyError(body.error());
        auto in = ParseReservation(*body);
        if (!in) return BodyError(in.error());
        auto r = domain::UpsertReservation(ctx, sc.actor, rq.params.at("confirmationNumber"), *in);
        if (!r) return ErrorResponse(r.error());
        json::object o = ReservationJson(r->reservation, sc.redaction);
        o["guest"] = GuestJson(r->guest, sc.redaction);
        return Json(r->created ? 201 : 200, o);
      });
}

void ImportReservations(AppState& s, Request& req, Done done) {
  WithStaffRequest(
      s, req, "guest.edit", std::move(done),
      [](Ctx& ctx, const StaffCtx& sc, const Request& rq) {
        auto rows = ParseReservationImport(rq.body, rq.Header("content-type"));
        if (!rows) return BodyError(rows.error());
        auto outcomes = domain::ImportReservations(ctx, sc.actor, *rows);
        return Json(200, ImportReportJson(outcomes));
      },
      /*idempotent=*/true);
}

}  // namespace

json::object ImportReportJson(const std::vector<domain::ImportOutcome>& outcomes) {
  int created = 0, updated = 0, rejected = 0;
  json::array rows;
  for (const auto& o : outcomes) {
    json::object row{
        {"row", o.row}, {"confirmationNumber", o.confirmation_number}, {"result", o.result}};
    if (o.error) {
      json::array errs;
      for (const auto& f : o.error->fields)
        errs.push_back(json::object{{"path", f.path}, {"message", f.message}});
      row["error"] = json::object{
          {"code", CodeFor(o.error->code)}, {"message", o.error->message}, {"errors", errs}};
    }
    created += o.result == "created";
    updated += o.result == "updated";
    rejected += o.result == "rejected";
    rows.push_back(std::move(row));
  }
  return json::object{
      {"created", created}, {"updated", updated}, {"rejected", rejected}, {"rows", rows}};
}

void RegisterGuestRoutes(Router& r, AppState& s) {
  auto bind = [&s](void (*fn)(AppState&, Request&, Done)) {
    return [&s, fn](Request& req, Done done) { fn(s, req, std::move(done)); };
  };
  r.Add("GET", "/api/v1/guests", bind(ListGuests),
        {.summary = "Search guests",
         .tag = "guests",
         .permission = "guest.view",
         .query = {"q", "email", "phone", "roomNumber", "limit", "cursor"},
         .response = "List:Guest",
         .errors = {400}});
  r.Add("POST", "/api/v1/guests", bind(CreateGuest),
        {.summary = "Create a guest",
         .tag = "guests",
         .permission = "guest.edit",
         .body = "GuestInput",
         .response = "Guest",
         .status = 201,
         .errors = {400, 409, 415},
         .idempotent = true});
  r.Add("GET", "/api/v1/guests/{id}/export", bind(ExportGuest),
        {.summary = "Everything held about the guest (GDPR), audited as data.export",
         .tag = "guests",
         .permission = "guest.view",
         .response = "GuestExport",
         .errors = {404}});
  r.Add("GET", "/api/v1/guests/{id}", bind(GetGuest),
        {.summary = "A guest profile (audited once per session)",
         .tag = "guests",
         .permission = "guest.view",
         .response = "Guest",
         .errors = {404}});
  r.Add("PATCH", "/api/v1/guests/{id}", bind(PatchGuest),
        {.summary = "Change a guest's profile",
         .tag = "guests",
         .permission = "guest.edit",
         .body = "GuestPatch",
         .response = "Guest",
         .errors = {400, 404, 409, 415}});
  r.Add("DELETE", "/api/v1/guests/{id}", bind(DeleteGuest),
        {.summary = "Erase the guest's personal data (GDPR)",
         .tag = "guests",
         .permission = "guest.delete",
         .response = "",
         .status = 204,
         .errors = {404}});
  r.Add(
      "GET", "/api/v1/reservations", bind(ListReservations),
      {.summary = "Reservations",
       .tag = "reservations",
       .permission = "guest.view",
       .query = {"status", "arrivalFrom", "arrivalTo", "roomNumber", "guestId", "limit", "cursor"},
       .response = "List:Reservation",
       .errors = {400}});
  r.Add("POST", "/api/v1/reservations/import", bind(ImportReservations),
        {.summary = "Import a PMS export (JSON array or CSV); a report per row",
         .tag = "reservations",
         .permission = "guest.edit",
         .body = "ReservationImport",
         .response = "ImportReport",
         .errors = {400, 413, 415},
         .idempotent = true});
  r.Add("PUT", "/api/v1/reservations/{confirmationNumber}", bind(PutReservation),
        {.summary = "Create or update a reservation as a PMS sends it",
         .tag = "reservations",
         .permission = "guest.edit",
         .body = "ReservationInput",
         .response = "ReservationWithGuest",
         .status = 201,
         .also_status = 200,
         .errors = {400, 409, 415}});
}

}  // namespace jack::http
