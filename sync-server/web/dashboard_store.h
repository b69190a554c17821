// The dashboard's rows in the server's SQLite file: staff sessions, the server's own
// small settings, the users list, and the reads of records and their history that
// the pages need. Rows in, rows out; who may see what is decided by the callers.
//
// Thread-safety: none; callers hold the store's mutex (app_context.h).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/server_store.h"
#include "sotay/edit.h"
#include "sotay/status.h"

namespace sotay::server::web {

struct SessionRow {
  std::string user;
  std::string csrf;
  int64_t created_ms = 0, seen_ms = 0, expires_ms = 0;
  int64_t since_ms = 0;  // the user's previous sign-in: "new since you last came"
};

struct UserListRow {
  std::string id;
  Role role = Role::kWorker;
  std::string area;
  bool has_password = false;
  std::optional<int64_t> last_login_ms;
  std::optional<int64_t> disabled_ms;  // `admin disable-user`
  std::optional<int64_t> sensitive_granted_ms;  // `admin grant-sensitive`
  std::string name, phone;             // `admin set-user`; "" when not given
};

// A record's place, without its state: enough to list, filter and page.
struct RecordRef {
  std::string id, form, area, parent;
  int version = 0;
  int64_t updated_seq = 0;
};

// One edit of the history as the server received it.
using HistoryEdit = StoredEdit;

class DashboardStore {
 public:
  explicit DashboardStore(ServerStore& store) : store_(store), db_(store.db()) {}

  // Sessions, by the hash of their token (the token itself is never stored).
  Status InsertSession(const std::string& token_hash, const SessionRow& s);
  Result<std::optional<SessionRow>> FindSession(const std::string& token_hash);
  Status TouchSession(const std::string& token_hash, int64_t now_ms);
  Status DeleteSession(const std::string& token_hash);
  Status DeleteUserSessions(const std::string& user);
  Status PruneSessions(int64_t now_ms);

  Result<std::optional<std::string>> PasswordHash(const std::string& user);
  // Sets the user's last sign-in to `now_ms` and returns the one before (0 if none).
  Result<int64_t> RecordLogin(const std::string& user, int64_t now_ms);
  Result<std::vector<UserListRow>> ListUsers();

  Result<std::optional<std::string>> Meta(const std::string& key);
  Status SetMeta(const std::string& key, const std::string& value);

  // Records of the given communes (all forms and child forms).
  Result<std::vector<RecordRef>> RecordsIn(const std::vector<std::string>& communes);
  Result<std::vector<RecordRef>> ChildrenOf(const std::string& record);
  // The seq of the newest move between communes (0: none yet).
  Result<int64_t> NewestMoveSeq();
  // The seq of the newest change set (0: none yet). Every change to a record comes
  // with one: while it stands, no record changed.
  Result<int64_t> NewestSetSeq();

  // Pairs of profiles staff said are not the same child (duplicate_not_same), each
  // as DuplicatePairKey orders it.
  Result<std::set<std::pair<std::string, std::string>>> NotSamePairs();
  // Remembers one such pair; the second decision about a pair keeps the first.
  Status InsertNotSame(const std::pair<std::string, std::string>& key, const std::string& user, int64_t now_ms);

  ServerStore& store() { return store_; }

 private:
  ServerStore& store_;
  sql::Db& db_;
};

}  // namespace sotay::server::web
