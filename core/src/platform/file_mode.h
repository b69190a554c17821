// Owner-only files for the store: the platform part of keeping notebook.db, its
// -wal and its -shm readable by this user alone (SECURITY.md, "On the device").
// The store's rows are sealed anyway; this keeps the clear columns and the sealed
// data key away from other accounts on a shared PC.
//
// POSIX: mode 0600 whatever the umask. Windows: a protected DACL (nothing inherited)
// whose one entry gives this user full access; SQLite makes -wal and -shm there
// without copying it, so Open restricts them as it finds them, and the shell makes
// the notebook's folder owner-only (sotay/os.h, MakeOwnerOnlyFolder) so that what is
// made inside inherits the same.
#pragma once

#include <string>

#include "sotay/status.h"

namespace sotay::store {

// Creates an empty file at `path` that only its owner may read or write.
// AlreadyExists if there is a file (or anything) there already.
Status CreateOwnerOnlyFile(const std::string& path);
// Makes an existing file owner-only; a missing file is not an error.
Status RestrictToOwner(const std::string& path);
// Whether only its owner may read or write the file (mode 0600; on Windows, a DACL
// that allows this user alone). For tests and checks.
Result<bool> IsOwnerOnly(const std::string& path);

#ifdef _WIN32
// Gives `path` a protected DACL for this user alone; `inherit`: and to what is made
// in it later. `what` names it in errors ("store file", "folder").
Status Protect(const std::string& path, bool inherit, const char* what);
#endif

}  // namespace sotay::store
