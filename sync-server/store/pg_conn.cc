#include "store/pg_conn.h"

#include <libpq-fe.h>

#include <cstring>
#include <utility>

namespace sotay::server::pg {

namespace {

// PostgreSQL's type oids (pg_type.dat), for binary parameters and results.
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kOid = 26,
              kVarchar = 1043, kNumeric = 1700;

// What the connection says went wrong, first line only (libpq adds context lines).
std::string ConnReason(PGconn* conn) {
  std::string m = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
  const size_t nl = m.find('\n');
  if (nl != std::string::npos) m.resize(nl);
  return m.empty() ? "the connection failed" : m;
}

// A Status for a failed result, with the SQLSTATE deciding its code the way
// sqlite::Error does for SQLite's: AlreadyExists for a duplicate key,
// FailedPrecondition for another constraint or a trigger's refusal, Corrupt for
// damaged data, IOError for the rest (a lost connection, a full disk).
Status ResultError(PGconn* conn, PGresult* res, std::string_view doing) {
  std::string what(doing);
  what += ": ";
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res != nullptr ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  // The primary message only: DETAIL would quote the key's values ("Key (id)=(...)").
  what += primary != nullptr ? std::string(primary) : ConnReason(conn);
  const std::string code = state != nullptr ? state : "";
  if (code == "23505") return Status::AlreadyExists(what);
  if (code.rfind("23", 0) == 0 || code == "P0001") return Status::FailedPrecondition(what);
  if (code == "XX001" || code == "XX002") return Status::Corrupt(what);
  if (code == "53100") return Status::IOError(std::string(doing) + ": disk full");
  return Status::IOError(what);
}

uint64_t BigEndian(const char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

std::string BigEndianBytes(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[static_cast<size_t>(i)] = static_cast<char>(v & 0xff);
  return out;
}

// An integral NUMERIC in binary (what sum() of bigints gives): base-10000 digits.
int64_t NumericInt(const char* p, int n) {
  if (n < 8) return 0;
  const int ndigits = static_cast<int16_t>(BigEndian(p, 2));
  const int weight = static_cast<int16_t>(BigEndian(p + 2, 2));
  const uint16_t sign = static_cast<uint16_t>(BigEndian(p + 4, 2));
  int64_t v = 0;
  for (int i = 0; i <= weight; ++i) {
    const int64_t digit = i < ndigits && 8 + 2 * i + 2 <= n ? static_cast<int64_t>(BigEndian(p + 8 + 2 * i, 2)) : 0;
    v = v * 10000 + digit;
  }
  return sign == 0x4000 ? -v : v;
}

}  // namespace

std::string ToPostgresParams(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  int next = 0;
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    size_t j = i + 1;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') ++j;
    out += '$';
    if (j > i + 1) {
      out.append(sql.substr(i + 1, j - i - 1));
      next = std::stoi(std::string(sql.substr(i + 1, j - i - 1)));
    } else {
      out += std::to_string(++next);
    }
    i = j - 1;
  }
  return out;
}

// ---- Statement

Statement::~Statement() { Clear(); }

void Statement::Clear() {
  if (result_ != nullptr) PQclear(result_);
  result_ = nullptr;
  row_ = -1;
  rows_ = 0;
}

void Statement::Param(int i, std::string bytes, unsigned type, bool null) {
  if (i < 1 || i > 65535) {  // the protocol's limit
    bad_bind_ = true;
    return;
  }
  const size_t at = static_cast<size_t>(i - 1);
  if (values_.size() <= at) {
    values_.resize(at + 1);
    types_.resize(at + 1, 0);
    null_.resize(at + 1, 1);
  }
  values_[at] = std::move(bytes);
  types_[at] = type;
  null_[at] = null ? 1 : 0;
}

void Statement::BindText(int i, std::string_view text) { Param(i, std::string(text), kText, false); }
void Statement::BindBlob(int i, std::string_view bytes) { Param(i, std::string(bytes), kBytea, false); }
void Statement::BindInt(int i, int64_t v) { Param(i, BigEndianBytes(static_cast<uint64_t>(v)), kInt8, false); }
void Statement::BindNull(int i) { Param(i, std::string(), 0, true); }

Status Statement::Execute() {
  if (bad_bind_) return Status::InvalidArgument("bind a statement's parameter: no such parameter");
  PGconn* conn = conn_->conn_;
  const int n = static_cast<int>(values_.size());
  std::vector<const char*> values(values_.size());
  std::vector<int> lengths(values_.size()), formats(values_.size(), 1);
  for (size_t i = 0; i < values_.size(); ++i) {
    values[i] = null_[i] != 0 ? nullptr : values_[i].data();
    lengths[i] = static_cast<int>(values_[i].size());
  }
  for (int attempt = 0;; ++attempt) {
    PGresult* res = nullptr;
    if (key_ == nullptr) {
      res = PQexecParams(conn, sql_.c_str(), n, types_.data(), values.data(), lengths.data(), formats.data(), 1);
    } else {
      auto named = conn_->prepared_.find(key_);
      if (named == conn_->prepared_.end()) {
        // Prepared with the types bound this first time; a NULL leaves its type to
        // the server, which reads it from the column.
        const std::string name = "s" + std::to_string(conn_->prepared_.size() + 1);
        PGresult* made = PQprepare(conn, name.c_str(), sql_.c_str(), n, types_.data());
        const bool ok = made != nullptr && PQresultStatus(made) == PGRES_COMMAND_OK;
        if (!ok) {
          if (!conn_->in_transaction_ && attempt == 0 && conn_->Revive()) {
            PQclear(made);
            continue;
          }
          Status s = ResultError(conn, made, "prepare a statement");
          PQclear(made);
          return s;
        }
        PQclear(made);
        named = conn_->prepared_.emplace(key_, name).first;
      }
      res = PQexecPrepared(conn, named->second.c_str(), n, values.data(), lengths.data(), formats.data(), 1);
    }
    const ExecStatusType st = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
      result_ = res;
      rows_ = PQntuples(res);
      const char* changed = PQcmdTuples(res);
      conn_->changes_ = changed != nullptr && *changed != '\0' ? std::atoll(changed) : 0;
      conn_->in_transaction_ = PQtransactionStatus(conn) != PQTRANS_IDLE;
      return Status::OK();
    }
    if (!conn_->in_transaction_ && attempt == 0 && PQstatus(conn) == CONNECTION_BAD && conn_->Revive()) {
      PQclear(res);
      continue;
    }
    Status s = ResultError(conn, res, "run a statement");
    PQclear(res);
    return s;
  }
}

Result<bool> Statement::Step() {
  if (result_ == nullptr) {
    Status s = Execute();
    if (!s.ok()) return s;
  }
  ++row_;
  return row_ < rows_;
}

Status Statement::Run() {
  Clear();
  Status s = Execute();
  Clear();
  return s;
}

void Statement::Reset() {
  Clear();
  bad_bind_ = false;
}

std::string_view Statement::View(int col) const {
  if (result_ == nullptr || row_ < 0 || row_ >= rows_ || col < 0 || col >= PQnfields(result_)) return {};
  return std::string_view(PQgetvalue(result_, row_, col), static_cast<size_t>(PQgetlength(result_, row_, col)));
}

int64_t Statement::Int(int col) const {
  if (IsNull(col)) return 0;
  const std::string_view v = View(col);
  const int n = static_cast<int>(v.size());
  switch (PQftype(result_, col)) {
    case kInt8:
      return static_cast<int64_t>(BigEndian(v.data(), n));
    case kInt4:
    case kOid:
      return static_cast<int32_t>(BigEndian(v.data(), n));
    case kInt2:
      return static_cast<int16_t>(BigEndian(v.data(), n));
    case kBool:
      return n > 0 && v[0] != 0 ? 1 : 0;
    case kNumeric:
      return NumericInt(v.data(), n);
    case kText:
    case kVarchar:
      return std::atoll(std::string(v).c_str());
    default:
      return 0;
  }
}

bool Statement::IsNull(int col) const {
  if (result_ == nullptr || row_ < 0 || row_ >= rows_ || col < 0 || col >= PQnfields(result_)) return true;
  return PQgetisnull(result_, row_, col) != 0;
}

int Statement::columns() const { return result_ != nullptr ? PQnfields(result_) : 0; }

// ---- Conn

Result<std::unique_ptr<Conn>> Conn::Open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    Status s = Status::IOError("connect to PostgreSQL: " + ConnReason(conn));
    PQfinish(conn);
    return s;
  }
  // Notices (a DROP's cascade, a trigger's NOTICE) would go to stderr: the server's
  // log is its own JSON lines, and a notice may quote a value.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  if (PQsetClientEncoding(conn, "UTF8") != 0) {
    PQfinish(conn);
    return Status::IOError("connect to PostgreSQL: the server does not speak UTF-8");
  }
  return std::unique_ptr<Conn>(new Conn(conn));
}

Conn::~Conn() { PQfinish(conn_); }

bool Conn::Revive() {
  if (PQstatus(conn_) == CONNECTION_OK) return false;
  PQreset(conn_);
  prepared_.clear();
  return PQstatus(conn_) == CONNECTION_OK && PQsetClientEncoding(conn_, "UTF8") == 0;
}

Status Conn::Exec(std::string_view sql) {
  const std::string text(sql);
  for (int attempt = 0;; ++attempt) {
    PGresult* res = PQexec(conn_, text.c_str());
    const ExecStatusType st = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
      PQclear(res);
      in_transaction_ = PQtransactionStatus(conn_) != PQTRANS_IDLE;
      return Status::OK();
    }
    if (!in_transaction_ && attempt == 0 && PQstatus(conn_) == CONNECTION_BAD && Revive()) {
      PQclear(res);
      continue;
    }
    Status s = ResultError(conn_, res, "run SQL");
    PQclear(res);
    in_transaction_ = PQtransactionStatus(conn_) != PQTRANS_IDLE;
    return s;
  }
}

std::unique_ptr<Statement> Conn::Prepare(const char* key, std::string_view sql) {
  if (key == nullptr) return std::unique_ptr<Statement>(new Statement(this, nullptr, ToPostgresParams(sql)));
  auto text = texts_.find(key);
  if (text == texts_.end()) text = texts_.emplace(key, ToPostgresParams(sql)).first;
  return std::unique_ptr<Statement>(new Statement(this, key, text->second));
}

bool Conn::InTransaction() const { return in_transaction_; }

bool Conn::TransactionFailed() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }

}  // namespace sotay::server::pg
