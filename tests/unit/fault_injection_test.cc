// Fault injection, as SQLite tests itself (STYLE.md, "SQLite's testing"): a wrapper
// VFS, made the default for the length of a test, delegates everything to the real
// one but fails the Nth xWrite/xSync/xTruncate (and, in one mode, xRead) with
// SQLITE_FULL or SQLITE_IOERR_*. For N = 1, 2, ... a fresh copy of a notebook is
// opened, changed and closed with the fault armed (its files are also copied just
// before the close, as if the app were killed there); then, disarmed, each is
// reopened and must hold exactly the state before the change or exactly the state
// after it (and the latter if the change said it succeeded). The loop ends at the
// first N at which no fault fires, so every I/O operation has failed once.
// "Persistent" modes fail every operation after the Nth too (a full or dead disk);
// the "transient" mode fails only the Nth.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "sotay/notebook.h"
#include "support/child_answers.h"
#include "support/temp_dir.h"

using namespace sotay;
using sotay::testing::ChildAnswers;
using sotay::testing::ChildProfileText;
using sotay::testing::TempDir;

namespace {

// ---- The faulting VFS ----

struct FaultMode {
  const char* name;
  bool persistent;  // every counted operation after the Nth fails too
  bool reads;       // xRead is counted (and fails) as well
};
constexpr FaultMode kModes[] = {
    {"disk full from the Nth write on", true, false},
    {"only the Nth write fails", false, false},
    {"dead disk from the Nth read or write on", true, true},
};

struct FaultState {
  bool armed = false;
  bool persistent = false;
  bool reads = false;
  int64_t countdown = 0;  // counted operations left before the fault
  bool fired = false;
};
FaultState g_fault;
sqlite3_vfs* g_real = nullptr;

void Arm(int64_t n, const FaultMode& mode) {
  g_fault = FaultState{true, mode.persistent, mode.reads, n, false};
}
void Disarm() { g_fault.armed = false; }

// Whether this counted operation fails.
bool Fail() {
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
sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<FaultFile*>(f)->real; }
const sqlite3_io_methods* M(sqlite3_file* f) { return Real(f)->pMethods; }

int FClose(sqlite3_file* f) { return M(f)->xClose(Real(f)); }
int FRead(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  if (g_fault.reads && Fail()) return SQLITE_IOERR_READ;
  return M(f)->xRead(Real(f), buf, n, off);
}
int FWrite(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  if (Fail()) return g_fault.persistent ? SQLITE_FULL : SQLITE_IOERR_WRITE;
  return M(f)->xWrite(Real(f), buf, n, off);
}
int FTruncate(sqlite3_file* f, sqlite3_int64 size) {
  if (Fail()) return SQLITE_IOERR_TRUNCATE;
  return M(f)->xTruncate(Real(f), size);
}
int FSync(sqlite3_file* f, int flags) {
  if (Fail()) return SQLITE_IOERR_FSYNC;
  return M(f)->xSync(Real(f), flags);
}
int FFileSize(sqlite3_file* f, sqlite3_int64* size) { return M(f)->xFileSize(Real(f), size); }
int FLock(sqlite3_file* f, int lock) { return M(f)->xLock(Real(f), lock); }
int FUnlock(sqlite3_file* f, int lock) { return M(f)->xUnlock(Real(f), lock); }
int FCheckReservedLock(sqlite3_file* f, int* out) { return M(f)->xCheckReservedLock(Real(f), out); }
int FFileControl(sqlite3_file* f, int op, void* arg) { return M(f)->xFileControl(Real(f), op, arg); }
int FSectorSize(sqlite3_file* f) { return M(f)->xSectorSize(Real(f)); }
int FDeviceCharacteristics(sqlite3_file* f) { return M(f)->xDeviceCharacteristics(Real(f)); }
int FShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return M(f)->xShmMap(Real(f), page, size, extend, out);
}
int FShmLock(sqlite3_file* f, int offset, int n, int flags) { return M(f)->xShmLock(Real(f), offset, n, flags); }
void FShmBarrier(sqlite3_file* f) { M(f)->xShmBarrier(Real(f)); }
int FShmUnmap(sqlite3_file* f, int del) { return M(f)->xShmUnmap(Real(f), del); }
int FFetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) { return M(f)->xFetch(Real(f), off, n, out); }
int FUnfetch(sqlite3_file* f, sqlite3_int64 off, void* p) { return M(f)->xUnfetch(Real(f), off, p); }

// One table per iVersion (1..3), so SQLite never calls what the real file lacks.
constexpr sqlite3_io_methods MethodsV(int version) {
  return {version,     FClose,      FRead,     FWrite,    FTruncate,   FSync,
          FFileSize,   FLock,       FUnlock,   FCheckReservedLock,     FFileControl,
          FSectorSize, FDeviceCharacteristics, FShmMap,   FShmLock,    FShmBarrier,
          FShmUnmap,   FFetch,      FUnfetch};
}
constexpr sqlite3_io_methods kMethods[3] = {MethodsV(1), MethodsV(2), MethodsV(3)};

int VOpen(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
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
int VDelete(sqlite3_vfs*, const char* name, int sync_dir) { return g_real->xDelete(g_real, name, sync_dir); }
int VAccess(sqlite3_vfs*, const char* name, int flags, int* out) { return g_real->xAccess(g_real, name, flags, out); }
int VFullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real->xFullPathname(g_real, name, n, out);
}
void* VDlOpen(sqlite3_vfs*, const char* name) { return g_real->xDlOpen(g_real, name); }
void VDlError(sqlite3_vfs*, int n, char* out) { g_real->xDlError(g_real, n, out); }
using SymFn = void (*)(void);
SymFn VDlSym(sqlite3_vfs*, void* h, const char* sym) { return g_real->xDlSym(g_real, h, sym); }
void VDlClose(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
int VRandomness(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int VSleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int VCurrentTime(sqlite3_vfs*, double* out) { return g_real->xCurrentTime(g_real, out); }
int VGetLastError(sqlite3_vfs*, int n, char* out) { return g_real->xGetLastError(g_real, n, out); }
int VCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) { return g_real->xCurrentTimeInt64(g_real, out); }
int VSetSystemCall(sqlite3_vfs*, const char* name, sqlite3_syscall_ptr p) {
  return g_real->xSetSystemCall(g_real, name, p);
}
sqlite3_syscall_ptr VGetSystemCall(sqlite3_vfs*, const char* name) { return g_real->xGetSystemCall(g_real, name); }
const char* VNextSystemCall(sqlite3_vfs*, const char* name) { return g_real->xNextSystemCall(g_real, name); }

// Makes the faulting VFS the default (disarmed) while alive; restores the original.
class FaultVfs {
 public:
  FaultVfs() {
    original_ = sqlite3_vfs_find(nullptr);
    REQUIRE(original_ != nullptr);
    g_real = original_;
    g_fault = FaultState{};
    vfs_ = sqlite3_vfs{std::min(original_->iVersion, 3),
                       static_cast<int>(sizeof(FaultFile)) + original_->szOsFile,
                       original_->mxPathname, nullptr, "sotay-fault", nullptr,
                       VOpen, VDelete, VAccess, VFullPathname, VDlOpen, VDlError, VDlSym, VDlClose,
                       VRandomness, VSleep, VCurrentTime, VGetLastError, VCurrentTimeInt64,
                       VSetSystemCall, VGetSystemCall, VNextSystemCall};
    REQUIRE(sqlite3_vfs_register(&vfs_, /*makeDefault=*/1) == SQLITE_OK);
  }
  ~FaultVfs() {
    g_fault = FaultState{};
    sqlite3_vfs_register(original_, 1);
    sqlite3_vfs_unregister(&vfs_);
  }
  FaultVfs(const FaultVfs&) = delete;
  FaultVfs& operator=(const FaultVfs&) = delete;

 private:
  sqlite3_vfs* original_ = nullptr;
  sqlite3_vfs vfs_{};
};

// ---- Notebooks to break ----

constexpr char kPass[] = "correct horse battery staple";
constexpr char kNewPass[] = "a whole new passphrase";
constexpr int64_t kMaxIterations = 400;
constexpr int kMinFaults = 5;   // fewer and the loop tested next to nothing

void RemoveStore(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix, ec);
}

void CopyStore(const std::string& from, const std::string& to) {
  RemoveStore(to);
  for (const char* suffix : {"", "-wal"}) {
    if (std::filesystem::exists(from + suffix)) {
      std::filesystem::copy_file(from + suffix, to + suffix, std::filesystem::copy_options::overwrite_existing);
    }
  }
}

// A notebook with the child profile form and one record, closed.
struct Pristine {
  TempDir dir;
  std::string path = dir.File("pristine.db");
  std::string trial = dir.File("trial.db");
  std::string killed = dir.File("killed.db");
  std::string record;
  Pristine() {
    NotebookOptions o;
    o.kdf = KdfLimits::Fast();
    auto created = Notebook::Create(path, kPass, o);
    REQUIRE(created.ok());
    Notebook& nb = **created;
    REQUIRE(nb.SetProfile("01234", "w-1").ok());
    REQUIRE(nb.InstallForm(ChildProfileText(), "child_profile.json").ok());
    auto r = nb.CreateRecord("child_profile", ChildAnswers("Nguyễn Thị Ánh"), "", "vi");
    REQUIRE(r.ok());
    REQUIRE(r->ok());
    record = r->id;
  }
};

// What a user can see, independent of ids and clocks: the outbox size and each
// record's state, answers and history (field=value, oldest first).
std::string Fingerprint(Notebook& nb) {
  auto outbox = nb.OutboxCount();
  REQUIRE(outbox.ok());
  ListFilter all;
  all.include_void = true;
  auto rows = nb.List(all, "en");
  REQUIRE(rows.ok());
  std::vector<std::string> records;
  for (const RecordSummary& row : *rows) {
    REQUIRE(row.status.ok());
    auto view = nb.Get(row.id);
    REQUIRE(view.ok());
    auto history = nb.History(row.id);
    REQUIRE(history.ok());
    std::ostringstream r;
    r << (view->is_void() ? "void |" : "active |");
    for (const auto& [field, value] : view->shown) r << ' ' << field << '=' << value;
    r << " | " << history->size() << " edits:";
    for (const Edit& e : *history) r << ' ' << e.field << '=' << e.value;
    records.push_back(r.str());
  }
  std::sort(records.begin(), records.end());
  auto sync = nb.GetSyncState();
  REQUIRE(sync.ok());
  std::ostringstream out;
  out << "outbox " << *outbox << ", cursor " << sync->cursor << ", synced " << sync->last_sync_ms << '\n';
  for (const std::string& r : records) out << r << '\n';
  return out.str();
}

std::string FingerprintOf(const std::string& path, const std::string& passphrase) {
  auto nb = Notebook::Open(path, passphrase);
  REQUIRE(nb.ok());
  return Fingerprint(**nb);
}

// After the disk recovers, the notebook takes new work.
void CheckStillWorks(Notebook& nb) {
  auto r = nb.CreateRecord("child_profile", ChildAnswers("Trần Văn Bình"), "", "vi");
  REQUIRE(r.ok());
  CHECK(r->ok());
}

// SQLite's own view: the file's b-trees are sound.
void CheckIntegrity(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  sqlite3_stmt* st = nullptr;
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  const std::string result =
      rc == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0)) : sqlite3_errstr(rc);
  sqlite3_finalize(st);
  sqlite3_close_v2(db);
  CHECK(result == "ok");
}

// For n = 1, 2, ...: on a fresh copy of the pristine notebook, opens it, runs `op`
// (which says whether the change reported success) and closes it, all with the nth
// counted I/O operation failing; then, disarmed, `verify(copy, reported_ok, write)`
// on the files as closing left them and as the app being killed before closing
// would have (all of SQLite's completed writes, nothing after); `write` asks
// for a check that the notebook still takes new work, on the latter only (fsyncs
// are slow and this copy has a WAL to recover).
template <class Op, class Verify>
void FaultLoop(const Pristine& p, const FaultMode& mode, Op op, Verify verify) {
  int faults = 0;  // runs in which a fault fired
  bool finished = false;
  for (int64_t n = 1; n <= kMaxIterations && !finished; ++n) {
    INFO(mode.name << ", N = " << n);
    CopyStore(p.path, p.trial);
    Arm(n, mode);
    bool reported_ok = false;
    {
      auto nb = Notebook::Open(p.trial, kPass);  // may itself fail under the fault
      if (nb.ok()) reported_ok = op(**nb);
      CopyStore(p.trial, p.killed);
    }  // closing (and its checkpoint) runs under the fault too
    const bool fired = g_fault.fired;
    Disarm();
    {
      INFO("after closing");
      verify(p.trial, reported_ok, false);
    }
    {
      INFO("after the app was killed instead of closing");
      verify(p.killed, reported_ok, true);
    }
    finished = !fired;
    if (fired) ++faults;
  }
  RemoveStore(p.trial);
  RemoveStore(p.killed);
  INFO(mode.name);
  CHECK(finished);  // within kMaxIterations, a run had no fault left to fire
  CHECK(faults >= kMinFaults);
}

// The whole-or-nothing check for a change to the notebook's records; failing reads
// too is slower (Open's reads come first) and is left to one test.
template <class Op>
void ExpectWholeOrNothing(const Pristine& p, bool with_reads, Op op) {
  CopyStore(p.path, p.trial);
  const std::string before = FingerprintOf(p.trial, kPass);
  CopyStore(p.path, p.trial);
  {
    auto nb = Notebook::Open(p.trial, kPass);
    REQUIRE(nb.ok());
    REQUIRE(op(**nb));  // with nothing failing, the change works
  }
  const std::string after = FingerprintOf(p.trial, kPass);
  REQUIRE(before != after);
  for (const FaultMode& mode : kModes) {
    if (mode.reads && !with_reads) continue;
    FaultLoop(p, mode, op, [&](const std::string& copy, bool reported_ok, bool write) {
      {
        auto nb = Notebook::Open(copy, kPass);
        REQUIRE(nb.ok());
        CHECK((*nb)->Get(p.record).ok());
        const std::string got = Fingerprint(**nb);
        INFO("before:\n" << before << "after:\n" << after << "got:\n" << got);
        CHECK((got == before || got == after));
        // Success means durable (synchronous=FULL). Failure may still mean saved: when
        // the WAL's fsync fails after whole frames were written and the app is killed
        // before its next write, SQLite's recovery finds them. Whole, so allowed.
        if (reported_ok) CHECK(got == after);
        if (write) CheckStillWorks(**nb);
      }
      CheckIntegrity(copy);
    });
  }
}

}  // namespace

TEST_CASE("fault: a record is saved whole or not at all when the disk fails at any write", "[fault]") {
  FaultVfs vfs;
  Pristine p;
  ExpectWholeOrNothing(p, /*with_reads=*/true, [](Notebook& nb) {
    auto r = nb.CreateRecord("child_profile", ChildAnswers("Lò Thị Dung"), "", "vi");
    return r.ok() && r->ok();
  });
}

TEST_CASE("fault: a change of two answers is saved whole or not at all when the disk fails at any write",
          "[fault]") {
  FaultVfs vfs;
  Pristine p;
  ExpectWholeOrNothing(p, /*with_reads=*/false, [&](Notebook& nb) {
    auto r = nb.EditRecord(p.record, {{"village", "Thôn Tây"}, {"sex", "male"}}, "vi");
    return r.ok() && r->ok() && r->edits == 2;
  });
}

TEST_CASE("fault: voiding a record is saved whole or not at all when the disk fails at any write", "[fault]") {
  FaultVfs vfs;
  Pristine p;
  ExpectWholeOrNothing(p, /*with_reads=*/false, [&](Notebook& nb) { return nb.Void(p.record).ok(); });
}

TEST_CASE("fault: a sync exchange lands whole or not at all: pulled edits, cursor and acknowledgements together",
          "[fault]") {
  FaultVfs vfs;
  Pristine p;
  // A child recorded on another device, as a pull page brings it.
  std::vector<Edit> pulled;
  const std::string id = "5f0c7a52-1d7e-4c1a-9f3b-2a6d8e4b7c10";
  const std::pair<const char*, const char*> answers[] = {{"_status", "active"}, {"_form", "child_profile"},
                                                         {"_version", "1"},     {"_area", "01234"},
                                                         {"full_name", "Sùng Thị Mai"}, {"village", "Bản Phố"}};
  uint64_t counter = 0;
  for (const auto& [field, value] : answers) {
    ++counter;
    pulled.push_back(Edit{Dot{"0f1e2d3c4b5a6978", counter}, id, field, value,
                          Hlc{1795000000000, static_cast<uint32_t>(counter), "0f1e2d3c4b5a6978"}, {}, "w-2"});
  }
  ExpectWholeOrNothing(p, /*with_reads=*/false, [&](Notebook& nb) {
    auto sent = nb.OutboxBatch(5);
    if (!sent.ok() || sent->size() != 5) return false;
    std::vector<Dot> done;
    for (const Edit& e : *sent) done.push_back(e.dot);
    auto r = nb.RecordExchange(pulled, 42, done, 1795000009000);
    return r.ok() && r->applied == pulled.size();
  });
}

TEST_CASE("fault: a passphrase change interrupted by a failing disk leaves the old or the new passphrase "
          "working, never neither",
          "[fault]") {
  FaultVfs vfs;
  Pristine p;
  CopyStore(p.path, p.trial);
  const std::string before = FingerprintOf(p.trial, kPass);
  auto op = [](Notebook& nb) { return nb.ChangePassphrase(kNewPass, KdfLimits::Fast()).ok(); };
  for (const FaultMode& mode : kModes) {
    FaultLoop(p, mode, op, [&](const std::string& copy, bool reported_ok, bool write) {
      bool opened[2] = {false, false};
      const char* const passes[2] = {kPass, kNewPass};
      for (int i = 0; i < 2; ++i) {
        INFO((i == 0 ? "old" : "new") << " passphrase");
        auto nb = Notebook::Open(copy, passes[i]);
        opened[i] = nb.ok();
        if (!nb.ok()) {
          CHECK(nb.status().code() == Status::Code::kWrongPassphrase);
          continue;
        }
        CHECK(Fingerprint(**nb) == before);  // the records are untouched either way
        if (write) CheckStillWorks(**nb);
      }
      CHECK((opened[0] || opened[1]));
      CHECK(!(opened[0] && opened[1]));
      if (reported_ok) CHECK(opened[1]);  // a failed change may still have landed: see above
      CheckIntegrity(copy);
    });
  }
}
