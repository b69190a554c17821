// What of a stored change set a device may receive (schemas/README.md, "Sensitive"):
// an edit of a sensitive field (an abuse report's reporter) only when the device's
// user made it, or when it replaces a value the user's devices hold (district staff
// settling a conflict between two of the worker's answers: without it the worker's
// phone would show the conflict for ever). The other devices of the commune never
// hold the value. The wire does not change (those edits are just absent), and since
// a device merges field by field and never edits what it does not hold, their pushes
// cannot erase or contest it.
//
// Thread-safety: none; used by one pull, inside its transaction.
#pragma once

#include <map>
#include <set>
#include <string>

#include "store/form_catalog.h"
#include "store/server_store.h"

namespace sotay::server {

class SensitiveEdits {
 public:
  // For the devices of `user`.
  SensitiveEdits(ServerStore& store, const FormCatalog& forms, std::string user)
      : store_(store), forms_(forms), user_(std::move(user)) {}

  // Rewrites `set` (its edits and count) without the edits the device may not
  // receive. Returns false when none is left: the set is then not sent at all.
  // Corrupt when the set or its record's history does not decode, NotFound when
  // its record is missing.
  Result<bool> Keep(StoredSet& set);
  // Whether the devices of the user receive `e`, an edit of `record`: the same
  // rule, one edit at a time (a file named by a sensitive answer is fetched only
  // by a device that receives that answer, sync/attachment_access.h).
  Result<bool> Receives(const std::string& record, const Edit& e);

 private:
  struct RecordView {
    std::string form;
    std::set<Dot> held;  // the record's sensitive-named edits the user's devices receive
  };
  Result<const RecordView*> View(const std::string& record);

  ServerStore& store_;
  const FormCatalog& forms_;
  const std::string user_;
  std::map<std::string, RecordView> views_;  // by record, for this pull
};

}  // namespace sotay::server
