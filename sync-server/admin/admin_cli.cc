// `sotay-server admin ...` (admin_cli.h): fifteen commands behind one option
// parser, one usage text and one way to fail. Over 400 lines on purpose: each
// command is a few lines of parsing around a call into admin_ops.h, and split by
// command the files would each repeat the parser and the exit codes.
#include "admin/admin_cli.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "admin/admin_ops.h"
#include "admin/backup.h"
#include "admin/move_to_postgres.h"
#include "admin/purge_files.h"
#include "admin/user_contact.h"
#include "http/json_log.h"
#include "sotay/read_file.h"
#include "web/audit_log.h"

namespace sotay::server {

namespace {

enum Exit { kOk = 0, kFailure = 1, kUsage = 2, kInvalid = 4, kNotFound = 5, kTampered = 6, kNotAllowed = 7 };

int ExitFor(const Status& s) {
  switch (s.code()) {
    case Status::Code::kOk: return kOk;
    case Status::Code::kInvalidArgument: return kInvalid;
    case Status::Code::kNotFound: return kNotFound;
    case Status::Code::kAlreadyExists:
    case Status::Code::kFailedPrecondition: return kNotAllowed;
    default: return kFailure;
  }
}

int Fail(std::ostream& err, const Status& s) {
  err << "sotay-server: " << s.message() << "\n";
  return ExitFor(s);
}

struct Args {
  std::map<std::string, std::string> opts;
  std::vector<std::string> positional;
};

// Splits `--name value` options (each name in `known`) from positional words.
bool ParseArgs(const std::vector<std::string>& words, size_t from, const std::set<std::string>& known, Args* out,
               std::ostream& err) {
  for (size_t i = from; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w.rfind("--", 0) != 0) {
      out->positional.push_back(w);
      continue;
    }
    if (known.count(w) == 0) {
      err << "sotay-server: unknown option " << w << "\n";
      return false;
    }
    if (i + 1 >= words.size()) {
      err << "sotay-server: " << w << " needs a value\n";
      return false;
    }
    out->opts[w] = words[++i];
  }
  return true;
}

bool Require(const Args& a, const std::vector<std::string>& names, std::ostream& err) {
  for (const std::string& n : names) {
    if (a.opts.count(n) == 0) {
      err << "sotay-server: " << n << " is required\n";
      return false;
    }
  }
  return true;
}

std::string Opt(const Args& a, const std::string& name, const std::string& fallback = "") {
  auto it = a.opts.find(name);
  return it == a.opts.end() ? fallback : it->second;
}

// The option's value when it was given (even ""), else nullopt.
std::optional<std::string> OptIfGiven(const Args& a, const std::string& name) {
  auto it = a.opts.find(name);
  return it == a.opts.end() ? std::nullopt : std::optional<std::string>(it->second);
}

std::string When(const std::optional<int64_t>& ms) { return ms ? FormatUtcMs(*ms) : "-"; }

// Administrative actions from the command line go into the audit log like the
// dashboard's, as "admin-cli" and the operating-system account that ran them.
std::string CliActor() {
  const char* who = std::getenv("SUDO_USER");
  if (who == nullptr || *who == '\0') who = std::getenv("USER");
  return std::string("admin-cli:") + (who != nullptr ? who : "?");
}

Status AuditCli(ServerStore& s, Env* env, const std::string& action, const std::string& target,
                const std::string& detail = "") {
  return web::AppendAudit(s.db(), web::AuditEntry{0, env->NowMs(), CliActor(), action, target, detail});
}

// grant-sensitive / revoke-sensitive (schemas/README.md, "Sensitive"). Only district
// staff are granted: a worker sees the reporters they wrote on their own devices, and
// an administrator sees no records at all.
Status SetSensitive(ServerStore& s, Env* env, const std::string& user, bool grant) {
  auto found = s.FindUser(user);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no user " + user);
  if (grant && (*found)->role != Role::kDistrict) {
    return Status::FailedPrecondition("user " + user + " is " + RoleName((*found)->role) +
                                      ": only district staff may be allowed to see sensitive answers");
  }
  if (grant && (*found)->disabled_ms) return Status::FailedPrecondition("user " + user + " is disabled");
  if (grant == (*found)->sensitive_granted_ms.has_value()) return Status::OK();  // already so: nothing to log
  Status st = s.SetSensitiveGrant(user, grant ? std::optional<int64_t>(env->NowMs()) : std::nullopt);
  if (st.ok()) st = AuditCli(s, env, grant ? "user.grant_sensitive" : "user.revoke_sensitive", user);
  return st;
}

}  // namespace

void PrintAdminUsage(std::ostream& out) {
  out << "usage: sotay-server admin COMMAND --db FILE|postgresql://... ...\n"
         "  init --db FILE --areas CSV [--forms DIR]       create the database, load areas, publish forms\n"
         "  add-user --db FILE --id ID --role worker|district|admin --area CODE [--password-env VAR]\n"
         "           [--name \"DISPLAY NAME\"] [--phone 09xx...]  how colleagues reach them (on the cases page)\n"
         "  set-user --db FILE --user ID [--name NAME] [--phone PHONE]  change them (\"\" clears)\n"
         "  enroll-code --db FILE --user ID [--hours 72]  print a one-time enrollment code\n"
         "  devices --db FILE                              list enrolled devices\n"
         "  revoke --db FILE --device ID                   refuse the device from its next request on\n"
         "  disable-user --db FILE --user ID               stop a staff member: no password, sessions, devices or codes\n"
         "  reset-password --db FILE --user ID             print a new dashboard password (shown only now)\n"
         "  grant-sensitive --db FILE --user ID            let district staff see sensitive answers (a reporter)\n"
         "  revoke-sensitive --db FILE --user ID           take that back\n"
         "  publish-form --db FILE FORM.json               publish a form version (never changed after)\n"
         "  verify-audit --db FILE                         check the audit log's hash chain; exit 6 where it breaks\n"
         "  backup --db FILE --to COPY                     copy the database while the server runs, checked; owner-only\n"
         "  purge-files --db FILE --older-than DAYS        delete files no current answer names, unchanged for DAYS days\n"
         "              [--files FOLDER]                  (on PostgreSQL: the folder the servers were given)\n"
         "  move-to-postgres --from FILE --to postgresql://...  move a server's file, whole, into an empty\n"
         "                                                 PostgreSQL database (stop the server first)\n";
}

int RunAdmin(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, Env* env,
             const std::string& schemas_dir) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    PrintAdminUsage(args.empty() ? err : out);
    return args.empty() ? kUsage : kOk;
  }
  const std::string& cmd = args[0];
  static const std::map<std::string, std::set<std::string>> kOptions = {
      {"init", {"--db", "--areas", "--forms"}},
      {"add-user", {"--db", "--id", "--role", "--area", "--password-env", "--name", "--phone"}},
      {"set-user", {"--db", "--user", "--name", "--phone"}},
      {"enroll-code", {"--db", "--user", "--hours"}},
      {"devices", {"--db"}},
      {"revoke", {"--db", "--device"}},
      {"disable-user", {"--db", "--user"}},
      {"reset-password", {"--db", "--user"}},
      {"grant-sensitive", {"--db", "--user"}},
      {"revoke-sensitive", {"--db", "--user"}},
      {"publish-form", {"--db"}},
      {"verify-audit", {"--db"}},
      {"backup", {"--db", "--to"}},
      {"purge-files", {"--db", "--older-than", "--files"}},
      {"move-to-postgres", {"--from", "--to"}},
  };
  auto known = kOptions.find(cmd);
  if (known == kOptions.end()) {
    err << "sotay-server: unknown admin command '" << cmd << "'\n";
    PrintAdminUsage(err);
    return kUsage;
  }
  Args a;
  if (!ParseArgs(args, 1, known->second, &a, err)) return kUsage;
  if (cmd == "move-to-postgres") {
    if (!Require(a, {"--from", "--to"}, err)) return kUsage;
    auto report = MoveToPostgres(Opt(a, "--from"), Opt(a, "--to"), CliActor(), env->NowMs());
    if (!report.ok()) return Fail(err, report.status());
    out << "moved " << Opt(a, "--from") << " to " << sql::Redacted(Opt(a, "--to")) << ":";
    for (const auto& [table, rows] : report->tables) out << " " << table << " " << rows << ",";
    out << " every count checked; audit log " << report->audit_entries << " entries, chain verified\n";
    if (!report->files_folder.empty()) {
      out << "files on records stay in " << report->files_folder << " (key " << report->files_folder
          << ".key): start every server with --files " << report->files_folder << "\n";
    }
    return kOk;
  }
  if (!Require(a, {"--db"}, err)) return kUsage;
  const std::string db = Opt(a, "--db");
  const bool names_user = cmd == "disable-user" || cmd == "reset-password" || cmd == "grant-sensitive" ||
                          cmd == "revoke-sensitive";
  if (names_user && a.opts.count("--user") == 0 && a.positional.size() == 1) {
    a.opts["--user"] = a.positional[0];  // `admin reset-password USER` reads as well
    a.positional.clear();
  }
  if (cmd != "publish-form" && !a.positional.empty()) {
    err << "sotay-server: unexpected argument " << a.positional[0] << "\n";
    return kUsage;
  }

  if (cmd == "init") {
    if (!Require(a, {"--areas"}, err)) return kUsage;
    std::string forms = Opt(a, "--forms");
    std::error_code ec;
    if (a.opts.count("--forms") == 0 && std::filesystem::is_directory(schemas_dir, ec)) forms = schemas_dir;
    auto report = InitServer(db, Opt(a, "--areas"), forms, env);
    if (!report.ok()) return Fail(err, report.status());
    out << "created " << sql::Redacted(db) << ": " << report->areas << " areas, " << report->forms << " forms published\n";
    return kOk;
  }

  auto store = ServerStore::Open(db, ServerStore::Mode::kOpen);
  if (!store.ok()) return Fail(err, store.status());
  ServerStore& s = **store;
  if (a.opts.count("--files") > 0) s.SetFilesFolder(Opt(a, "--files"));

  if (cmd == "backup") {
    if (!Require(a, {"--to"}, err)) return kUsage;
    auto report = BackupDatabase(s, Opt(a, "--to"));
    if (!report.ok()) return Fail(err, report.status());
    out << "backed up to " << Opt(a, "--to") << ": " << report->bytes << " bytes, " << report->records
        << " records, " << report->edit_sets << " change sets; integrity check ok; audit log " << report->audit_entries
        << " entries, head hash " << (report->audit_head.empty() ? "-" : report->audit_head);
    if (report->files > 0) {
      out << "; " << report->files << " files on records (" << report->file_bytes << " bytes, sealed) and their key in "
          << Opt(a, "--to") << ".files/";
    }
    out << "\nIt holds the children's records and the server's signing key: keep it as you keep the server.\n";
    return kOk;
  }

  if (cmd == "verify-audit") {
    auto verdict = web::VerifyAudit(s.db());
    if (!verdict.ok()) return Fail(err, verdict.status());
    if (!verdict->ok) {
      err << "sotay-server: the audit log does not verify: " << verdict->reason << "\n";
      return kTampered;
    }
    out << "audit log: " << verdict->entries << " entries, the hash chain holds; head hash "
        << (verdict->head_hash.empty() ? "-" : verdict->head_hash) << "\n";
    return kOk;
  }

  if (cmd == "add-user") {
    if (!Require(a, {"--id", "--role"}, err)) return kUsage;
    auto role = ParseRole(Opt(a, "--role"));
    if (!role) {
      err << "sotay-server: --role is worker, district or admin\n";
      return kUsage;
    }
    if (*role != Role::kAdmin && !Require(a, {"--area"}, err)) return kUsage;
    std::optional<std::string> password;
    if (a.opts.count("--password-env")) {
      const char* value = std::getenv(Opt(a, "--password-env").c_str());
      if (value == nullptr || *value == '\0') {
        err << "sotay-server: the variable " << Opt(a, "--password-env") << " is not set\n";
        return kUsage;
      }
      password = value;
    }
    ServerStore::Transaction txn(s);
    Status st = txn.status();
    if (st.ok()) st = AddUser(s, Opt(a, "--id"), *role, Opt(a, "--area"), password, env);
    if (st.ok()) st = SetUserContact(s, Opt(a, "--id"), OptIfGiven(a, "--name"), OptIfGiven(a, "--phone"));
    if (st.ok()) st = AuditCli(s, env, "user.add", Opt(a, "--id"), RoleName(*role));
    if (st.ok()) st = txn.Commit();
    if (!st.ok()) return Fail(err, st);
    out << "added user " << Opt(a, "--id") << " (" << RoleName(*role);
    if (!Opt(a, "--area").empty()) out << ", area " << Opt(a, "--area");
    out << (password ? ", with a dashboard password" : "") << ")\n";
    return kOk;
  }
  if (cmd == "set-user") {
    if (!Require(a, {"--user"}, err)) return kUsage;
    if (a.opts.count("--name") == 0 && a.opts.count("--phone") == 0) {
      err << "sotay-server: set-user needs --name or --phone\n";
      return kUsage;
    }
    ServerStore::Transaction txn(s);
    Status st = txn.status();
    if (st.ok()) st = SetUserContact(s, Opt(a, "--user"), OptIfGiven(a, "--name"), OptIfGiven(a, "--phone"));
    // Which of the two changed, never the values: a phone is personal data.
    const std::string what = a.opts.count("--name") && a.opts.count("--phone") ? "name phone"
                             : a.opts.count("--name")                          ? "name"
                                                                               : "phone";
    if (st.ok()) st = AuditCli(s, env, "user.contact", Opt(a, "--user"), what);
    if (st.ok()) st = txn.Commit();
    if (!st.ok()) return Fail(err, st);
    out << "changed user " << Opt(a, "--user") << " (" << what << ")\n";
    return kOk;
  }
  if (cmd == "enroll-code") {
    if (!Require(a, {"--user"}, err)) return kUsage;
    const std::string hours = Opt(a, "--hours", "72");
    char* end = nullptr;
    const long h = std::strtol(hours.c_str(), &end, 10);
    if (hours.empty() || *end != '\0') {
      err << "sotay-server: --hours takes a whole number\n";
      return kUsage;
    }
    ServerStore::Transaction txn(s);
    if (!txn.status().ok()) return Fail(err, txn.status());
    auto code = IssueEnrollCode(s, Opt(a, "--user"), static_cast<int>(h), env);
    if (!code.ok()) return Fail(err, code.status());
    Status st = AuditCli(s, env, "enroll_code.issue", Opt(a, "--user"));
    if (st.ok()) st = txn.Commit();
    if (!st.ok()) return Fail(err, st);
    out << code->code << "\n";
    err << "one-time code for " << Opt(a, "--user") << ", valid until " << FormatUtcMs(code->expires_ms)
        << "; it is shown only now\n";
    return kOk;
  }
  if (cmd == "devices") {
    auto devices = s.ListDevices();
    if (!devices.ok()) return Fail(err, devices.status());
    out << "device\tuser\tenrolled\tlast_seen\trevoked\n";
    for (const DeviceRow& d : *devices) {
      out << d.id << "\t" << d.user << "\t" << FormatUtcMs(d.enrolled_ms) << "\t" << When(d.last_seen_ms) << "\t"
          << When(d.revoked_ms) << "\n";
    }
    return kOk;
  }
  if (cmd == "revoke") {
    if (!Require(a, {"--device"}, err)) return kUsage;
    ServerStore::Transaction txn(s);
    Status st = txn.status();
    if (st.ok()) st = s.RevokeDevice(Opt(a, "--device"), env->NowMs());
    if (st.ok()) st = AuditCli(s, env, "device.revoke", Opt(a, "--device"));
    if (st.ok()) st = txn.Commit();
    if (!st.ok()) return Fail(err, st);
    out << "revoked device " << Opt(a, "--device") << "\n";
    return kOk;
  }
  if (cmd == "disable-user") {
    if (!Require(a, {"--user"}, err)) return kUsage;
    const std::string user = Opt(a, "--user");
    ServerStore::Transaction txn(s);
    if (!txn.status().ok()) return Fail(err, txn.status());
    auto done = DisableUser(s, user, env);
    if (!done.ok()) return Fail(err, done.status());
    Status st = AuditCli(s, env, "user.disable", user,
                         std::to_string(done->devices_revoked) + " devices revoked, " +
                             std::to_string(done->sessions_ended) + " sessions ended");
    if (st.ok()) st = txn.Commit();
    if (!st.ok()) return Fail(err, st);
    out << "disabled user " << user << ": " << done->devices_revoked << " devices revoked, " << done->sessions_ended
        << " dashboard sessions ended; no sign-in and no new enrollment from now on\n";
    return kOk;
  }
  if (cmd == "reset-password") {
    if (!Require(a, {"--user"}, err)) return kUsage;
    const std::string user = Opt(a, "--user");
    ServerStore::Transaction txn(s);
    if (!txn.status().ok()) return Fail(err, txn.status());
    auto password = ResetPassword(s, user, env);
    if (!password.ok()) return Fail(err, password.status());
    Status st = AuditCli(s, env, "user.password_reset", user);
    if (st.ok()) st = txn.Commit();
    if (!st.ok()) return Fail(err, st);
    out << *password << "\n";
    err << "new dashboard password for " << user << "; it is shown only now, and the user's sessions ended\n";
    return kOk;
  }
  if (cmd == "purge-files") {
    if (!Require(a, {"--older-than"}, err)) return kUsage;
    const std::string days = Opt(a, "--older-than");
    if (days.empty() || days.size() > 5 || days.find_first_not_of("0123456789") != std::string::npos || days == "0") {
      err << "sotay-server: --older-than takes a number of days, at least 1 (a replaced file stays that long)\n";
      return kUsage;
    }
    auto report = PurgeFiles(s, env->NowMs(), std::stoll(days) * 24LL * 3600 * 1000, CliActor());
    if (!report.ok()) return Fail(err, report.status());
    out << "purged " << report->purged.size() << " files (" << report->bytes << " bytes) that no current answer names; kept "
        << report->kept_named << " named by a current answer and " << report->kept_recent
        << " whose records changed in the last " << days << " days\n";
    return kOk;
  }
  if (cmd == "grant-sensitive" || cmd == "revoke-sensitive") {
    if (!Require(a, {"--user"}, err)) return kUsage;
    const std::string user = Opt(a, "--user");
    const bool grant = cmd == "grant-sensitive";
    ServerStore::Transaction txn(s);
    Status st = txn.status();
    if (st.ok()) st = SetSensitive(s, env, user, grant);
    if (st.ok()) st = txn.Commit();
    if (!st.ok()) return Fail(err, st);
    out << user << (grant ? " sees sensitive answers (reporters) on the dashboard and may export them\n"
                          : " no longer sees sensitive answers\n");
    return kOk;
  }
  // publish-form
  if (a.positional.size() != 1) {
    err << "sotay-server: publish-form takes one FORM.json\n";
    return kUsage;
  }
  auto text = ReadWholeFile(a.positional[0], "the form file");
  if (!text.ok()) return Fail(err, text.status());
  std::string name;
  ServerStore::Transaction txn(s);
  if (!txn.status().ok()) return Fail(err, txn.status());
  auto published = PublishForm(s, *text, a.positional[0], env, &name);
  if (!published.ok()) return Fail(err, published.status());
  if (*published == PublishResult::kPublished) {
    Status st = AuditCli(s, env, "form.publish", name);
    if (st.ok()) st = txn.Commit();
    if (!st.ok()) return Fail(err, st);
  }
  out << (*published == PublishResult::kPublished ? "published " : "already published, unchanged: ") << name << "\n";
  return kOk;
}

}  // namespace sotay::server
