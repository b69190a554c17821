// Thin RAII wrappers over the SQLite C API for the store: a connection (Db), a
// prepared statement with bound parameters (Statement) and a transaction scope
// (Transaction). Private to sotay_store; nothing outside core/src/store includes
// sqlite3.h.
//
// Values only ever reach SQL as bound parameters. SQL text passed to Exec and
// Prepare is fixed text written in the code (table names included), never built
// from data.
//
// Errors come back as sotay::Status with the SQLite reason ("disk full", "database
// is locked"); callers Annotate them with what they were doing ("write row in
// records"). Messages never contain bound values.
//
// Thread-safety: none; a Db and its statements belong to one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sotay/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace sotay::sqlite {

// The Status for SQLite result code `rc` on connection `db` (may be null):
// Corrupt for SQLITE_CORRUPT / SQLITE_NOTADB, IOError for everything else.
Status ErrorStatus(sqlite3* db, int rc);

class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return stmt_ != nullptr; }

  // Parameters are 1-based. The statement does NOT copy the bytes: they must stay
  // alive and unchanged until the next Reset() (SQLITE_STATIC), which is how the
  // store avoids a copy per row.
  Status BindText(int i, std::string_view v);
  Status BindBlob(int i, std::string_view bytes);
  Status BindInt64(int i, int64_t v);

  // Advances: true if a row is ready to read, false when done.
  Result<bool> Step();
  // Steps a statement that returns no rows to completion, then resets it.
  Status Run();
  // Makes the statement ready to run again (keeps the bindings' slots).
  void Reset();

  // Column accessors for the current row. Views are valid until the next Step or
  // Reset.
  std::string_view ColumnText(int i) const;
  std::string_view ColumnBlob(int i) const;
  int64_t ColumnInt64(int i) const;

 private:
  friend class Db;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement when it goes out of scope, so a read never stays open.
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement* s) : s_(s) {}
  ~ResetOnExit() { s_->Reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Statement* s_;
};

class Db {
 public:
  Db() = default;
  ~Db();  // closes the connection (rolling back an open transaction)
  Db(Db&& other) noexcept;
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Opens `path` (UTF-8) with sqlite3_open_v2 `flags`. On failure *this stays closed.
  Status Open(const std::string& path, int flags);
  void Close();
  bool is_open() const { return db_ != nullptr; }
  sqlite3* raw() const { return db_; }

  // Runs fixed SQL (one or more statements, results discarded).
  Status Exec(const char* sql);
  // Prepares fixed SQL into `out` (persistent: meant to be cached and reused).
  Status Prepare(std::string_view sql, Statement* out);
  // Reads a single integer, e.g. PRAGMA user_version.
  Result<int64_t> QueryInt(const char* sql);

  // True while an explicit transaction is open.
  bool InTransaction() const;

 private:
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back in the destructor unless committed.
// REQUIRES: no transaction is open on `db` when Begin() is called.
class Transaction {
 public:
  explicit Transaction(Db* db) : db_(db) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status Begin();
  Status Commit();

 private:
  Db* db_;
  bool open_ = false;
};

}  // namespace sotay::sqlite
