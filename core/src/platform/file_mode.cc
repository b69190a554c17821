#include "platform/file_mode.h"

#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#endif

namespace sotay::store {

#ifndef _WIN32

Status CreateOwnerOnlyFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, S_IRUSR | S_IWUSR);
  if (fd < 0) {
    if (errno == EEXIST) return Status::AlreadyExists("a file already exists at " + path);
    return Status::IOError("create store file " + path + ": " + std::strerror(errno));
  }
  // The umask can only take bits away from 0600; fchmod makes the mode exact anyway.
  const bool ok = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok) return Status::IOError("restrict store file " + path + " to its owner: " + std::strerror(err));
  return Status::OK();
}

Status RestrictToOwner(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::OK();
    return Status::IOError("check store file " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode) || (st.st_mode & 0777) == (S_IRUSR | S_IWUSR)) return Status::OK();
  if (::chmod(path.c_str(), S_IRUSR | S_IWUSR) != 0) {
    return Status::IOError("restrict store file " + path + " to its owner: " + std::strerror(errno));
  }
  return Status::OK();
}

#else  // _WIN32: the profile directory's ACL applies (see file_mode.h)

Status CreateOwnerOnlyFile(const std::string&) { return Status::OK(); }
Status RestrictToOwner(const std::string&) { return Status::OK(); }

#endif

}  // namespace sotay::store
