// The `jack` command (cli.md): one binary, git-style sub-commands.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app/commands.hpp"
#include "app/config.hpp"
#include "core/log.hpp"

int main(int argc, char** argv) {
  using namespace jack::app;
  LoadDotEnv();
  jack::core::InitLogging(Env("JACK_LOG_LEVEL", "info"), Env("JACK_LOG_FORMAT", "text"));

  CLI::App app{"jack: a self-hosted AI concierge for hotels"};
  app.require_subcommand(1);
  std::string db = Env("JACK_DB", "data/jack.db");
  app.add_option("--db", db, "database file (JACK_DB)")->default_val(db);

  ServeOptions so;
  so.host = Env("JACK_HOST", "127.0.0.1");
  so.port = std::atoi(Env("JACK_PORT", "3000").c_str());
  auto* serve = app.add_subcommand("serve", "serve the API, web chat and dashboard");
  serve->add_option("--host", so.host, "listen address (JACK_HOST)");
  serve->add_option("--port", so.port, "port, 0 for a free one (JACK_PORT)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--port-file", so.port_file, "write the bound port to this file");
  serve->add_flag("--demo", so.demo, "load the demo hotel into an empty database first");

  auto* dbc = app.add_subcommand("db", "database commands");
  dbc->require_subcommand(1);
  auto* migrate = dbc->add_subcommand("migrate", "apply pending migrations");
  auto* status = dbc->add_subcommand("status", "list applied and pending migrations");
  auto* backup = dbc->add_subcommand("backup", "consistent online backup to FILE");
  std::string backup_file, new_name;
  backup->add_option("file", backup_file, "backup file")->required();
  auto* shell = dbc->add_subcommand("shell", "open sqlite3 on the database with sqlite-vec loaded");
  auto* vacuum = dbc->add_subcommand(
      "vacuum", "compact the database file (VACUUM) and rebuild the full-text index");
  auto* dbnew = dbc->add_subcommand("new", "create the next numbered migration file");
  dbnew->add_option("name", new_name, "migration name, e.g. add_outbox")->required();

  auto* seed = app.add_subcommand("seed", "load data");
  seed->require_subcommand(1);
  auto* seed_demo = seed->add_subcommand("demo", "load the demo hotel");

  auto* staff = app.add_subcommand("staff", "staff accounts");
  staff->require_subcommand(1);
  auto* staff_add = staff->add_subcommand("add", "create a staff member");
  std::string email, name, role;
  bool pw_stdin = false;
  staff_add->add_option("--email", email, "email")->required();
  staff_add->add_option("--name", name, "full name")->required();
  staff_add
      ->add_option("--role", role,
                   "admin, manager, front_desk, concierge, housekeeping, maintenance")
      ->required();
  staff_add->add_flag("--password-stdin", pw_stdin, "read the password from standard input");

  auto* chat = app.add_subcommand("chat", "talk to the concierge in the terminal (web chat)");
  std::vector<std::string> identify;
  chat->add_option("--identify", identify,
                   "CONFIRMATION LASTNAME: verify as that reservation's guest")
      ->expected(2);

  EvalOptions eo;
  auto* eval = app.add_subcommand(
      "eval", "run labelled messages through the pipeline and print quality figures");
  eval->add_option("files", eo.files, "JSON Lines files (samples or CLINC150 format)")
      ->required()
      ->check(CLI::ExistingFile);
  eval->add_flag("--json", eo.json, "print JSON");
  eval->add_option("--url", eo.url, "send through a running server (http://HOST:PORT)");
  eval->add_option("--email", eo.email, "staff email for --url (default JACK_ADMIN_EMAIL)");
  eval->add_option("--password", eo.password,
                   "staff password for --url (default JACK_ADMIN_PASSWORD)");

  auto* kb = app.add_subcommand("kb", "the knowledge base");
  kb->require_subcommand(1);
  auto* kb_reindex =
      kb->add_subcommand("reindex", "rebuild the full-text index, chunks and vectors");
  std::string kb_file, res_file;
  auto* kb_import = kb->add_subcommand(
      "import", "import knowledge entries: a JSON array, or Markdown with \"## Title\" sections");
  kb_import->add_option("file", kb_file, "JSON or Markdown file")
      ->required()
      ->check(CLI::ExistingFile);
  auto* reservations = app.add_subcommand("reservations", "reservations from the PMS");
  reservations->require_subcommand(1);
  auto* res_import = reservations->add_subcommand(
      "import", "import a PMS export (JSON array or CSV); exit 2 when rows were rejected");
  res_import->add_option("file", res_file, "JSON or CSV file")
      ->required()
      ->check(CLI::ExistingFile);

  auto* retention = app.add_subcommand("retention", "the seed's retention policy");
  retention->require_subcommand(1);
  auto* retention_run = retention->add_subcommand("run", "apply the retention policy now");
  bool dry_run = false;
  retention_run->add_flag("--dry-run", dry_run, "count what would be deleted, delete nothing");

  auto* guest = app.add_subcommand("guest", "GDPR export and erasure");
  guest->require_subcommand(1);
  std::string guest_id, export_out;
  bool erase_yes = false;
  auto* guest_export = guest->add_subcommand("export", "everything held about a guest, as JSON");
  guest_export->add_option("id", guest_id, "guest ID")->required();
  guest_export->add_option("--out", export_out, "write to FILE (mode 0600) instead of stdout");
  auto* guest_erase = guest->add_subcommand("erase", "erase a guest's personal data (GDPR)");
  guest_erase->add_option("id", guest_id, "guest ID")->required();
  guest_erase->add_flag("--yes", erase_yes, "confirm: erasure cannot be undone");

  auto* version = app.add_subcommand("version", "version, build, SQLite and sqlite-vec versions");

  // `--db` (and other top-level options) may come after the sub-command too (cli.md).
  std::function<void(CLI::App*)> fall = [&](CLI::App* a) {
    for (auto* sub : a->get_subcommands({})) {
      sub->fallthrough();
      fall(sub);
    }
  };
  fall(&app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (*serve) {
      so.db = db;
      return Serve(so);
    }
    if (*migrate) return DbMigrate(db);
    if (*status) return DbStatus(db);
    if (*backup) return DbBackup(db, backup_file);
    if (*vacuum) return DbVacuum(db);
    if (*shell) return DbShell(db);
    if (*dbnew) return DbNew(new_name);
    if (*seed_demo) return SeedDemo(db);
    if (*staff_add) return StaffAdd(db, email, name, role, pw_stdin);
    if (*chat)
      return Chat(db, identify.size() == 2 ? identify[0] : "",
                  identify.size() == 2 ? identify[1] : "");
    if (*eval) {
      bool db_given = app.get_option("--db")->count() > 0 || !Env("JACK_DB").empty();
      eo.db = db_given ? db : "";
      return Eval(eo);
    }
    if (*kb_reindex) return KbReindex(db);
    if (*kb_import) return KbImport(db, kb_file);
    if (*res_import) return ReservationsImport(db, res_file);
    if (*retention_run) return RetentionRun(db, dry_run);
    if (*guest_export) return GuestExport(db, guest_id, export_out);
    if (*guest_erase) return GuestErase(db, guest_id, erase_yes);
    if (*version) return Version();
  } catch (const std::exception& e) {
    std::cerr << "jack: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
