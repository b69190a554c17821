// The PostgreSQL side of the server's connection (store/sql_db.h): one libpq
// connection, its prepared statements and their results. Nothing above sql_db.h sees
// libpq.
//
// Statements are written once for both stores with SQLite's numbered parameters
// (?1, ?2, ...); ToPostgresParams turns them into $1, $2. Values travel in binary,
// each with the type of what was bound (bigint, text, bytea), so no value is ever
// parsed from text or spliced into SQL. A statement is prepared on the server the
// first time it runs, with those types, and kept for the connection's life.
//
// Results are read whole into memory when the statement first steps (libpq gives a
// connection one query at a time, and the store's callers run queries inside row
// loops), so callers that may meet many rows read them in pages (ScanSetsAfter).
//
// Errors name what was being done and PostgreSQL's primary message, never a bound
// value or the connection string (which may hold a password).
//
// Thread-safety: none, as sqlite::Db: one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sotay/status.h"

struct pg_conn;
struct pg_result;

namespace sotay::server::pg {

// "SELECT ... WHERE a = ?1 AND b = ?2" -> "... $1 ... $2"; a bare ? becomes the next
// number. Quoted text and identifiers are left alone.
std::string ToPostgresParams(std::string_view sql);

class Conn;

class Statement {
 public:
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void BindText(int i, std::string_view text);
  void BindBlob(int i, std::string_view bytes);
  void BindInt(int i, int64_t v);
  void BindNull(int i);

  Result<bool> Step();
  Status Run();
  void Reset();  // ready to run again; the bindings stay

  std::string_view View(int col) const;
  int64_t Int(int col) const;
  bool IsNull(int col) const;
  int columns() const;

 private:
  friend class Conn;
  Statement(Conn* conn, const char* key, std::string sql) : conn_(conn), key_(key), sql_(std::move(sql)) {}
  void Param(int i, std::string bytes, unsigned type, bool null);
  Status Execute();
  void Clear();

  Conn* conn_;
  const char* key_;  // the SQL's address: the prepared statement's key (null: not kept)
  std::string sql_;  // with $n parameters
  std::vector<std::string> values_;
  std::vector<unsigned> types_;
  std::vector<char> null_;
  pg_result* result_ = nullptr;
  int row_ = -1, rows_ = 0;
  bool bad_bind_ = false;
};

class Conn {
 public:
  // `conninfo` is a libpq connection URL or key=value string. The error names the
  // server's answer, not the string.
  static Result<std::unique_ptr<Conn>> Open(const std::string& conninfo);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  // Runs fixed SQL that may hold several statements (no parameters).
  Status Exec(std::string_view sql);
  // `key` is fixed SQL with a fixed address (kept prepared), or null with `sql` the
  // caller's own text (run unprepared).
  std::unique_ptr<Statement> Prepare(const char* key, std::string_view sql);
  bool InTransaction() const;
  // True when a statement of the open transaction failed: PostgreSQL then refuses the
  // rest and turns COMMIT into a rollback without an error.
  bool TransactionFailed() const;
  int64_t changes() const { return changes_; }  // rows the last statement changed

 private:
  friend class Statement;
  explicit Conn(pg_conn* conn) : conn_(conn) {}
  // Makes a lost connection whole again when no transaction was open on it (a
  // restarted PostgreSQL); its prepared statements are gone with it.
  bool Revive();

  pg_conn* conn_;
  std::unordered_map<const char*, std::string> prepared_;  // SQL address -> statement name
  std::unordered_map<const char*, std::string> texts_;     // SQL address -> the SQL with $n
  int64_t changes_ = 0;
  bool in_transaction_ = false;  // ours, for Revive: libpq's status is lost with the socket
};

}  // namespace sotay::server::pg
