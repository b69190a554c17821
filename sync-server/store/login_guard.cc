#include "store/login_guard.h"

#include <algorithm>

namespace sotay::server {

namespace {

// A user id is at most 64 characters (IsWellFormedId); an address at most 64 here.
std::string FailureKey(const std::string& user, const std::string& addr) {
  return "f\n" + (user.size() <= 64 ? user : std::string("?")) + '\n' + addr.substr(0, 64);
}

std::string RateKey(const std::string& key) { return "r\n" + key.substr(0, 200); }

// Rows whose last attempt is older than the longest wait protect nothing any more.
Status Prune(sql::Db& db, int64_t now_ms) {
  auto st = db.Prepare("DELETE FROM login_guard WHERE last_ms < ?1");
  if (!st.ok()) return st.status();
  return st->Bind(1, now_ms - kMaxBackoffMs - kAttemptWindowMs).Run();
}

}  // namespace

int64_t BackoffDelayMs(int failures) {
  if (failures < kFreeFailures) return 0;
  const int doublings = std::min(failures - kFreeFailures, 20);
  return std::min<int64_t>(int64_t{1000} << doublings, kMaxBackoffMs);
}

Result<bool> AllowAttempt(sql::Db& db, const std::string& key, int64_t now_ms, int64_t per_window) {
  Status s = Prune(db, now_ms);
  if (!s.ok()) return s;
  auto read = db.Prepare("SELECT count, until_ms FROM login_guard WHERE key = ?1");
  if (!read.ok()) return read.status();
  read->Bind(1, RateKey(key));
  auto row = read->Step();
  if (!row.ok()) return row.status();
  const bool open_window = *row && read->Int(1) > now_ms;
  const int64_t count = open_window ? read->Int(0) : 0;
  const int64_t until = open_window ? read->Int(1) : now_ms + kAttemptWindowMs;
  read->Reset();
  if (count >= per_window) return false;
  auto write = db.Prepare(
      "INSERT INTO login_guard (key, count, until_ms, last_ms) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT (key) DO UPDATE SET count = excluded.count, until_ms = excluded.until_ms,"
      " last_ms = excluded.last_ms");
  if (!write.ok()) return write.status();
  s = write->Bind(1, RateKey(key)).Bind(2, count + 1).Bind(3, until).Bind(4, now_ms).Run();
  if (!s.ok()) return s;
  return true;
}

Result<int64_t> LoginWaitMs(sql::Db& db, const std::string& user, const std::string& addr, int64_t now_ms) {
  auto st = db.Prepare("SELECT until_ms FROM login_guard WHERE key = ?1");
  if (!st.ok()) return st.status();
  st->Bind(1, FailureKey(user, addr));
  auto row = st->Step();
  if (!row.ok()) return row.status();
  if (!*row || st->Int(0) <= now_ms) return int64_t{0};
  return st->Int(0) - now_ms;
}

Status NoteLoginFailure(sql::Db& db, const std::string& user, const std::string& addr, int64_t now_ms) {
  const std::string key = FailureKey(user, addr);
  auto read = db.Prepare("SELECT count FROM login_guard WHERE key = ?1");
  if (!read.ok()) return read.status();
  read->Bind(1, key);
  auto row = read->Step();
  if (!row.ok()) return row.status();
  const int failures = static_cast<int>(std::min<int64_t>(*row ? read->Int(0) : 0, 1000)) + 1;
  read->Reset();
  auto write = db.Prepare(
      "INSERT INTO login_guard (key, count, until_ms, last_ms) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT (key) DO UPDATE SET count = excluded.count, until_ms = excluded.until_ms,"
      " last_ms = excluded.last_ms");
  if (!write.ok()) return write.status();
  return write->Bind(1, key).Bind(2, int64_t{failures}).Bind(3, now_ms + BackoffDelayMs(failures)).Bind(4, now_ms).Run();
}

Status ClearLoginFailures(sql::Db& db, const std::string& user, const std::string& addr) {
  auto st = db.Prepare("DELETE FROM login_guard WHERE key = ?1");
  if (!st.ok()) return st.status();
  return st->Bind(1, FailureKey(user, addr)).Run();
}

}  // namespace sotay::server
