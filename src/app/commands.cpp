#include "app/commands.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "ai/eval.hpp"
#include "ai/pipeline.hpp"
#include "ai/retrieval.hpp"
#include "ai/training_data.hpp"
#include "app/config.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "db/lifecycle.hpp"
#include "db/migrations.hpp"
#include "db/repositories.hpp"
#include "domain/demo.hpp"
#include "domain/guests.hpp"
#include "domain/json_columns.hpp"
#include "domain/knowledge.hpp"
#include "domain/passwords.hpp"
#include "domain/permissions.hpp"
#include "domain/privacy.hpp"
#include "domain/retention.hpp"
#include "domain/settings.hpp"
#include "domain/staff.hpp"
#include "http/handlers.hpp"
#include "http/json_mapping.hpp"
#include "http/reservation_import.hpp"
#include "http/server.hpp"
#include "jobs/jobs.hpp"
#include "outbound/http_client.hpp"

namespace jack::app {
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

int Fail(const std::string& msg) {
  std::cerr << "jack: " << msg << "\n";
  return 1;
}

Result<std::unique_ptr<db::Database>> OpenMigrated(const std::string& path, bool migrate = true,
                                                   bool auto_checkpoint = true) {
  db::OpenOptions o;
  o.path = path;
  o.auto_checkpoint = auto_checkpoint;
  o.synchronous = Env("JACK_SQLITE_SYNCHRONOUS", "NORMAL");
  if (o.synchronous != "NORMAL" && o.synchronous != "FULL")
    return Error::Invalid("JACK_SQLITE_SYNCHRONOUS must be NORMAL or FULL");
  auto d = db::Database::Open(o);
  if (!d) return d.error();
  if (migrate) {
    auto n = db::Migrate(**d);
    if (!n) return n.error();
  }
  return d;
}

// JACK_JWT_SECRET, or a secret generated once and kept beside the database (mode 0600).
Result<std::string> JwtSecret(const std::string& db_path) {
  std::string env = Env("JACK_JWT_SECRET");
  if (!env.empty()) {
    if (env.size() < 32) return Error::Invalid("JACK_JWT_SECRET must be at least 32 characters");
    return env;
  }
  if (db_path == ":memory:") return core::RandomHex(32);
  fs::path file =
      fs::path(db_path).parent_path() / (fs::path(db_path).filename().string() + ".jwt-secret");
  std::ifstream in(file);
  std::string secret;
  if (in && std::getline(in, secret) && secret.size() >= 32) return secret;
  secret = core::RandomHex(32);
  std::string tmp = file.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return Error::Unavailable("cannot write " + file.string());
  std::string line = secret + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::fsync(fd);
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), file.c_str()) != 0)
    return Error::Unavailable("cannot write " + file.string());
  return secret;
}

// JACK_ADMIN_EMAIL / JACK_ADMIN_PASSWORD: the first admin of a database that had no staff
// when this start began (`fresh`; the demo hotel's own staff may have been loaded since).
Status EnsureAdmin(db::Database& d, bool fresh) {
  std::string email = Env("JACK_ADMIN_EMAIL"), password = Env("JACK_ADMIN_PASSWORD");
  if (email.empty() || password.empty() || !fresh) return {};
  auto existing = db::FindStaffByEmail(d, core::AsciiLower(core::Trim(email)));
  if (!existing) return existing.error();
  if (*existing) return {};
  JACK_TRY(domain::CheckPasswordPolicy(password));
  auto hash = domain::HashPassword(password, domain::BcryptCost());
  if (!hash) return hash.error();
  domain::Ctx ctx{d, core::DefaultClock()};
  domain::StaffInput in{email, "Administrator", "admin", std::nullopt, std::nullopt, *hash};
  auto s = domain::CreateStaff(ctx, domain::Actor::System(), in);
  if (!s) return s.error();
  std::cout << "created admin " << s->email << "\n";
  return {};
}

void PrintLogins(const std::vector<domain::DemoLogin>& logins) {
  std::cout << "demo logins (email / password / role):\n";
  for (const auto& l : logins)
    std::cout << "  " << l.email << "  " << l.password << "  " << l.role << "\n";
}

}  // namespace

namespace {

// The embedding provider of JACK_EMBEDDING_* (cli.md): `local` (default) or `openai`, any
// /v1/embeddings server; its base URL and key default to JACK_AI_BASE_URL / JACK_AI_API_KEY.
Result<std::shared_ptr<const ai::Embedder>> EmbedderFromEnv() {
  const std::string provider = Env("JACK_EMBEDDING_PROVIDER", "local");
  if (provider == "local") return std::shared_ptr<const ai::Embedder>();
  if (provider != "openai")
    return Error::Invalid("JACK_EMBEDDING_PROVIDER must be local or openai, not " + provider);
  ai::RemoteEmbedderOptions o;
  o.base_url = Env("JACK_EMBEDDING_BASE_URL", Env("JACK_AI_BASE_URL", "https://api.openai.com/v1"));
  while (!o.base_url.empty() && o.base_url.back() == '/') o.base_url.pop_back();
  if (!core::StartsWith(o.base_url, "http://") && !core::StartsWith(o.base_url, "https://"))
    return Error::Invalid("JACK_EMBEDDING_BASE_URL must be an http:// or https:// URL");
  o.api_key = Env("JACK_EMBEDDING_API_KEY", Env("JACK_AI_API_KEY"));
  o.model = Env("JACK_EMBEDDING_MODEL", "text-embedding-3-small");
  const std::string dims = Env("JACK_EMBEDDING_DIMENSIONS");
  if (!dims.empty()) {
    char* end = nullptr;
    long d = std::strtol(dims.c_str(), &end, 10);
    if (!end || *end || d < 1 || d > 8192)
      return Error::Invalid("JACK_EMBEDDING_DIMENSIONS must be a whole number from 1 to 8192");
    o.dimensions = static_cast<int>(d);
    // Only the text-embedding-3 models can shorten their vectors on request.
    o.send_dimensions = core::StartsWith(o.model, "text-embedding-3");
  } else {
    o.dimensions = ai::KnownEmbeddingDimensions(o.model);
    if (o.dimensions == 0)
      return Error::Invalid("set JACK_EMBEDDING_DIMENSIONS: the vector length of " + o.model +
                            " is not known");
  }
  return std::shared_ptr<const ai::Embedder>(std::make_shared<ai::OpenAIEmbedder>(o));
}

// The model of JACK_AI_* (cli.md): `local` (default: templates only), `openai` (any
// /v1/chat/completions server) or `anthropic` (Messages API).
Result<std::shared_ptr<const ai::ChatModel>> ChatFromEnv() {
  const std::string provider = Env("JACK_AI_PROVIDER", "local");
  if (provider == "local") return std::shared_ptr<const ai::ChatModel>();
  if (provider != "openai" && provider != "anthropic")
    return Error::Invalid("JACK_AI_PROVIDER must be local, openai or anthropic, not " + provider);
  ai::LlmOptions o;
  const bool openai = provider == "openai";
  o.base_url =
      Env("JACK_AI_BASE_URL", openai ? "https://api.openai.com/v1" : "https://api.anthropic.com");
  while (!o.base_url.empty() && o.base_url.back() == '/') o.base_url.pop_back();
  if (!core::StartsWith(o.base_url, "http://") && !core::StartsWith(o.base_url, "https://"))
    return Error::Invalid("JACK_AI_BASE_URL must be an http:// or https:// URL");
  o.api_key = Env("JACK_AI_API_KEY");
  if (o.api_key.empty() && core::StartsWith(o.base_url, "https://api."))
    return Error::Invalid("JACK_AI_API_KEY is needed for " + o.base_url);
  o.model = Env("JACK_AI_MODEL", openai ? "gpt-4o-mini" : "claude-3-5-haiku-latest");
  const std::string t = Env("JACK_AI_TIMEOUT_MS", "8000");
  char* end = nullptr;
  long ms = std::strtol(t.c_str(), &end, 10);
  if (!end || *end || ms < 100 || ms > 120000)
    return Error::Invalid("JACK_AI_TIMEOUT_MS must be a whole number from 100 to 120000");
  o.timeout_ms = ms;
  if (openai) return std::shared_ptr<const ai::ChatModel>(std::make_shared<ai::OpenAIChat>(o));
  return std::shared_ptr<const ai::ChatModel>(std::make_shared<ai::AnthropicChat>(o));
}

Result<std::shared_ptr<const ai::Engine>> LoadEngine() {
  JACK_TRY_ASSIGN(auto embedder, EmbedderFromEnv());
  JACK_TRY_ASSIGN(auto chat, ChatFromEnv());
  return ai::Engine::LoadEmbedded(std::move(embedder), std::move(chat));
}

}  // namespace

// The knowledge index follows the embedding provider (seed-notes.md, dimension strategy),
// while the server answers: the chunks are listed on the db thread, embedded on a provider
// thread (a remote provider may take minutes), and swapped in on the db thread; until then
// the old vectors, and full text, answer.
void SyncIndexInBackground(http::AppState& state) {
  if (state.index_syncing.exchange(true)) return;  // the running one will see the rest
  http::SyncKnowledgeIndexAsync(state, false, [&state](Result<ai::IndexSyncReport> r) {
    state.index_syncing = false;
    if (!r) {
      // Answers go on with full text and the vectors there are; the next tick tries again.
      core::Log(core::LogLevel::error, "knowledge index sync failed",
                {{"error", r.error().message}});
      return;
    }
    state.index_current = true;
    if (r->chunks == 0 && !r->rebuilt) return;
    core::Log(core::LogLevel::info,
              r->rebuilt ? "knowledge index rebuilt" : "knowledge index brought up to date",
              {{"model", state.engine->embedder->model()},
               {"entries", std::to_string(r->entries)},
               {"chunks", std::to_string(r->chunks)}});
  });
}

int Serve(const ServeOptions& o) {
  auto started = std::chrono::steady_clock::now();
  auto d = OpenMigrated(o.db, true, o.db == ":memory:");
  if (!d) return Fail(d.error().message);
  // The WAL is checkpointed off the write path (db::Checkpointer).
  std::unique_ptr<db::Checkpointer> checkpointer;
  if (o.db != ":memory:")
    checkpointer = std::make_unique<db::Checkpointer>(o.db, std::chrono::milliseconds(500));
  auto staff_before = db::CountStaff(**d);
  if (!staff_before) return Fail(staff_before.error().message);
  if (o.demo) {
    domain::Ctx ctx{**d, core::DefaultClock()};
    auto logins = domain::LoadDemo(ctx, domain::BcryptCost());
    if (logins) {
      std::cout << "loaded the demo hotel into " << o.db << "\n";
      PrintLogins(*logins);
    } else if (logins.error().code == Errc::conflict) {
      std::cout << "demo: " << o.db << " already holds data; serving it as it is\n";
      auto admin = db::FindStaffByEmail(**d, "admin@miramar.example");
      if (admin && *admin) PrintLogins(domain::DemoLogins());
    } else {
      return Fail(logins.error().message);
    }
  }
  if (auto st = EnsureAdmin(**d, *staff_before == 0); !st) return Fail(st.error().message);
  auto secret = JwtSecret(o.db);
  if (!secret) return Fail(secret.error().message);
  auto engine = LoadEngine();
  if (!engine) return Fail(engine.error().message);
  {
    domain::Ctx ctx{**d, core::DefaultClock()};
    ai::WarmUp(ctx, **engine);
  }

  http::AppState state(Env("JACK_RATE_LIMITS", "on") != "off");
  state.config.host = o.host;
  state.config.port = o.port;
  state.config.jwt_secret = *secret;
  for (const auto& p : core::Split(Env("JACK_TRUSTED_PROXIES"), ','))
    if (!core::Trim(p).empty()) state.config.trusted_proxies.emplace_back(core::Trim(p));
  {
    domain::Ctx ctx{**d, core::DefaultClock()};
    state.SetCorsOrigins(domain::GetSettingOr(ctx, "security.cors_origins", ""));
  }
  state.db = std::move(*d);
  if (checkpointer) {
    // A long WAL slows every reader's page lookups: checkpoint once 1,000 pages (4 MB) wait.
    state.db->OnWalCommit([cp = checkpointer.get()](int frames) {
      if (frames >= 1000) cp->Kick();
    });
  }
  state.clock = &core::DefaultClock();
  state.engine = *engine;
  // Read-only endpoints run on their own connections beside the writer (WAL).
  state.workers.StartReaders(o.db, 2);
  http::Router router;
  http::RegisterRoutes(router, state);
  http::Server server(state, router);
  auto port = server.Listen(o.host, o.port);
  if (!port) return Fail(port.error().message);
  if (!o.port_file.empty()) {
    std::ofstream pf(o.port_file + ".tmp");
    pf << *port << "\n";
    pf.close();
    std::rename((o.port_file + ".tmp").c_str(), o.port_file.c_str());
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  std::string host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  std::cout << "listening on http://" << host << ":" << *port << " (ready in "
            << static_cast<int>(ms) << " ms)\n";
  SyncIndexInBackground(state);
  if (o.demo) std::cout << "web chat: http://" << host << ":" << *port << "/\n";
  std::cout.flush();
  // Background jobs (idle conversations, daily retention) run on the db thread between
  // requests; a round that is still running when the next tick comes is not doubled.
  std::atomic<bool> jobs_busy{false};
  jobs::Ticker ticker(std::chrono::seconds(30), [&] {
    http::RecheckStaffSockets(state);
    // Chunks a remote provider could not embed when they were written (it was down) get
    // their vectors when it is back; with the local engine nothing waits.
    if (state.engine->embedder->remote()) SyncIndexInBackground(state);
    // Memory freed after a burst (many connections) goes back to the system.
    ::malloc_trim(0);
    if (jobs_busy.exchange(true)) return;
    state.workers.Db([&] {
      std::vector<domain::Event> events;
      domain::Ctx ctx{*state.db, *state.clock, &events};
      if (auto r = jobs::RunDueJobs(ctx); !r)
        core::Log(core::LogLevel::warn, "background jobs failed", {{"error", r.error().message}});
      else if (!events.empty())
        state.hub.Publish(events, ctx.Now());
      jobs_busy = false;
    });
  });
  server.Run();
  ticker.Stop();
  state.workers.Stop();
  if (checkpointer) checkpointer->Stop();
  std::cout << "stopped\n";
  return 0;
}

int DbMigrate(const std::string& path) {
  auto d = OpenMigrated(path, false);
  if (!d) return Fail(d.error().message);
  auto n = db::Migrate(**d);
  if (!n) return Fail(n.error().message);
  std::cout << "applied " << *n << " migration(s); the schema is current\n";
  return 0;
}

int DbStatus(const std::string& path) {
  auto d = OpenMigrated(path, false);
  if (!d) return Fail(d.error().message);
  auto list = db::MigrationStatusList(**d);
  if (!list) return Fail(list.error().message);
  for (const auto& m : *list) {
    std::cout << (m.applied_at.empty() ? "pending " : "applied ") << m.name
              << "  sha256:" << m.checksum.substr(0, 16)
              << (m.applied_at.empty() ? "" : "  " + m.applied_at) << "\n";
  }
  if (auto st = db::CheckMigrations(**d); !st) {
    std::cout << st.error().message << "\n";
    return st.error().code == Errc::conflict ? 1 : 0;
  }
  return 0;
}

int DbBackup(const std::string& path, const std::string& file) {
  if (!fs::exists(path)) return Fail("no database at " + path);
  if (fs::exists(file)) return Fail(file + " exists; choose a new file name");
  auto d = OpenMigrated(path, false);
  if (!d) return Fail(d.error().message);
  if (auto st = (*d)->BackupTo(file); !st) return Fail(st.error().message);
  std::cout << "backed up " << path << " to " << file << "\n";
  return 0;
}

int DbVacuum(const std::string& path) {
  if (!fs::exists(path)) return Fail("no database at " + path);
  auto d = OpenMigrated(path, false);
  if (!d) return Fail(d.error().message);
  auto before = fs::file_size(path);
  if (auto st = db::VacuumAndRebuildFts(**d); !st) return Fail(st.error().message);
  std::cout << "vacuumed " << path << ": " << before / 1024 << " KiB → "
            << fs::file_size(path) / 1024 << " KiB; full-text index rebuilt\n";
  return 0;
}

int DbShell(const std::string& path) {
  std::string vec;
  for (const auto& c : db::VecCandidates()) {
    if (fs::exists(c)) {
      vec = c;
      break;
    }
  }
  if (vec.empty()) return Fail("vec0.so not found; set JACK_SQLITE_VEC_PATH");
  std::string load = ".load " + fs::path(vec).replace_extension("").string() + " sqlite3_vec_init";
  execlp("sqlite3", "sqlite3", "-cmd", load.c_str(), path.c_str(), static_cast<char*>(nullptr));
  return Fail("cannot run sqlite3 (apt-get install sqlite3)");
}

int DbNew(const std::string& name) {
  fs::path dir = "src/db/migrations";
  if (!fs::is_directory(dir)) return Fail("run from the source tree: src/db/migrations not found");
  if (name.empty() ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
    return Fail("NAME may hold lower-case letters, digits and '_'");
  int next = 1;
  for (const auto& e : fs::directory_iterator(dir))
    next = std::max(next, std::atoi(e.path().filename().c_str()) + 1);
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "%03d", next);
  fs::path file = dir / (std::string(prefix) + "_" + name + ".sql");
  std::ofstream(file)
      << "-- Migration " << next << ": " << name
      << ". Applied once, in a transaction, and checksummed: never edit it after it has\n"
         "-- been released; add a new migration instead.\n";
  std::cout << "created " << file.string() << " (rebuild to embed it)\n";
  return 0;
}

int SeedDemo(const std::string& path) {
  auto d = OpenMigrated(path);
  if (!d) return Fail(d.error().message);
  domain::Ctx ctx{**d, core::DefaultClock()};
  auto logins = domain::LoadDemo(ctx, domain::BcryptCost());
  if (!logins) return Fail(logins.error().message);
  std::cout << "loaded the demo hotel into " << path << "\n";
  PrintLogins(*logins);
  return 0;
}

int StaffAdd(const std::string& path, const std::string& email, const std::string& name,
             const std::string& role, bool password_stdin) {
  if (auto st = domain::ValidateStaffInput(email, name, role); !st) {
    std::string msg = st.error().message;
    for (const auto& f : st.error().fields) msg = f.path + " " + f.message;
    return Fail(msg);
  }
  std::string hash;
  if (password_stdin) {
    std::string pw;
    std::getline(std::cin, pw);
    if (!pw.empty() && pw.back() == '\r') pw.pop_back();
    if (auto st = domain::CheckPasswordPolicy(pw); !st) return Fail(st.error().message);
    auto h = domain::HashPassword(pw, domain::BcryptCost());
    if (!h) return Fail(h.error().message);
    hash = *h;
  }
  auto d = OpenMigrated(path);
  if (!d) return Fail(d.error().message);
  domain::Ctx ctx{**d, core::DefaultClock()};
  domain::StaffInput in{email, name, role, std::nullopt, std::nullopt, hash};
  auto s = domain::CreateStaff(ctx, domain::Actor::System(), in);
  if (!s) return Fail(s.error().message);
  std::cout << "created staff " << s->id << " " << s->email << " (" << s->role << ")"
            << (hash.empty() ? ", no password: cannot log in until one is set" : "") << "\n";
  return 0;
}

namespace {

Result<db::ConversationRow> NewConversation(domain::Ctx& ctx, const std::string& channel_id,
                                            std::optional<std::string> guest_id,
                                            std::optional<std::string> reservation_id) {
  db::ConversationRow c;
  c.id = core::NewId(ctx.clock.Now());
  c.channel_type = "webchat";
  c.channel_id = channel_id;
  c.state = "new";
  c.guest_id = std::move(guest_id);
  c.reservation_id = std::move(reservation_id);
  c.created_at = c.updated_at = ctx.Now();
  JACK_TRY(db::InsertConversation(ctx.db, c));
  return c;
}

}  // namespace

int Chat(const std::string& path, const std::string& confirmation, const std::string& last_name) {
  auto d = OpenMigrated(path);
  if (!d) return Fail(d.error().message);
  auto engine = LoadEngine();
  if (!engine) return Fail(engine.error().message);
  {
    domain::Ctx ctx{**d, core::DefaultClock()};
    ai::WarmUp(ctx, **engine);
  }
  domain::Ctx ctx{**d, core::DefaultClock()};
  std::optional<std::string> guest_id, reservation_id;
  bool verified = false;
  if (!confirmation.empty()) {
    auto r = db::FindReservationByConfirmation(**d, confirmation);
    if (!r || !*r) return Fail("no reservation " + confirmation);
    auto g = db::FindGuest(**d, (*r)->guest_id);
    if (!g || !*g || core::Utf8Lower((*g)->last_name) != core::Utf8Lower(last_name))
      return Fail("the last name does not match reservation " + confirmation);
    guest_id = (*g)->id;
    reservation_id = (*r)->id;
    verified = true;
    std::cout << "verified as " << (*g)->first_name << " " << (*g)->last_name << ", room "
              << (*r)->room_number.value_or("-") << "\n";
  }
  auto conv = NewConversation(ctx, "cli:" + core::NewId(), guest_id, reservation_id);
  if (!conv) return Fail(conv.error().message);
  bool tty = isatty(STDIN_FILENO);
  if (tty) std::cout << "Talk to Jack (Ctrl-D to leave).\n";
  std::string line;
  while ((tty && (std::cout << "you> " << std::flush)), std::getline(std::cin, line)) {
    if (core::Trim(line).empty()) continue;
    if (!core::IsValidUtf8(line)) {
      std::cout << "jack: (the message is not valid UTF-8)\n";
      continue;
    }
    ai::InboundMessage in;
    in.conversation_id = conv->id;
    in.content = line;
    in.verified = verified;
    auto out = ai::HandleInbound(ctx, **engine, in);
    if (!out) {
      std::cout << "jack: error: " << out.error().message << "\n";
      continue;
    }
    for (const auto& r : out->replies) std::cout << "jack> " << r.content << "\n";
    if (out->replies.empty()) std::cout << "jack> (a member of staff will answer)\n";
    for (const auto& t : out->tasks)
      std::cout << "      [task " << t.department << "/" << t.priority << " room "
                << t.room_number.value_or("?") << "]\n";
    if (getenv("JACK_CHAT_DEBUG"))
      std::cout << "      [" << out->analysis.intent << " " << out->analysis.confidence << " "
                << out->analysis.language << "]\n";
    std::cout << std::flush;
  }
  return 0;
}

namespace {

std::vector<ai::Observation> EvalLocal(const EvalOptions& o,
                                       const std::vector<ai::LabelledSample>& samples,
                                       std::string& error) {
  std::vector<ai::Observation> out;
  std::string path = o.db.empty() ? ":memory:" : o.db;
  // As `serve` does: the WAL is checkpointed off the write path, so that the pipeline time is
  // the server's (a checkpoint inside a commit costs milliseconds).
  auto d = OpenMigrated(path, true, path == ":memory:");
  if (!d) {
    error = d.error().message;
    return out;
  }
  std::unique_ptr<db::Checkpointer> checkpointer;
  if (path != ":memory:") {
    checkpointer = std::make_unique<db::Checkpointer>(path, std::chrono::milliseconds(500));
    (*d)->OnWalCommit([cp = checkpointer.get()](int frames) {
      if (frames >= 1000) cp->Kick();
    });
  }
  domain::Ctx ctx{**d, core::DefaultClock()};
  auto count = db::CountKnowledge(**d);
  if (count && *count == 0) {
    auto l = domain::LoadDemo(ctx, 4);
    if (!l) {
      error = l.error().message;
      return out;
    }
  }
  auto engine = LoadEngine();
  if (!engine) {
    error = engine.error().message;
    return out;
  }
  ai::WarmUp(ctx, **engine);  // as `serve` does before it listens
  for (const auto& s : samples) {
    auto conv = NewConversation(ctx, "eval:" + core::NewId(), std::nullopt, std::nullopt);
    ai::Observation ob;
    if (conv) {
      ai::InboundMessage in;
      in.conversation_id = conv->id;
      in.content = s.text;
      auto r = ai::HandleInbound(ctx, **engine, in);
      if (r) {
        ob.intent = r->inbound.intent.value_or("");
        ob.family = ai::FamilyOf(ob.intent);
        for (const auto& t : r->tasks) ob.task_departments.push_back(t.department);
        ob.escalated = r->conversation.state == "escalated";
        ob.micros = r->micros;
        if (!r->replies.empty()) ob.reply = r->replies.front().content;
        ob.knowledge_answer = r->knowledge_answer && !r->replies.empty();
        if (std::getenv("JACK_EVAL_TRACE")) {
          // For a message answered without knowledge, what the knowledge would have offered.
          auto facts = r->analysis.facts;
          std::string mark;
          if (facts.empty()) {
            auto more = ai::Retrieve(ctx.db, s.text, "", 1, r->analysis.language);
            if (more) facts = std::move(*more);
            mark = "(unused) ";
          }
          std::cerr << s.family << "\t" << ob.family << "\t" << ob.micros << "\t"
                    << r->analysis.confidence << "\t" << r->analysis.intent << "\t" << s.text
                    << "\t"
                    << (facts.empty() ? std::string("-")
                                      : mark + std::to_string(facts[0].score) + " " +
                                            std::to_string(facts[0].concepts) +
                                            (facts[0].specific ? " specific " : " generic ") +
                                            (facts[0].holds_asked_kind ? "" : "unasked-kind ") +
                                            facts[0].entry.title)
                    << "\n";
        }
      }
    }
    out.push_back(ob);
  }
  return out;
}

Result<json::value> CallJson(const std::string& method, const std::string& url,
                             const std::string& token, const json::object* body,
                             long* status = nullptr) {
  std::vector<std::pair<std::string, std::string>> h{{"Content-Type", "application/json"}};
  if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
  auto r = outbound::Fetch(method, url, h, body ? json::serialize(*body) : "", 10000);
  if (!r) return r.error();
  if (status) *status = r->status;
  boost::system::error_code ec;
  auto v = json::parse(r->body, ec);
  if (ec) return Error::Internal("bad JSON from " + url);
  if (r->status >= 400)
    return Error::Internal(url + " answered " + std::to_string(r->status) + ": " + r->body);
  return v;
}

std::vector<ai::Observation> EvalHttp(const EvalOptions& o,
                                      const std::vector<ai::LabelledSample>& samples,
                                      std::string& error) {
  std::vector<ai::Observation> out;
  std::string base = o.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::string email = o.email.empty() ? Env("JACK_ADMIN_EMAIL") : o.email;
  std::string password = o.password.empty() ? Env("JACK_ADMIN_PASSWORD") : o.password;
  json::object login{{"email", email}, {"password", password}};
  auto lr = CallJson("POST", base + "/api/v1/auth/login", "", &login);
  if (!lr) {
    error = "login failed: " + lr.error().message;
    return out;
  }
  std::string staff_token(lr->as_object().at("accessToken").as_string());
  for (const auto& s : samples) {
    ai::Observation ob;
    json::object empty;
    auto sess = CallJson("POST", base + "/api/v1/webchat/sessions", "", &empty);
    if (!sess) {
      error = sess.error().message;
      return out;
    }
    std::string token(sess->as_object().at("token").as_string());
    json::object msg{{"content", s.text}};
    auto t0 = std::chrono::steady_clock::now();
    auto res = CallJson("POST", base + "/api/v1/webchat/messages", token, &msg);
    ob.micros =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    if (!res) {
      error = res.error().message;
      return out;
    }
    std::string cid(res->as_object().at("conversationId").as_string());
    const auto& replies = res->as_object().at("replies").as_array();
    if (!replies.empty()) ob.reply = std::string(replies[0].as_object().at("content").as_string());
    auto msgs = CallJson("GET", base + "/api/v1/conversations/" + cid + "/messages?limit=5",
                         staff_token, nullptr);
    if (!msgs) {
      error = "reading the messages of " + cid + ": " + msgs.error().message;
      return out;
    }
    {
      for (const auto& m : msgs->as_object().at("items").as_array()) {
        const auto& mo = m.as_object();
        if (mo.at("direction").as_string() == "inbound" && mo.at("intent").is_string()) {
          ob.intent = std::string(mo.at("intent").as_string());
          break;
        }
      }
    }
    ob.family = ai::FamilyOf(ob.intent);
    auto tasks =
        CallJson("GET", base + "/api/v1/tasks?conversationId=" + cid, staff_token, nullptr);
    if (!tasks) {
      error = "reading the tasks of " + cid + ": " + tasks.error().message;
      return out;
    }
    for (const auto& t : tasks->as_object().at("items").as_array())
      ob.task_departments.emplace_back(t.as_object().at("department").as_string());
    auto conv = CallJson("GET", base + "/api/v1/conversations/" + cid, staff_token, nullptr);
    if (!conv) {
      error = "reading conversation " + cid + ": " + conv.error().message;
      return out;
    }
    ob.escalated = conv->as_object().at("state").as_string() == "escalated";
    // Over HTTP the reply's source is not shown: an inquiry answered without a hand-off.
    ob.knowledge_answer = !ob.escalated && ob.family == "inquiry" && !ob.reply.empty();
    out.push_back(ob);
  }
  return out;
}

}  // namespace

int Eval(const EvalOptions& o) {
  std::string all_json;
  for (const auto& file : o.files) {
    std::vector<ai::LabelledSample> samples;
    try {
      samples = ai::LoadLabelled(file);
    } catch (const std::exception& e) {
      return Fail(e.what());
    }
    std::string error;
    auto observed = o.url.empty() ? EvalLocal(o, samples, error) : EvalHttp(o, samples, error);
    if (!error.empty()) return Fail(error);
    auto report = ai::Score(samples, observed);
    std::string title = fs::path(file).filename().string() +
                        (o.url.empty() ? " (local pipeline)" : " (HTTP " + o.url + ")");
    std::cout << ai::FormatReport(report, o.json, title);
  }
  return 0;
}

int RetentionRun(const std::string& path, bool dry_run) {
  auto d = OpenMigrated(path);
  if (!d) return Fail(d.error().message);
  domain::Ctx ctx{**d, core::DefaultClock()};
  auto n = domain::RunRetention(ctx, dry_run);
  if (!n) return Fail(n.error().message);
  if (!dry_run) {
    json::object result{{"messages", n->messages},
                        {"conversations", n->conversations},
                        {"tasks", n->tasks},
                        {"audit", n->audit}};
    if (auto st = db::RecordJobRun(**d, "retention", ctx.Now(), json::serialize(result)); !st)
      return Fail(st.error().message);
  }
  std::cout << (dry_run ? "would delete: " : "deleted: ") << n->messages << " messages, "
            << n->conversations << " conversations, " << n->tasks << " tasks, " << n->audit
            << " audit rows (retention: messages and conversations 2 years, tasks 1 year, "
               "audit 7 years)\n";
  return 0;
}

int GuestExport(const std::string& path, const std::string& id, const std::string& out) {
  auto d = OpenMigrated(path);
  if (!d) return Fail(d.error().message);
  domain::Ctx ctx{**d, core::DefaultClock()};
  auto data = domain::ExportGuest(ctx, domain::Actor::System(), id);
  if (!data) return Fail(data.error().message);
  std::string doc = json::serialize(http::GuestExportJson(*data, ctx.Now()));
  if (out.empty() || out == "-") {
    std::cout << doc << "\n";
    return 0;
  }
  // The export holds personal data: readable by its owner only.
  int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return Fail("cannot write " + out);
  doc += "\n";
  bool ok = ::write(fd, doc.data(), doc.size()) == static_cast<ssize_t>(doc.size());
  ::close(fd);
  if (!ok) return Fail("cannot write " + out);
  std::cout << "exported guest " << id << " to " << out << "\n";
  return 0;
}

int GuestErase(const std::string& path, const std::string& id, bool yes) {
  if (!yes) return Fail("erasure cannot be undone; add --yes to erase guest " + id);
  auto d = OpenMigrated(path);
  if (!d) return Fail(d.error().message);
  domain::Ctx ctx{**d, core::DefaultClock()};
  auto r = domain::EraseGuest(ctx, domain::Actor::System(), id);
  if (!r) return Fail(r.error().message);
  std::cout << "erased guest " << id << ": " << r->conversations << " conversations, "
            << r->messages << " messages, " << r->tasks << " tasks, " << r->reservations
            << " reservations redacted\n";
  if (!r->wal_truncated)
    std::cout << "note: another process holds the database open; old copies in the WAL go at "
                 "its next checkpoint\n";
  return 0;
}

int KbReindex(const std::string& path) {
  auto d = OpenMigrated(path);
  if (!d) return Fail(d.error().message);
  auto engine = LoadEngine();
  if (!engine) return Fail(engine.error().message);
  {
    domain::Ctx ctx{**d, core::DefaultClock()};
    ai::WarmUp(ctx, **engine);
  }
  // FTS first ('rebuild' re-reads knowledge_base), then chunks and vectors.
  if (auto st = db::RebuildKnowledgeFts(**d); !st) return Fail(st.error().message);
  domain::Ctx ctx{**d, core::DefaultClock()};
  auto r = ai::SyncKnowledgeIndex(ctx, *(*engine)->embedder, true);
  if (!r) return Fail(r.error().message);
  std::cout << "reindexed " << r->entries << " entries (" << r->chunks << " chunks) with "
            << (*engine)->embedder->model() << "\n";
  return 0;
}

namespace {

// Knowledge entries of a Markdown file: each "## Title" starts one; "Category:", "Keywords:",
// "Language:" and "Status:" lines right below it are its fields; the rest is its content.
std::vector<domain::KnowledgeInput> KnowledgeFromMarkdown(const std::string& text) {
  std::vector<domain::KnowledgeInput> out;
  std::istringstream in(text);
  std::string line;
  bool header = false;
  auto finish = [&] {
    if (out.empty()) return;
    auto& k = out.back();
    k.content = std::string(core::Trim(k.content));
  };
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (core::StartsWith(line, "## ")) {
      finish();
      domain::KnowledgeInput k;
      k.title = std::string(core::Trim(line.substr(3)));
      k.category = "faq";
      out.push_back(std::move(k));
      header = true;
      continue;
    }
    if (out.empty()) continue;  // text before the first entry
    auto& k = out.back();
    auto colon = line.find(':');
    std::string key =
        colon == std::string::npos ? "" : core::AsciiLower(core::Trim(line.substr(0, colon)));
    if (header &&
        (key == "category" || key == "keywords" || key == "language" || key == "status")) {
      std::string value(core::Trim(line.substr(colon + 1)));
      if (key == "category") k.category = value;
      if (key == "language") k.language = value;
      if (key == "status") k.status = value;
      if (key == "keywords") {
        boost::json::array kw;
        for (const auto& w : core::Split(value, ','))
          if (!core::Trim(w).empty()) kw.push_back(boost::json::string(core::Trim(w)));
        k.keywords_json = boost::json::serialize(kw);
      }
      continue;
    }
    if (!core::Trim(line).empty()) header = false;
    k.content += line + "\n";
  }
  finish();
  return out;
}

Result<std::vector<domain::KnowledgeInput>> KnowledgeFromJson(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return Error::Invalid("a JSON knowledge file is an array of entries");
  std::vector<domain::KnowledgeInput> out;
  for (const auto& e : v.as_array()) {
    if (!e.is_object()) return Error::Invalid("every entry is an object");
    const auto& o = e.as_object();
    auto str = [&](const char* k) -> std::optional<std::string> {
      const auto* x = o.if_contains(k);
      if (!x || !x->is_string()) return std::nullopt;
      return std::string(x->as_string());
    };
    domain::KnowledgeInput k;
    k.category = str("category").value_or("");
    k.title = str("title").value_or("");
    k.content = str("content").value_or("");
    k.status = str("status");
    k.language = str("language");
    if (const auto* kw = o.if_contains("keywords")) {
      auto c = domain::CanonicalKeywords(*kw, "keywords");
      if (!c) return c.error();
      k.keywords_json = *c;
    }
    out.push_back(std::move(k));
  }
  return out;
}

}  // namespace

int KbImport(const std::string& path, const std::string& file) {
  std::ifstream f(file, std::ios::binary);
  if (!f) return Fail("cannot read " + file);
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (!core::IsValidUtf8(text)) return Fail(file + " is not UTF-8");
  std::vector<domain::KnowledgeInput> entries;
  if (!core::Trim(text).empty() && core::Trim(text)[0] == '[') {
    auto r = KnowledgeFromJson(text);
    if (!r) return Fail(file + ": " + r.error().message);
    entries = std::move(*r);
  } else {
    entries = KnowledgeFromMarkdown(text);
  }
  if (entries.empty())
    return Fail(file + " holds no entries (\"## Title\" sections or a JSON array)");
  // All or nothing: every entry is checked before any is written.
  for (size_t i = 0; i < entries.size(); ++i) {
    if (auto st = domain::ValidateKnowledge(entries[i]); !st) {
      std::string why = st.error().fields.empty()
                            ? st.error().message
                            : st.error().fields[0].path + " " + st.error().fields[0].message;
      return Fail("entry " + std::to_string(i + 1) + " (\"" + entries[i].title + "\"): " + why);
    }
  }
  auto d = OpenMigrated(path);
  if (!d) return Fail(d.error().message);
  auto engine = LoadEngine();
  if (!engine) return Fail(engine.error().message);
  {
    domain::Ctx ctx{**d, core::DefaultClock()};
    ai::WarmUp(ctx, **engine);
  }
  domain::Ctx ctx{**d, core::DefaultClock()};
  db::Transaction tx(**d);
  if (!tx.status()) return Fail(tx.status().error().message);
  for (const auto& in : entries) {
    auto k = domain::CreateKnowledge(ctx, in);
    if (!k) return Fail(k.error().message);
  }
  if (auto st = tx.Commit(); !st) return Fail(st.error().message);
  // Chunks and vectors for the new entries (and the whole index, if the embedding provider
  // changed since it was built).
  if (auto r = ai::SyncKnowledgeIndex(ctx, *(*engine)->embedder); !r)
    return Fail("knowledge index: " + r.error().message);
  std::cout << "imported " << entries.size() << " knowledge entries from " << file << "\n";
  return 0;
}

int ReservationsImport(const std::string& path, const std::string& file) {
  std::ifstream f(file, std::ios::binary);
  if (!f) return Fail("cannot read " + file);
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  bool csv =
      fs::path(file).extension() == ".csv" ||
      (!core::Trim(text).empty() && core::Trim(text)[0] != '[' && core::Trim(text)[0] != '{');
  auto rows = http::ParseReservationImport(text, csv ? "text/csv" : "application/json");
  if (!rows) return Fail(file + ": " + rows.error().message);
  auto d = OpenMigrated(path);
  if (!d) return Fail(d.error().message);
  domain::Ctx ctx{**d, core::DefaultClock()};
  auto outcomes = domain::ImportReservations(ctx, domain::Actor::System(), *rows);
  int created = 0, updated = 0, rejected = 0;
  for (const auto& o : outcomes) {
    created += o.result == "created";
    updated += o.result == "updated";
    if (o.result == "rejected") {
      ++rejected;
      std::string why = o.error ? (o.error->fields.empty()
                                       ? o.error->message
                                       : o.error->fields[0].path + " " + o.error->fields[0].message)
                                : "";
      std::cerr << "row " << o.row << " (" << o.confirmation_number << "): " << why << "\n";
    }
  }
  std::cout << "created " << created << ", updated " << updated << ", rejected " << rejected
            << "\n";
  return rejected > 0 ? 2 : 0;
}

int Version() {
  std::cout << "jack 0.1.0\n";
  std::cout << "sqlite " << db::SqliteVersion() << "\n";
  auto d = db::Database::Open({":memory:", false, "NORMAL", true});
  if (d) {
    auto q = (*d)->Query("SELECT vec_version()");
    if (q && q->Next().ok()) std::cout << "sqlite-vec " << q->Text(0) << "\n";
  } else {
    std::cout << "sqlite-vec: " << d.error().message << "\n";
  }
  std::cout
      << "intent model: fastText, trained at build time on Jack's own utterances and the CLINC150\n"
         "  training splits (Larson et al., EMNLP 2019; CC BY 3.0)\n";
  return 0;
}

}  // namespace jack::app
