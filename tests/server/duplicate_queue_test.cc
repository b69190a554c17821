// The dashboard's queue of possible duplicates in the children's register (issue 14,
// part 5), through App::Handle as a browser uses it: planted pairs are listed and an
// unrelated child is not, "not the same" is remembered across a restart, "same child"
// merges as edits devices pull, an offline device's edit of the merged-away profile
// is kept, and the register's indicators count the pair once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>

#include "admin/admin_ops.h"
#include "server_world.h"
#include "sotay/read_file.h"
#include "web_client.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

const char* kPassword = "mật khẩu dài đủ 12";


const std::string kAnh1 = PrefixedId("a1a1a1a1", 1), kAnh2 = PrefixedId("a2a2a2a2", 2);   // the same personal number
const std::string kPao1 = PrefixedId("b1b1b1b1", 3), kPao2 = PrefixedId("b2b2b2b2", 4);   // same name once folded, same birth
const std::string kDung1 = PrefixedId("c1c1c1c1", 5), kDung2 = PrefixedId("c2c2c2c2", 6); // a typo, two days apart
const std::string kOther = PrefixedId("d1d1d1d1", 7);                             // unrelated
const std::string kCase = PrefixedId("e1e1e1e1", 8);                              // an abuse case naming kAnh2

struct DupWorld : ServerWorld {
  DupWorld() {
    auto store = OpenStore();
    REQUIRE(AddUser(*store, "huyen", Role::kDistrict, "148", std::string(kPassword), &env).ok());
    REQUIRE(AddUser(*store, "xa-vm", Role::kWorker, "01237", std::string(kPassword), &env).ok());
    for (const char* form : {"child_profile.json", "abuse_case.json"}) {
      auto text = ReadWholeFile(std::string(SOTAY_SCHEMAS_DIR) + "/" + form);
      REQUIRE(text.ok());
      std::string name;
      REQUIRE(PublishForm(*store, *text, form, &env, &name).ok());
    }
  }

  WebClient SignedIn(const std::string& user, App* on = nullptr) {
    WebClient c(on != nullptr ? *on : app());
    REQUIRE(c.Login(user, kPassword));
    return c;
  }

  void Profile(TestDevice& d, const std::string& id, const std::string& area, const std::string& name,
               const std::string& sex, const std::string& dob, const std::string& pid = "") {
    std::vector<std::pair<std::string, std::string>> fields = {
        {"full_name", name},  {"sex", sex},           {"dob", dob},         {"ethnicity", "kinh"},
        {"birth_registered", pid.empty() ? "no" : "yes"}, {"village", "Thôn Đông"},
        {"living_with", "both_parents"}, {"caregiver_name", "Hoàng Văn Hải"}, {"household_poverty", "neither"},
        {"health_insurance", "yes"}, {"disability", "no"}};
    if (!pid.empty()) fields.emplace_back("personal_id", pid);
    SyncResponse r = Push(d, d.CreateRecord(id, area, fields, "child_profile"));
    INFO(id);
    REQUIRE(r.rejected.empty());
  }

  std::vector<Edit> PullEverything(const TestDevice& d) {
    std::vector<Edit> out;
    uint64_t cursor = 0;
    for (int page = 0; page < 100; ++page) {
      SyncRequest q;
      q.cursor = cursor;
      q.forms = {"child_profile@" + std::to_string(sotay::testing::PackVersion("child_profile")),
                 "abuse_case@" + std::to_string(sotay::testing::PackVersion("abuse_case"))};
      SyncResponse res = Sync(d, q);
      out.insert(out.end(), res.pull.begin(), res.pull.end());
      cursor = res.cursor;
      if (!res.more) break;
    }
    return out;
  }

  std::string Shown(const std::string& id, const std::string& field) {
    auto store = OpenStore();
    auto rec = store->LoadRecord(id);
    REQUIRE(rec.ok());
    REQUIRE(*rec);
    return (*rec)->state.Shown(field);
  }
};

bool Has(const HttpResponse& r, const std::string& text) { return r.body.find(text) != std::string::npos; }

bool Listed(const HttpResponse& r, const std::string& a, const std::string& b) {
  return Has(r, "data-first=\"" + std::min(a, b) + "\" data-second=\"" + std::max(a, b) + "\"");
}

// The figure of one indicator of one form in the reports page.
std::string Figure(const HttpResponse& r, const std::string& form, const std::string& indicator) {
  const size_t section = r.body.find("data-form=\"" + form + "\"");
  if (section == std::string::npos) return "(no form)";
  const size_t row = r.body.find("data-indicator=\"" + indicator + "\"", section);
  if (row == std::string::npos) return "(no indicator)";
  const std::string marker = "data-area=\"total\">";
  const size_t at = r.body.find(marker, row);
  if (at == std::string::npos) return "(no total)";
  return r.body.substr(at + marker.size(), r.body.find('<', at) - at - marker.size());
}

// Two communes of district 148 with three planted pairs and one child of neither.
void Plant(DupWorld& w, TestDevice& a, TestDevice& c) {
  w.Profile(a, kAnh1, "01234", "Nguyễn Thị Ánh", "female", "2015-03-21", "001315012345");
  w.Profile(c, kAnh2, "01237", "Nguyen Thi Anh", "female", "2015-04-02", "001315012345");
  w.Profile(a, kPao1, "01234", "Lò Văn Páo", "male", "2014-05-06");
  w.Profile(c, kPao2, "01237", "LO VAN  PAO", "male", "2014-05-06");
  w.Profile(a, kDung1, "01234", "Sùng Thị Dung", "female", "2013-08-10");
  w.Profile(c, kDung2, "01237", "Sùng Thị Dunh", "female", "2013-08-12");
  w.Profile(a, kOther, "01234", "Trần Văn Bình", "male", "2012-01-01");
}

}  // namespace

TEST_CASE("duplicates: the queue lists the planted pairs across the district's communes, not an unrelated child",
          "[web][duplicates]") {
  DupWorld w;
  TestDevice a = w.Device("w-a"), c = w.Device("w-c");
  Plant(w, a, c);

  WebClient district = w.SignedIn("huyen");
  HttpResponse q = district.Get("/duplicates");
  REQUIRE(q.status == 200);
  CHECK(Has(q, "id=\"count\">3 "));
  CHECK(Listed(q, kAnh1, kAnh2));
  CHECK(Listed(q, kPao1, kPao2));
  CHECK(Listed(q, kDung1, kDung2));
  CHECK_FALSE(Has(q, kOther));
  // Why each matched, and both children's facts side by side.
  CHECK(Has(q, "cùng số định danh cá nhân"));
  CHECK(Has(q, "cùng họ tên và ngày sinh"));
  CHECK(Has(q, "họ tên và ngày sinh gần giống"));
  CHECK(Has(q, "Xã Chiềng Châu"));
  CHECK(Has(q, "Xã Vạn Mai"));
  CHECK(Has(q, "001315012345"));
  CHECK(Has(q, "Hoàng Văn Hải"));
  // The default survivor: the older profile (Ánh's has the number on both sides).
  CHECK(Has(q, "name=\"keep\" value=\"" + kAnh1 + "\" checked"));
  CHECK(Has(q, "href=\"/duplicates\""));  // in the navigation
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action = 'duplicate.list' AND actor = 'huyen'") == 1);

  // A commune's worker sees only pairs within the commune: none here.
  WebClient worker = w.SignedIn("xa-vm");
  HttpResponse own = worker.Get("/duplicates");
  CHECK(Has(own, "id=\"count\">0 "));
  // And may not decide about a child of another commune.
  CHECK(worker.Post("/duplicates/not-same", {{"a", kAnh1}, {"b", kAnh2}}).status == 404);
  CHECK(CountRows(w.db, "SELECT count(*) FROM duplicate_not_same") == 0);
}

TEST_CASE("duplicates: 'not the same' is remembered, also after a restart, and never asked again",
          "[web][duplicates]") {
  DupWorld w;
  TestDevice a = w.Device("w-a"), c = w.Device("w-c");
  Plant(w, a, c);
  WebClient district = w.SignedIn("huyen");
  // Without the session's CSRF token nothing is remembered.
  CHECK(district.Post("/duplicates/not-same", {{"a", kDung2}, {"b", kDung1}}, false).status == 403);
  HttpResponse kept = district.Post("/duplicates/not-same", {{"a", kDung2}, {"b", kDung1}});
  CHECK(kept.status == 303);
  HttpResponse q = district.Get("/duplicates");
  CHECK(Has(q, "id=\"count\">2 "));
  CHECK_FALSE(Listed(q, kDung1, kDung2));
  CHECK(CountRows(w.db, "SELECT count(*) FROM duplicate_not_same WHERE first_id = '" + kDung1 + "' AND second_id = '" +
                            kDung2 + "' AND decided_by = 'huyen'") == 1);
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action = 'duplicate.not_same' AND target = '" + kDung1 +
                            "'") == 1);
  // An edit of one of them changes nothing about the decision.
  w.Push(a, {a.NewEdit(kDung1, "village", "Thôn Tây")});

  // A new server process over the same file.
  auto restarted = App::Create(w.OpenStore(), &w.env, nullptr, ServerLimits{});
  REQUIRE(restarted.ok());
  WebClient again = w.SignedIn("huyen", restarted->get());
  HttpResponse after = again.Get("/duplicates");
  CHECK(Has(after, "id=\"count\">2 "));
  CHECK_FALSE(Listed(after, kDung1, kDung2));
  CHECK(Listed(after, kAnh1, kAnh2));
}

TEST_CASE("duplicates: 'same child' merges as edits devices pull, an offline edit of the loser is kept, the pair "
          "counts once",
          "[web][duplicates]") {
  DupWorld w;
  TestDevice a = w.Device("w-a"), c = w.Device("w-c");
  Plant(w, a, c);
  // An abuse case of 01237 names the loser by its 8-character prefix.
  std::vector<Edit> report = c.CreateRecord(kCase, "01237",
                                            {{"child_name", "Nguyen Thi Anh"}, {"child_record_id", kAnh2.substr(0, 8)},
                                             {"risk_level", "high"}, {"case_status", "open"}},
                                            "abuse_case");
  REQUIRE(w.Push(c, report).rejected.empty());
  // Device c edits the loser while offline: made now, pushed after the merge.
  Dot village_dot;
  {
    auto store = w.OpenStore();
    auto rec = store->LoadRecord(kAnh2);
    REQUIRE(rec.ok());
    village_dot = (*rec)->state.HeadsOf("village").front();
  }
  const Edit offline = c.NewEdit(kAnh2, "village", "Bản Mới", {village_dot});
  // The merge comes a month later: a report of a day between must count the pair
  // once as well, though the loser "left" only on the merge's day.
  w.env.now_ms += 30LL * 86400000;
  const std::vector<std::pair<std::string, std::string>> all_time = {{"year", "all"}},
                                                         before_merge = {{"from", "2026-01-01"}, {"to", "2026-10-01"}};

  WebClient district = w.SignedIn("huyen");
  CHECK(Figure(district.Get("/reports", all_time), "child_profile", "children_total") == "7");
  CHECK(Figure(district.Get("/reports", before_merge), "child_profile", "children_total") == "7");

  HttpResponse merged = district.Post("/duplicates/merge", {{"a", kAnh1}, {"b", kAnh2}, {"keep", kAnh1}});
  REQUIRE(merged.status == 303);
  CHECK(merged.headers["Location"] == "/duplicates?done=merged");

  // The loser names the survivor; the case names the survivor; the survivor's notes say so.
  CHECK(w.Shown(kAnh2, "register_status") == "merged");
  CHECK(w.Shown(kAnh2, "merged_into") == kAnh1);
  CHECK(w.Shown(kAnh2, "register_left_date") == "2026-10-21");
  CHECK(w.Shown(kCase, "child_record_id") == kAnh1);
  CHECK(w.Shown(kAnh1, "notes").find(kAnh2) != std::string::npos);
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action = 'duplicate.merge' AND actor = 'huyen'") == 5);
  HttpResponse q = district.Get("/duplicates");
  CHECK(Has(q, "id=\"count\">2 "));
  CHECK_FALSE(Listed(q, kAnh1, kAnh2));

  // Devices pull the merge: c (01237) the loser's and the case's edits, a (01234) the survivor's.
  const std::vector<Edit> pulled_c = w.PullEverything(c);
  const auto has = [](const std::vector<Edit>& edits, const std::string& record, const std::string& field,
                      const std::string& value) {
    for (const Edit& e : edits) {
      if (e.record == record && e.field == field && e.value == value && e.author == "huyen") return true;
    }
    return false;
  };
  CHECK(has(pulled_c, kAnh2, "register_status", "merged"));
  CHECK(has(pulled_c, kAnh2, "merged_into", kAnh1));
  CHECK(has(pulled_c, kCase, "child_record_id", kAnh1));
  const std::vector<Edit> pulled_a = w.PullEverything(a);
  bool notes = false;
  for (const Edit& e : pulled_a) notes = notes || (e.record == kAnh1 && e.field == "notes" && e.author == "huyen");
  CHECK(notes);

  // The offline edit arrives after the merge: kept on the loser, seen from the survivor.
  SyncResponse late = w.Push(c, {offline});
  CHECK(late.rejected.empty());
  CHECK(w.Shown(kAnh2, "village") == "Bản Mới");
  CHECK(w.Shown(kAnh2, "register_status") == "merged");
  HttpResponse survivor = district.Get("/records/" + kAnh1);
  REQUIRE(survivor.status == 200);
  CHECK(Has(survivor, "id=\"merged-from\""));
  CHECK(Has(survivor, "href=\"/records/" + kAnh2 + "\""));
  CHECK(Has(survivor, "có thay đổi sau khi gộp"));
  HttpResponse loser = district.Get("/records/" + kAnh2);
  CHECK(Has(loser, "id=\"merged-into\""));
  CHECK(Has(loser, "href=\"/records/" + kAnh1 + "\""));
  // Both histories read the merge.
  CHECK(Has(loser, "huyen"));
  CHECK(Has(survivor, "huyen"));

  // The register counts the child once, today and on any day before the merge.
  CHECK(Figure(district.Get("/reports", all_time), "child_profile", "children_total") == "6");
  CHECK(Figure(district.Get("/reports", before_merge), "child_profile", "children_total") == "6");
}

TEST_CASE("duplicates: a merge names a survivor of the pair, by staff who may edit both", "[web][duplicates]") {
  DupWorld w;
  TestDevice a = w.Device("w-a"), c = w.Device("w-c");
  Plant(w, a, c);
  WebClient district = w.SignedIn("huyen");
  const int64_t sets = CountRows(w.db, "SELECT count(*) FROM edit_sets");
  CHECK(district.Post("/duplicates/merge", {{"a", kPao1}, {"b", kPao2}, {"keep", kOther}}).status == 400);
  CHECK(district.Post("/duplicates/merge", {{"a", kPao1}, {"b", kPao1}, {"keep", kPao1}}).status == 400);
  CHECK(district.Post("/duplicates/merge", {{"a", kPao1}, {"b", kPao2}, {"keep", kPao2}}, false).status == 403);
  WebClient worker = w.SignedIn("xa-vm");
  CHECK(worker.Post("/duplicates/merge", {{"a", kPao1}, {"b", kPao2}, {"keep", kPao2}}).status == 404);
  CHECK(CountRows(w.db, "SELECT count(*) FROM edit_sets") == sets);
  // Keeping the second one works as well.
  CHECK(district.Post("/duplicates/merge", {{"a", kPao1}, {"b", kPao2}, {"keep", kPao2}}).status == 303);
  CHECK(w.Shown(kPao1, "merged_into") == kPao2);
  // Asked again (a second tab): nothing more is written.
  const int64_t after = CountRows(w.db, "SELECT count(*) FROM edit_sets");
  CHECK(district.Post("/duplicates/merge", {{"a", kPao1}, {"b", kPao2}, {"keep", kPao2}}).status == 303);
  CHECK(CountRows(w.db, "SELECT count(*) FROM edit_sets") == after);
}

TEST_CASE("duplicates: a database indexed before profiles' identities were (schema 14) finds the same pairs after "
          "the upgrade",
          "[web][duplicates][sqlite]") {
  DupWorld w;
  TestDevice a = w.Device("w-a"), c = w.Device("w-c");
  Plant(w, a, c);
  CHECK(Has(w.SignedIn("huyen").Get("/duplicates"), "id=\"count\">3 "));  // the index filled
  CHECK(CountRows(w.db, "SELECT count(*) FROM record_facts WHERE identity LIKE '%001315012345%'") == 2);
  {
    auto h = sqlite::Db::Open(w.db, sqlite::Db::Mode::kReadWrite);
    REQUIRE(h.ok());
    REQUIRE(h->Exec("ALTER TABLE record_facts DROP COLUMN identity; PRAGMA user_version = 14;").ok());
  }
  // A new server process over the file upgrades it and indexes every record again.
  auto upgraded = App::Create(w.OpenStore(), &w.env, nullptr, ServerLimits{});
  REQUIRE(upgraded.ok());
  HttpResponse q = w.SignedIn("huyen", upgraded->get()).Get("/duplicates");
  CHECK(Has(q, "id=\"count\">3 "));
  CHECK(Listed(q, kAnh1, kAnh2));
  CHECK(Listed(q, kPao1, kPao2));
  CHECK(Listed(q, kDung1, kDung2));
  CHECK(CountRows(w.db, "SELECT count(*) FROM record_facts WHERE identity <> ''") == 7);
  // A case or other record has none: only register profiles carry one.
  CHECK(CountRows(w.db, "SELECT count(*) FROM record_facts WHERE identity = ''") ==
        CountRows(w.db, "SELECT count(*) FROM record_facts") - 7);
}

TEST_CASE("duplicates: a commune with more births in a year than one read holds is read whole, page by page",
          "[web][duplicates]") {
  DupWorld w;
  TestDevice a = w.Device("w-a");
  // 1,200 profiles born on three days of 2015 (400 a day, so pages of the index end
  // inside one day), with names no rule pairs; one born in 2014.
  uint32_t seed = 12345;
  auto letter = [&] {
    seed = seed * 1103515245u + 12345u;
    return static_cast<char>('a' + (seed >> 16) % 26);
  };
  std::vector<Edit> batch;
  for (int i = 0; i < 1200; ++i) {
    std::string name = "Trẻ ";
    for (int k = 0; k < 10; ++k) name += letter();
    const std::string dob = "2015-06-0" + std::to_string(1 + i % 3);
    for (Edit& e : a.CreateRecord(RecordId(1000 + i), "01234",
                                  {{"full_name", name}, {"sex", i % 2 ? "male" : "female"}, {"dob", dob}},
                                  "child_profile")) {
      batch.push_back(std::move(e));
    }
    if (batch.size() >= 700) {
      REQUIRE(w.Push(a, batch).rejected.empty());
      batch.clear();
    }
  }
  REQUIRE(w.Push(a, batch).rejected.empty());
  w.Profile(a, RecordId(10), "01234", "Lò Thị Mai", "female", "2014-02-02");
  // The pair: the smallest ids, born on the last day. Read in birth order, they
  // come on the second page, after rows with larger ids: a page that went on by id
  // alone would pass them by.
  w.Profile(a, RecordId(1), "01234", "Nguyễn Văn Quyết", "male", "2015-06-03");
  w.Profile(a, RecordId(2), "01234", "Nguyen Van Quyet", "male", "2015-06-03");

  HttpResponse q = w.SignedIn("huyen").Get("/duplicates");
  REQUIRE(q.status == 200);
  CHECK(Has(q, "id=\"scan\">1203 "));  // every profile
  CHECK(Has(q, "id=\"count\">1 "));
  CHECK(Listed(q, RecordId(1), RecordId(2)));
}
