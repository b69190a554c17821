// Fault injection, as SQLite tests itself (STYLE.md, "SQLite's testing"): a wrapper
// VFS named "sotay-fault" that delegates everything to the real one but fails the
// Nth xWrite/xSync/xTruncate (and, in one mode, xRead) with SQLITE_FULL or
// SQLITE_IOERR_*. A connection of the SQLite layer is opened through it by name
// (sqlite::Db::Open's `vfs`, ServerStore::Open's, SealedStore::Open's and
// NotebookOptions::vfs): the server's store, the device's and the layer's own tests
// do. This file implements a VFS, so
// it is the one place in the tests that speaks the raw sqlite3 API.
//
// "Persistent" modes fail every operation after the Nth too (a full or dead disk);
// the "transient" mode fails only the Nth.
//
// Thread-safety: none. The fault's countdown is one global: only one thread may do
// counted I/O while a fault is armed.
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "sqlite_db.h"

namespace sotay::testing {

struct FaultMode {
  const char* name;
  bool persistent;  // every counted operation after the Nth fails too
  bool reads;       // xRead is counted (and fails) as well
};
inline constexpr FaultMode kFaultModes[] = {
    {"disk full from the Nth write on", true, false},
    {"only the Nth write fails", false, false},
    {"dead disk from the Nth read or write on", true, true},
};

inline constexpr char kFaultVfsName[] = "sotay-fault";

namespace fault_vfs_detail {

struct FaultState {
  bool armed = false;
  bool persistent = false;
  bool reads = false;
  int64_t countdown = 0;  // counted operations left before the fault
  bool fired = false;
  bool real_syncs = true;  // false: a sync is counted (and may fail) but not done
};
inline FaultState g_fault;
inline sqlite3_vfs* g_real = nullptr;

// Whether this counted operation fails.
inline bool Fail() {
  if (!g_fault.armed) return false;
  if (g_fault.fired) return g_fault.persistent;
  if (--g_fault.countdown > 0) return false;
  g_fault.fired = true;
  return true;
}

// SQLite sees a sqlite3_file: pMethods first; the real file follows this struct.
struct FaultFile {
  const sqlite3_io_methods* pMethods;
  sqlite3_file* real;
};
inline sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<FaultFile*>(f)->real; }
inline const sqlite3_io_methods* M(sqlite3_file* f) { return Real(f)->pMethods; }

inline int FClose(sqlite3_file* f) { return M(f)->xClose(Real(f)); }
inline int FRead(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  if (g_fault.reads && Fail()) return SQLITE_IOERR_READ;
  return M(f)->xRead(Real(f), buf, n, off);
}
inline int FWrite(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  if (Fail()) return g_fault.persistent ? SQLITE_FULL : SQLITE_IOERR_WRITE;
  return M(f)->xWrite(Real(f), buf, n, off);
}
inline int FTruncate(sqlite3_file* f, sqlite3_int64 size) {
  if (Fail()) return SQLITE_IOERR_TRUNCATE;
  return M(f)->xTruncate(Real(f), size);
}
inline int FSync(sqlite3_file* f, int flags) {
  if (Fail()) return SQLITE_IOERR_FSYNC;
  if (!g_fault.real_syncs) return SQLITE_OK;
  return M(f)->xSync(Real(f), flags);
}
inline int FFileSize(sqlite3_file* f, sqlite3_int64* size) { return M(f)->xFileSize(Real(f), size); }
inline int FLock(sqlite3_file* f, int lock) { return M(f)->xLock(Real(f), lock); }
inline int FUnlock(sqlite3_file* f, int lock) { return M(f)->xUnlock(Real(f), lock); }
inline int FCheckReservedLock(sqlite3_file* f, int* out) { return M(f)->xCheckReservedLock(Real(f), out); }
inline int FFileControl(sqlite3_file* f, int op, void* arg) { return M(f)->xFileControl(Real(f), op, arg); }
inline int FSectorSize(sqlite3_file* f) { return M(f)->xSectorSize(Real(f)); }
inline int FDeviceCharacteristics(sqlite3_file* f) { return M(f)->xDeviceCharacteristics(Real(f)); }
inline int FShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return M(f)->xShmMap(Real(f), page, size, extend, out);
}
inline int FShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return M(f)->xShmLock(Real(f), offset, n, flags);
}
inline void FShmBarrier(sqlite3_file* f) { M(f)->xShmBarrier(Real(f)); }
inline int FShmUnmap(sqlite3_file* f, int del) { return M(f)->xShmUnmap(Real(f), del); }
inline int FFetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
  return M(f)->xFetch(Real(f), off, n, out);
}
inline int FUnfetch(sqlite3_file* f, sqlite3_int64 off, void* p) { return M(f)->xUnfetch(Real(f), off, p); }

// One table per iVersion (1..3), so SQLite never calls what the real file lacks.
constexpr sqlite3_io_methods MethodsV(int version) {
  return {version,     FClose,      FRead,     FWrite,    FTruncate,   FSync,
          FFileSize,   FLock,       FUnlock,   FCheckReservedLock,     FFileControl,
          FSectorSize, FDeviceCharacteristics, FShmMap,   FShmLock,    FShmBarrier,
          FShmUnmap,   FFetch,      FUnfetch};
}
inline constexpr sqlite3_io_methods kMethods[3] = {MethodsV(1), MethodsV(2), MethodsV(3)};

inline int VOpen(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  ff->real = reinterpret_cast<sqlite3_file*>(ff + 1);
  ff->real->pMethods = nullptr;
  const int rc = g_real->xOpen(g_real, name, ff->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (ff->real->pMethods != nullptr) ff->real->pMethods->xClose(ff->real);
    ff->pMethods = nullptr;  // SQLite will not call xClose
    return rc;
  }
  ff->pMethods = &kMethods[std::clamp(ff->real->pMethods->iVersion, 1, 3) - 1];
  return SQLITE_OK;
}
inline int VDelete(sqlite3_vfs*, const char* name, int sync_dir) { return g_real->xDelete(g_real, name, sync_dir); }
inline int VAccess(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_real->xAccess(g_real, name, flags, out);
}
inline int VFullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real->xFullPathname(g_real, name, n, out);
}
inline void* VDlOpen(sqlite3_vfs*, const char* name) { return g_real->xDlOpen(g_real, name); }
inline void VDlError(sqlite3_vfs*, int n, char* out) { g_real->xDlError(g_real, n, out); }
using SymFn = void (*)(void);
inline SymFn VDlSym(sqlite3_vfs*, void* h, const char* sym) { return g_real->xDlSym(g_real, h, sym); }
inline void VDlClose(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
inline int VRandomness(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
inline int VSleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
inline int VCurrentTime(sqlite3_vfs*, double* out) { return g_real->xCurrentTime(g_real, out); }
inline int VGetLastError(sqlite3_vfs*, int n, char* out) { return g_real->xGetLastError(g_real, n, out); }
inline int VCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) { return g_real->xCurrentTimeInt64(g_real, out); }
inline int VSetSystemCall(sqlite3_vfs*, const char* name, sqlite3_syscall_ptr p) {
  return g_real->xSetSystemCall(g_real, name, p);
}
inline sqlite3_syscall_ptr VGetSystemCall(sqlite3_vfs*, const char* name) {
  return g_real->xGetSystemCall(g_real, name);
}
inline const char* VNextSystemCall(sqlite3_vfs*, const char* name) { return g_real->xNextSystemCall(g_real, name); }

}  // namespace fault_vfs_detail

// Registers the faulting VFS (disarmed) while alive, as the default if
// `make_default` (then every sqlite3_open uses it) or else only for opens that
// name kFaultVfsName; restores the original default when destroyed.
class FaultVfs {
 public:
  explicit FaultVfs(bool make_default = true) {
    using namespace fault_vfs_detail;
    original_ = sqlite3_vfs_find(nullptr);
    REQUIRE(original_ != nullptr);
    g_real = original_;
    g_fault = FaultState{};
    vfs_ = sqlite3_vfs{std::min(original_->iVersion, 3),
                       static_cast<int>(sizeof(FaultFile)) + original_->szOsFile,
                       original_->mxPathname, nullptr, kFaultVfsName, nullptr,
                       VOpen, VDelete, VAccess, VFullPathname, VDlOpen, VDlError, VDlSym, VDlClose,
                       VRandomness, VSleep, VCurrentTime, VGetLastError, VCurrentTimeInt64,
                       VSetSystemCall, VGetSystemCall, VNextSystemCall};
    REQUIRE(sqlite3_vfs_register(&vfs_, make_default ? 1 : 0) == SQLITE_OK);
  }
  ~FaultVfs() {
    fault_vfs_detail::g_fault = fault_vfs_detail::FaultState{};
    sqlite3_vfs_register(original_, 1);
    sqlite3_vfs_unregister(&vfs_);
  }
  FaultVfs(const FaultVfs&) = delete;
  FaultVfs& operator=(const FaultVfs&) = delete;

  // From now on the nth counted operation fails (and, in a persistent mode, all after it).
  static void Arm(int64_t n, const FaultMode& mode) {
    const bool real_syncs = fault_vfs_detail::g_fault.real_syncs;
    fault_vfs_detail::g_fault = fault_vfs_detail::FaultState{true, mode.persistent, mode.reads, n, false, real_syncs};
  }
  static void Disarm() { fault_vfs_detail::g_fault.armed = false; }
  // Whether syncs reach the disk. A test that simulates a kill by copying the files
  // (CopyDatabase) sees the page cache either way; skipping the real fsyncs makes
  // hundreds of runs quick. Counted and failed the same.
  static void RealSyncs(bool on) { fault_vfs_detail::g_fault.real_syncs = on; }
  // Whether the armed fault has fired (stays true after Disarm until the next Arm).
  static bool Fired() { return fault_vfs_detail::g_fault.fired; }

 private:
  sqlite3_vfs* original_ = nullptr;
  sqlite3_vfs vfs_{};
};

// Removes a SQLite database and its side files.
inline void RemoveDatabase(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
}

// Copies a database's file and WAL as they are on disk now: what a process killed at
// this point would leave (all of SQLite's completed writes, nothing after).
inline void CopyDatabase(const std::string& from, const std::string& to) {
  RemoveDatabase(to);
  for (const char* suffix : {"", "-wal"}) {
    if (std::filesystem::exists(from + suffix)) {
      std::filesystem::copy_file(from + suffix, to + suffix, std::filesystem::copy_options::overwrite_existing);
    }
  }
}

// SQLite's own view: "ok" when the file's b-trees are sound, else what is wrong.
inline std::string IntegrityCheck(const std::string& path) {
  auto db = sqlite::Db::Open(path, sqlite::Db::Mode::kReadWrite);
  if (!db.ok()) return db.status().ToString();
  auto st = db->Prepare("PRAGMA integrity_check");
  if (!st.ok()) return st.status().ToString();
  auto row = st->Step();
  if (!row.ok()) return row.status().ToString();
  return *row ? st->Text(0) : "no answer";
}

}  // namespace sotay::testing
