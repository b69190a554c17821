// The server's connection to its database, whichever it is: an embedded SQLite file
// (the default: one district on one machine) or PostgreSQL (a province, several
// server processes on one database). Every store of the server (ServerStore, the
// dashboard's tables, the audit chain, file rows) talks through this one type, so
// each is written once for both.
//
// The interface is sqlite::Db's (core/src/sqlite/sqlite_db.h): Prepare a fixed SQL
// literal, Bind by number (?1, ?2), Step, read columns. SQL is written in the common
// subset of the two dialects; the few statements that differ (RETURNING, json_each)
// ask postgres() and pass their own literal. Schemas are separate texts
// (migrations.cc, pg_schema.cc).
//
// Transactions are write transactions and are serialised across every process on
// the database, as SQLite's BEGIN IMMEDIATE serialises writers on a file: on
// PostgreSQL, Transaction takes one advisory lock for its life. So a change set's
// sequence number is taken and committed in one order, and a reader never sees set
// n+1 without set n: a pull never skips a set (see docs/scale.md, "Writers").
//
// Thread-safety: none. One thread at a time per Db (the server holds it under a mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sotay/status.h"
#include "sqlite_db.h"

namespace sotay::server {

namespace pg {
class Conn;
class Statement;
}  // namespace pg

namespace sql {

using sqlite::Lifetime;

// Whether `target` (a --db argument) names a PostgreSQL database: a libpq URL,
// postgresql://... or postgres://...
bool IsPostgresTarget(std::string_view target);
// `target` fit for a message or a log: a URL's password is replaced by ***.
std::string Redacted(const std::string& target);

class Statement {
 public:
  Statement();
  explicit Statement(sqlite::Statement lite);
  explicit Statement(std::unique_ptr<pg::Statement> pg);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;

  // As sqlite::Statement's: parameters are 1-based, a failed bind is returned by the
  // next Step or Run.
  Statement& Bind(int i, std::string_view text, Lifetime lifetime = Lifetime::kCopy);
  Statement& BindBlob(int i, std::string_view bytes, Lifetime lifetime = Lifetime::kCopy);
  Statement& Bind(int i, int64_t v);
  Statement& Bind(int i, const std::optional<int64_t>& v);  // nullopt: NULL
  Statement& BindNull(int i);

  Result<bool> Step();  // true when a row is ready to read
  Status Run();         // steps to completion, then Resets
  void Reset();

  // The current row's columns; views last until the next Step or Reset.
  std::string_view TextView(int col) const;
  std::string_view BlobView(int col) const;
  std::string Text(int col) const { return std::string(TextView(col)); }
  std::string Blob(int col) const { return std::string(BlobView(col)); }
  int64_t Int(int col) const;
  bool IsNull(int col) const;
  int columns() const;
  std::optional<int64_t> OptInt(int col) const;

 private:
  sqlite::Statement lite_;
  std::unique_ptr<pg::Statement> pg_;
};

// Runs `st` and calls on_row() for each row: sqlite::ForEachRow, for either store.
using sqlite::ForEachRow;

class Db {
 public:
  Db();
  explicit Db(sqlite::Db lite);
  explicit Db(std::unique_ptr<pg::Conn> pg);
  ~Db();
  Db(Db&& other) noexcept;
  Db& operator=(Db&& other) noexcept;

  // Connects to PostgreSQL at `conninfo`; the error does not quote it.
  static Result<Db> OpenPostgres(const std::string& conninfo);

  bool postgres() const { return pg_ != nullptr; }
  // The SQLite connection, for what only SQLite has (online backup, WAL
  // checkpoints, integrity_check); null on PostgreSQL.
  sqlite::Db* lite() { return pg_ ? nullptr : &lite_; }

  Status Exec(const char* sql);
  // REQUIRES: `sql` is a literal (its address is the key of the kept statement).
  Result<Statement> Prepare(const char* sql);
  Result<Statement> PrepareUncached(std::string_view sql);
  Result<int64_t> QueryInt(const char* sql);
  bool InTransaction() const;
  int64_t changes() const;

 private:
  friend class Transaction;
  sqlite::Db lite_;
  std::unique_ptr<pg::Conn> pg_;
};

// A write transaction, serialised with every other on the database (above);
// rolled back when destroyed unless committed. REQUIRES: none open on `db`.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  const Status& status() const { return begin_; }
  Status Commit();

 private:
  Db& db_;
  std::optional<sqlite::Transaction> lite_;
  Status begin_;
  bool open_ = false;  // PostgreSQL's
};

}  // namespace sql
}  // namespace sotay::server
