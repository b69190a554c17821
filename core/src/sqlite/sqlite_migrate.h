// The one migration runner, for the device's store file and the server's database:
// numbered steps on PRAGMA user_version. Step i takes a file from version i to
// i + 1, in one transaction of its own, so a failure leaves the file at the last
// version that completed; a file newer than the steps is refused, never guessed at.
// Each store supplies only its list (core/src/store/store_open.cc,
// sync-server/store/migrations.cc). Append only: a shipped step never changes.
//
// Thread-safety: as the Db (sqlite_db.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "sotay/status.h"
#include "sqlite_db.h"

namespace sotay::sqlite {

struct Migration {
  const char* sql;  // fixed SQL; may hold several statements
  // C++ that follows the SQL in the same transaction (moving rows, making a key).
  std::function<Status(Db&)> then = nullptr;
};

// Applies the steps the file lacks. `what` names the file in errors ("store file
// /x/notes.db"). FailedPrecondition, naming both versions, for a newer file.
Status Migrate(Db& db, const std::vector<Migration>& steps, std::string_view what);

// FailedPrecondition naming `what` and both versions when `found` is past `known`:
// the refusal Migrate gives, for a caller that must refuse before it may write.
Status RefuseNewer(int64_t found, size_t known, std::string_view what);

}  // namespace sotay::sqlite
