#pragma once

#include <string>

#include "core/result.hpp"
#include "domain/context.hpp"

namespace jack::domain {

// Appends one audit row inside the caller's transaction. `details_json` holds IDs only, never
// personal data (seed-notes.md, Erasure), so the trail can be kept whole after erasure.
Status Audit(Ctx& ctx, const Actor& actor, std::string_view action, std::string_view resource_type,
             std::string_view resource_id, std::string details_json = {});

// `guest.view` once per login session per guest (seed: "once per session, not per field";
// seed-notes.md: the session is the refresh-token family, the token's session id until
// sessions exist). Returns whether a row was written.
Result<bool> AuditGuestView(Ctx& ctx, const Actor& actor, std::string_view guest_id,
                            std::string_view session_id);

}  // namespace jack::domain
