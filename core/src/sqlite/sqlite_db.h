// The one SQLite layer of the device's store and the server's: a connection (Db), a
// prepared statement (Statement), a write transaction (Transaction) and a row loop
// (ForEachRow). The migration runner is sqlite_migrate.h. Target sotay_sqlite; its
// headers are seen only by the targets that link it (sotay_store, sotay_server and
// the tests), not by phone apps, which is why they are not in core/include/sotay.
//
// Values only ever reach SQL as bound parameters; SQL text given to Exec and Prepare
// is fixed text written in the code (a table name from a fixed list at most), never
// built from data. Errors are Status values with what the layer was doing and
// SQLite's reason ("run a statement: disk full"), never a bound value; callers
// Annotate them with the thing they were doing it to.
//
// Thread-safety: none. A Db and its statements belong to one thread at a time (the
// device's store is one thread's; the server serialises access with one mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "sotay/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace sotay::sqlite {

// Status for SQLite result code `rc` on connection `db` (may be null), saying what
// was being done: Corrupt for a damaged file or not a database, AlreadyExists for a
// duplicate key, FailedPrecondition for another constraint (a trigger, a foreign
// key), IOError for everything else (a full disk reads "disk full").
Status Error(sqlite3* db, int rc, std::string_view doing);

// Statements of one connection kept for reuse, keyed by the address of their SQL.
struct StatementCache;

// Whether a bound text or blob is copied. kNoCopy is the hot path's (a sealed row of
// the device): the bytes must then stay alive and unchanged until the statement is
// stepped and Reset, Run, or destroyed.
enum class Lifetime { kCopy, kNoCopy };

class Statement {
 public:
  Statement() = default;
  ~Statement();  // back to its connection's cache (reset, unbound), or finalized
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return stmt_ != nullptr; }

  // Parameters are 1-based. A failed bind is kept and returned by the next Step or
  // Run, so binds chain.
  Statement& Bind(int i, std::string_view text, Lifetime lifetime = Lifetime::kCopy);
  Statement& BindBlob(int i, std::string_view bytes, Lifetime lifetime = Lifetime::kCopy);
  Statement& Bind(int i, int64_t v);
  Statement& Bind(int i, const std::optional<int64_t>& v);  // nullopt: NULL
  Statement& BindNull(int i);

  // Advances: true when a row is ready to read, false when done.
  Result<bool> Step();
  // Steps to completion (rows are discarded), then Resets.
  Status Run();
  // Ready to run again; the bindings stay, a kept bind failure is forgotten.
  void Reset();

  // The current row's columns. Views last until the next Step or Reset.
  std::string_view TextView(int col) const;
  std::string_view BlobView(int col) const;
  std::string Text(int col) const { return std::string(TextView(col)); }
  std::string Blob(int col) const { return std::string(BlobView(col)); }
  int64_t Int(int col) const;
  bool IsNull(int col) const;
  int columns() const;  // how many columns a row has
  std::optional<int64_t> OptInt(int col) const;

 private:
  friend class Db;
  void Release();
  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = 0;  // the first failed bind since the last Reset
  std::shared_ptr<StatementCache> cache_;  // null: finalized when released
  const char* key_ = nullptr;
};

// Runs `st` and calls on_row() for each row, so callers do not write the Step loop.
// on_row returns void (every row), bool (false: stop) or Status (not OK: stop and
// return it). The statement is not reset: its owner does that (or destroys it).
// Any statement with this one's Step (the server's sql::Statement too).
template <typename Stmt, typename OnRow>
Status ForEachRow(Stmt& st, OnRow&& on_row) {
  using R = std::invoke_result_t<OnRow&>;
  static_assert(std::is_void_v<R> || std::is_same_v<R, bool> || std::is_same_v<R, Status>,
                "on_row returns void, bool or Status");
  for (;;) {
    Result<bool> more = st.Step();
    if (!more.ok()) return more.status();
    if (!*more) return Status::OK();
    if constexpr (std::is_void_v<R>) {
      on_row();
    } else if constexpr (std::is_same_v<R, bool>) {
      if (!on_row()) return Status::OK();
    } else {
      Status s = on_row();
      if (!s.ok()) return s;
    }
  }
}

class Db {
 public:
  enum class Mode { kReadOnly, kReadWrite, kCreate };  // kCreate: read-write, made if missing
  // Opens `path` (UTF-8). `vfs` names the SQLite VFS that does the file I/O (nullptr:
  // the default); tests pass one that fails on purpose (tests/support/fault_vfs.h).
  // NotFound when the file is missing and `mode` does not create it.
  // REQUIRES: `vfs` outlives the Db (a literal).
  static Result<Db> Open(const std::string& path, Mode mode, const char* vfs = nullptr);
  Db() = default;
  ~Db();  // closes (an open transaction rolls back) once every statement is finalized
  Db(Db&& other) noexcept;
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  bool is_open() const { return db_ != nullptr; }

  // Runs fixed SQL (may hold several statements; results are discarded).
  Status Exec(const char* sql);
  // A statement from the connection's cache, compiled on first use: compiling costs
  // more than running on the hot paths. Given back to the cache when destroyed.
  // REQUIRES: `sql` is fixed text with a fixed address (a literal): it is the key.
  Result<Statement> Prepare(const char* sql);
  // A statement of the caller's own (never cached), for SQL built from fixed parts
  // or a statement the caller keeps for the connection's life.
  Result<Statement> PrepareUncached(std::string_view sql);
  // The first column of the first row of fixed SQL, as an integer (0 if no row).
  Result<int64_t> QueryInt(const char* sql);

  // True while an explicit transaction is open.
  bool InTransaction() const;
  int64_t changes() const;
  // The rowid of the last row inserted on this connection. (RETURNING would build an
  // ephemeral table for every row: the largest part of a server insert's time.)
  int64_t last_insert_rowid() const;
  // The raw connection, for what the layer does not wrap (busy timeout, the WAL
  // hook and checkpoints).
  sqlite3* handle() const { return db_; }
  // The VFS given to Open (nullptr: the default), for a second connection to the file.
  const char* vfs() const { return vfs_; }

 private:
  void Close();
  sqlite3* db_ = nullptr;
  const char* vfs_ = nullptr;
  std::shared_ptr<StatementCache> cache_;
};

// A write transaction: BEGIN IMMEDIATE when made, ROLLBACK when destroyed unless
// committed. REQUIRES: no transaction is open on `db`.
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

}  // namespace sotay::sqlite
