#include "store/sqlite_db.h"

#include <unordered_map>
#include <vector>

#include <sqlite3.h>

#include <utility>

namespace sotay::server {

Status SqliteError(sqlite3* db, int rc, const char* doing) {
  std::string what = std::string(doing) + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  const int primary = rc & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return Status::Corrupt(what);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE) return Status::AlreadyExists(what);
  if (primary == SQLITE_CONSTRAINT) return Status::FailedPrecondition(what);
  return Status::IOError(what);
}

// ---- Statement

struct StatementCache {
  std::unordered_map<const char*, std::vector<sqlite3_stmt*>> idle;
  ~StatementCache() {
    for (auto& [sql, stmts] : idle) {
      for (sqlite3_stmt* st : stmts) sqlite3_finalize(st);
    }
  }
};

void Statement::Release() {
  if (stmt_ == nullptr) return;
  if (cache_ != nullptr && key_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    cache_->idle[key_].push_back(stmt_);
  } else {
    sqlite3_finalize(stmt_);
  }
  stmt_ = nullptr;
  cache_.reset();
}

Statement::~Statement() { Release(); }

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_rc_(other.bind_rc_),
      cache_(std::move(other.cache_)),
      key_(std::exchange(other.key_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_rc_ = other.bind_rc_;
    cache_ = std::move(other.cache_);
    key_ = std::exchange(other.key_, nullptr);
  }
  return *this;
}

namespace {
int Remember(int& first, int rc) {
  if (first == SQLITE_OK && rc != SQLITE_OK) first = rc;
  return rc;
}
}  // namespace

Statement& Statement::Bind(int i, std::string_view text) {
  Remember(bind_rc_, sqlite3_bind_text64(stmt_, i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::BindBlob(int i, std::string_view bytes) {
  Remember(bind_rc_, sqlite3_bind_blob64(stmt_, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::Bind(int i, int64_t v) {
  Remember(bind_rc_, sqlite3_bind_int64(stmt_, i, v));
  return *this;
}

Statement& Statement::BindNull(int i) {
  Remember(bind_rc_, sqlite3_bind_null(stmt_, i));
  return *this;
}

Statement& Statement::Bind(int i, const std::optional<int64_t>& v) { return v ? Bind(i, *v) : BindNull(i); }

Result<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) return SqliteError(db_, bind_rc_, "bind a parameter");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, rc, "run a statement");
}

Status Statement::Run() {
  for (;;) {
    auto row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::OK();
  }
}

std::string Statement::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  const int n = sqlite3_column_bytes(stmt_, col);
  return p != nullptr ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

std::string Statement::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  const int n = sqlite3_column_bytes(stmt_, col);
  return p != nullptr ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

std::optional<int64_t> Statement::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

// ---- Db

Result<Db> Db::Open(const std::string& path, bool create, const char* vfs) {
  Db db;
  db.vfs_ = vfs;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags, vfs);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(db.db_, rc, "open the database");
    return rc == SQLITE_CANTOPEN && !create ? Status::NotFound("no server database at " + path) : s;
  }
  sqlite3_extended_result_codes(db.db_, 1);
  return db;
}

Db::~Db() {
  cache_.reset();          // finalizes the idle statements (close_v2 waits for any still out)
  sqlite3_close_v2(db_);
}

Db::Db(Db&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      vfs_(std::exchange(other.vfs_, nullptr)),
      cache_(std::move(other.cache_)) {}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    cache_.reset();
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    vfs_ = std::exchange(other.vfs_, nullptr);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

Status Db::Exec(const char* sql) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::OK() : SqliteError(db_, rc, "run SQL");
}

Result<Statement> Db::Prepare(const char* sql) {
  if (cache_ == nullptr) cache_ = std::make_shared<StatementCache>();
  Statement s;
  s.db_ = db_;
  s.cache_ = cache_;
  s.key_ = sql;
  auto idle = cache_->idle.find(sql);
  if (idle != cache_->idle.end() && !idle->second.empty()) {
    s.stmt_ = idle->second.back();
    idle->second.pop_back();
    return s;
  }
  const int rc = sqlite3_prepare_v2(db_, sql, -1, &s.stmt_, nullptr);
  if (rc != SQLITE_OK) {
    s.cache_.reset();
    return SqliteError(db_, rc, "prepare a statement");
  }
  return s;
}

Result<int64_t> Db::QueryInt(const char* sql) {
  auto st = Prepare(sql);
  if (!st.ok()) return st.status();
  auto row = st->Step();
  if (!row.ok()) return row.status();
  return *row ? st->Int(0) : int64_t{0};
}

int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int64_t Db::changes() const { return sqlite3_changes64(db_); }

// ---- Transaction

Transaction::Transaction(Db& db) : db_(db) {
  begin_ = db_.Exec("BEGIN IMMEDIATE");
  open_ = begin_.ok();
}

Transaction::~Transaction() {
  // Unwinding after a failure, which is the one reported; nowhere to report this one.
  if (open_) db_.Exec("ROLLBACK").IgnoreError();
}

Status Transaction::Commit() {
  if (!open_) return begin_.ok() ? Status::FailedPrecondition("the transaction is already over") : begin_;
  Status s = db_.Exec("COMMIT");
  if (s.ok()) open_ = false;
  return s;
}

}  // namespace sotay::server
