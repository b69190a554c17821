// ServerStore: opening, areas, forms and counts. Accounts are in store_accounts.cc,
// the edit history and records in store_edits.cc.
#include "store/server_store.h"

#include <filesystem>

#include "store/migrations.h"
#include "store/pg_schema.h"

namespace sotay::server {

namespace {

Result<std::unique_ptr<sql::Db>> OpenPostgres(const std::string& target, ServerStore::Mode mode) {
  const std::string shown = sql::Redacted(target);
  auto db = sql::Db::OpenPostgres(target);
  if (!db.ok()) return db.status().Annotate(shown);
  auto has = HasPostgresSchema(*db);
  if (!has.ok()) return has.status().Annotate(shown);
  if (mode == ServerStore::Mode::kCreate && *has) {
    return Status::AlreadyExists(shown + " already holds a Sotay server's tables");
  }
  if (mode == ServerStore::Mode::kOpen && !*has) {
    return Status::NotFound("no Sotay server database at " + shown + " (run `sotay-server admin init` first)");
  }
  Status s = Migrate(*db);
  if (!s.ok()) return s.Annotate(shown);
  return std::make_unique<sql::Db>(std::move(db).value());
}

}  // namespace

Result<std::unique_ptr<ServerStore>> ServerStore::Open(const std::string& path, Mode mode, const char* vfs) {
  if (sql::IsPostgresTarget(path)) {
    auto db = OpenPostgres(path, mode);
    if (!db.ok()) return db.status();
    return std::unique_ptr<ServerStore>(new ServerStore(std::move(**db), path));
  }
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (mode == Mode::kCreate && exists) return Status::AlreadyExists(path + " already exists");
  if (mode == Mode::kOpen && !exists) return Status::NotFound("no server database at " + path);
  auto lite = sqlite::Db::Open(path, mode == Mode::kCreate ? sqlite::Db::Mode::kCreate : sqlite::Db::Mode::kReadWrite, vfs);
  if (!lite.ok()) return lite.status();
  if (mode == Mode::kCreate) {
    // Children's records: readable by the server's account only, whatever the umask.
    // SQLite gives the -wal and -shm files the database file's mode.
    std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::replace, ec);
    if (ec) return Status::IOError(path + ": cannot make the database private to this account");
  }
  sql::Db db(std::move(lite).value());
  if (mode == Mode::kCreate) {
    // 8 KiB pages, set before the first write makes them 4 KiB for good. A record's
    // state and change set are 1-2 KiB each; with 4 KiB pages a push commit wrote
    // four times the frames (two writes each) and the checkpointer copied them back
    // one by one, 10% of a push's CPU. A database made before keeps its pages.
    Status sized = db.Exec("PRAGMA page_size = 8192;");
    if (!sized.ok()) return sized.Annotate(path);
  }
  // WAL lets admin commands and readers work while the server writes.
  // synchronous=FULL: a commit is on disk before the response that acknowledges its
  // edits leaves; with NORMAL a power cut could roll back edits that devices have
  // already dropped from their outboxes, losing them for good.
  Status s = db.Exec(
      "PRAGMA journal_mode = WAL;"
      "PRAGMA synchronous = FULL;"
      "PRAGMA foreign_keys = ON;"
      "PRAGMA busy_timeout = 5000;");
  if (s.ok()) s = Migrate(db);
  if (!s.ok()) return s.Annotate(path);
  return std::unique_ptr<ServerStore>(new ServerStore(std::move(db), path));
}

std::string ServerStore::FilesFolder() const {
  return db_.postgres() ? files_folder_ : path_ + ".files";
}

Status ServerStore::CheckpointInBackground() {
  if (checkpointer_ || db_.postgres()) return Status::OK();  // PostgreSQL checkpoints itself
  auto started = WalCheckpointer::Start(path_, *db_.lite());
  if (!started.ok()) return started.status();
  checkpointer_ = std::move(started).value();
  return Status::OK();
}

// ---- Areas

Status ServerStore::InsertArea(const Area& a) {
  auto st = db_.Prepare("INSERT INTO areas (code, name, parent, level) VALUES (?1, ?2, ?3, ?4)");
  if (!st.ok()) return st.status();
  st->Bind(1, a.code).Bind(2, a.name).Bind(4, a.level);
  if (a.parent.empty()) {
    st->BindNull(3);
  } else {
    st->Bind(3, a.parent);
  }
  return st->Run();
}

Result<std::vector<Area>> ServerStore::LoadAreas() {
  auto st = db_.Prepare("SELECT code, name, coalesce(parent, ''), level FROM areas ORDER BY code");
  if (!st.ok()) return st.status();
  std::vector<Area> out;
  Status s = sql::ForEachRow(*st, [&] { out.push_back(Area{st->Text(0), st->Text(1), st->Text(2), st->Text(3)}); });
  if (!s.ok()) return s;
  return out;
}

// ---- Forms

Status ServerStore::InsertForm(const FormRow& f, int64_t now_ms) {
  auto st = db_.Prepare("INSERT INTO forms (form, version, definition, published_ms) VALUES (?1, ?2, ?3, ?4)");
  if (!st.ok()) return st.status();
  st->Bind(1, f.form).Bind(2, int64_t{f.version}).Bind(3, f.definition).Bind(4, now_ms);
  return st->Run();
}

Result<std::optional<std::string>> ServerStore::FindFormText(const std::string& form, int version) {
  auto st = db_.Prepare("SELECT definition FROM forms WHERE form = ?1 AND version = ?2");
  if (!st.ok()) return st.status();
  st->Bind(1, form).Bind(2, int64_t{version});
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(st->Text(0));
}

Result<std::vector<FormRow>> ServerStore::LoadForms() {
  auto st = db_.Prepare("SELECT form, version, definition FROM forms ORDER BY form, version");
  if (!st.ok()) return st.status();
  std::vector<FormRow> out;
  Status s = sql::ForEachRow(*st, [&] { out.push_back(FormRow{st->Text(0), static_cast<int>(st->Int(1)), st->Text(2)}); });
  if (!s.ok()) return s;
  return out;
}

Result<int64_t> ServerStore::FormCount() { return db_.QueryInt("SELECT count(*) FROM forms"); }

// ---- Counts

Result<StoreCounts> ServerStore::Counts() {
  auto st = db_.Prepare(
      "SELECT (SELECT coalesce(sum(last_counter - first_counter + 1), 0) FROM edit_sets), (SELECT count(*) FROM records), (SELECT count(*) FROM rejected),"
      " (SELECT count(*) FROM devices), (SELECT count(*) FROM nonces)");
  if (!st.ok()) return st.status();
  auto row = st->Step();
  if (!row.ok()) return row.status();
  return StoreCounts{st->Int(0), st->Int(1), st->Int(2), st->Int(3), st->Int(4)};
}

}  // namespace sotay::server
