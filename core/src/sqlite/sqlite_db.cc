#include "sqlite_db.h"

#include <sqlite3.h>

#include <unordered_map>
#include <utility>
#include <vector>

namespace sotay::sqlite {

Status Error(sqlite3* db, int rc, std::string_view doing) {
  const int primary = rc & 0xff;
  std::string what(doing);
  what += ": ";
  if (primary == SQLITE_FULL) {
    what += "disk full";
  } else if (db != nullptr && (sqlite3_errcode(db) & 0xff) == primary) {
    what += sqlite3_errmsg(db);  // the more precise reason, when it is this error's
  } else {
    what += sqlite3_errstr(rc);
  }
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
  if (cache_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);  // no kNoCopy pointer outlives its caller
    cache_->idle[key_].push_back(stmt_);
  } else {
    sqlite3_finalize(stmt_);
  }
  stmt_ = nullptr;
  cache_.reset();
}

Statement::~Statement() { Release(); }

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      bind_rc_(std::exchange(other.bind_rc_, SQLITE_OK)),
      cache_(std::move(other.cache_)),
      key_(std::exchange(other.key_, nullptr)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_rc_ = std::exchange(other.bind_rc_, SQLITE_OK);
    cache_ = std::move(other.cache_);
    key_ = std::exchange(other.key_, nullptr);
  }
  return *this;
}

namespace {

void Remember(int* first, int rc) {
  if (*first == SQLITE_OK && rc != SQLITE_OK) *first = rc;
}

sqlite3_destructor_type Destructor(Lifetime lifetime) {
  return lifetime == Lifetime::kCopy ? SQLITE_TRANSIENT : SQLITE_STATIC;
}

}  // namespace

Statement& Statement::Bind(int i, std::string_view text, Lifetime lifetime) {
  Remember(&bind_rc_, sqlite3_bind_text64(stmt_, i, text.data(), static_cast<sqlite3_uint64>(text.size()),
                                          Destructor(lifetime), SQLITE_UTF8));
  return *this;
}

Statement& Statement::BindBlob(int i, std::string_view bytes, Lifetime lifetime) {
  // A zero-length blob must still be a blob, not NULL: give SQLite a valid pointer.
  const char* data = bytes.data() == nullptr ? "" : bytes.data();
  Remember(&bind_rc_, sqlite3_bind_blob64(stmt_, i, data, static_cast<sqlite3_uint64>(bytes.size()),
                                          Destructor(lifetime)));
  return *this;
}

Statement& Statement::Bind(int i, int64_t v) {
  Remember(&bind_rc_, sqlite3_bind_int64(stmt_, i, static_cast<sqlite3_int64>(v)));
  return *this;
}

Statement& Statement::Bind(int i, const std::optional<int64_t>& v) { return v ? Bind(i, *v) : BindNull(i); }

Statement& Statement::BindNull(int i) {
  Remember(&bind_rc_, sqlite3_bind_null(stmt_, i));
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) return Error(sqlite3_db_handle(stmt_), bind_rc_, "bind a parameter");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Error(sqlite3_db_handle(stmt_), rc, "run a statement");
}

Status Statement::Run() {
  Status s = ForEachRow(*this, [] {});
  Reset();
  return s;
}

void Statement::Reset() {
  if (stmt_ != nullptr) sqlite3_reset(stmt_);
  bind_rc_ = SQLITE_OK;
}

std::string_view Statement::TextView(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string_view() : std::string_view(p, static_cast<size_t>(n));
}

std::string_view Statement::BlobView(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  const int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string_view() : std::string_view(p, static_cast<size_t>(n));
}

int64_t Statement::Int(int col) const { return static_cast<int64_t>(sqlite3_column_int64(stmt_, col)); }

bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

int Statement::columns() const { return sqlite3_column_count(stmt_); }

std::optional<int64_t> Statement::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

// ---- Db

Result<Db> Db::Open(const std::string& path, Mode mode, const char* vfs) {
  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
    case Mode::kReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    case Mode::kReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::kCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
  }
  Db db;
  db.vfs_ = vfs;
  const int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags, vfs);
  if (rc != SQLITE_OK) {
    if (rc == SQLITE_CANTOPEN && mode != Mode::kCreate) return Status::NotFound("no database file at " + path);
    return Error(db.db_, rc, "open " + path);  // db's destructor closes the handle SQLite returns anyway
  }
  sqlite3_extended_result_codes(db.db_, 1);
  return db;
}

void Db::Close() {
  cache_.reset();  // finalizes the idle statements
  // close_v2 waits for statements still held elsewhere, so the order in which an
  // owner destroys its members does not matter.
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
}

Db::~Db() { Close(); }

Db::Db(Db&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      vfs_(std::exchange(other.vfs_, nullptr)),
      cache_(std::move(other.cache_)) {}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    Close();
    db_ = std::exchange(other.db_, nullptr);
    vfs_ = std::exchange(other.vfs_, nullptr);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

Status Db::Exec(const char* sql) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::OK() : Error(db_, rc, "run SQL");
}

Result<Statement> Db::Prepare(const char* sql) {
  if (cache_ == nullptr) cache_ = std::make_shared<StatementCache>();
  Statement s;
  auto idle = cache_->idle.find(sql);
  if (idle != cache_->idle.end() && !idle->second.empty()) {
    s.stmt_ = idle->second.back();
    idle->second.pop_back();
  } else {
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s.stmt_, nullptr);
    if (rc != SQLITE_OK) return Error(db_, rc, "prepare a statement");
  }
  s.cache_ = cache_;
  s.key_ = sql;
  return s;
}

Result<Statement> Db::PrepareUncached(std::string_view sql) {
  Statement s;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &s.stmt_, nullptr);
  if (rc != SQLITE_OK) return Error(db_, rc, "prepare a statement");
  return s;
}

Result<int64_t> Db::QueryInt(const char* sql) {
  Result<Statement> st = Prepare(sql);
  if (!st.ok()) return st.status();
  Result<bool> row = st->Step();
  if (!row.ok()) return row.status();
  return *row ? st->Int(0) : int64_t{0};
}

bool Db::InTransaction() const { return db_ != nullptr && sqlite3_get_autocommit(db_) == 0; }

int64_t Db::changes() const { return static_cast<int64_t>(sqlite3_changes64(db_)); }

int64_t Db::last_insert_rowid() const { return static_cast<int64_t>(sqlite3_last_insert_rowid(db_)); }

// ---- Transaction

Transaction::Transaction(Db& db) : db_(db) {
  begin_ = db_.Exec("BEGIN IMMEDIATE");
  open_ = begin_.ok();
}

Transaction::~Transaction() {
  // Unwinding after a failure, which is the one reported; nowhere to report this one.
  if (open_ && db_.InTransaction()) db_.Exec("ROLLBACK").IgnoreError();
}

Status Transaction::Commit() {
  if (!open_) return begin_.ok() ? Status::FailedPrecondition("the transaction is already over") : begin_;
  Status s = db_.Exec("COMMIT");
  // A failed COMMIT may leave the transaction open: the destructor rolls it back.
  if (s.ok()) open_ = false;
  return s;
}

}  // namespace sotay::sqlite
