// The state behind a SealedStore: its connection, its data key and its cached
// statements. Private to core/src/store: sealed_store.cc (rows, meta,
// transactions) and store_open.cc (create, open, passphrase) share it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sotay/sealed_store.h"
#include "sqlite_db.h"
#include "store/store_crypto.h"

namespace sotay {

// The statements kept prepared per table.
enum class StmtKind {
  kPut, kGet, kHas, kDelete, kScanAll, kScanIndex, kScanAfter, kKeysFrom, kRowKeys, kCount, kKeyAtOrBefore
};
constexpr int kNumTables = 12;
constexpr int kNumStmtKinds = 11;

// Meta keys the store keeps for itself; callers' PutMeta may not use this prefix.
constexpr std::string_view kReservedMetaPrefix = "store.";

class SealedStore::Impl {
 public:
  sqlite::Db db;  // declared first: destroyed after the statements below
  store::SecretBytes data_key;
  store::NonceSource nonces;

  // Kept for the store's life (PrepareUncached): a sealed write binds without a copy
  // (Lifetime::kNoCopy) and never compiles SQL once warm.
  sqlite::Statement get_meta;  // SELECT value FROM meta WHERE key = ?1
  sqlite::Statement put_meta;  // INSERT OR REPLACE INTO meta ...
  sqlite::Statement begin, commit, rollback;

  // Prepares the per-store statements that do not depend on a table.
  Status PrepareCommon();
  // The cached statement for (table, kind), prepared on first use.
  // InvalidArgument if `table` is not one of the enum's values.
  Result<sqlite::Statement*> Stmt(Table table, StmtKind kind);
  // Prepares a fresh (uncached) statement, for a scan nested in a scan.
  Status PrepareFresh(Table table, StmtKind kind, sqlite::Statement* out);
  bool& InUse(Table table, StmtKind kind) {
    return in_use_[static_cast<int>(table)][static_cast<int>(kind)];
  }

  Status WriteMeta(std::string_view key, std::string_view value);
  Result<std::optional<std::string>> ReadMeta(std::string_view key);

  // Scratch space reused by every Put/Get so they allocate nothing once warm.
  std::string ad;
  std::string sealed;

 private:
  sqlite::Statement stmts_[kNumTables][kNumStmtKinds];
  bool in_use_[kNumTables][kNumStmtKinds] = {};
};

}  // namespace sotay
