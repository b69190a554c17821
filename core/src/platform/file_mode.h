// Owner-only files for the store: the platform part of keeping notebook.db, its
// -wal and its -shm readable by this user alone (SECURITY.md, "On the device").
// The store's rows are sealed anyway; this keeps the clear columns and the sealed
// data key away from other accounts on a shared PC.
//
// POSIX: mode 0600 whatever the umask. Windows: not yet (the files inherit the
// profile directory's ACL); both functions then do nothing and succeed.
#pragma once

#include <string>

#include "sotay/status.h"

namespace sotay::store {

// Creates an empty file at `path` that only its owner may read or write.
// AlreadyExists if there is a file (or anything) there already.
Status CreateOwnerOnlyFile(const std::string& path);
// Makes an existing file owner-only; a missing file is not an error.
Status RestrictToOwner(const std::string& path);

}  // namespace sotay::store
