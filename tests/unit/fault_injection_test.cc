// Fault injection, as SQLite tests itself (STYLE.md, "SQLite's testing"): the
// faulting VFS (support/fault_vfs.h), registered for the length of a test and named
// only by the notebook under trial (NotebookOptions::vfs), fails the Nth xWrite/xSync/xTruncate (and, in one mode, xRead). For N = 1, 2, ...
// a fresh copy of a notebook is opened, changed and closed with the fault armed (its
// files are also copied just before the close, as if the app were killed there);
// then, disarmed, each is reopened and must hold exactly the state before the change
// or exactly the state after it (and the latter if the change said it succeeded). The loop ends at the
// first N at which no fault fires, so every I/O operation has failed once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "sotay/notebook.h"
#include "support/child_answers.h"
#include "support/fault_vfs.h"
#include "support/sync_steps.h"
#include "support/temp_dir.h"

using namespace sotay;
using sotay::testing::ChildAnswers;
using sotay::testing::ChildProfileText;
using sotay::testing::TempDir;
using sotay::testing::WaitingEdits;

namespace {

using sotay::testing::CopyDatabase;
using sotay::testing::FaultMode;
using sotay::testing::FaultVfs;
using sotay::testing::kFaultVfsName;
using sotay::testing::RemoveDatabase;
const auto& kModes = sotay::testing::kFaultModes;

// ---- Notebooks to break ----

constexpr char kPass[] = "correct horse battery staple";
constexpr char kNewPass[] = "a whole new passphrase";
constexpr int64_t kMaxIterations = 400;
constexpr int kMinFaults = 5;   // fewer and the loop tested next to nothing

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
void CheckIntegrity(const std::string& path) { CHECK(sotay::testing::IntegrityCheck(path) == "ok"); }

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
    CopyDatabase(p.path, p.trial);
    FaultVfs::Arm(n, mode);
    bool reported_ok = false;
    {
      NotebookOptions faulting;
      faulting.vfs = kFaultVfsName;  // only this notebook's I/O fails: copies and checks use the real disk
      auto nb = Notebook::Open(p.trial, kPass, faulting);  // may itself fail under the fault
      if (nb.ok()) reported_ok = op(**nb);
      CopyDatabase(p.trial, p.killed);
    }  // closing (and its checkpoint) runs under the fault too
    const bool fired = FaultVfs::Fired();
    FaultVfs::Disarm();
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
  RemoveDatabase(p.trial);
  RemoveDatabase(p.killed);
  INFO(mode.name);
  CHECK(finished);  // within kMaxIterations, a run had no fault left to fire
  CHECK(faults >= kMinFaults);
}

// The whole-or-nothing check for a change to the notebook's records; failing reads
// too is slower (Open's reads come first) and is left to one test.
template <class Op>
void ExpectWholeOrNothing(const Pristine& p, bool with_reads, Op op) {
  CopyDatabase(p.path, p.trial);
  const std::string before = FingerprintOf(p.trial, kPass);
  CopyDatabase(p.path, p.trial);
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
  FaultVfs vfs(/*make_default=*/false);
  Pristine p;
  ExpectWholeOrNothing(p, /*with_reads=*/true, [](Notebook& nb) {
    auto r = nb.CreateRecord("child_profile", ChildAnswers("Lò Thị Dung"), "", "vi");
    return r.ok() && r->ok();
  });
}

TEST_CASE("fault: a change of two answers is saved whole or not at all when the disk fails at any write",
          "[fault]") {
  FaultVfs vfs(/*make_default=*/false);
  Pristine p;
  ExpectWholeOrNothing(p, /*with_reads=*/false, [&](Notebook& nb) {
    auto r = nb.EditRecord(p.record, {{"village", "Thôn Tây"}, {"sex", "male"}}, "vi");
    return r.ok() && r->ok() && r->edits == 2;
  });
}

TEST_CASE("fault: voiding a record is saved whole or not at all when the disk fails at any write", "[fault]") {
  FaultVfs vfs(/*make_default=*/false);
  Pristine p;
  ExpectWholeOrNothing(p, /*with_reads=*/false, [&](Notebook& nb) { return nb.Void(p.record).ok(); });
}

TEST_CASE("fault: a sync exchange lands whole or not at all: pulled edits, cursor and acknowledgements together",
          "[fault]") {
  FaultVfs vfs(/*make_default=*/false);
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
    auto sent = WaitingEdits(nb, 5);
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
  FaultVfs vfs(/*make_default=*/false);
  Pristine p;
  CopyDatabase(p.path, p.trial);
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
