// RAII wrappers over the SQLite C API for the server's store: a connection (Db), a
// prepared statement with bound parameters (Statement) and a write transaction
// (Transaction). Used by ServerStore and the migrations; nothing else runs SQL.
//
// SQL text given to Exec and Prepare is fixed text written in the code; values only
// ever reach SQL as bound parameters. Error messages carry SQLite's reason ("database
// is locked") and never a bound value.
//
// Thread-safety: none. A Db and its statements belong to one thread at a time; the
// server serialises access with one mutex (see app.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sotay/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace sotay::server {

// Prepared statements kept for reuse, keyed by the address of their fixed SQL text:
// compiling SQL costs more than running it on the sync hot path.
struct StatementCache;

class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based. Text and blobs are copied (SQLITE_TRANSIENT).
  Statement& Bind(int i, std::string_view text);
  Statement& BindBlob(int i, std::string_view bytes);
  Statement& Bind(int i, int64_t v);
  Statement& BindNull(int i);
  Statement& Bind(int i, const std::optional<int64_t>& v);

  // Advances: true if a row is ready, false when done.
  Result<bool> Step();
  // Steps a statement that returns no rows to completion.
  Status Run();

  std::string Text(int col) const;
  std::string Blob(int col) const;
  int64_t Int(int col) const;
  bool IsNull(int col) const;
  std::optional<int64_t> OptInt(int col) const;

 private:
  friend class Db;
  void Release();  // back to the cache (reset, bindings cleared), or finalized
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = 0;  // the first failed bind, reported by Step/Run
  std::shared_ptr<StatementCache> cache_;
  const char* key_ = nullptr;
};

class Db {
 public:
  // Opens `path`; `create` allows making a new file. `vfs` names the SQLite VFS to
  // do the file I/O (nullptr: the default); tests pass one that fails on purpose.
  // REQUIRES: `vfs` outlives the Db (a literal).
  static Result<Db> Open(const std::string& path, bool create, const char* vfs = nullptr);
  Db() = default;
  ~Db();
  Db(Db&& other) noexcept;
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs fixed SQL text (may hold several statements); no parameters.
  Status Exec(const char* sql);
  // REQUIRES: `sql` is fixed text (a literal: its address keys the statement cache).
  // A failure to prepare is returned as the Status.
  Result<Statement> Prepare(const char* sql);
  // The first column of the first row of fixed SQL text, as an integer (0 if none).
  Result<int64_t> QueryInt(const char* sql);
  int64_t changes() const;
  // The rowid of the last row inserted on this connection. (RETURNING would build an
  // ephemeral table for every row: the largest part of an insert's time here.)
  int64_t last_insert_rowid() const;
  // The raw connection, for the WAL checkpointer's hook (wal_checkpointer.h).
  sqlite3* handle() const { return db_; }
  // The VFS given to Open (nullptr: the default), for a second connection to the file.
  const char* vfs() const { return vfs_; }

 private:
  sqlite3* db_ = nullptr;
  const char* vfs_ = nullptr;
  std::shared_ptr<StatementCache> cache_;
};

// A write transaction (BEGIN IMMEDIATE), rolled back unless committed.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  const Status& status() const { return begin_; }  // whether BEGIN succeeded
  Status Commit();

 private:
  Db& db_;
  Status begin_;
  bool open_ = false;
};

// Status for SQLite result code `rc` on `db` (may be null): AlreadyExists for a
// duplicate key, FailedPrecondition for another constraint (a foreign key, a
// trigger), Corrupt for a damaged file, IOError otherwise.
Status SqliteError(sqlite3* db, int rc, const char* doing);

}  // namespace sotay::server
