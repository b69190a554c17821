// What reaches the disk before the database says it is there: a file's bytes and a
// folder's entries forced out of the page cache (fsync), so that after a power cut
// the server never holds a row naming a chunk, a file or a key the disk lost. The
// server runs on Linux (POSIX); the device's store relies on SQLite's own syncs.
#pragma once

#include <string>

#include "sotay/status.h"

namespace sotay::server {

// fsync of the file at `path`: its bytes written so far are on the disk.
Status SyncFileToDisk(const std::string& path);

// fsync of the folder at `dir` ("" is the working folder): a file made, renamed or
// removed in it stays so.
Status SyncFolderToDisk(const std::string& dir);

}  // namespace sotay::server
