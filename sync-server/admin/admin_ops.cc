#include "admin/admin_ops.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "admin/crypto.h"
#include "sync/edit_checks.h"
#include "sync/enroll_code.h"
#include "sotay/links.h"
#include "sotay/shared_lists.h"
#include "sotay/form.h"
#include "sotay/read_file.h"

namespace sotay::server {

namespace fs = std::filesystem;

namespace {

struct FormFile {
  std::string path, text;
};

Result<std::vector<FormFile>> ReadFormDir(const std::string& dir) {
  std::vector<FormFile> out;
  if (dir.empty()) return out;
  auto paths = FormFilesIn(dir);
  if (!paths.ok()) return paths.status();
  for (const std::string& p : *paths) {
    auto text = ReadWholeFile(p, "the form file");
    if (!text.ok()) return text.status();
    out.push_back(FormFile{p, std::move(text).value()});
  }
  return out;
}

void RemoveDatabase(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
}

Result<InitReport> Populate(ServerStore& store, const std::vector<Area>& areas, const std::vector<FormFile>& forms,
                            Env* env) {
  ServerStore::Transaction txn(store);
  if (!txn.status().ok()) return txn.status();
  // Parents before children, so the foreign keys hold at every insert.
  std::vector<const Area*> pending;
  for (const Area& a : areas) pending.push_back(&a);
  std::vector<std::string> done;
  while (!pending.empty()) {
    const size_t before = pending.size();
    for (auto it = pending.begin(); it != pending.end();) {
      const Area& a = **it;
      if (a.parent.empty() || std::find(done.begin(), done.end(), a.parent) != done.end()) {
        Status s = store.InsertArea(a);
        if (!s.ok()) return s.Annotate("area " + a.code);
        done.push_back(a.code);
        it = pending.erase(it);
      } else {
        ++it;
      }
    }
    if (pending.size() == before) return Status::InvalidArgument("the areas do not form a tree");
  }
  InitReport report{areas.size(), 0};
  for (const FormFile& f : forms) {
    std::string name;
    auto published = PublishForm(store, f.text, f.path, env, &name);
    if (!published.ok()) return published.status();
    if (*published == PublishResult::kPublished) ++report.forms;
  }
  Status s = txn.Commit();
  if (!s.ok()) return s;
  return report;
}

}  // namespace

Result<InitReport> InitServer(const std::string& db_path, const std::string& areas_csv_path,
                              const std::string& forms_dir, Env* env) {
  std::error_code ec;
  if (fs::exists(db_path, ec)) {
    return Status::AlreadyExists(db_path + " already exists; init makes a new server database");
  }
  auto csv = ReadWholeFile(areas_csv_path, "the areas file");
  if (!csv.ok()) return csv.status();
  auto rows = ParseAreasCsv(*csv);
  if (!rows.ok()) return rows.status().Annotate(areas_csv_path);
  auto tree = AreaTree::Build(*rows);
  if (!tree.ok()) return tree.status().Annotate(areas_csv_path);
  auto forms = ReadFormDir(forms_dir);
  if (!forms.ok()) return forms.status();
  // Every form loads, and every link names a form of the pack, before anything is written.
  std::vector<Form> loaded_forms;
  for (const FormFile& f : *forms) {
    auto loaded = LoadForm(f.text, f.path);
    if (!loaded.ok()) return loaded.status();
    loaded_forms.push_back(std::move(loaded).value());
  }
  std::vector<std::pair<std::string, const Form*>> pack;
  for (size_t i = 0; i < loaded_forms.size(); ++i) pack.emplace_back((*forms)[i].path, &loaded_forms[i]);
  // The pack as `sotay forms check` sees it: links that name forms it has, and
  // lists of one name that are one list.
  std::vector<std::string> broken = CheckLinks(pack);
  if (broken.empty()) broken = CheckSharedLists(pack);
  if (!broken.empty()) return Status::InvalidArgument(broken.front());
  auto store = ServerStore::Open(db_path, ServerStore::Mode::kCreate);
  if (!store.ok()) return store.status();
  auto report = Populate(**store, *rows, *forms, env);
  store->reset();
  if (!report.ok()) RemoveDatabase(db_path);
  return report;
}

Status AddUser(ServerStore& store, const std::string& id, Role role, const std::string& area,
               const std::optional<std::string>& password, Env* env) {
  if (!IsWellFormedId(id)) return Status::InvalidArgument("a user id is 1-64 letters, digits, '-', '_' or '.'");
  auto rows = store.LoadAreas();
  if (!rows.ok()) return rows.status();
  auto tree = AreaTree::Build(std::move(rows).value());
  if (!tree.ok()) return tree.status();
  if (auto problem = AreaProblemForRole(*tree, role, area)) return Status::InvalidArgument(*problem);
  std::optional<std::string> hash;
  if (password) {
    if (auto problem = PasswordProblem(*password)) return Status::InvalidArgument(*problem);
    if (!InitCrypto()) return Status::IOError("libsodium could not start");
    auto h = HashPassword(*password);
    if (!h.ok()) return h.status();
    hash = std::move(h).value();
  }
  return store.InsertUser(id, role, area, hash, env->NowMs());
}

std::optional<std::string> PasswordProblem(const std::string& password) {
  if (password.size() < 12) return "a staff password has at least 12 characters";
  return std::nullopt;
}

Result<DisableReport> DisableUser(ServerStore& store, const std::string& user, Env* env) {
  const int64_t now = env->NowMs();
  DisableReport out;
  Status s = store.DisableUser(user, now);
  if (!s.ok()) return s;
  auto devices = store.RevokeUserDevices(user, now);
  if (!devices.ok()) return devices.status();
  out.devices_revoked = *devices;
  s = store.ExpireEnrollCodes(user, now);
  if (!s.ok()) return s;
  auto sessions = store.EndWebSessions(user, "");
  if (!sessions.ok()) return sessions.status();
  out.sessions_ended = *sessions;
  return out;
}

Result<std::string> ResetPassword(ServerStore& store, const std::string& user, Env* env) {
  auto found = store.FindUser(user);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no user " + user);
  if ((*found)->disabled_ms) return Status::FailedPrecondition("user " + user + " is disabled");
  if (!InitCrypto()) return Status::IOError("libsodium could not start");
  // 20 symbols of 32 (100 bits), in groups of five to read and type.
  static constexpr char kAlphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";  // no look-alikes
  static_assert(sizeof(kAlphabet) - 1 == 32, "one random byte & 31 picks a symbol");
  uint8_t bytes[20];
  env->RandomBytes(bytes, sizeof bytes);
  std::string password;
  for (size_t i = 0; i < sizeof bytes; ++i) {
    if (i > 0 && i % 5 == 0) password += '-';
    password += kAlphabet[bytes[i] & 31];
  }
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  Status s = store.SetPasswordHash(user, *hash);
  if (!s.ok()) return s;
  auto sessions = store.EndWebSessions(user, "");
  if (!sessions.ok()) return sessions.status();
  return password;
}

Result<IssuedCode> IssueEnrollCode(ServerStore& store, const std::string& user, int hours, Env* env) {
  if (hours < 1 || hours > 720) return Status::InvalidArgument("--hours must be between 1 and 720");
  auto found = store.FindUser(user);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no user " + user);
  if ((*found)->disabled_ms) return Status::FailedPrecondition("user " + user + " is disabled: no new device");
  if (!InitCrypto()) return Status::IOError("libsodium could not start");
  IssuedCode out;
  const int64_t now = env->NowMs();
  out.expires_ms = now + int64_t{hours} * 3600 * 1000;
  out.code = NewEnrollCode(env);
  Status s = store.InsertEnrollCode(EnrollCodeHash(*NormalizeEnrollCode(out.code)), user, now, out.expires_ms);
  if (!s.ok()) return s;
  return out;
}

Result<PublishResult> PublishForm(ServerStore& store, const std::string& json_text, const std::string& source,
                                  Env* env, std::string* name) {
  auto form = LoadForm(json_text, source);
  if (!form.ok()) return form.status();
  if (!form->parent_form.empty()) {
    return Status::InvalidArgument(source + ": a repeat's child form is published with its parent");
  }
  *name = form->id + "@" + std::to_string(form->version);
  auto existing = store.FindFormText(form->id, form->version);
  if (!existing.ok()) return existing.status();
  if (*existing) {
    if (**existing == json_text) return PublishResult::kAlreadyPublished;
    return Status::FailedPrecondition("form " + *name + " is already published with a different text; " +
                                      "a published version never changes: give the new text a higher version");
  }
  Status s = store.InsertForm(FormRow{form->id, form->version, json_text}, env->NowMs());
  if (!s.ok()) return s;
  return PublishResult::kPublished;
}

}  // namespace sotay::server
