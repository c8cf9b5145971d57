#pragma once

#include <string>
#include <vector>

namespace jack::app {

struct ServeOptions {
  std::string db, host = "127.0.0.1", port_file;
  int port = 3000;
  bool demo = false;
};

int Serve(const ServeOptions& o);
int DbMigrate(const std::string& db);
int DbStatus(const std::string& db);
int DbBackup(const std::string& db, const std::string& file);
int DbShell(const std::string& db);
int DbVacuum(const std::string& db);
int DbNew(const std::string& name);
int SeedDemo(const std::string& db);
int StaffAdd(const std::string& db, const std::string& email, const std::string& name,
             const std::string& role, bool password_stdin);
int Chat(const std::string& db, const std::string& confirmation, const std::string& last_name);
struct EvalOptions {
  std::vector<std::string> files;
  std::string db;               // empty: a fresh in-memory database with the demo hotel
  std::string url;              // set: send through a running server's web-chat API
  std::string email, password;  // staff login for --url (default JACK_ADMIN_*)
  bool json = false;
};
int Eval(const EvalOptions& o);
int RetentionRun(const std::string& db, bool dry_run);
// `out` empty or "-": standard output; otherwise a file created with mode 0600.
int GuestExport(const std::string& db, const std::string& id, const std::string& out);
int GuestErase(const std::string& db, const std::string& id, bool yes);
int KbImport(const std::string& db, const std::string& file);
// Exit 2 when some rows were rejected (each printed with its reason on stderr).
int ReservationsImport(const std::string& db, const std::string& file);
int KbReindex(const std::string& db);
int Version();

}  // namespace jack::app
