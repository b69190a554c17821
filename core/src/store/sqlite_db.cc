#include "store/sqlite_db.h"

#include <sqlite3.h>

#include <utility>

namespace sotay::sqlite {

Status ErrorStatus(sqlite3* db, int rc) {
  const int primary = rc & 0xff;
  std::string reason;
  if (primary == SQLITE_FULL) {
    reason = "disk full";
  } else if (db != nullptr && (sqlite3_errcode(db) & 0xff) == primary) {
    reason = sqlite3_errmsg(db);
  } else {
    reason = sqlite3_errstr(rc);
  }
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return Status::Corrupt(reason);
  return Status::IOError(reason);
}

// ---- Statement ----

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
  }
  return *this;
}

Status Statement::BindText(int i, std::string_view v) {
  const int rc = sqlite3_bind_text64(stmt_, i, v.data(), static_cast<sqlite3_uint64>(v.size()),
                                     SQLITE_STATIC, SQLITE_UTF8);
  return rc == SQLITE_OK ? Status::OK() : ErrorStatus(sqlite3_db_handle(stmt_), rc);
}

Status Statement::BindBlob(int i, std::string_view bytes) {
  // A zero-length blob must still be a blob, not NULL: give SQLite a valid pointer.
  const char* data = bytes.empty() ? "" : bytes.data();
  const int rc = sqlite3_bind_blob64(stmt_, i, data, static_cast<sqlite3_uint64>(bytes.size()),
                                     SQLITE_STATIC);
  return rc == SQLITE_OK ? Status::OK() : ErrorStatus(sqlite3_db_handle(stmt_), rc);
}

Status Statement::BindInt64(int i, int64_t v) {
  const int rc = sqlite3_bind_int64(stmt_, i, static_cast<sqlite3_int64>(v));
  return rc == SQLITE_OK ? Status::OK() : ErrorStatus(sqlite3_db_handle(stmt_), rc);
}

Result<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return ErrorStatus(sqlite3_db_handle(stmt_), rc);
}

Status Statement::Run() {
  int rc = sqlite3_step(stmt_);
  while (rc == SQLITE_ROW) rc = sqlite3_step(stmt_);
  Status s = rc == SQLITE_DONE ? Status::OK() : ErrorStatus(sqlite3_db_handle(stmt_), rc);
  sqlite3_reset(stmt_);
  return s;
}

void Statement::Reset() {
  if (stmt_ != nullptr) sqlite3_reset(stmt_);
}

std::string_view Statement::ColumnText(int i) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
  const int n = sqlite3_column_bytes(stmt_, i);
  return p == nullptr ? std::string_view() : std::string_view(p, static_cast<size_t>(n));
}

std::string_view Statement::ColumnBlob(int i) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, i));
  const int n = sqlite3_column_bytes(stmt_, i);
  return p == nullptr ? std::string_view() : std::string_view(p, static_cast<size_t>(n));
}

int64_t Statement::ColumnInt64(int i) const {
  return static_cast<int64_t>(sqlite3_column_int64(stmt_, i));
}

// ---- Db ----

Db::~Db() { Close(); }

Db::Db(Db&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    Close();
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Status Db::Open(const std::string& path, int flags) {
  Close();
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = ErrorStatus(db, rc);
    sqlite3_close_v2(db);  // a handle is returned even on failure
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  db_ = db;
  return Status::OK();
}

void Db::Close() {
  // close_v2 defers the close until every statement is finalized, so the order in
  // which an owner destroys its members does not matter.
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
}

Status Db::Exec(const char* sql) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::OK() : ErrorStatus(db_, rc);
}

Status Db::Prepare(std::string_view sql, Statement* out) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return ErrorStatus(db_, rc);
  }
  *out = Statement();
  out->stmt_ = stmt;
  return Status::OK();
}

Result<int64_t> Db::QueryInt(const char* sql) {
  Statement st;
  Status s = Prepare(sql, &st);
  if (!s.ok()) return s;
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Corrupt("no result");
  return st.ColumnInt64(0);
}

bool Db::InTransaction() const { return db_ != nullptr && sqlite3_get_autocommit(db_) == 0; }

// ---- Transaction ----

Transaction::~Transaction() {
  // Unwinding after a failure, which is the one reported; nowhere to report this one.
  if (open_ && db_->InTransaction()) db_->Exec("ROLLBACK").IgnoreError();
}

Status Transaction::Begin() {
  Status s = db_->Exec("BEGIN IMMEDIATE");
  open_ = s.ok();
  return s;
}

Status Transaction::Commit() {
  Status s = db_->Exec("COMMIT");
  // All or nothing; the commit's failure is the one to report.
  if (!s.ok() && db_->InTransaction()) db_->Exec("ROLLBACK").IgnoreError();
  open_ = false;
  return s;
}

}  // namespace sotay::sqlite
