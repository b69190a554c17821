#include "store/sql_db.h"

#include <utility>

#include "store/pg_conn.h"

namespace sotay::server::sql {

namespace {

// The one advisory lock every write transaction on a PostgreSQL database holds
// ("sotay" in ASCII): writers take turns, as on a SQLite file.
constexpr const char* kWriterLock = "SELECT pg_advisory_xact_lock(495891915129)";

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

bool IsPostgresTarget(std::string_view target) {
  return StartsWith(target, "postgresql://") || StartsWith(target, "postgres://");
}

std::string Redacted(const std::string& target) {
  if (!IsPostgresTarget(target)) return target;
  // postgresql://user:password@host... : the password is between the first ':' after
  // the scheme and the '@'.
  const size_t scheme = target.find("://") + 3;
  const size_t at = target.find('@', scheme);
  std::string out = target;
  if (at != std::string::npos) {
    const size_t colon = target.find(':', scheme);
    if (colon != std::string::npos && colon < at) out = target.substr(0, colon + 1) + "***" + target.substr(at);
  }
  // A password given as a query option.
  const size_t q = out.find("password=");
  if (q != std::string::npos) {
    const size_t end = out.find('&', q);
    out = out.substr(0, q + 9) + "***" + (end == std::string::npos ? "" : out.substr(end));
  }
  return out;
}

// ---- Statement

Statement::Statement() = default;
Statement::Statement(sqlite::Statement lite) : lite_(std::move(lite)) {}
Statement::Statement(std::unique_ptr<pg::Statement> pg) : pg_(std::move(pg)) {}
Statement::~Statement() = default;
Statement::Statement(Statement&& other) noexcept = default;
Statement& Statement::operator=(Statement&& other) noexcept = default;

Statement& Statement::Bind(int i, std::string_view text, Lifetime lifetime) {
  if (pg_) {
    pg_->BindText(i, text);
  } else {
    lite_.Bind(i, text, lifetime);
  }
  return *this;
}

Statement& Statement::BindBlob(int i, std::string_view bytes, Lifetime lifetime) {
  if (pg_) {
    pg_->BindBlob(i, bytes);
  } else {
    lite_.BindBlob(i, bytes, lifetime);
  }
  return *this;
}

Statement& Statement::Bind(int i, int64_t v) {
  if (pg_) {
    pg_->BindInt(i, v);
  } else {
    lite_.Bind(i, v);
  }
  return *this;
}

Statement& Statement::Bind(int i, const std::optional<int64_t>& v) { return v ? Bind(i, *v) : BindNull(i); }

Statement& Statement::BindNull(int i) {
  if (pg_) {
    pg_->BindNull(i);
  } else {
    lite_.BindNull(i);
  }
  return *this;
}

Result<bool> Statement::Step() { return pg_ ? pg_->Step() : lite_.Step(); }
Status Statement::Run() { return pg_ ? pg_->Run() : lite_.Run(); }

void Statement::Reset() {
  if (pg_) {
    pg_->Reset();
  } else {
    lite_.Reset();
  }
}

std::string_view Statement::TextView(int col) const { return pg_ ? pg_->View(col) : lite_.TextView(col); }
std::string_view Statement::BlobView(int col) const { return pg_ ? pg_->View(col) : lite_.BlobView(col); }
int64_t Statement::Int(int col) const { return pg_ ? pg_->Int(col) : lite_.Int(col); }
bool Statement::IsNull(int col) const { return pg_ ? pg_->IsNull(col) : lite_.IsNull(col); }
int Statement::columns() const { return pg_ ? pg_->columns() : lite_.columns(); }

std::optional<int64_t> Statement::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

// ---- Db

Db::Db() = default;
Db::Db(sqlite::Db lite) : lite_(std::move(lite)) {}
Db::Db(std::unique_ptr<pg::Conn> pg) : pg_(std::move(pg)) {}
Db::~Db() = default;
Db::Db(Db&& other) noexcept = default;
Db& Db::operator=(Db&& other) noexcept = default;

Result<Db> Db::OpenPostgres(const std::string& conninfo) {
  auto conn = pg::Conn::Open(conninfo);
  if (!conn.ok()) return conn.status();
  return Db(std::move(conn).value());
}

Status Db::Exec(const char* sql) { return pg_ ? pg_->Exec(sql) : lite_.Exec(sql); }

Result<Statement> Db::Prepare(const char* sql) {
  if (pg_) return Statement(pg_->Prepare(sql, sql));
  auto st = lite_.Prepare(sql);
  if (!st.ok()) return st.status();
  return Statement(std::move(st).value());
}

Result<Statement> Db::PrepareUncached(std::string_view sql) {
  if (pg_) return Statement(pg_->Prepare(nullptr, sql));
  auto st = lite_.PrepareUncached(sql);
  if (!st.ok()) return st.status();
  return Statement(std::move(st).value());
}

Result<int64_t> Db::QueryInt(const char* sql) {
  if (!pg_) return lite_.QueryInt(sql);
  auto st = Prepare(sql);
  if (!st.ok()) return st.status();
  auto row = st->Step();
  if (!row.ok()) return row.status();
  return *row ? st->Int(0) : 0;
}

bool Db::InTransaction() const { return pg_ ? pg_->InTransaction() : lite_.InTransaction(); }
int64_t Db::changes() const { return pg_ ? pg_->changes() : lite_.changes(); }

// ---- Transaction

Transaction::Transaction(Db& db) : db_(db) {
  if (sqlite::Db* lite = db.lite()) {
    lite_.emplace(*lite);
    begin_ = lite_->status();
    return;
  }
  begin_ = db.Exec("BEGIN");
  if (!begin_.ok()) return;
  open_ = true;
  begin_ = db.Exec(kWriterLock);
  if (!begin_.ok()) begin_ = begin_.Annotate("wait for the other writers");
}

Transaction::~Transaction() {
  if (open_) (void)db_.Exec("ROLLBACK");
}

Status Transaction::Commit() {
  if (lite_) return lite_->Commit();
  if (!begin_.ok()) return begin_;
  if (db_.pg_->TransactionFailed()) {
    return Status::FailedPrecondition("commit: a statement of this transaction failed, so nothing of it was kept");
  }
  Status s = db_.Exec("COMMIT");
  open_ = false;
  return s;
}

}  // namespace sotay::server::sql
