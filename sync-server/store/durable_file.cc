#include "store/durable_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sotay::server {

namespace {

Status Sync(const std::string& path, int flags, const char* what) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Status::IOError(std::string(what) + " " + path + ": cannot be opened to sync: " + std::strerror(errno));
  const bool ok = ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok) return Status::IOError(std::string(what) + " " + path + ": cannot be synced to disk: " + std::strerror(err));
  return Status::OK();
}

}  // namespace

Status SyncFileToDisk(const std::string& path) { return Sync(path, O_RDONLY, "file"); }

Status SyncFolderToDisk(const std::string& dir) {
  return Sync(dir.empty() ? "." : dir, O_RDONLY | O_DIRECTORY, "folder");  // "": a path's parent in the working folder
}

}  // namespace sotay::server
