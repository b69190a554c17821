// The register list and the record indexes (sotay/register_list.h,
// core/src/store/notebook_index.cc): a worker pages through the register by name,
// narrowed by village, age band, special group and status, and a void, a restore or
// a transfer out changes who is on it; a child's page finds its home visits and the
// cases naming it through the link index, whose clear columns name no record; the
// conflicts page finds exactly the records in conflict; and a notebook made before
// the indexes (store version 5) gets them, right, when it opens.
#include <catch2/catch.hpp>

#include <ctime>
#include <set>
#include <string>
#include <vector>

#include "sotay/notebook.h"
#include "sqlite_db.h"
#include "support/child_answers.h"
#include "support/edits_view.h"
#include "support/temp_dir.h"

using namespace sotay;
using sotay::testing::ChildAnswers;
using sotay::testing::ChildProfileText;
using sotay::testing::CountRows;
using sotay::testing::TempDir;

namespace {

constexpr char kPass[] = "record index passphrase";

NotebookOptions Fast() {
  NotebookOptions o;
  o.kdf = KdfLimits::Fast();
  return o;
}

// A form whose text field links to a child's profile, as a case's child_record_id.
constexpr char kCaseForm[] = R"({"form": "mini_case", "version": 1, "title": {"vi": "Vụ việc", "en": "Case"},
  "fields": [{"type": "text", "name": "child_record_id", "link": "child_profile",
              "label": {"vi": "Trẻ", "en": "Child"}},
             {"type": "text", "name": "summary", "label": {"vi": "Tóm tắt", "en": "Summary"}}]})";

std::unique_ptr<Notebook> Make(const std::string& path) {
  auto nb = Notebook::Create(path, kPass, Fast());
  REQUIRE(nb.ok());
  REQUIRE((*nb)->SetProfile("01234", "w-1").ok());
  REQUIRE((*nb)->InstallForm(ChildProfileText(), "child_profile.json").ok());
  auto installed = (*nb)->InstallForm(kCaseForm, "mini_case.json");
  INFO(installed.status().ToString());
  REQUIRE(installed.ok());
  return std::move(nb).value();
}

std::unique_ptr<Notebook> Reopen(const std::string& path) {
  auto nb = Notebook::Open(path, kPass, Fast());
  INFO(nb.status().ToString());
  REQUIRE(nb.ok());
  return std::move(nb).value();
}

// Born on 1 January `years` years ago: exactly `years` old all year.
std::string BornYearsAgo(int years) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
#ifdef _WIN32
  localtime_s(&local, &now);  // Windows has no localtime_r
#else
  localtime_r(&now, &local);
#endif
  return std::to_string(local.tm_year + 1900 - years) + "-01-01";
}

std::string Save(Notebook& nb, Answers a) {
  auto r = nb.CreateRecord("child_profile", a, "", "vi");
  REQUIRE(r.ok());
  INFO((r->issues.empty() ? "" : r->issues[0].field + ": " + r->issues[0].message));
  REQUIRE(r->ok());
  return r->id;
}

std::string Child(Notebook& nb, const std::string& name, const std::string& village, int age,
                  const std::string& special = "") {
  Answers a = ChildAnswers(name);
  a["village"] = village;
  a["dob"] = BornYearsAgo(age);
  if (!special.empty()) a["special_circumstances"] = special;
  return Save(nb, a);
}

std::string Visit(Notebook& nb, const std::string& child, const std::string& day) {
  auto r = nb.CreateRecord("child_profile.home_visits",
                           {{"visit_date", day}, {"visit_purpose", "routine"}, {"child_seen", "yes"},
                            {"risk_level", "none"}},
                           child, "vi");
  REQUIRE(r.ok());
  INFO((r->issues.empty() ? "" : r->issues[0].field + ": " + r->issues[0].message));
  REQUIRE(r->ok());
  return r->id;
}

std::string Case(Notebook& nb, const std::string& child) {
  auto r = nb.CreateRecord("mini_case", {{"child_record_id", child}, {"summary", "x"}}, "", "vi");
  REQUIRE(r.ok());
  INFO((r->issues.empty() ? "" : r->issues[0].field + ": " + r->issues[0].message));
  REQUIRE(r->ok());
  return r->id;
}

// The names on one page of the register, in order, and the total.
std::vector<std::string> Names(Notebook& nb, RegisterQuery q, size_t* total = nullptr) {
  auto page = nb.RegisterList(q, "vi");
  INFO(page.status().ToString());
  REQUIRE(page.ok());
  if (total != nullptr) *total = page->total;
  std::vector<std::string> out;
  for (const RegisterRow& r : page->rows) out.push_back(r.name.substr(0, r.name.find(" (")));
  return out;
}

}  // namespace

TEST_CASE("register list: age bands", "[register][index]") {
  CHECK(InAgeBand(AgeBand::kUnder6, 0));
  CHECK(InAgeBand(AgeBand::kUnder6, 5));
  CHECK_FALSE(InAgeBand(AgeBand::kUnder6, 6));
  CHECK(InAgeBand(AgeBand::k6To11, 11));
  CHECK(InAgeBand(AgeBand::k12To15, 15));
  CHECK(InAgeBand(AgeBand::k16Plus, 16));
  CHECK_FALSE(InAgeBand(AgeBand::k16Plus, -1));  // no birth date: in no band but "any"
  CHECK(InAgeBand(AgeBand::kAny, -1));
  CHECK(ParseAgeBand("12-15") == AgeBand::k12To15);
  CHECK_FALSE(ParseAgeBand("12-16").has_value());
}

TEST_CASE("register list: searched, filtered and paged by name, and changed by void, restore and transfer",
          "[register][index]") {
  TempDir dir;
  auto nb = Make(dir.File("nb.db"));
  const std::string an = Child(*nb, "Nguyễn Văn An", "Bản Trên", 5);
  Child(*nb, "Đỗ Thị Bích", "Bản Trên", 8, "a");
  const std::string cuong = Child(*nb, "Lò Văn Cường", "Bản Dưới", 13, "a b");
  Child(*nb, "Hà Thị Dung", "Bản Dưới", 8);
  Child(*nb, "Nguyễn Thị Én", "Bản Trên", 13);

  RegisterQuery q;
  size_t total = 0;
  q.limit = 2;
  CHECK(Names(*nb, q, &total) == std::vector<std::string>{"Đỗ Thị Bích", "Hà Thị Dung"});  // by name, Vietnamese order
  CHECK(total == 5);
  q.offset = 4;
  CHECK(Names(*nb, q) == std::vector<std::string>{"Nguyễn Văn An"});
  q = RegisterQuery{};
  auto page = nb->RegisterList(q, "vi");
  REQUIRE(page.ok());
  CHECK(page->villages == std::vector<std::string>{"Bản Dưới", "Bản Trên"});

  q.query = "nguyen";  // without diacritics
  CHECK(Names(*nb, q) == std::vector<std::string>{"Nguyễn Thị Én", "Nguyễn Văn An"});
  q = RegisterQuery{};
  q.village = "ban tren";
  CHECK(Names(*nb, q).size() == 3);
  q.age = AgeBand::k12To15;
  CHECK(Names(*nb, q) == std::vector<std::string>{"Nguyễn Thị Én"});
  q = RegisterQuery{};
  q.age = AgeBand::kUnder6;
  CHECK(Names(*nb, q) == std::vector<std::string>{"Nguyễn Văn An"});
  q.age = AgeBand::k6To11;
  CHECK(Names(*nb, q) == std::vector<std::string>{"Đỗ Thị Bích", "Hà Thị Dung"});
  q = RegisterQuery{};
  q.special = "a";
  CHECK(Names(*nb, q) == std::vector<std::string>{"Đỗ Thị Bích", "Lò Văn Cường"});
  q.special = "b";
  CHECK(Names(*nb, q) == std::vector<std::string>{"Lò Văn Cường"});

  // Status: "active" takes the unanswered; a child who moved is under "moved".
  auto moved = nb->EditRecord(an, {{"register_status", "moved"}, {"register_left_date", BornYearsAgo(0)}}, "vi");
  REQUIRE(moved.ok());
  INFO((moved->issues.empty() ? "" : moved->issues[0].field + ": " + moved->issues[0].message));
  REQUIRE(moved->ok());
  q = RegisterQuery{};
  q.status = "moved";
  CHECK(Names(*nb, q) == std::vector<std::string>{"Nguyễn Văn An"});
  q.status = "active";
  CHECK(Names(*nb, q).size() == 4);

  // Void leaves the register, restore brings the child back.
  REQUIRE(nb->Void(cuong).ok());
  q = RegisterQuery{};
  CHECK(Names(*nb, q, &total).size() == 4);
  q.include_void = true;
  CHECK(Names(*nb, q).size() == 5);
  REQUIRE(nb->Restore(cuong).ok());
  q.include_void = false;
  CHECK(Names(*nb, q).size() == 5);

  // Transferred out of the device's communes: the server says it is gone, the
  // device forgets it, and it is on no page.
  auto forgot = nb->RecordExchange({}, 1, {}, std::nullopt, {}, {cuong});
  INFO(forgot.status().ToString());
  REQUIRE(forgot.ok());
  q.special = "a";
  CHECK(Names(*nb, q) == std::vector<std::string>{"Đỗ Thị Bích"});

  q = RegisterQuery{};
  q.form = "mini_case";
  CHECK(nb->RegisterList(q, "vi").status().code() == Status::Code::kInvalidArgument);
}

TEST_CASE("links: a child's page finds its visits and cases through the index, which names no record",
          "[index][security]") {
  TempDir dir;
  const std::string path = dir.File("nb.db");
  std::string child, other, v1, v2, kase;
  {
    auto nb = Make(path);
    child = Child(*nb, "Nguyễn Văn An", "Bản Trên", 8);
    other = Child(*nb, "Hà Thị Dung", "Bản Dưới", 8);
    v1 = Visit(*nb, child, "2025-03-02");
    v2 = Visit(*nb, child, "2025-03-09");
    kase = Case(*nb, child);
    Visit(*nb, other, "2025-03-02");

    auto children = nb->Children(child);
    REQUIRE(children.ok());
    CHECK(std::set<std::string>(children->begin(), children->end()) == std::set<std::string>{v1, v2});
    auto linked = nb->LinkedTo(child);
    REQUIRE(linked.ok());
    CHECK(std::set<std::string>(linked->begin(), linked->end()) == std::set<std::string>{v1, v2, kase});

    // A void visit is still linked (the page hides it); the case moved to another
    // child leaves this one.
    REQUIRE(nb->Void(v1).ok());
    REQUIRE(nb->Children(child)->size() == 2);
    auto moved = nb->EditRecord(kase, {{"child_record_id", other}}, "vi");
    REQUIRE(moved.ok());
    REQUIRE(moved->ok());
    CHECK(nb->LinkedTo(child)->size() == 2);
    CHECK(nb->LinkedTo(other)->size() == 2);
  }
  // No link row's clear columns hold the id of the record it names (its tag is a
  // keyed hash; an 8-character prefix would be shared by records made that minute).
  CHECK(CountRows(path, "SELECT count(*) FROM links") == 4);
  for (const std::string& id : {child, other}) {
    INFO(id);
    CHECK(CountRows(path, "SELECT count(*) FROM links WHERE instr(idx, '" + id + "') > 0 OR instr(key, '" + id +
                              "') > 0") == 0);
  }
}

TEST_CASE("conflicts: the index names exactly the records in conflict", "[index][conflict]") {
  TempDir dir;
  auto a = Make(dir.File("a.db"));
  auto b = Make(dir.File("b.db"));
  const std::string id = Child(*a, "Lò Thị Hoa", "Bản Trên", 8);
  Child(*b, "Hà Thị Dung", "Bản Dưới", 8);
  REQUIRE(b->RecordExchange(*a->History(id), 1, {}, std::nullopt).ok());
  CHECK(b->Conflicted()->empty());

  REQUIRE(a->EditRecord(id, {{"village", "Bản Mới"}}, "vi")->ok());
  REQUIRE(b->EditRecord(id, {{"village", "Bản Cũ"}}, "vi")->ok());
  REQUIRE(b->RecordExchange(*a->History(id), 2, {}, std::nullopt).ok());
  CHECK(*b->Conflicted() == std::vector<std::string>{id});
  ListFilter f;
  f.include_void = true;
  f.conflicts_only = true;
  auto rows = b->List(f, "vi");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK((*rows)[0].id == id);
  CHECK((*rows)[0].in_conflict);

  auto settled = b->Resolve(id, "village", "Bản Mới", "vi");
  REQUIRE(settled.ok());
  REQUIRE(settled->ok());
  CHECK(b->Conflicted()->empty());
  CHECK(b->List(f, "vi")->empty());
}

TEST_CASE("index: a notebook made before the indexes gets them when it opens, its pages right",
          "[index][migration]") {
  TempDir dir;
  const std::string path = dir.File("nb.db");
  std::string child, visit, kase;
  {
    auto nb = Make(path);
    child = Child(*nb, "Nguyễn Văn An", "Bản Trên", 8, "a");
    Child(*nb, "Hà Thị Dung", "Bản Dưới", 13);
    visit = Visit(*nb, child, "2025-03-02");
    kase = Case(*nb, child);
  }
  {  // as a version 5 store was: no link or conflict index, summaries without the special groups
    auto db = sqlite::Db::Open(path, sqlite::Db::Mode::kReadWrite);
    REQUIRE(db.ok());
    REQUIRE(db->Exec("DROP TABLE links; DROP TABLE conflicts; DELETE FROM meta WHERE key = 'record_indexes';"
                     " PRAGMA user_version = 5;").ok());
  }
  auto nb = Reopen(path);
  CHECK(CountRows(path, "PRAGMA user_version") == 6);
  auto linked = nb->LinkedTo(child);
  REQUIRE(linked.ok());
  CHECK(std::set<std::string>(linked->begin(), linked->end()) == std::set<std::string>{visit, kase});
  CHECK(*nb->Children(child) == std::vector<std::string>{visit});
  RegisterQuery q;
  q.special = "a";
  CHECK(Names(*nb, q) == std::vector<std::string>{"Nguyễn Văn An"});
  q = RegisterQuery{};
  q.age = AgeBand::k12To15;
  CHECK(Names(*nb, q) == std::vector<std::string>{"Hà Thị Dung"});
  // Built once: the next open finds them whole and rebuilds nothing.
  CHECK(CountRows(path, "SELECT count(*) FROM meta WHERE key = 'record_indexes'") == 1);
}
