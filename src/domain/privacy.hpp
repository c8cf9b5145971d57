#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/records.hpp"
#include "domain/context.hpp"

// GDPR erasure and export (seed-notes.md, Erasure).
namespace jack::domain {

// Everything held about one guest, for an export document (http/ gives it its JSON shape).
struct GuestData {
  db::GuestRow guest;
  std::vector<db::ReservationRow> reservations;
  struct Conversation {
    db::ConversationRow row;
    std::vector<db::MessageRow> messages;
    std::vector<db::TaskRow> tasks;
  };
  std::vector<Conversation> conversations;
  std::vector<db::AuditRow> audit;
};

// Reads everything about the guest and writes `data.export` (resource type guest) in one
// transaction. not_found for an unknown or already erased guest.
Result<GuestData> ExportGuest(Ctx& ctx, const Actor& actor, std::string_view guest_id);

struct ErasureReport {
  int64_t conversations = 0, messages = 0, tasks = 0, reservations = 0;
  bool wal_truncated = false;  // false: a reader held the WAL; frames go at the next checkpoint
};
// Erases the guest's personal data in one transaction (the guest row stays as a tombstone,
// reservations keep dates and room), writes `guest.delete`, then optimises the FTS index and
// truncates the WAL. Erasing a tombstone again is not_found. Runs with secure_delete on, so
// that the freed bytes are zeroed in the database file.
Result<ErasureReport> EraseGuest(Ctx& ctx, const Actor& actor, std::string_view guest_id);

// Whether a guest row is an erasure tombstone.
bool IsErased(const db::GuestRow& g);

}  // namespace jack::domain
