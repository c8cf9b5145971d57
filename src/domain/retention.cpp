#include "domain/retention.hpp"

namespace jack::domain {

db::RetentionCutoffs RetentionCutoffsAt(core::TimePoint now) {
  db::RetentionCutoffs c;
  c.messages = core::FormatIso(core::YearsBefore(now, 2));
  c.conversations = c.messages;
  c.tasks = core::FormatIso(core::YearsBefore(now, 1));
  c.audit = core::FormatIso(core::YearsBefore(now, 7));
  return c;
}

Result<db::RetentionCounts> RunRetention(Ctx& ctx, bool dry_run, int batch) {
  const auto cutoffs = RetentionCutoffsAt(ctx.clock.Now());
  if (dry_run) return db::CountExpired(ctx.db, cutoffs);
  db::RetentionCounts total;
  for (;;) {
    db::Transaction tx(ctx.db);
    JACK_TRY(tx.status());
    JACK_TRY_ASSIGN(auto n, db::DeleteExpiredBatch(ctx.db, cutoffs, batch));
    JACK_TRY(tx.Commit());
    total.messages += n.messages;
    total.conversations += n.conversations;
    total.tasks += n.tasks;
    total.audit += n.audit;
    if (n.total() == 0) break;
  }
  return total;
}

}  // namespace jack::domain
