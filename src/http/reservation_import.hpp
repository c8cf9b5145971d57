#pragma once

#include <boost/json/fwd.hpp>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/guests.hpp"

// Reservations as a PMS sends them: the body of PUT /reservations/{confirmationNumber}, and
// the import of many (POST /reservations/import, `jack reservations import`) as a JSON array
// of such objects with their confirmationNumber, or CSV with one column per field
// (confirmationNumber, firstName, lastName, email, phone, language, loyaltyTier, vipStatus,
// pmsGuestId, roomNumber, roomType, arrivalDate, departureDate, status, externalId,
// rateCode, totalRate, balance, estimatedArrival, estimatedDeparture, specialRequests and
// notes with "|" between items; headers in any case, with or without spaces or
// underscores).
namespace jack::http {

Result<domain::ReservationInput> ParseReservation(const boost::json::object& body);
// Every row, each with its own parse result (a bad row does not stop the others); the whole
// body is refused only when it is not JSON or CSV at all (415 for another Content-Type).
Result<std::vector<domain::ImportRow>> ParseReservationImport(const std::string& body,
                                                              const std::string& content_type);
boost::json::object ImportReportJson(const std::vector<domain::ImportOutcome>& outcomes);

}  // namespace jack::http
