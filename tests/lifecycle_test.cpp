// Unit tests of the data's life cycle: retention with a fake clock, GDPR erasure (grepping the
// database file and WAL afterwards) and export, idle conversations, the daily job schedule,
// the append-only audit log, upgrades that keep data, and durability across kill -9.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ai/embedding.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "db/lifecycle.hpp"
#include "db/migrations.hpp"
#include "db/repositories.hpp"
#include "domain/audit.hpp"
#include "domain/conversations.hpp"
#include "domain/knowledge.hpp"
#include "domain/privacy.hpp"
#include "domain/retention.hpp"
#include "domain/settings.hpp"
#include "http/json_mapping.hpp"
#include "jobs/jobs.hpp"

namespace jack {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using std::chrono::minutes;

core::TimePoint At(std::string_view iso) { return *core::ParseIso(iso); }

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/jack-life-test-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::unique_ptr<db::Database> Open(const std::string& path) {
  auto d = db::Database::Open({path});
  if (!d) throw std::runtime_error(d.error().message);
  auto n = db::Migrate(**d);
  if (!n) throw std::runtime_error(n.error().message);
  return std::move(*d);
}

int64_t Count(db::Database& d, const std::string& sql) {
  auto q = d.Query(sql);
  EXPECT_TRUE(q);
  auto r = q->Next();
  EXPECT_TRUE(r && *r);
  return q->Int(0);
}

// Builders that write rows straight through the repositories, timestamps given.
struct Fixture {
  db::Database& d;

  db::GuestRow Guest(const std::string& first, const std::string& last, db::OptString email,
                     db::OptString phone, const std::string& at = "2026-01-01T00:00:00.000Z") {
    db::GuestRow g;
    g.id = core::NewId();
    g.first_name = first;
    g.last_name = last;
    g.email = email;
    g.phone = phone;
    g.language = "en";
    g.created_at = g.updated_at = at;
    EXPECT_TRUE(db::InsertGuest(d, g));
    return g;
  }
  db::ConversationRow Conversation(const db::OptString& guest, const std::string& channel,
                                   const std::string& channel_id, const std::string& at,
                                   const std::string& state = "active") {
    db::ConversationRow c;
    c.id = core::NewId();
    c.guest_id = guest;
    c.channel_type = channel;
    c.channel_id = channel_id;
    c.state = state;
    c.created_at = c.updated_at = at;
    c.last_message_at = at;
    EXPECT_TRUE(db::InsertConversation(d, c));
    return c;
  }
  db::MessageRow Message(const db::ConversationRow& c, const std::string& direction,
                         const std::string& content, const std::string& at,
                         db::OptString entities = std::nullopt) {
    db::MessageRow m;
    m.id = core::NewId();
    m.conversation_id = c.id;
    m.direction = direction;
    m.sender_type = direction == "inbound" ? "guest" : "ai";
    m.content = content;
    m.entities = entities;
    m.created_at = at;
    EXPECT_TRUE(db::InsertMessage(d, m));
    return m;
  }
  db::TaskRow Task(const db::OptString& conversation, const std::string& description,
                   const std::string& at) {
    db::TaskRow t;
    t.id = core::NewId();
    t.conversation_id = conversation;
    t.type = "housekeeping";
    t.department = "housekeeping";
    t.room_number = "204";
    t.description = description;
    t.created_at = t.updated_at = at;
    EXPECT_TRUE(db::InsertTask(d, t));
    return t;
  }
  db::AuditRow Audit(const std::string& action, const std::string& at,
                     const std::string& actor_type = "system", db::OptString actor = std::nullopt,
                     db::OptString ip = std::nullopt) {
    db::AuditRow a;
    a.id = core::NewId();
    a.actor_type = actor_type;
    a.actor_id = actor;
    a.action = action;
    a.resource_type = "guest";
    a.ip_address = ip;
    a.user_agent = ip ? db::OptString("Mozilla/5.0 (Test)") : std::nullopt;
    a.created_at = at;
    EXPECT_TRUE(db::InsertAudit(d, a));
    return a;
  }
};

// ---------------------------------------------------------------------------------------------
// Retention
// ---------------------------------------------------------------------------------------------

TEST(Retention, CutoffsAreTheSeedsYears) {
  auto c = domain::RetentionCutoffsAt(At("2026-12-03T10:15:00.123Z"));
  EXPECT_EQ(c.messages, "2024-12-03T10:15:00.123Z");
  EXPECT_EQ(c.conversations, "2024-12-03T10:15:00.123Z");
  EXPECT_EQ(c.tasks, "2025-12-03T10:15:00.123Z");
  EXPECT_EQ(c.audit, "2019-12-03T10:15:00.123Z");
  // 29 February has no twin a year earlier.
  EXPECT_EQ(domain::RetentionCutoffsAt(At("2028-02-29T12:00:00.000Z")).tasks,
            "2027-02-28T12:00:00.000Z");
}

class RetentionRun : public ::testing::Test {
 protected:
  std::unique_ptr<db::Database> d = Open(":memory:");
  Fixture f{*d};
  core::FakeClock clock{At("2026-12-03T10:00:00.000Z")};
  domain::Ctx ctx{*d, clock};
};

TEST_F(RetentionRun, DryRunCountsAndRunDeletesOnlyWhatIsPastItsTime) {
  auto g = f.Guest("Ann", "Old", "ann@example.org", std::nullopt, "2020-01-01T00:00:00.000Z");
  // A conversation whose last message is 2 years and a day old: it goes, with its messages.
  auto old_conv = f.Conversation(g.id, "webchat", "s1", "2024-11-01T09:00:00.000Z");
  f.Message(old_conv, "inbound", "old question", "2024-11-01T09:00:00.000Z");
  f.Message(old_conv, "outbound", "old answer", "2024-11-01T09:00:01.000Z");
  old_conv.last_message_at = "2024-12-02T09:00:01.000Z";
  ASSERT_TRUE(db::UpdateConversation(*d, old_conv));
  f.Message(old_conv, "inbound", "a later word", "2024-12-02T09:00:01.000Z");
  // A conversation that began long ago but is still talking: it stays, its old messages go.
  auto long_conv = f.Conversation(g.id, "webchat", "s2", "2024-06-01T09:00:00.000Z");
  f.Message(long_conv, "inbound", "ancient", "2024-06-01T09:00:00.000Z");
  auto recent = f.Message(long_conv, "inbound", "recent", "2026-11-30T09:00:00.000Z");
  long_conv.last_message_at = recent.created_at;
  ASSERT_TRUE(db::UpdateConversation(*d, long_conv));
  // Tasks: one year. A recent task on the expiring conversation keeps itself, not the link.
  auto old_task = f.Task(std::nullopt, "old task", "2025-12-02T00:00:00.000Z");
  auto new_task = f.Task(old_conv.id, "recent task", "2025-12-04T00:00:00.000Z");
  // Audit: seven years.
  f.Audit("guest.view", "2019-12-02T00:00:00.000Z");
  f.Audit("guest.view", "2019-12-04T00:00:00.000Z");

  auto dry = domain::RunRetention(ctx, true);
  ASSERT_TRUE(dry) << dry.error().message;
  EXPECT_EQ(dry->messages, 4);  // 3 of old_conv + "ancient"
  EXPECT_EQ(dry->conversations, 1);
  EXPECT_EQ(dry->tasks, 1);
  EXPECT_EQ(dry->audit, 1);
  EXPECT_EQ(Count(*d, "SELECT count(*) FROM messages"), 5);  // nothing deleted by a dry run

  auto run = domain::RunRetention(ctx, false, /*batch=*/2);  // small batches: the loop runs
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->messages, 4);
  EXPECT_EQ(run->conversations, 1);
  EXPECT_EQ(run->tasks, 1);
  EXPECT_EQ(run->audit, 1);

  EXPECT_EQ(Count(*d, "SELECT count(*) FROM messages"), 1);
  EXPECT_TRUE(*db::FindMessage(*d, recent.id));
  EXPECT_FALSE(*db::FindConversation(*d, old_conv.id));
  EXPECT_TRUE(*db::FindConversation(*d, long_conv.id));
  EXPECT_FALSE(*db::FindTask(*d, old_task.id));
  auto kept = *db::FindTask(*d, new_task.id);
  ASSERT_TRUE(kept);
  EXPECT_FALSE(kept->conversation_id);
  EXPECT_EQ(Count(*d, "SELECT count(*) FROM audit_log"), 1);
  EXPECT_TRUE(*db::FindGuest(*d, g.id));  // profiles are kept until erased
  EXPECT_EQ(Count(*d, "SELECT count(*) FROM pragma_foreign_key_check"), 0)
      << "no dangling references";

  auto again = domain::RunRetention(ctx, false);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->total(), 0);
}

TEST_F(RetentionRun, KnowledgeAndEmbeddingsAreKept) {
  ASSERT_TRUE(d->Exec(
      "INSERT INTO knowledge_base (id, category, title, content, created_at, updated_at) VALUES "
      "('k1', 'faq', 'Old', 'Written long ago', '2015-01-01T00:00:00.000Z', "
      "'2015-01-01T00:00:00.000Z')"));
  ASSERT_TRUE(domain::RunRetention(ctx, false));
  EXPECT_EQ(Count(*d, "SELECT count(*) FROM knowledge_base"), 1);
}

// ---------------------------------------------------------------------------------------------
// The daily schedule
// ---------------------------------------------------------------------------------------------

TEST(Schedule, NextDailyRunIsThreeInTheMorningHotelTime) {
  // Madrid is UTC+1 in December, UTC+2 in July.
  EXPECT_EQ(
      core::FormatIso(jobs::NextDailyRun(At("2026-12-03T01:00:00.000Z"), 180, "Europe/Madrid")),
      "2026-12-03T02:00:00.000Z");
  EXPECT_EQ(
      core::FormatIso(jobs::NextDailyRun(At("2026-12-03T02:00:00.000Z"), 180, "Europe/Madrid")),
      "2026-12-04T02:00:00.000Z");
  EXPECT_EQ(
      core::FormatIso(jobs::NextDailyRun(At("2026-07-01T12:00:00.000Z"), 180, "Europe/Madrid")),
      "2026-07-02T01:00:00.000Z");
  EXPECT_EQ(
      core::FormatIso(jobs::NextDailyRun(At("2026-12-03T09:00:00.000Z"), 180, "America/New_York")),
      "2026-12-04T08:00:00.000Z");
}

TEST(Schedule, RetentionRunsOncePerHotelDay) {
  auto d = Open(":memory:");
  core::FakeClock clock{At("2026-12-03T10:00:00.000Z")};
  domain::Ctx ctx{*d, clock};
  ASSERT_TRUE(
      domain::ChangeSetting(ctx, domain::Actor::System(), "hotel.timezone", "Europe/Madrid", ""));
  Fixture f{*d};
  f.Task(std::nullopt, "old", "2025-01-01T00:00:00.000Z");

  auto first = jobs::RunDueJobs(ctx);  // never ran: runs now
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->retention_ran);
  EXPECT_EQ(first->retention.tasks, 1);
  EXPECT_TRUE(*db::LastJobRun(*d, "retention"));

  clock.Advance(minutes(14 * 60));  // 2026-12-04 00:00 UTC, 01:00 in Madrid
  auto second = jobs::RunDueJobs(ctx);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->retention_ran);

  clock.Set(At("2026-12-04T02:00:30.000Z"));  // 03:00:30 in Madrid
  f.Task(std::nullopt, "old", "2025-01-01T00:00:00.000Z");
  auto third = jobs::RunDueJobs(ctx);
  ASSERT_TRUE(third);
  EXPECT_TRUE(third->retention_ran);
  EXPECT_EQ(third->retention.tasks, 1);
  auto fourth = jobs::RunDueJobs(ctx);
  ASSERT_TRUE(fourth);
  EXPECT_FALSE(fourth->retention_ran);
}

TEST(Schedule, TickerTicksUntilStopped) {
  std::atomic<int> ticks{0};
  {
    jobs::Ticker t(std::chrono::milliseconds(5), [&] { ++ticks; });
    while (ticks < 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    t.Stop();
  }
  int after = ticks;
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(ticks, after);
}

// ---------------------------------------------------------------------------------------------
// Idle conversations
// ---------------------------------------------------------------------------------------------

class Idle : public ::testing::Test {
 protected:
  std::unique_ptr<db::Database> d = Open(":memory:");
  Fixture f{*d};
  core::FakeClock clock{At("2026-12-03T10:00:00.000Z")};
  domain::Ctx ctx{*d, clock};

  std::string AddStaff(const std::string& email) {
    db::StaffRow s;
    s.id = core::NewId();
    s.email = email;
    s.name = "Front Desk";
    s.role = "front_desk";
    s.created_at = s.updated_at = "2026-01-01T00:00:00.000Z";
    EXPECT_TRUE(db::InsertStaff(*d, s));
    return s.id;
  }

  db::ConversationRow Waiting(const std::string& lang = "en") {
    auto c = f.Conversation(std::nullopt, "webchat", core::NewId(), "2026-12-03T10:00:00.000Z");
    c.metadata = "{\"language\":\"" + lang + "\"}";
    EXPECT_TRUE(db::UpdateConversation(*d, c));
    f.Message(c, "inbound", "hello", "2026-12-03T09:59:59.000Z");
    f.Message(c, "outbound", "How can I help?", "2026-12-03T10:00:00.000Z");
    return c;
  }
};

TEST_F(Idle, WarnsAfterTheWarningTimeThenAbandonsAtTheAbandonTime) {
  auto c = Waiting("es");
  clock.Advance(minutes(29));
  auto r = jobs::RunIdleSweep(ctx);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->warned, 0);

  clock.Advance(minutes(2));  // 31 minutes of silence
  r = jobs::RunIdleSweep(ctx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->warned, 1);
  auto warned = *db::FindConversation(*d, c.id);
  ASSERT_TRUE(warned);
  EXPECT_EQ(warned->state, "active");
  ASSERT_TRUE(warned->idle_warned_at);
  auto last = *db::RecentMessages(*d, c.id, 1);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].sender_type, "system");
  EXPECT_EQ(last[0].direction, "outbound");
  EXPECT_NE(last[0].content.find("?"), std::string::npos);
  EXPECT_EQ(last[0].content.find("still there"), std::string::npos) << "Spanish, not English";

  r = jobs::RunIdleSweep(ctx);  // no second warning
  ASSERT_TRUE(r);
  EXPECT_EQ(r->warned, 0);
  // The warning went at minute 31; abandonment comes 120 - 30 = 90 minutes after it.
  clock.Advance(minutes(89));
  r = jobs::RunIdleSweep(ctx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->abandoned, 0);
  clock.Advance(minutes(2));
  r = jobs::RunIdleSweep(ctx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->abandoned, 1);
  EXPECT_EQ((*db::FindConversation(*d, c.id))->state, "abandoned");
}

TEST_F(Idle, TheGuestAnsweringCancelsTheCountdown) {
  auto c = Waiting();
  clock.Advance(minutes(31));
  ASSERT_EQ(jobs::RunIdleSweep(ctx)->warned, 1);
  auto conv = *db::FindConversation(*d, c.id);
  db::MessageRow m;
  m.direction = "inbound";
  m.sender_type = "guest";
  m.content = "yes, still here";
  ASSERT_TRUE(domain::AppendMessage(ctx, *conv, m));
  clock.Advance(minutes(200));
  auto r = jobs::RunIdleSweep(ctx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->abandoned, 0);
  EXPECT_EQ((*db::FindConversation(*d, c.id))->state, "active");
}

TEST_F(Idle, StaffTakingAWarnedConversationStopsItsAbandonment) {
  auto c = Waiting();
  clock.Advance(minutes(31));
  ASSERT_EQ(jobs::RunIdleSweep(ctx)->warned, 1);
  const auto staff_id = AddStaff("taker@example.org");
  auto conv = *db::FindConversation(*d, c.id);
  auto assigned = domain::AssignConversation(ctx, *conv, staff_id, domain::Actor::Staff(staff_id));
  ASSERT_TRUE(assigned) << assigned.error().message;
  auto after = *db::FindConversation(*d, c.id);
  EXPECT_FALSE(after->idle_warned_at) << "the new owner starts the clock afresh";
  clock.Advance(minutes(500));
  auto r = jobs::RunIdleSweep(ctx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->abandoned, 0);
  EXPECT_EQ(r->warned, 0);
  EXPECT_EQ((*db::FindConversation(*d, c.id))->state, "active");

  // A row that was warned and then given an owner by hand (no service call) is kept too.
  auto other = Waiting();
  clock.Advance(minutes(31));
  ASSERT_EQ(jobs::RunIdleSweep(ctx)->warned, 1);
  auto warned = *db::FindConversation(*d, other.id);
  warned->assigned_to = staff_id;
  ASSERT_TRUE(db::UpdateConversation(*d, *warned));
  clock.Advance(minutes(500));
  EXPECT_EQ(jobs::RunIdleSweep(ctx)->abandoned, 0);
}

TEST_F(Idle, StaffOwnedEscalatedAndGuestLastAreLeftAlone) {
  auto staffed = Waiting();
  staffed.assigned_to = AddStaff("fd@example.org");
  ASSERT_TRUE(db::UpdateConversation(*d, staffed));
  auto escalated = Waiting();
  escalated.state = "escalated";
  ASSERT_TRUE(db::UpdateConversation(*d, escalated));
  auto guest_last =
      f.Conversation(std::nullopt, "webchat", core::NewId(), "2026-12-03T10:00:00.000Z");
  f.Message(guest_last, "inbound", "hello?", "2026-12-03T10:00:00.000Z");
  clock.Advance(minutes(500));
  auto r = jobs::RunIdleSweep(ctx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->warned, 0);
  EXPECT_EQ(r->abandoned, 0);
}

TEST_F(Idle, SettingsChangeTheTimes) {
  ASSERT_TRUE(domain::ChangeSetting(ctx, domain::Actor::System(),
                                    "conversations.idle_warning_minutes", "5", ""));
  auto c = Waiting();
  clock.Advance(minutes(6));
  EXPECT_EQ(jobs::RunIdleSweep(ctx)->warned, 1);
}

// ---------------------------------------------------------------------------------------------
// GDPR erasure and export
// ---------------------------------------------------------------------------------------------

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Case-insensitive search for `needle` in raw bytes.
bool Holds(const std::string& bytes, const std::string& needle) {
  auto it = std::search(bytes.begin(), bytes.end(), needle.begin(), needle.end(),
                        [](char a, char b) { return std::tolower(a) == std::tolower(b); });
  return it != bytes.end();
}

struct Personal {
  db::GuestRow guest;
  db::ConversationRow whatsapp, webchat, claimed;
  db::TaskRow task, staff_typed;
  db::ReservationRow reservation;
};

Personal SeedPersonalData(db::Database& d, domain::Ctx& ctx) {
  Fixture f{d};
  Personal p;
  p.guest = f.Guest("Philippa", "Quenby-Marsh", "philippa.quenby@example.org", "+447700900123");
  p.guest.notes = "Philippa Quenby-Marsh prefers feather-free pillows";
  p.guest.tags = "[\"vip\"]";
  p.guest.vip_status = "gold";
  EXPECT_TRUE(db::UpdateGuest(d, p.guest));
  p.reservation.id = core::NewId();
  p.reservation.guest_id = p.guest.id;
  p.reservation.confirmation_number = "QM-20261203";
  p.reservation.room_number = "204";
  p.reservation.room_type = "double";
  p.reservation.arrival_date = "2026-12-01";
  p.reservation.departure_date = "2026-12-06";
  p.reservation.special_requests = "[\"Philippa would like a cot\"]";
  p.reservation.notes = "[\"call +447700900123 on arrival\"]";
  p.reservation.synced_at = p.reservation.created_at = p.reservation.updated_at =
      "2026-11-01T00:00:00.000Z";
  EXPECT_TRUE(db::InsertReservation(d, p.reservation));

  p.whatsapp = f.Conversation(p.guest.id, "whatsapp", "+447700900123", "2026-12-02T08:00:00.000Z");
  f.Message(p.whatsapp, "inbound",
            "Hi, this is Philippa Quenby-Marsh, reach me at philippa.quenby@example.org",
            "2026-12-02T08:00:00.000Z",
            std::string("{\"room\":\"204\",\"email\":\"philippa.quenby@example.org\"}"));
  f.Message(p.whatsapp, "outbound", "Of course, Philippa! Two towels are on their way to 204.",
            "2026-12-02T08:00:01.000Z");
  f.Message(p.whatsapp, "outbound", "Breakfast is served from 7:00 to 10:30.",
            "2026-12-02T08:00:02.000Z");
  // Rewrite the conversation a few times, as the pipeline does, to leave old row versions.
  for (int i = 0; i < 5; ++i) {
    p.whatsapp.updated_at = "2026-12-02T08:00:0" + std::to_string(i) + ".000Z";
    EXPECT_TRUE(db::UpdateConversation(d, p.whatsapp));
  }
  p.webchat = f.Conversation(p.guest.id, "webchat", "wc-session-1", "2026-12-02T09:00:00.000Z");
  p.webchat.metadata = "{\"claimedName\":\"Philippa Quenby-Marsh\"}";
  EXPECT_TRUE(db::UpdateConversation(d, p.webchat));
  f.Message(p.webchat, "inbound", "My phone is 07700 900123", "2026-12-02T09:00:00.000Z");
  db::WebchatSessionRow s;
  s.id = core::NewId();
  s.token_hash = "hash-of-token";
  s.conversation_id = p.webchat.id;
  s.guest_id = p.guest.id;
  s.claimed_name = "Philippa Quenby-Marsh";
  s.claimed_email = "philippa.quenby@example.org";
  s.ip_address = "203.0.113.77";
  s.created_at = s.last_seen_at = "2026-12-02T09:00:00.000Z";
  s.expires_at = "2026-12-03T09:00:00.000Z";
  EXPECT_TRUE(db::InsertWebchatSession(d, s));

  // The pipeline's entity form, an array, with a name among ordinary entities.
  f.Message(p.whatsapp, "inbound", "Philippa here, 2 towels please", "2026-12-02T08:05:00.000Z",
            std::string("[{\"type\":\"person_name\",\"value\":\"Philippa\",\"text\":"
                        "\"Philippa\"},{\"type\":\"quantity\",\"value\":2,\"text\":\"2\"}]"));
  // An anonymous web-chat visitor who typed the guest's email: a claim, never linked.
  p.claimed = f.Conversation(std::nullopt, "webchat", "wc-session-2", "2026-12-02T11:00:00.000Z");
  f.Message(p.claimed, "inbound", "Do you have my booking? I gave my email",
            "2026-12-02T11:00:00.000Z");
  db::WebchatSessionRow claim;
  claim.id = core::NewId();
  claim.token_hash = "hash-of-claiming-token";
  claim.conversation_id = p.claimed.id;
  claim.claimed_name = "P. Q.";
  claim.claimed_email = "philippa.quenby@example.org";
  claim.created_at = claim.last_seen_at = "2026-12-02T11:00:00.000Z";
  claim.expires_at = "2026-12-09T11:00:00.000Z";
  EXPECT_TRUE(db::InsertWebchatSession(d, claim));

  p.task = f.Task(p.whatsapp.id, "2 towels for Philippa Quenby-Marsh, room 204",
                  "2026-12-02T08:00:01.000Z");
  p.task.notes = "guest asked us to ring (0)7700-900.123 before coming up";
  EXPECT_TRUE(db::UpdateTask(d, p.task));
  p.staff_typed =
      f.Task(std::nullopt, "Flowers for Ms Quenby-Marsh on arrival", "2026-12-02T10:00:00.000Z");
  f.Audit("guest.view", "2026-12-02T10:00:00.000Z", "guest", p.guest.id,
          std::string("203.0.113.77"));
  (void)ctx;
  return p;
}

TEST(Erasure, NothingOfTheGuestRemainsInTheFileOrWal) {
  TempDir dir;
  const auto path = dir.File("jack.db");
  auto d = Open(path);
  core::FakeClock clock{At("2026-12-03T10:00:00.000Z")};
  domain::Ctx ctx{*d, clock};
  auto p = SeedPersonalData(*d, ctx);
  // A second guest whose data must stay.
  Fixture f{*d};
  auto other = f.Guest("Bartholomew", "Ellingsworth", "bart@example.org", "+14155550199");

  // Before: the personal data is in the file or the WAL (the test can see it).
  std::string before = ReadAll(path) + ReadAll(path + "-wal");
  ASSERT_TRUE(Holds(before, "Quenby"));
  ASSERT_TRUE(Holds(before, "philippa.quenby@example.org"));

  auto report =
      domain::EraseGuest(ctx, domain::Actor::Staff(core::NewId(), "198.51.100.5"), p.guest.id);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->conversations, 3) << "its own two and the one that claimed its email";
  EXPECT_GE(report->messages, 5);
  EXPECT_EQ(report->tasks, 2);
  EXPECT_EQ(report->reservations, 1);
  EXPECT_TRUE(report->wal_truncated);

  std::string after = ReadAll(path) + ReadAll(path + "-wal");
  for (const char* needle :
       {"Philippa", "Quenby", "philippa.quenby@example.org", "+447700900123", "447700900123",
        "07700 900123", "7700-900.123", "203.0.113.77", "P. Q."}) {
    EXPECT_FALSE(Holds(after, needle)) << needle << " is still in the database file or WAL";
  }
  EXPECT_TRUE(Holds(after, "Ellingsworth")) << "other guests are untouched";

  // The tombstone, the kept structure and the audit trail.
  auto g = *db::FindGuest(*d, p.guest.id);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->first_name, "Erased");
  EXPECT_EQ(g->last_name, "Guest");
  EXPECT_FALSE(g->email);
  EXPECT_FALSE(g->phone);
  EXPECT_FALSE(g->notes);
  EXPECT_FALSE(g->vip_status);
  EXPECT_EQ(g->preferences, "[]");
  EXPECT_EQ(*g->tags, "[]");
  auto r = *db::FindReservation(*d, p.reservation.id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->room_number, "204");
  EXPECT_EQ(r->arrival_date, "2026-12-01");
  EXPECT_EQ(*r->special_requests, "[]");
  auto c = *db::FindConversation(*d, p.whatsapp.id);
  EXPECT_EQ(c->channel_id, "erased:" + p.whatsapp.id);
  auto msgs = *db::MessagesOfConversation(*d, p.whatsapp.id);
  ASSERT_EQ(msgs.size(), 4u);
  EXPECT_EQ(msgs[0].content, "[erased]");
  EXPECT_EQ(*msgs[0].entities, "{\"room\":\"204\"}");
  EXPECT_EQ(msgs[1].content, "[erased]");                                 // quoted the guest's name
  EXPECT_EQ(msgs[2].content, "Breakfast is served from 7:00 to 10:30.");  // kept
  EXPECT_EQ(msgs[3].content, "[erased]");
  EXPECT_EQ(*msgs[3].entities, "[{\"type\":\"quantity\",\"value\":2,\"text\":\"2\"}]")
      << "the name goes, the other entities stay";
  auto claimed = *db::MessagesOfConversation(*d, p.claimed.id);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].content, "[erased]");
  EXPECT_EQ((*db::FindConversation(*d, p.claimed.id))->channel_id, "erased:" + p.claimed.id);
  auto t = *db::FindTask(*d, p.task.id);
  EXPECT_EQ(t->description, "2 towels for the guest, room 204");
  EXPECT_EQ(t->notes, "guest asked us to ring [erased] before coming up")
      << "a phone written in a national format goes too";
  EXPECT_EQ(t->room_number, "204");
  EXPECT_EQ((*db::FindTask(*d, p.staff_typed.id))->description,
            "Flowers for Ms the guest on arrival");
  EXPECT_EQ(Count(*d, "SELECT count(*) FROM webchat_sessions"), 0);
  EXPECT_EQ(Count(*d,
                  "SELECT count(*) FROM audit_log WHERE action = 'guest.delete' AND actor_type = "
                  "'staff' AND resource_type = 'guest' AND resource_id = '" +
                      p.guest.id + "'"),
            1);
  EXPECT_EQ(Count(*d, "SELECT count(*) FROM audit_log WHERE action = 'guest.view'"), 1)
      << "the audit trail stays whole";
  EXPECT_TRUE(*db::FindGuest(*d, other.id));

  // Erasing a tombstone is not found; integrity holds.
  auto again = domain::EraseGuest(ctx, domain::Actor::System(), p.guest.id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::not_found);
  auto q = d->Query("PRAGMA integrity_check");
  ASSERT_TRUE(q && *q->Next());
  EXPECT_EQ(q->Text(0), "ok");
}

TEST(Erasure, UnknownGuestIsNotFound) {
  auto d = Open(":memory:");
  core::FakeClock clock{At("2026-12-03T10:00:00.000Z")};
  domain::Ctx ctx{*d, clock};
  auto r = domain::EraseGuest(ctx, domain::Actor::System(), "no-such-guest");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::not_found);
}

TEST(Export, OneDocumentWithEverythingAndAnAuditRow) {
  auto d = Open(":memory:");
  core::FakeClock clock{At("2026-12-03T10:00:00.000Z")};
  domain::Ctx ctx{*d, clock};
  auto p = SeedPersonalData(*d, ctx);
  auto data = domain::ExportGuest(ctx, domain::Actor::Staff("staff-1"), p.guest.id);
  ASSERT_TRUE(data) << data.error().message;
  auto doc = http::GuestExportJson(*data, ctx.Now());
  EXPECT_EQ(doc.at("guest").at("email").as_string(), "philippa.quenby@example.org");
  EXPECT_EQ(doc.at("guest").at("phone").as_string(), "+447700900123");
  EXPECT_EQ(doc.at("reservations").as_array().size(), 1u);
  EXPECT_EQ(doc.at("reservations").at(0).at("confirmationNumber").as_string(), "QM-20261203");
  const auto& convs = doc.at("conversations").as_array();
  ASSERT_EQ(convs.size(), 2u);
  EXPECT_EQ(convs[0].at("messages").as_array().size(), 4u);
  EXPECT_EQ(convs[0].at("tasks").as_array().size(), 1u);
  EXPECT_EQ(convs[0].at("channelId").as_string(), "+447700900123");
  EXPECT_GE(doc.at("auditTrail").as_array().size(), 1u);
  EXPECT_EQ(Count(*d,
                  "SELECT count(*) FROM audit_log WHERE action = 'data.export' AND "
                  "resource_type = 'guest' AND actor_id = 'staff-1' AND resource_id = '" +
                      p.guest.id + "'"),
            1);
  auto missing = domain::ExportGuest(ctx, domain::Actor::System(), "nobody");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  EXPECT_EQ(Count(*d, "SELECT count(*) FROM audit_log WHERE action = 'data.export'"), 1);
}

// ---------------------------------------------------------------------------------------------
// Audit log: append-only
// ---------------------------------------------------------------------------------------------

TEST(AuditLog, RowsCannotBeEditedOnlyStrippedOfAddresses) {
  auto d = Open(":memory:");
  Fixture f{*d};
  auto a = f.Audit("guest.view", "2026-12-01T00:00:00.000Z", "guest", std::string("g1"),
                   std::string("203.0.113.1"));
  for (const char* sql :
       {"UPDATE audit_log SET action = 'guest.edit'", "UPDATE audit_log SET details = '{}'",
        "UPDATE audit_log SET created_at = '2030-01-01T00:00:00.000Z'",
        "UPDATE audit_log SET actor_id = 'someone-else'",
        "UPDATE audit_log SET ip_address = '10.0.0.1'"}) {
    auto st = d->Exec(sql);
    EXPECT_FALSE(st) << sql;
  }
  EXPECT_TRUE(d->Exec("UPDATE audit_log SET ip_address = NULL, user_agent = NULL"));
  auto rows = *db::ListAudit(*d, std::nullopt, std::nullopt, 10);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].action, "guest.view");
  EXPECT_FALSE(rows[0].ip_address);
}

// ---------------------------------------------------------------------------------------------
// Migrations: an upgrade from migration 1 keeps every row
// ---------------------------------------------------------------------------------------------

TEST(Upgrade, FromMigrationOneToTheLatestKeepsTheData) {
  TempDir dir;
  const auto path = dir.File("old.db");
  {
    auto d = db::Database::Open({path});
    ASSERT_TRUE(d);
    auto n = db::MigrateTo(**d, 1);
    ASSERT_TRUE(n) << n.error().message;
    ASSERT_EQ(*n, 1);
    // Rows written with migration 1's columns only, the way a version-1 binary would.
    ASSERT_TRUE((*d)->Exec(R"sql(
      INSERT INTO guests (id, first_name, last_name, email) VALUES ('g1', 'Ada', 'Byron', 'ada@example.org');
      INSERT INTO reservations (id, guest_id, confirmation_number, room_type, arrival_date, departure_date)
        VALUES ('r1', 'g1', 'C-1', 'suite', '2026-12-01', '2026-12-05');
      INSERT INTO conversations (id, guest_id, channel_type, channel_id) VALUES ('c1', 'g1', 'webchat', 'w1');
      INSERT INTO messages (id, conversation_id, direction, sender_type, content)
        VALUES ('m1', 'c1', 'inbound', 'guest', 'Is the pool heated?');
      INSERT INTO tasks (id, conversation_id, type, department, description)
        VALUES ('t1', 'c1', 'housekeeping', 'housekeeping', 'towels');
      INSERT INTO staff (id, email, name, role) VALUES ('s1', 'fd@example.org', 'F D', 'front_desk');
      INSERT INTO knowledge_base (id, category, title, content) VALUES ('k1', 'amenity', 'Pool', 'The pool is heated to 28 degrees.');
      INSERT INTO automation_rules (id, name, trigger_type, trigger_config, action_type, action_config)
        VALUES ('a1', 'Welcome', 'time_based', '{}', 'send_message', '{}');
      INSERT INTO audit_log (id, actor_type, action, resource_type) VALUES ('l1', 'system', 'staff.create', 'staff');
    )sql"));
  }
  auto d = db::Database::Open({path});
  ASSERT_TRUE(d);
  auto n = db::Migrate(**d);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, static_cast<int>(db::EmbeddedMigrations().size()) - 1);
  ASSERT_TRUE(db::CheckMigrations(**d));
  for (const char* t : {"guests", "reservations", "conversations", "messages", "tasks", "staff",
                        "knowledge_base", "automation_rules", "audit_log"}) {
    EXPECT_EQ(Count(**d, std::string("SELECT count(*) FROM ") + t), 1) << t;
  }
  EXPECT_EQ((*db::FindGuest(**d, "g1"))->email, "ada@example.org");
  EXPECT_EQ((*db::FindMessage(**d, "m1"))->content, "Is the pool heated?");
  auto hits = db::SearchKnowledgeFts(**d, "heated", 5);
  ASSERT_TRUE(hits);
  ASSERT_EQ(hits->size(), 1u) << "the FTS index survived the upgrade";
  auto q = (*d)->Query("PRAGMA integrity_check");
  ASSERT_TRUE(q && *q->Next());
  EXPECT_EQ(q->Text(0), "ok");
}

// ---------------------------------------------------------------------------------------------
// Durability: kill -9 during a write load
// ---------------------------------------------------------------------------------------------

// `server_setup`: the writer opens the database as `jack serve` does (no checkpoints inside
// commits, a db::Checkpointer on its own thread), so that a kill can land mid-checkpoint.
void KillNineDuringWrites(bool server_setup) {
  TempDir dir;
  const auto path = dir.File("crash.db");
  {
    auto d = Open(path);
    Fixture f{*d};
    f.Conversation(std::nullopt, "webchat", "crash", "2026-12-03T10:00:00.000Z");
  }
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The writer: a message and its audit row per transaction; the ID is written to the
    // pipe only after COMMIT returned (the acknowledgement).
    close(fds[0]);
    db::OpenOptions o;
    o.path = path;
    o.auto_checkpoint = !server_setup;
    auto d = db::Database::Open(o);
    if (!d) _exit(2);
    std::unique_ptr<db::Checkpointer> checkpointer;
    if (server_setup)
      checkpointer = std::make_unique<db::Checkpointer>(path, std::chrono::milliseconds(10));
    auto q = (*d)->Query("SELECT id FROM conversations LIMIT 1");
    if (!q || !*q->Next()) _exit(3);
    std::string conv_id = q->Text(0);
    for (int i = 0;; ++i) {
      db::Transaction tx(**d);
      db::MessageRow m;
      m.id = core::NewId();
      m.conversation_id = conv_id;
      m.direction = "inbound";
      m.sender_type = "guest";
      m.content = "message " + std::to_string(i);
      m.created_at = core::FormatIso(std::chrono::system_clock::now());
      if (!db::InsertMessage(**d, m)) _exit(4);
      db::AuditRow a;
      a.id = core::NewId();
      a.actor_type = "guest";
      a.action = "guest.view";
      a.resource_type = "guest";
      a.resource_id = m.id;
      a.created_at = m.created_at;
      if (!db::InsertAudit(**d, a)) _exit(5);
      if (!tx.Commit()) _exit(6);
      std::string line = m.id + "\n";
      if (write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(7);
    }
  }
  close(fds[1]);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped early, status " << status;
  std::string acked;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) acked.append(buf, n);
  close(fds[0]);
  std::vector<std::string> ids;
  std::stringstream ss(acked);
  for (std::string line; std::getline(ss, line);)
    if (line.size() == 36) ids.push_back(line);  // a torn last line was never acknowledged
  ASSERT_GT(ids.size(), 50u) << "the writer wrote too little to mean anything";

  auto d = db::Database::Open({path});
  ASSERT_TRUE(d) << d.error().message;
  auto q = (*d)->Query("PRAGMA integrity_check");
  ASSERT_TRUE(q && *q->Next());
  EXPECT_EQ(q->Text(0), "ok");
  int missing = 0;
  for (const auto& id : ids) {
    auto m = db::FindMessage(**d, id);
    ASSERT_TRUE(m);
    if (!*m) ++missing;
  }
  EXPECT_EQ(missing, 0) << "of " << ids.size() << " acknowledged writes";
  EXPECT_EQ(Count(**d, "SELECT count(*) FROM messages"),
            Count(**d, "SELECT count(*) FROM audit_log"))
      << "each message came with its audit row, or neither did";
}

TEST(Durability, EveryAcknowledgedWriteSurvivesKillNine) { KillNineDuringWrites(false); }

TEST(Durability, EveryAcknowledgedWriteSurvivesKillNineWithTheServersCheckpointer) {
  KillNineDuringWrites(true);
}

// jack db backup: one consistent snapshot while another connection keeps writing.
TEST(Backup, OnlineCopyIsConsistentWhileAWriterRuns) {
  TempDir dir;
  const auto path = dir.File("live.db");
  const auto copy = dir.File("copy.db");
  auto d = Open(path);
  Fixture f{*d};
  auto c = f.Conversation(std::nullopt, "webchat", "live", "2026-12-03T10:00:00.000Z");
  for (int i = 0; i < 2000; ++i)
    f.Message(c, "inbound", "filler message number " + std::to_string(i),
              "2026-12-03T10:00:00.000Z");
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    auto w = db::Database::Open({path});
    if (!w) return;
    while (!stop) {
      db::MessageRow m;
      m.id = core::NewId();
      m.conversation_id = c.id;
      m.direction = "inbound";
      m.sender_type = "guest";
      m.content = "live write";
      m.created_at = "2026-12-03T11:00:00.000Z";
      if (db::InsertMessage(**w, m)) ++written;
    }
  });
  while (written < 20) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto reader = db::Database::Open({path});
  ASSERT_TRUE(reader);
  auto st = (*reader)->BackupTo(copy);
  const int before_stop = written.load();
  stop = true;
  writer.join();
  ASSERT_TRUE(st) << st.error().message;
  auto b = db::Database::Open({copy});
  ASSERT_TRUE(b) << b.error().message;
  auto q = (*b)->Query("PRAGMA integrity_check");
  ASSERT_TRUE(q && *q->Next());
  EXPECT_EQ(q->Text(0), "ok");
  const auto copied = Count(**b, "SELECT count(*) FROM messages");
  EXPECT_GE(copied, 2000 + 20) << "the rows written before the backup began are in it";
  // The writer counts a row just after its commit, so one committed row may not be counted yet.
  EXPECT_LE(copied, 2000 + before_stop + 1) << "and nothing that was not written";
  EXPECT_GT(written.load(), 20) << "the writer was not blocked by the backup";
}

}  // namespace
}  // namespace jack

// ---------------------------------------------------------------------------------------------
// Knowledge chunks, vectors and the embedding dimension strategy
// ---------------------------------------------------------------------------------------------
namespace jack {
namespace {

TEST(Chunks, ShortContentIsOneChunk) {
  auto c = domain::ChunkText("Breakfast is served from 7:00 to 10:30.");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0], "Breakfast is served from 7:00 to 10:30.");
}

TEST(Chunks, ParagraphsArePackedAndLongOnesCutAtSentencesWithOverlap) {
  std::string content;
  for (int i = 0; i < 12; ++i)
    content += "Paragraph " + std::to_string(i) + " talks about topic " + std::to_string(i) +
               " in some detail. It has a second sentence too.\n\n";
  std::string long_para;
  for (int i = 0; i < 30; ++i) long_para += "Sentence number " + std::to_string(i) + " here. ";
  content += long_para;
  auto chunks = domain::ChunkText(content, 300);
  ASSERT_GT(chunks.size(), 4u);
  for (const auto& c : chunks) EXPECT_LE(c.size(), 300u) << c;
  // Every sentence is somewhere; consecutive chunks share a sentence (overlap).
  std::string all;
  for (const auto& c : chunks) all += c + "\n";
  for (int i = 0; i < 30; ++i)
    EXPECT_NE(all.find("Sentence number " + std::to_string(i) + " here."), std::string::npos);
  for (int i = 0; i < 12; ++i)
    EXPECT_NE(all.find("Paragraph " + std::to_string(i) + " "), std::string::npos);
  int overlaps = 0;
  for (size_t i = 1; i < chunks.size(); ++i) {
    auto first_sentence = chunks[i].substr(0, chunks[i].find('.') + 1);
    if (chunks[i - 1].find(first_sentence) != std::string::npos) ++overlaps;
  }
  EXPECT_GE(overlaps, static_cast<int>(chunks.size()) - 2);
}

TEST(Chunks, QuestionLinesStartNewParagraphs) {
  auto c = domain::ChunkText(
      "Q: Is there parking?\nA: Yes, 20 EUR a night.\nQ: Pets?\nA: Dogs "
      "under 10 kg are welcome.",
      40);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0], "Q: Is there parking?\nA: Yes, 20 EUR a night.");
}

TEST(LocalEmbedder, DeterministicUnitVectorsThatReflectSharedWords) {
  ai::LocalHashEmbedder e;
  auto a = e.EmbedOne("What time is breakfast served?");
  auto b = e.EmbedOne("breakfast times");
  auto c = e.EmbedOne("Where can I park my car?");
  ASSERT_EQ(a.size(), 384u);
  EXPECT_EQ(a, e.EmbedOne("What time is breakfast served?"));
  auto dot = [](const std::vector<float>& x, const std::vector<float>& y) {
    double s = 0;
    for (size_t i = 0; i < x.size(); ++i) s += double(x[i]) * y[i];
    return s;
  };
  EXPECT_NEAR(dot(a, a), 1.0, 1e-5);
  EXPECT_GT(dot(a, b), dot(a, c) + 0.1);
  EXPECT_EQ(dot(e.EmbedOne(""), e.EmbedOne("")), 0.0);
}

// A second provider with another dimension, to switch to.
class TinyEmbedder final : public ai::Embedder {
 public:
  std::string model() const override { return "tiny-8"; }
  int dimensions() const override { return 8; }
  Result<std::vector<std::vector<float>>> Embed(
      const std::vector<std::string>& texts) const override {
    std::vector<std::vector<float>> out;
    for (const auto& t : texts) {
      std::vector<float> v(8, 0.0f);
      v[t.size() % 8] = 1.0f;
      out.push_back(v);
    }
    return out;
  }
};

db::KnowledgeRow AddEntry(domain::Ctx& ctx, const std::string& title, const std::string& content,
                          const ai::Embedder* index_with = nullptr) {
  db::Transaction tx(ctx.db);
  domain::KnowledgeInput in{"faq", title, content, std::nullopt, std::nullopt, std::nullopt};
  auto k = domain::CreateKnowledge(ctx, in);
  EXPECT_TRUE(k) << k.error().message;
  if (index_with) {
    EXPECT_TRUE(ai::IndexKnowledgeEntry(ctx, *index_with, *k));
  }
  EXPECT_TRUE(tx.Commit());
  return *k;
}

TEST(KnowledgeIndex, FollowsTheProviderAndFindsFactsDeepInLongEntries) {
  auto d = Open(":memory:");
  core::FakeClock clock{At("2026-12-03T10:00:00.000Z")};
  domain::Ctx ctx{*d, clock};
  ai::LocalHashEmbedder local;
  AddEntry(ctx, "Breakfast", "Breakfast is served from 7:00 to 10:30 in the Garden Room.");
  AddEntry(ctx, "Parking", "The garage under the hotel costs 25 EUR a night.");
  // A long page of varied house rules with one fact deep inside.
  const std::vector<std::string> filler = {
      "Quiet hours run from 22:00 to 7:00 on every floor.",
      "Smoking is not allowed anywhere inside the building.",
      "Luggage can be stored at the concierge desk after check-out.",
      "Housekeeping cleans rooms between 9:00 and 15:00.",
      "The minibar is restocked daily and charged to the room.",
      "Guests receive two key cards at check-in; replacements are free.",
      "Irons and ironing boards can be borrowed from reception.",
      "The business centre has two computers and a printer.",
      "Umbrellas are lent at the main entrance on rainy days.",
      "Late check-out until 14:00 depends on availability.",
      "The lobby bar serves cocktails until midnight.",
      "Pets are welcome in ground-floor rooms only.",
      "Extra blankets and pillows are in the wardrobe.",
      "The safe in each room fits a laptop.",
      "Laundry handed in before 9:00 comes back the same evening.",
      "Bicycles can be rented at the front desk for 15 EUR a day."};
  std::string manual;
  for (int i = 0; i < 48; ++i) {
    manual += filler[i % filler.size()] + " " + filler[(i * 7 + 3) % filler.size()] + "\n\n";
    if (i == 30) manual += "The sauna on the fifth floor opens at 16:00 and closes at 22:00.\n\n";
  }
  auto long_entry = AddEntry(ctx, "House manual", manual);

  // The seed's table is FLOAT[1536] for text-embedding-3-small: the local provider rebuilds it.
  ASSERT_EQ(*db::EmbeddingTableDimensions(*d), 1536);
  auto r = ai::SyncKnowledgeIndex(ctx, local);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->rebuilt);
  EXPECT_EQ(r->entries, 3);
  EXPECT_EQ(*db::EmbeddingTableDimensions(*d), 384);
  EXPECT_EQ(domain::Setting(ctx, "embeddings.model"), "local-hash-384");
  EXPECT_EQ(domain::Setting(ctx, "embeddings.dimensions"), "384");
  auto chunks = *db::ChunksOf(*d, long_entry.id);
  EXPECT_GT(chunks.size(), 3u);
  EXPECT_EQ(*db::CountEmbeddings(*d), r->chunks);

  auto again = ai::SyncKnowledgeIndex(ctx, local);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->rebuilt);
  EXPECT_EQ(again->entries, 0);

  auto hits = *db::NearestChunks(*d, local.EmbedOne("when does the sauna open"), 3);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].knowledge_id, long_entry.id);
  bool sauna_chunk = false;
  for (const auto& c : chunks)
    if (c.id == hits[0].chunk_id) sauna_chunk = c.content.find("sauna") != std::string::npos;
  EXPECT_TRUE(sauna_chunk) << "the nearest chunk is the one with the fact";

  // A new entry indexed with its creation is found at once.
  auto spa = AddEntry(ctx, "Spa treatments", "Massages can be booked at the spa desk.", &local);
  hits = *db::NearestChunks(*d, local.EmbedOne("book a massage"), 1);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].knowledge_id, spa.id);

  // Archiving drops the entry's vectors.
  spa.status = "archived";
  ASSERT_TRUE(db::UpdateKnowledge(*d, spa));
  ASSERT_TRUE(ai::IndexKnowledgeEntry(ctx, local, spa));
  hits = *db::NearestChunks(*d, local.EmbedOne("book a massage"), 5);
  for (const auto& h : hits) EXPECT_NE(h.knowledge_id, spa.id);

  // Switching provider: the table is recreated with the new dimension, every vector redone.
  TinyEmbedder tiny;
  auto before = *db::CountEmbeddings(*d);
  auto sw = ai::SyncKnowledgeIndex(ctx, tiny);
  ASSERT_TRUE(sw) << sw.error().message;
  EXPECT_TRUE(sw->rebuilt);
  EXPECT_EQ(*db::EmbeddingTableDimensions(*d), 8);
  EXPECT_EQ(domain::Setting(ctx, "embeddings.model"), "tiny-8");
  EXPECT_EQ(*db::CountEmbeddings(*d), before);
  EXPECT_EQ(db::NearestChunks(*d, std::vector<float>(8, 0.5f), 2)->size(), 2u);
}

TEST(KnowledgeIndex, ReadersKeepAnsweringDuringARebuild) {
  TempDir dir;
  const auto path = dir.File("kb.db");
  auto writer = Open(path);
  core::FakeClock clock{At("2026-12-03T10:00:00.000Z")};
  domain::Ctx ctx{*writer, clock};
  ai::LocalHashEmbedder local;
  AddEntry(ctx, "Pool", "The pool is open from 8:00 to 20:00.");
  ASSERT_TRUE(ai::SyncKnowledgeIndex(ctx, local));
  auto reader = db::Database::Open({path});
  ASSERT_TRUE(reader);

  // Stage a rebuild by hand, stopping before the swap: the reader still sees the old index.
  TinyEmbedder tiny;
  ASSERT_TRUE(db::BeginEmbeddingStaging(*writer));
  auto chunks = *db::ChunksOf(*writer, (*db::ActiveKnowledge(*writer))[0].id);
  for (const auto& c : chunks)
    ASSERT_TRUE(db::StageEmbedding(*writer, c.id, (*tiny.Embed({c.content}))[0]));
  auto during = db::NearestChunks(**reader, local.EmbedOne("pool hours"), 1);
  ASSERT_TRUE(during) << during.error().message;
  EXPECT_EQ(during->size(), 1u);

  {
    db::Transaction tx(*writer);
    ASSERT_TRUE(db::SwapInStagedEmbeddings(*writer, 8, "tiny-8", ctx.Now()));
    ASSERT_TRUE(tx.Commit());
  }
  auto after = db::NearestChunks(**reader, std::vector<float>(8, 0.5f), 1);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->size(), 1u);
  EXPECT_EQ(*db::EmbeddingTableDimensions(**reader), 8);
}

}  // namespace
}  // namespace jack
