#include "admin/backup.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "web/audit_log.h"

namespace sotay::server {

namespace {

Result<int64_t> Count(sqlite::Db& db, const char* sql) {
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
  sqlite::Db& db = (*copy)->db();
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

}  // namespace

Result<BackupReport> BackupDatabase(ServerStore& from, const std::string& to_path) {
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
    s = CopyPages(from.db(), *to);
  }
  Result<BackupReport> report = s.ok() ? Check(partial) : Result<BackupReport>(s);
  if (!report.ok()) {
    RemoveWithCompanions(partial);
    return report.status().Annotate("the backup " + to_path);
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
