#pragma once

#include "core/result.hpp"
#include "db/lifecycle.hpp"
#include "domain/context.hpp"

// The seed's retention table: messages and conversations 2 years, tasks 1 year, audit 7
// years; guest profiles until erased, knowledge embeddings kept.
namespace jack::domain {

db::RetentionCutoffs RetentionCutoffsAt(core::TimePoint now);

// Counts (dry run) or deletes what is past its retention at ctx.clock's now. Deletion runs in
// batches of `batch` rows per kind, each batch its own short transaction, so that the
// server's writes interleave with a large purge.
Result<db::RetentionCounts> RunRetention(Ctx& ctx, bool dry_run, int batch = 2000);

}  // namespace jack::domain
