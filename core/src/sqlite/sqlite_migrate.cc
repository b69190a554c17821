#include "sqlite_migrate.h"

#include <string>

namespace sotay::sqlite {

Status RefuseNewer(int64_t found, size_t known, std::string_view what) {
  if (found <= static_cast<int64_t>(known)) return Status::OK();
  return Status::FailedPrecondition(std::string(what) + " has schema version " + std::to_string(found) +
                                    ", newer than this version of Sotay knows (" + std::to_string(known) + ")");
}

Status Migrate(Db& db, const std::vector<Migration>& steps, std::string_view what) {
  Result<int64_t> current = db.QueryInt("PRAGMA user_version");
  if (!current.ok()) return current.status().Annotate("read the schema version of " + std::string(what));
  if (*current < 0) return Status::Corrupt(std::string(what) + " has a negative schema version");
  Status s = RefuseNewer(*current, steps.size(), what);
  for (size_t n = static_cast<size_t>(*current); s.ok() && n < steps.size(); ++n) {
    Transaction txn(db);
    s = txn.status();
    if (s.ok()) s = db.Exec(steps[n].sql);
    if (s.ok() && steps[n].then) s = steps[n].then(db);
    // PRAGMA takes no parameters; the number is this loop's, not data.
    if (s.ok()) s = db.Exec(("PRAGMA user_version = " + std::to_string(n + 1)).c_str());
    if (s.ok()) s = txn.Commit();
    if (!s.ok()) s = s.Annotate("upgrade " + std::string(what) + " to schema version " + std::to_string(n + 1));
  }
  return s;
}

}  // namespace sotay::sqlite
