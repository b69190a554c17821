#include "admin/backup.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/attachment_files.h"
#include "web/audit_log.h"

namespace sotay::server {

namespace {

Result<int64_t> Count(sql::Db& db, const char* sql) {
  auto st = db.Prepare(sql);
  if (!st.ok()) return st.status();
  auto row = st->Step();
  if (!row.ok()) return row.status();
  return *row ? st->Int(0) : int64_t{0};
}

// Copies every page of `from` into `to` from one read snapshot. The server may hold
// the write lock for a moment; a busy step is tried again, a few times.
Status CopyPages(sqlite::Db& from, sqlite::Db& to) {
  sqlite3_backup* backup = sqlite3_backup_init(to.handle(), "main", from.handle(), "main");
  if (backup == nullptr) return Status::IOError(std::string("cannot start the copy: ") + sqlite3_errmsg(to.handle()));
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < 50; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Status::IOError(std::string("copying the database: ") + sqlite3_errstr(rc));
  if (finished != SQLITE_OK) return Status::IOError(std::string("copying the database: ") + sqlite3_errstr(finished));
  return Status::OK();
}

// Opens the copy as the server would and checks it whole.
Result<BackupReport> Check(const std::string& path) {
  auto copy = ServerStore::Open(path, ServerStore::Mode::kOpen);
  if (!copy.ok()) return copy.status();
  sql::Db& db = (*copy)->db();
  auto st = db.Prepare("PRAGMA integrity_check");
  if (!st.ok()) return st.status();
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row || st->Text(0) != "ok") {
    return Status::Corrupt("the copy fails SQLite's integrity check" + (*row ? ": " + st->Text(0) : std::string()));
  }
  BackupReport report;
  auto records = Count(db, "SELECT count(*) FROM records");
  if (!records.ok()) return records.status();
  auto sets = Count(db, "SELECT count(*) FROM edit_sets");
  if (!sets.ok()) return sets.status();
  auto audit = web::VerifyAudit(db);
  if (!audit.ok()) return audit.status();
  if (!audit->ok) return Status::Tampered("the copy's audit log does not verify: " + audit->reason);
  report.records = *records;
  report.edit_sets = *sets;
  report.audit_entries = audit->entries;
  report.audit_head = audit->head_hash;
  return report;
}

void RemoveWithCompanions(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
}

// Copies the files key and every whole file beside `from_db` to beside `to_db`.
Status CopyFiles(const std::string& from_db, const std::string& to_db, BackupReport* report) {
  namespace fs = std::filesystem;
  const fs::path from_key = AttachmentFiles::KeyPathFor(from_db), from_dir = AttachmentFiles::FolderFor(from_db);
  const fs::path to_key = AttachmentFiles::KeyPathFor(to_db), to_dir = AttachmentFiles::FolderFor(to_db);
  std::error_code ec;
  if (!fs::exists(from_key, ec)) return Status::OK();  // no file was ever sent
  const auto owner_only = fs::perms::owner_read | fs::perms::owner_write;
  fs::create_directories(to_dir, ec);
  if (!ec) fs::permissions(to_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (!ec) fs::copy_file(from_key, to_key, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::permissions(to_key, owner_only, fs::perm_options::replace, ec);
  if (ec) return Status::IOError("copying the files key to " + to_key.string() + ": " + ec.message());
  if (!fs::exists(from_dir, ec)) return Status::OK();
  for (auto it = fs::recursive_directory_iterator(from_dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->path().extension() == ".partial") continue;
    const fs::path dest = to_dir / fs::relative(it->path(), from_dir);
    fs::create_directories(dest.parent_path(), ec);
    if (!ec) fs::copy_file(it->path(), dest, fs::copy_options::overwrite_existing, ec);
    if (!ec) fs::permissions(dest, owner_only, fs::perm_options::replace, ec);
    if (ec) return Status::IOError("copying a file on a record to " + dest.string() + ": " + ec.message());
    ++report->files;
    report->file_bytes += fs::file_size(dest, ec);
  }
  if (ec) return Status::IOError("reading the files folder " + from_dir.string() + ": " + ec.message());
  return Status::OK();
}

}  // namespace

Result<BackupReport> BackupDatabase(ServerStore& from, const std::string& to_path) {
  if (from.postgres()) {
    return Status::FailedPrecondition(
        "admin backup copies a SQLite file; back up a PostgreSQL database with pg_dump (README, \"Deployment\")");
  }
  std::error_code ec;
  if (std::filesystem::exists(to_path, ec)) {
    return Status::AlreadyExists(to_path + " already exists: a backup never replaces a file; name a new one");
  }
  const std::string partial = to_path + ".partial";
  RemoveWithCompanions(partial);  // what an interrupted backup left
  Status s;
  {
    auto to = sqlite::Db::Open(partial, sqlite::Db::Mode::kCreate);
    if (!to.ok()) return to.status().Annotate("the backup " + to_path);
    // The copy holds what the database holds: readable by this account only.
    std::filesystem::permissions(partial, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::replace, ec);
    if (ec) {
      RemoveWithCompanions(partial);
      return Status::IOError(partial + ": cannot make the backup private to this account");
    }
    s = CopyPages(*from.db().lite(), *to);
  }
  Result<BackupReport> report = s.ok() ? Check(partial) : Result<BackupReport>(s);
  if (!report.ok()) {
    RemoveWithCompanions(partial);
    return report.status().Annotate("the backup " + to_path);
  }
  Status copied = CopyFiles(from.path(), to_path, &*report);
  if (!copied.ok()) {
    RemoveWithCompanions(partial);
    std::filesystem::remove_all(AttachmentFiles::FolderFor(to_path), ec);
    std::filesystem::remove(AttachmentFiles::KeyPathFor(to_path), ec);
    return copied.Annotate("the backup " + to_path);
  }
  std::filesystem::rename(partial, to_path, ec);
  if (ec) {
    RemoveWithCompanions(partial);
    return Status::IOError("cannot name the backup " + to_path + ": " + ec.message());
  }
  report->bytes = std::filesystem::file_size(to_path, ec);
  return report;
}

}  // namespace sotay::server
