// The sealed search summaries (core/src/store/search_summary.h): a worker's search
// finds children by their name without diacritics and by their personal number,
// whatever path changed the record (create, edit, pull, void, forget); nothing of it
// is in clear on disk; a summary is never stored apart from its record (same
// transaction, checked with a failing disk); a tampered summary is an error naming
// the record, and the next open rebuilds the summaries, as it does for a notebook
// made before they existed.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sotay/notebook.h"
#include "sqlite_db.h"
#include "support/child_answers.h"
#include "support/edits_view.h"
#include "support/fault_vfs.h"
#include "support/tamper.h"
#include "support/temp_dir.h"

using namespace sotay;
using sotay::testing::ChildAnswers;
using sotay::testing::ChildProfileText;
using sotay::testing::CountRows;
using sotay::testing::TempDir;

namespace {

constexpr char kPass[] = "search summary passphrase";

NotebookOptions Fast() {
  NotebookOptions o;
  o.kdf = KdfLimits::Fast();
  return o;
}

std::unique_ptr<Notebook> Make(const std::string& path) {
  auto nb = Notebook::Create(path, kPass, Fast());
  REQUIRE(nb.ok());
  REQUIRE((*nb)->SetProfile("01234", "w-1").ok());
  REQUIRE((*nb)->InstallForm(ChildProfileText(), "child_profile.json").ok());
  return std::move(nb).value();
}

std::unique_ptr<Notebook> Reopen(const std::string& path) {
  auto nb = Notebook::Open(path, kPass, Fast());
  INFO(nb.status().ToString());
  REQUIRE(nb.ok());
  return std::move(nb).value();
}

std::string Save(Notebook& nb, const std::string& name, const std::string& personal_id = "") {
  Answers a = ChildAnswers(name);
  a["caregiver_name"] = "Lò Thị Sinh";  // searched too: not a "Văn" to find every child by
  if (!personal_id.empty()) a["personal_id"] = personal_id;  // female, born 2015: 3, 15
  auto r = nb.CreateRecord("child_profile", a, "", "vi");
  REQUIRE(r.ok());
  INFO((r->issues.empty() ? "" : r->issues[0].field + ": " + r->issues[0].message));
  REQUIRE(r->ok());
  return r->id;
}

// The names `list --query` shows for `query`, in order.
std::vector<std::string> Find(Notebook& nb, const std::string& query, bool include_void = false) {
  ListFilter f;
  f.form = "child_profile";
  f.query = query;
  f.include_void = include_void;
  auto rows = nb.List(f, "vi");
  INFO(rows.status().ToString());
  REQUIRE(rows.ok());
  std::vector<std::string> names;
  for (const RecordSummary& r : *rows) names.push_back(r.name);
  return names;
}

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Read-write, so a copy left with its WAL is recovered as any open would.
int64_t Rows(const std::string& path, const std::string& table) {
  auto db = sqlite::Db::Open(path, sqlite::Db::Mode::kReadWrite);
  REQUIRE(db.ok());
  auto st = db->PrepareUncached("SELECT count(*) FROM " + table);  // a test's own table name
  REQUIRE(st.ok());
  auto row = st->Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  return st->Int(0);
}

}  // namespace

TEST_CASE("search: without diacritics, by personal number, as the record changes", "[search]") {
  TempDir dir;
  auto nb = Make(dir.File("nb.db"));
  const std::string an = Save(*nb, "Nguyễn Văn An");
  Save(*nb, "Nguyễn Thị Anh");
  Save(*nb, "Trần Văn Bình", "001315012345");

  CHECK(Find(*nb, "nguyen van an") == std::vector<std::string>{"Nguyễn Văn An (2015-03-21)"});
  CHECK(Find(*nb, "NGUYEN").size() == 2);
  CHECK(Find(*nb, "001315012345") == std::vector<std::string>{"Trần Văn Bình (2015-03-21)"});
  CHECK(Find(*nb, "thon dong").size() == 3);  // the village, a text answer
  CHECK(Find(*nb, "nguyen binh").empty());

  // An edit: the new name is found, the old one no longer.
  auto edited = nb->EditRecord(an, {{"full_name", "Nguyễn Văn Ân"}}, "vi");
  REQUIRE(edited.ok());
  REQUIRE(edited->ok());
  CHECK(Find(*nb, "nguyen van an") == std::vector<std::string>{"Nguyễn Văn Ân (2015-03-21)"});

  // Void: gone from the search and from the duplicate check, back when restored.
  REQUIRE(nb->Void(an).ok());
  CHECK(Find(*nb, "nguyen van").empty());
  CHECK(Find(*nb, "nguyen van", true).size() == 1);
  auto facts = nb->IdentityFacts("child_profile");
  REQUIRE(facts.ok());
  CHECK(facts->size() == 2);
  REQUIRE(nb->Restore(an).ok());
  facts = nb->IdentityFacts("child_profile");
  REQUIRE(facts.ok());
  REQUIRE(facts->size() == 3);
  bool seen = false;
  for (const DuplicateProfile& p : *facts) {
    if (p.id != an) continue;
    seen = true;
    CHECK(p.full_name == "Nguyễn Văn Ân");
    CHECK(p.birth_date == "2015-03-21");
    CHECK(p.sex == "female");
    CHECK(p.area == "01234");
  }
  CHECK(seen);
}

TEST_CASE("search: a record pulled from another device is found, and merged edits too", "[search]") {
  TempDir dir;
  auto a = Make(dir.File("a.db"));
  auto b = Make(dir.File("b.db"));
  const std::string id = Save(*a, "Lò Thị Hoa");
  auto history = a->History(id);
  REQUIRE(history.ok());
  auto pulled = b->RecordExchange(*history, 1, {}, std::nullopt);
  REQUIRE(pulled.ok());
  CHECK(Find(*b, "lo thi hoa").size() == 1);

  // Both change the name offline; the merge's result is what b finds.
  REQUIRE(a->EditRecord(id, {{"full_name", "Lò Thị Hòa"}}, "vi")->ok());
  REQUIRE(b->EditRecord(id, {{"village", "Bản Mới"}}, "vi")->ok());
  history = a->History(id);
  REQUIRE(history.ok());
  REQUIRE(b->RecordExchange(*history, 2, {}, std::nullopt).ok());
  CHECK(Find(*b, "lo thi hoa ban moi") == std::vector<std::string>{"Lò Thị Hòa (2015-03-21)"});
}

TEST_CASE("search: nothing of a summary is in clear in the store's files", "[search][security]") {
  TempDir dir;
  const std::string path = dir.File("nb.db");
  {
    auto nb = Make(path);
    Save(*nb, "Nguyễn Văn Quýt", "001315012345");
  }
  CHECK(Rows(path, "summaries") == 1);
  const std::string bytes = FileBytes(path) + FileBytes(path + "-wal");
  for (const char* clear : {"nguyen van quyt", "Quýt", "001315012345", "Thôn Đông", "thon dong"}) {
    INFO(clear);
    CHECK(bytes.find(clear) == std::string::npos);
  }
  // The clear columns hold only the record id and the form id.
  CHECK(CountRows(path, "SELECT count(*) FROM summaries WHERE idx = 'child_profile'") == 1);
}

TEST_CASE("search: a notebook made before summaries gets them when it opens", "[search][migration]") {
  TempDir dir;
  const std::string path = dir.File("nb.db");
  {
    auto nb = Make(path);
    Save(*nb, "Nguyễn Văn An");
    Save(*nb, "Hà Thị Lan");
  }
  {  // as a version 3 store was: no summaries table
    auto db = sqlite::Db::Open(path, sqlite::Db::Mode::kReadWrite);
    REQUIRE(db.ok());
    REQUIRE(db->Exec("DROP TABLE summaries; PRAGMA user_version = 3;").ok());
  }
  auto nb = Reopen(path);
  CHECK(Find(*nb, "ha thi lan") == std::vector<std::string>{"Hà Thị Lan (2015-03-21)"});
  CHECK(Rows(path, "summaries") == 2);
  CHECK(CountRows(path, "PRAGMA user_version") == 6);  // and every step after it
}

TEST_CASE("search: a tampered summary is an error naming the record, and the next open rebuilds it",
          "[search][tamper]") {
  TempDir dir;
  const std::string path = dir.File("nb.db");
  std::string id;
  {
    auto nb = Make(path);
    id = Save(*nb, "Nguyễn Văn An");
    Save(*nb, "Hà Thị Lan");
  }
  sotay::testing::FlipSealedByte(path, "summaries", id, -3);
  {
    auto nb = Reopen(path);  // the count agrees: nothing to rebuild yet
    ListFilter f;
    f.form = "child_profile";
    f.query = "nguyen";
    auto rows = nb->List(f, "vi");
    REQUIRE_FALSE(rows.ok());
    CHECK(rows.status().code() == Status::Code::kCorrupt);
    CHECK(rows.status().message().find(id) != std::string::npos);
    CHECK(rows.status().message().find("rebuilt") != std::string::npos);
    CHECK_FALSE(nb->IdentityFacts("child_profile").ok());  // a duplicate check is not silently short
  }
  auto nb = Reopen(path);
  CHECK(Find(*nb, "nguyen van an").size() == 1);
  CHECK(nb->IdentityFacts("child_profile")->size() == 2);
}

TEST_CASE("search: a summary deleted behind the store's back is rebuilt when the notebook opens", "[search]") {
  TempDir dir;
  const std::string path = dir.File("nb.db");
  {
    auto nb = Make(path);
    Save(*nb, "Nguyễn Văn An");
  }
  {
    auto db = sqlite::Db::Open(path, sqlite::Db::Mode::kReadWrite);
    REQUIRE(db.ok());
    REQUIRE(db->Exec("DELETE FROM summaries").ok());
  }
  auto nb = Reopen(path);
  CHECK(Find(*nb, "an").size() == 1);
}

TEST_CASE("search: ForgetRecord removes the record, its history and its summary", "[search]") {
  TempDir dir;
  const std::string path = dir.File("nb.db");
  std::string gone;
  {
    auto nb = Make(path);
    gone = Save(*nb, "Nguyễn Văn An");
    Save(*nb, "Nguyễn Văn Bảo");
    REQUIRE(nb->ForgetRecord(gone).ok());
    CHECK(Find(*nb, "nguyen van") == std::vector<std::string>{"Nguyễn Văn Bảo (2015-03-21)"});
    CHECK(nb->Get(gone).status().code() == Status::Code::kNotFound);
    CHECK(nb->History(gone)->empty());
    CHECK(nb->ForgetRecord(gone).code() == Status::Code::kNotFound);
  }
  CHECK(Rows(path, "records") == 1);
  CHECK(Rows(path, "summaries") == 1);
}

TEST_CASE("search: a failing disk never leaves a record without its summary", "[search][fault]") {
  using sotay::testing::CopyDatabase;
  using sotay::testing::FaultVfs;
  TempDir dir;
  const std::string pristine = dir.File("pristine.db");
  const std::string trial = dir.File("trial.db");
  const std::string killed = dir.File("killed.db");
  std::string first;
  {
    auto nb = Make(pristine);
    first = Save(*nb, "Nguyễn Văn An");
  }
  FaultVfs vfs;
  FaultVfs::RealSyncs(false);
  const sotay::testing::FaultMode& mode = sotay::testing::kFaultModes[0];
  int faults = 0;
  bool finished = false;
  for (int64_t n = 1; n <= 400 && !finished; ++n) {
    INFO("N = " << n);
    CopyDatabase(pristine, trial);
    FaultVfs::Arm(n, mode);
    {
      auto nb = Notebook::Open(trial, kPass, Fast());
      if (nb.ok()) {
        (void)(*nb)->CreateRecord("child_profile", ChildAnswers("Hà Thị Lan"), "", "vi");
        (void)(*nb)->EditRecord(first, {{"village", "Bản Mới"}}, "vi");
      }
      CopyDatabase(trial, killed);
    }
    const bool fired = FaultVfs::Fired();
    FaultVfs::Disarm();
    for (const std::string& copy : {trial, killed}) {
      INFO(copy);
      // Read as the file is, before any open could rebuild anything.
      CHECK(Rows(copy, "records") == Rows(copy, "summaries"));
    }
    finished = !fired;
    if (fired) ++faults;
  }
  FaultVfs::RealSyncs(true);
  CHECK(finished);
  CHECK(faults >= 5);
}
