// What stands between a guesser and the server, kept in the database (table
// login_guard, schema step 13) so that every server process on one database counts
// the same attempts: with two processes behind nginx a guesser gets no second set of
// tries.
//
// - A rate per key: at most kAttemptsPerWindow sign-in attempts a minute from one
//   address (whatever the user id), as many password changes per user, and the
//   server's enrollments per minute from one address (sync/enroll_handler.cc).
// - A back-off per (user id, address): after kFreeFailures wrong passwords, each
//   further attempt from that address for that user waits longer (1 s, 2 s, 4 s, ...
//   up to 15 minutes). Keyed by both, so someone guessing from one address slows only
//   themselves: the user signs in from their own office as usual. A right password
//   clears it.
//
// Rows older than the longest wait go as new attempts come, so the table holds at most
// a quarter of an hour of attempts. A user id longer than any real one is keyed as one
// ("?"): a 4 MiB "id" is not a 4 MiB key.
//
// Thread-safety: as the Db; the caller holds the server's store mutex and, for the
// writes, a transaction.
#pragma once

#include <cstdint>
#include <string>

#include "store/sql_db.h"

namespace sotay::server {

inline constexpr int kFreeFailures = 3;
inline constexpr int64_t kMaxBackoffMs = 15 * 60 * 1000;
inline constexpr int64_t kAttemptsPerWindow = 10;
inline constexpr int64_t kAttemptWindowMs = 60 * 1000;

// The wait after `failures` wrong passwords in a row (0 for the first few).
int64_t BackoffDelayMs(int failures);

// Counts an attempt for `key` ("addr:...", "user:...", "enroll:...") at `now_ms`:
// false, counting nothing, when the key already had `per_window` in its minute.
Result<bool> AllowAttempt(sql::Db& db, const std::string& key, int64_t now_ms, int64_t per_window);
inline Result<bool> AllowLoginAttempt(sql::Db& db, const std::string& key, int64_t now_ms) {
  return AllowAttempt(db, key, now_ms, kAttemptsPerWindow);
}
// 0 when `user` may try a password from `addr` at `now_ms`, else the ms to wait.
Result<int64_t> LoginWaitMs(sql::Db& db, const std::string& user, const std::string& addr, int64_t now_ms);
Status NoteLoginFailure(sql::Db& db, const std::string& user, const std::string& addr, int64_t now_ms);
Status ClearLoginFailures(sql::Db& db, const std::string& user, const std::string& addr);

}  // namespace sotay::server
