#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/records.hpp"
#include "domain/context.hpp"

namespace jack::domain {

// Lower-cased, trimmed; invalid_argument unless it looks like local@domain.tld.
Result<std::string> NormalizeEmail(std::string_view raw, const std::string& path = "email");
// E.164 ("+351912345678"). National numbers take the calling code of `default_country`
// (ISO alpha-2, the hotel.default_country setting); "00" is read as "+".
Result<std::string> NormalizePhone(std::string_view raw, std::string_view default_country,
                                   const std::string& path = "phone");

struct GuestInput {
  std::string first_name, last_name;
  std::optional<std::string> email, phone, language, loyalty_tier, vip_status, notes;
  std::optional<std::string> external_ids_json, preferences_json, tags_json;  // canonical JSON
};

// Creates a guest (email and phone normalised; duplicates: conflict).
Result<db::GuestRow> CreateGuest(Ctx& ctx, const GuestInput& in);
// POST /guests by staff: CreateGuest with a guest.edit audit row, in one transaction.
Result<db::GuestRow> CreateGuestByStaff(Ctx& ctx, const Actor& actor, const GuestInput& in);

// PATCH /guests/{id}: absent fields stay; an inner nullopt clears a nullable field.
struct GuestPatch {
  std::optional<std::string> first_name, last_name;
  std::optional<std::optional<std::string>> email, phone, language, loyalty_tier, vip_status, notes;
  std::optional<std::string> external_ids_json, preferences_json, tags_json;  // any JSON text
};
// Applies the patch (validated, JSON columns canonical) with a guest.edit audit row naming
// the changed fields (never their values). Erased guests are not found.
Result<db::GuestRow> UpdateGuestFields(Ctx& ctx, const Actor& actor, std::string_view guest_id,
                                       const GuestPatch& patch);

struct ReservationInput {
  GuestInput guest;
  std::optional<std::string> room_number, external_id, estimated_arrival, actual_arrival,
      estimated_departure, actual_departure, rate_code;
  std::string room_type, arrival_date, departure_date, status = "confirmed";
  std::optional<double> total_rate, balance;
  std::optional<std::string> special_requests_json, notes_json;
};

struct UpsertResult {
  db::ReservationRow reservation;
  db::GuestRow guest;
  bool created = false;
};

// PUT /reservations/{confirmationNumber} as a PMS sends it: the guest is matched by external
// id, then email, then phone, else created; matches pointing at two different guests are a
// conflict. Writes guest.edit audit rows for staff actors. Runs its own transaction.
Result<UpsertResult> UpsertReservation(Ctx& ctx, const Actor& actor,
                                       const std::string& confirmation_number,
                                       const ReservationInput& in);
Status ValidateReservation(const ReservationInput& in);

// POST /reservations/import: each row is upserted on its own (a bad row does not stop the
// others); the report says what happened to every row.
struct ImportRow {
  std::string confirmation_number;
  Result<ReservationInput> input;  // a row that could not be read carries its error
};
struct ImportOutcome {
  int row = 0;  // 1-based, in the order given
  std::string confirmation_number;
  std::string result;  // created, updated, rejected
  std::optional<Error> error;
};
std::vector<ImportOutcome> ImportReservations(Ctx& ctx, const Actor& actor,
                                              const std::vector<ImportRow>& rows);

}  // namespace jack::domain
