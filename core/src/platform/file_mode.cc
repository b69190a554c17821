#include "platform/file_mode.h"

#include <filesystem>

#include "sotay/os.h"

#ifdef _WIN32
#include <windows.h>
#include <aclapi.h>

#include <vector>
#else
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

Result<bool> IsOwnerOnly(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    return Status::IOError("check store file " + path + ": " + std::strerror(errno));
  }
  return (st.st_mode & 0777) == (S_IRUSR | S_IWUSR);
}

#else  // _WIN32: a protected DACL that grants this user alone

namespace {

std::string WinError(DWORD code) { return "Windows error " + std::to_string(code); }

// An ACL with one entry: full access for the user this process runs as. `inherit`
// passes it on to the files later made in a folder (the store's -wal and -shm).
class OwnerAcl {
 public:
  Status Make(bool inherit) {
    HANDLE token = nullptr;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return Fail(GetLastError());
    DWORD size = 0;
    GetTokenInformation(token, TokenUser, nullptr, 0, &size);
    user_.resize(size);
    const bool ok = GetTokenInformation(token, TokenUser, user_.data(), size, &size) != 0;
    const DWORD err = GetLastError();
    CloseHandle(token);
    if (!ok) return Fail(err);
    EXPLICIT_ACCESSW ea{};
    ea.grfAccessPermissions = GENERIC_ALL;
    ea.grfAccessMode = SET_ACCESS;
    ea.grfInheritance = inherit ? SUB_CONTAINERS_AND_OBJECTS_INHERIT : NO_INHERITANCE;
    ea.Trustee.TrusteeForm = TRUSTEE_IS_SID;
    ea.Trustee.TrusteeType = TRUSTEE_IS_USER;
    ea.Trustee.ptstrName = static_cast<LPWSTR>(sid());
    const DWORD rc = SetEntriesInAclW(1, &ea, nullptr, &acl_);
    return rc == ERROR_SUCCESS ? Status::OK() : Fail(rc);
  }
  ~OwnerAcl() {
    if (acl_ != nullptr) LocalFree(acl_);
  }
  PACL acl() const { return acl_; }
  PSID sid() { return reinterpret_cast<TOKEN_USER*>(user_.data())->User.Sid; }

 private:
  static Status Fail(DWORD code) { return Status::IOError("read this user's account: " + WinError(code)); }
  std::vector<BYTE> user_;
  PACL acl_ = nullptr;
};

}  // namespace

Status Protect(const std::string& path, bool inherit, const char* what) {
  OwnerAcl owner;
  Status s = owner.Make(inherit);
  if (!s.ok()) return s.Annotate(std::string("restrict ") + what + " " + path + " to its owner");
  std::wstring wide = Utf8ToWide(path);
  const DWORD rc = SetNamedSecurityInfoW(wide.data(), SE_FILE_OBJECT,
                                         DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                                         nullptr, nullptr, owner.acl(), nullptr);
  if (rc != ERROR_SUCCESS) {
    return Status::IOError(std::string("restrict ") + what + " " + path + " to its owner: " + WinError(rc));
  }
  return Status::OK();
}

Status CreateOwnerOnlyFile(const std::string& path) {
  OwnerAcl owner;
  Status s = owner.Make(false);
  if (!s.ok()) return s.Annotate("create store file " + path);
  SECURITY_DESCRIPTOR sd;
  InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION);
  SetSecurityDescriptorDacl(&sd, TRUE, owner.acl(), FALSE);
  SetSecurityDescriptorControl(&sd, SE_DACL_PROTECTED, SE_DACL_PROTECTED);  // nothing inherited
  SECURITY_ATTRIBUTES sa{static_cast<DWORD>(sizeof(sa)), &sd, FALSE};
  HANDLE h = CreateFileW(Utf8ToWide(path).c_str(), GENERIC_WRITE, 0, &sa, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    const DWORD err = GetLastError();
    if (err == ERROR_FILE_EXISTS || err == ERROR_ALREADY_EXISTS) {
      return Status::AlreadyExists("a file already exists at " + path);
    }
    return Status::IOError("create store file " + path + ": " + WinError(err));
  }
  CloseHandle(h);
  return Status::OK();
}

Status RestrictToOwner(const std::string& path) {
  const DWORD attrs = GetFileAttributesW(Utf8ToWide(path).c_str());
  if (attrs == INVALID_FILE_ATTRIBUTES || (attrs & FILE_ATTRIBUTE_DIRECTORY)) return Status::OK();
  return Protect(path, false, "store file");
}

Result<bool> IsOwnerOnly(const std::string& path) {
  OwnerAcl owner;
  Status s = owner.Make(false);
  if (!s.ok()) return s.Annotate("check store file " + path);
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR sd = nullptr;
  std::wstring wide = Utf8ToWide(path);
  const DWORD rc = GetNamedSecurityInfoW(wide.data(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr,
                                         nullptr, &dacl, nullptr, &sd);
  if (rc != ERROR_SUCCESS) return Status::IOError("check store file " + path + ": " + WinError(rc));
  // Owner-only: a DACL whose every entry allows this user and no one else.
  bool only = dacl != nullptr && dacl->AceCount > 0;
  for (DWORD i = 0; only && i < dacl->AceCount; ++i) {
    void* ace = nullptr;
    if (!GetAce(dacl, i, &ace)) { only = false; break; }
    auto* header = static_cast<ACE_HEADER*>(ace);
    if (header->AceType != ACCESS_ALLOWED_ACE_TYPE) continue;
    auto* allowed = static_cast<ACCESS_ALLOWED_ACE*>(ace);
    only = EqualSid(reinterpret_cast<PSID>(&allowed->SidStart), owner.sid()) != 0;
  }
  LocalFree(sd);
  return only;
}

#endif

}  // namespace sotay::store

namespace sotay {

Status MakeOwnerOnlyFolder(const std::string& dir) {
#ifdef _WIN32
  return store::Protect(dir, true, "folder");
#else
  std::error_code ec;
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
  if (ec) return Status::IOError("restrict folder " + dir + " to its owner: " + ec.message());
  return Status::OK();
#endif
}

}  // namespace sotay
