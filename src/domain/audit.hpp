#pragma once

#include <string>

#include "core/result.hpp"
#include "domain/context.hpp"

namespace jack::domain {

// Appends one audit row inside the caller's transaction. `details_json` holds IDs only, never
// personal data (seed-notes.md, Erasure), so the trail can be kept whole after erasure.
Status Audit(Ctx& ctx, const Actor& actor, std::string_view action, std::string_view resource_type,
             std::string_view resource_id, std::string details_json = {});

}  // namespace jack::domain
