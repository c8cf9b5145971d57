#include "jobs/jobs.hpp"

#include <boost/json.hpp>

#include "ai/templates.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "db/repositories.hpp"
#include "db/sessions.hpp"
#include "domain/conversations.hpp"
#include "domain/retention.hpp"
#include "domain/settings.hpp"

namespace jack::jobs {
namespace json = boost::json;

namespace {

constexpr int kSweepLimit = 200;

std::string ConversationLanguage(domain::Ctx& ctx, const db::ConversationRow& c) {
  boost::system::error_code ec;
  auto meta = json::parse(c.metadata, ec);
  if (!ec && meta.is_object()) {
    if (const auto* l = meta.as_object().if_contains("language"); l && l->is_string())
      return std::string(l->as_string());
  }
  if (c.guest_id) {
    auto g = db::FindGuest(ctx.db, *c.guest_id);
    if (g && *g && (*g)->language) return *(*g)->language;
  }
  return "en";
}

}  // namespace

Result<IdleReport> RunIdleSweep(domain::Ctx& ctx) {
  IdleReport report;
  const auto now = ctx.clock.Now();
  const auto warn_min =
      static_cast<int64_t>(domain::GetSettingNumber(ctx, "conversations.idle_warning_minutes", 30));
  const auto abandon_min =
      static_cast<int64_t>(domain::GetSettingNumber(ctx, "conversations.abandon_minutes", 120));
  const auto warn_before = core::FormatIso(now - std::chrono::minutes(warn_min));
  const auto abandon_before =
      core::FormatIso(now - std::chrono::minutes(std::max<int64_t>(0, abandon_min - warn_min)));

  // Abandon first: a conversation warned in this round must wait its full time.
  JACK_TRY_ASSIGN(auto to_abandon, db::IdleToAbandon(ctx.db, abandon_before, kSweepLimit));
  for (auto& c : to_abandon) {
    db::Transaction tx(ctx.db);
    JACK_TRY(tx.status());
    JACK_TRY_ASSIGN(auto fresh, db::FindConversation(ctx.db, c.id));
    // Staff who took the conversation after the warning own its pace: it is not abandoned.
    if (!fresh || !domain::AiOwns(*fresh) || fresh->state != "active" || !fresh->idle_warned_at)
      continue;
    fresh->state = "abandoned";
    fresh->updated_at = ctx.Now();
    JACK_TRY(db::UpdateConversation(ctx.db, *fresh));
    JACK_TRY(tx.Commit());
    ctx.Emit({domain::Event::Kind::conversation_updated, *fresh, std::nullopt, std::nullopt});
    ++report.abandoned;
  }

  JACK_TRY_ASSIGN(auto to_warn, db::IdleToWarn(ctx.db, warn_before, kSweepLimit));
  const auto& templates = ai::Templates::Embedded();
  for (auto& c : to_warn) {
    db::Transaction tx(ctx.db);
    JACK_TRY(tx.status());
    JACK_TRY_ASSIGN(auto fresh, db::FindConversation(ctx.db, c.id));
    if (!fresh || !domain::AiOwns(*fresh) || fresh->idle_warned_at) continue;
    db::MessageRow m;
    m.direction = "outbound";
    m.sender_type = "system";
    m.content = templates.Render(ConversationLanguage(ctx, *fresh), "idle_warning");
    JACK_TRY(domain::AppendMessage(ctx, *fresh, m, false));
    fresh->idle_warned_at = m.created_at;
    JACK_TRY(db::UpdateConversation(ctx.db, *fresh));
    JACK_TRY(tx.Commit());
    ++report.warned;
  }
  return report;
}

core::TimePoint NextDailyRun(core::TimePoint now, int minute_of_day, const std::string& zone) {
  auto local = core::ToLocal(now, zone);
  auto days = core::DateToDays(local.date).value_or(0);
  for (int i = 0; i < 3; ++i) {
    auto at = core::FromLocal(core::DaysToDate(days + i), minute_of_day, zone);
    if (at > now) return at;
  }
  return now + std::chrono::hours(24);
}

Result<TickReport> RunDueJobs(domain::Ctx& ctx) {
  TickReport report;
  JACK_TRY_ASSIGN(report.idle, RunIdleSweep(ctx));
  // Idempotency keys are honoured for 24 hours (api.md).
  JACK_TRY(db::DeleteIdempotencyKeysBefore(
      ctx.db, core::FormatIso(ctx.clock.Now() - std::chrono::hours(24))));

  const auto now = ctx.clock.Now();
  const auto zone = domain::Setting(ctx, "hotel.timezone");
  JACK_TRY_ASSIGN(auto last, db::LastJobRun(ctx.db, "retention"));
  // Due when the most recent 03:00 (hotel time) at or before now is after the last run.
  auto next_after_last =
      last ? NextDailyRun(core::ParseIso(*last).value_or(core::TimePoint{}), kRetentionMinute, zone)
           : core::TimePoint{};
  if (!last || next_after_last <= now) {
    JACK_TRY_ASSIGN(report.retention, domain::RunRetention(ctx, false));
    report.retention_ran = true;
    json::object result{{"messages", report.retention.messages},
                        {"conversations", report.retention.conversations},
                        {"tasks", report.retention.tasks},
                        {"audit", report.retention.audit}};
    JACK_TRY(db::RecordJobRun(ctx.db, "retention", ctx.Now(), json::serialize(result)));
    const auto m = std::to_string(report.retention.messages);
    const auto cv = std::to_string(report.retention.conversations);
    const auto t = std::to_string(report.retention.tasks);
    const auto a = std::to_string(report.retention.audit);
    core::Log(core::LogLevel::info, "retention run",
              {{"messages", m}, {"conversations", cv}, {"tasks", t}, {"audit", a}});
  }
  return report;
}

Ticker::Ticker(std::chrono::milliseconds period, std::function<void()> tick)
    : period_(period), tick_(std::move(tick)) {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      tick_();
      lock.lock();
      cv_.wait_for(lock, period_, [this] { return stop_; });
    }
  });
}

Ticker::~Ticker() { Stop(); }

void Ticker::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace jack::jobs
