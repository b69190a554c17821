// The dashboard's record list as a district officer uses it (issue 15): a search by
// the child's name that finds "Nguyễn Thị Ánh" and never "Khánh", other answers only
// on request and saying why a row matched, the columns and filters, numbered pages,
// the filtered list as CSV with codes and phone numbers kept as text, and the time a
// worker made a record rather than the time it reached the server.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "admin/admin_ops.h"
#include "server_world.h"
#include "sotay/csv.h"
#include "sotay/expr.h"
#include "web_client.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

const char* kPassword = "mật khẩu dài đủ 12";

std::string PackForm(const std::string& form) {
  std::ifstream in(std::string(SOTAY_SCHEMAS_DIR) + "/" + form + ".json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// District staff of 148 and a worker of 01234, with the pack's child profile and
// abuse case published.
struct ListWorld : ServerWorld {
  ListWorld() {
    auto store = OpenStore();
    REQUIRE(AddUser(*store, "huyen", Role::kDistrict, "148", std::string(kPassword), &env).ok());
    REQUIRE(AddUser(*store, "xa-ca", Role::kWorker, "01234", std::string(kPassword), &env).ok());
    for (const char* form : {"child_profile", "abuse_case"}) {
      std::string name;
      auto published = PublishForm(*store, PackForm(form), std::string(form) + ".json", &env, &name);
      INFO(published.status().ToString());
      REQUIRE(published.ok());
    }
  }
  WebClient SignedIn(const std::string& user) {
    WebClient c(app());
    REQUIRE(c.Login(user, kPassword));
    return c;
  }
  void Child(TestDevice& d, int n, const std::string& area, std::vector<std::pair<std::string, std::string>> answers) {
    SyncResponse r = Push(d, d.CreateRecord(RecordId(n), area, answers, "child_profile"));
    REQUIRE(r.rejected.empty());
  }
};

// The names in the list's rows, in order.
std::vector<std::string> Names(const HttpResponse& page) {
  static const std::regex row(R"re(<tr data-id="[^"]*"><td data-label="[^"]*"><a href="[^"]*">([^<]*)</a>)re");
  std::vector<std::string> out;
  for (std::sregex_iterator it(page.body.begin(), page.body.end(), row), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

bool Has(const HttpResponse& r, const std::string& text) { return r.body.find(text) != std::string::npos; }

}  // namespace

TEST_CASE("record list: a name search takes whole-word prefixes in order, exact names first", "[web][list]") {
  ListWorld w;
  TestDevice a = w.Device("w-a");
  const char* names[] = {"Nguyễn Thị Anh Đào", "Lê Thị Khánh", "Trần Thị Thanh", "Hoàng Thị Hạnh",
                         "Nguyễn Thị Ánh",     "Nguyễn Thị Anh", "Nguyễn Văn Thành", "Nguyễn Thị Khánh Linh"};
  int n = 0;
  for (const char* name : names) w.Child(a, ++n, "01234", {{"full_name", name}, {"caregiver_name", "Nguyễn Thị Anh"}});

  WebClient c = w.SignedIn("huyen");
  HttpResponse found = c.Post("/records", {{"q", "nguyen thi anh"}});
  REQUIRE(found.status == 200);
  // Both exact names (Anh, Ánh: typed without marks, either is meant) before the longer one.
  const std::vector<std::string> got = Names(found);
  REQUIRE(got.size() == 3);
  CHECK(got[2] == "Nguyễn Thị Anh Đào");
  CHECK(std::set<std::string>{got[0], got[1]} == std::set<std::string>{"Nguyễn Thị Ánh", "Nguyễn Thị Anh"});
  CHECK(Has(found, "3 hồ sơ"));
  // Every caregiver is "Nguyễn Thị Anh", but only the child's name was searched.
  CHECK_FALSE(Has(found, "khớp:"));

  // Typed with its marks, the name is meant as typed.
  CHECK(Names(c.Post("/records", {{"q", "nguyễn thị ánh"}})) == std::vector<std::string>{"Nguyễn Thị Ánh"});
  // "anh" is never a part of Khánh, Thanh or Hạnh.
  for (const std::string& name : Names(c.Post("/records", {{"q", "anh"}}))) {
    INFO(name);
    CHECK((name == "Nguyễn Thị Ánh" || name == "Nguyễn Thị Anh" || name == "Nguyễn Thị Anh Đào"));
  }
  // A family and a given name, the middle name left out.
  CHECK(Names(c.Post("/records", {{"q", "nguyen thanh"}})) == std::vector<std::string>{"Nguyễn Văn Thành"});
  // Sorted A–Z, by given name first: Anh, Ánh, Anh Đào (given name Đào), ...
  HttpResponse az = c.Post("/records", {{"q", "nguyen"}, {"sort", "name"}});
  CHECK(Names(az) == std::vector<std::string>{"Nguyễn Thị Anh", "Nguyễn Thị Ánh", "Nguyễn Thị Anh Đào",
                                              "Nguyễn Thị Khánh Linh", "Nguyễn Văn Thành"});
}

TEST_CASE("record list: other answers are searched on request, each row saying why, never a sensitive one",
          "[web][list]") {
  ListWorld w;
  TestDevice a = w.Device("w-a");
  w.Child(a, 1, "01234", {{"full_name", "Nguyễn Thị Hoa"}, {"caregiver_name", "Trần Văn Bình"}});
  w.Child(a, 2, "01234", {{"full_name", "Lò Văn Páo"}, {"caregiver_name", "Nguyễn Thị Hoa Mai"}});
  std::vector<Edit> report = a.CreateRecord(RecordId(3), "01234",
                                            {{"child_name", "Hà Văn Tú"}, {"reporter_name", "Nguyễn Thị Hoa Lan"},
                                             {"reporter_phone", "0912345678"}},
                                            "abuse_case");
  REQUIRE(w.Push(a, report).rejected.empty());

  WebClient c = w.SignedIn("huyen");
  CHECK(Names(c.Post("/records", {{"q", "nguyen thi hoa"}})) == std::vector<std::string>{"Nguyễn Thị Hoa"});
  HttpResponse wide = c.Post("/records", {{"q", "nguyen thi hoa"}, {"others", "1"}});
  // The name first; then the caregiver, saying so; never the reporter (sensitive).
  CHECK(Names(wide) == std::vector<std::string>{"Nguyễn Thị Hoa", "Lò Văn Páo"});
  CHECK(Has(wide, "khớp: Họ tên cha, mẹ hoặc người chăm sóc chính"));
  CHECK_FALSE(Has(wide, "Hà Văn Tú"));
  CHECK(Names(c.Post("/records", {{"q", "0912345678"}, {"others", "1"}})).empty());
  // The choice is kept for the next page and the export.
  CHECK(Has(wide, "name=\"others\" value=\"1\""));
}

TEST_CASE("record list: columns a district officer reads, and the time the worker made the record", "[web][list]") {
  ListWorld w;
  TestDevice a = w.Device("w-a");
  a.clock_ms = kStartMs - 3 * 86400000;  // made offline three days ago, synced today
  w.Child(a, 1, "01234", {{"full_name", "Nguyễn Thị Ánh"}, {"sex", "female"}, {"dob", "2015-03-09"},
                          {"village", "Bản Phố"}});
  std::vector<Edit> report = a.CreateRecord(RecordId(2), "01234",
                                            {{"child_name", "Lò Văn Páo"}, {"report_datetime", "2026-09-18T08:30"},
                                             {"child_sex", "male"}, {"child_dob", "2019-10-01"}},
                                            "abuse_case");
  REQUIRE(w.Push(a, report).rejected.empty());

  WebClient c = w.SignedIn("huyen");
  HttpResponse page = c.Get("/records");
  REQUIRE(page.status == 200);
  // dd/mm/yyyy HH:MM local, of the worker's clock (2026-09-18 21:13 in Vietnam), not
  // of the sync (21/09/2026).
  CHECK(Has(page, ">18/09/2026 21:13</td>"));
  CHECK_FALSE(Has(page, "21/09/2026"));
  CHECK(Has(page, ">Bản Phố</td>"));
  CHECK(Has(page, "data-label=\"Tuổi\">11</td>"));  // born 09/03/2015, today 21/09/2026
  CHECK(Has(page, "data-label=\"Tuổi\">6</td>"));   // the case form's child_dob
  CHECK(Has(page, ">Nữ</td>"));
  CHECK(Has(page, ">Nam</td>"));
  CHECK(Has(page, "data-label=\"Cán bộ lập\">w-a</td>"));
  CHECK(Has(page, ">Lò Văn Páo</a>"));  // the child's name, no raw ISO time beside it
  CHECK_FALSE(Has(page, "2026-09-18T08:30"));
}

TEST_CASE("record list: filters by commune, village, age, sex, special group and worker", "[web][list]") {
  ListWorld w;
  TestDevice a = w.Device("w-a"), b = w.Device("w-b"), c3 = w.Device("w-c");
  w.Child(a, 1, "01234", {{"full_name", "Nguyễn Thị Ánh"}, {"sex", "female"}, {"dob", "2015-03-09"},
                          {"village", "Bản Phố"}, {"special_circumstances", "a d"}});
  w.Child(b, 2, "01234", {{"full_name", "Lò Văn Páo"}, {"sex", "male"}, {"dob", "2012-01-20"}, {"village", "bản phố"}});
  w.Child(a, 3, "01234", {{"full_name", "Hà Thị Mai"}, {"sex", "female"}, {"dob", "2020-06-01"}, {"village", "Nà Sản"}});
  w.Child(c3, 4, "01237", {{"full_name", "Vàng Thị Dợ"}, {"sex", "female"}, {"dob", "2016-05-05"},
                           {"village", "Bản Phố"}, {"special_circumstances", "d"}});

  WebClient c = w.SignedIn("huyen");
  auto names = [&](std::vector<std::pair<std::string, std::string>> q) {
    HttpResponse r = c.Get("/records", q);
    REQUIRE(r.status == 200);
    std::vector<std::string> got = Names(r);
    std::sort(got.begin(), got.end());
    return got;
  };
  using V = std::vector<std::string>;
  CHECK(names({{"area", "01237"}}) == V{"Vàng Thị Dợ"});
  // One village however its name was typed.
  CHECK(names({{"area", "01234"}, {"village", "Bản Phố"}}) == V{"Lò Văn Páo", "Nguyễn Thị Ánh"});
  CHECK(names({{"sex", "female"}}) == V{"Hà Thị Mai", "Nguyễn Thị Ánh", "Vàng Thị Dợ"});
  CHECK(names({{"age_min", "10"}, {"age_max", "14"}}) == V{"Lò Văn Páo", "Nguyễn Thị Ánh", "Vàng Thị Dợ"});
  CHECK(names({{"age_max", "9"}}) == V{"Hà Thị Mai"});
  CHECK(names({{"group", "d"}}) == V{"Nguyễn Thị Ánh", "Vàng Thị Dợ"});
  CHECK(names({{"worker", "w-b"}}) == V{"Lò Văn Páo"});
  CHECK(names({{"worker", "w-a"}, {"sex", "female"}, {"age_min", "8"}}) == V{"Nguyễn Thị Ánh"});
  // The village list offers one entry per spelling folded, and the form keeps the choice.
  HttpResponse page = c.Get("/records", {{"village", "Bản Phố"}});
  CHECK(Has(page, "<option value=\"Bản Phố\" selected>"));
  CHECK_FALSE(Has(page, "<option value=\"bản phố\""));
}

TEST_CASE("record list: numbered pages keep the filters, and a search turns pages without the name in a URL",
          "[web][list]") {
  ListWorld w;
  TestDevice a = w.Device("w-a"), c3 = w.Device("w-c");  // communes 01234 and 01237
  for (int n = 1; n <= 120; ++n) {
    w.Child(n % 2 == 0 ? a : c3, n, n % 2 == 0 ? "01234" : "01237",
            {{"full_name", "Nguyễn Thị Mai " + std::to_string(1000 + n)}, {"sex", "female"}});
  }
  WebClient c = w.SignedIn("huyen");
  HttpResponse first = c.Get("/records", {{"sex", "female"}, {"sort", "name"}});
  CHECK(Names(first).size() == 50);
  CHECK(Has(first, "120 hồ sơ"));
  // « 1 2 3 »: each link carries the filters.
  CHECK(Has(first, "href=\"/records?sex=female&amp;sort=name&amp;page=2\""));
  CHECK(Has(first, "href=\"/records?sex=female&amp;sort=name&amp;page=3\""));
  CHECK(Has(first, "aria-current=\"page\">1</span>"));
  HttpResponse second = c.Get("/records", {{"sex", "female"}, {"sort", "name"}, {"page", "2"}});
  const std::vector<std::string> p1 = Names(first), p2 = Names(second);
  REQUIRE(p2.size() == 50);
  CHECK(p1.back() < p2.front());  // the same order, continued
  CHECK(Names(c.Get("/records", {{"sex", "female"}, {"sort", "name"}, {"page", "3"}})).size() == 20);

  // Searching: the page numbers are POST buttons carrying the search.
  HttpResponse searched = c.Post("/records", {{"q", "nguyen thi mai"}, {"area", "01234"}});
  CHECK(Has(searched, "60 hồ sơ"));
  CHECK_FALSE(Has(searched, "href=\"/records?"));  // no link that could carry a name
  CHECK(Has(searched, "name=\"q\" value=\"nguyen thi mai\""));
  HttpResponse next = c.Post("/records", {{"q", "nguyen thi mai"}, {"area", "01234"}, {"page", "2"}});
  CHECK(Names(next).size() == 10);
}

TEST_CASE("record list: the filtered list downloads as CSV for Excel, codes and phones as text, audited",
          "[web][list][export]") {
  ListWorld w;
  TestDevice a = w.Device("w-a");
  for (int n = 1; n <= 70; ++n) {
    w.Child(a, n, "01234", {{"full_name", (n % 7 == 0 ? "Nguyễn Thị Ánh " : "Lê Văn Tú ") + std::to_string(n)},
                            {"sex", n % 2 == 0 ? "female" : "male"},
                            {"caregiver_phone", "0912345" + std::to_string(100 + n)},
                            {"village", "Bản Phố"}});
  }
  WebClient c = w.SignedIn("huyen");
  HttpResponse page = c.Get("/records", {{"sex", "female"}});
  CHECK(Has(page, "35 hồ sơ"));
  CHECK(Has(page, "Tải danh sách (CSV)"));
  HttpResponse csv = c.Post("/records", {{"sex", "female"}, {"export", "csv"}});
  REQUIRE(csv.status == 200);
  CHECK(csv.content_type.rfind("text/csv", 0) == 0);
  CHECK(csv.headers["Content-Disposition"].find("attachment; filename=\"records-") == 0);
  REQUIRE(csv.body.rfind("\xEF\xBB\xBF", 0) == 0);
  CHECK(csv.body.find("\r\n") != std::string::npos);
  auto table = ParseCsv(csv.body);
  REQUIRE(table.ok());
  CHECK(table->rows.size() == 35);  // every page of the filter, not the 50 of one page
  CHECK(table->header == std::vector<std::string>{"Mã hồ sơ", "Tên", "Biểu mẫu", "Mã xã", "Xã", "Thôn, bản", "Tuổi",
                                                  "Giới tính", "Cán bộ lập", "Tạo lúc", "Trạng thái"});
  for (const CsvRow& row : table->rows) CHECK(row.cells[7] == "Nữ");
  CHECK(table->rows[0].cells[3] == "=\"01234\"");  // Excel shows 01234, not 1234
  CHECK(table->rows[0].cells[5] == "Bản Phố");
  // With a search, exactly the rows found.
  HttpResponse found = c.Post("/records", {{"q", "nguyen thi anh"}, {"export", "csv"}});
  auto found_table = ParseCsv(found.body);
  REQUIRE(found_table.ok());
  CHECK(found_table->rows.size() == 10);
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action = 'export.csv' AND target = 'record-list'"
                        " AND actor = 'huyen' AND detail = '35 records, sex=female'") == 1);
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action = 'export.csv' AND target = 'record-list'"
                        " AND detail = '10 records, name search'") == 1);
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE detail LIKE '%nguyen%'") == 0);

  // The per-form export writes phone numbers by the same rule.
  HttpResponse form_csv = c.Get("/export/file", {{"form", "child_profile"}, {"format", "csv"}});
  REQUIRE(form_csv.status == 200);
  CHECK(Has(form_csv, "\"=\"\"0912345107\"\"\""));
  CHECK(Has(form_csv, "\"=\"\"01234\"\"\""));

  // A worker lists the commune's records but does not download them.
  WebClient worker = w.SignedIn("xa-ca");
  CHECK(worker.Get("/records").status == 200);
  CHECK_FALSE(Has(worker.Get("/records"), "Tải danh sách (CSV)"));
  CHECK(worker.Post("/records", {{"export", "csv"}}).status == 403);
}

TEST_CASE("record list: ages counted in whole years, a birthday today counting", "[web][list]") {
  ListWorld w;
  TestDevice a = w.Device("w-a");
  const int64_t today = w.env.TodayDays();
  // Ten today, and ten tomorrow: the database compares birth days, not ages.
  const std::string ten = std::to_string(std::stoi(FormatIsoDate(today).substr(0, 4)) - 10) + FormatIsoDate(today).substr(4);
  const std::string nine = FormatIsoDate(*ParseIsoDate(ten) + 1);
  w.Child(a, 1, "01234", {{"full_name", "Mười Tuổi"}, {"dob", ten}});
  w.Child(a, 2, "01234", {{"full_name", "Chín Tuổi"}, {"dob", nine}});
  w.Child(a, 3, "01234", {{"full_name", "Chưa Sinh"}, {"dob", FormatIsoDate(today + 3)}});
  w.Child(a, 4, "01234", {{"full_name", "Không Rõ"}});
  WebClient c = w.SignedIn("huyen");
  auto names = [&](std::vector<std::pair<std::string, std::string>> q) {
    HttpResponse r = c.Get("/records", q);
    REQUIRE(r.status == 200);
    return Names(r);
  };
  using V = std::vector<std::string>;
  CHECK(names({{"age_min", "10"}}) == V{"Mười Tuổi"});
  CHECK(names({{"age_max", "9"}}) == V{"Chín Tuổi"});
  CHECK(names({{"age_min", "9"}, {"age_max", "10"}, {"sort", "name"}}) == V{"Chín Tuổi", "Mười Tuổi"});
  CHECK(names({{"age_min", "0"}}).size() == 2);  // neither the unborn nor the one without a date
}

TEST_CASE("record list: the index lives in the database, read through by a second server and rebuilt when lost",
          "[web][list]") {
  ListWorld w;
  TestDevice a = w.Device("w-a");
  w.Child(a, 1, "01234", {{"full_name", "Nguyễn Thị Ánh"}});
  // A second server on the same database, as a second process behind nginx would be.
  auto second = App::Create(w.OpenStore(), &w.env, nullptr, ServerLimits{});
  REQUIRE(second.ok());
  WebClient one = w.SignedIn("huyen");
  WebClient two(**second);
  REQUIRE(two.Login("huyen", kPassword));
  CHECK(Names(one.Get("/records")) == std::vector<std::string>{"Nguyễn Thị Ánh"});
  CHECK(Names(two.Get("/records")) == std::vector<std::string>{"Nguyễn Thị Ánh"});
  // A change through the first is on the second's next page.
  const std::string id = RecordId(1);
  w.Push(a, {a.NewEdit(id, "full_name", "Nguyễn Thị Ánh Dương")});
  w.Child(a, 2, "01234", {{"full_name", "Lò Văn Páo"}});
  CHECK(Names(two.Get("/records", {{"sort", "name"}})) == std::vector<std::string>{"Nguyễn Thị Ánh Dương", "Lò Văn Páo"});
  // The index is derived: lost (a restore without it, a hand's DELETE), it is rebuilt.
  {
    sql::Db raw = OpenRaw(w.db);
    REQUIRE(raw.Exec("DELETE FROM record_facts").ok());
    REQUIRE(raw.Exec("DELETE FROM server_meta WHERE key = 'record_facts.seq'").ok());
  }
  CHECK(Names(one.Get("/records", {{"sort", "name"}})) == std::vector<std::string>{"Nguyễn Thị Ánh Dương", "Lò Văn Páo"});
  CHECK(w.Count("SELECT count(*) FROM record_facts") == 2);
}

TEST_CASE("record list: a record whose stored state does not decode is counted and left out, the rest listed",
          "[web][list]") {
  ListWorld w;
  TestDevice a = w.Device("w-a");
  w.Child(a, 1, "01234", {{"full_name", "Nguyễn Thị Ánh"}});
  w.Child(a, 2, "01234", {{"full_name", "Lò Văn Páo"}});
  {
    sql::Db raw = OpenRaw(w.db);
    auto st = raw.Prepare("UPDATE records SET state = ?1 WHERE id = ?2");
    REQUIRE(st.ok());
    st->BindBlob(1, std::string("\x01garbage", 8)).Bind(2, RecordId(2));
    REQUIRE(st->Run().ok());
    REQUIRE(raw.Exec("DELETE FROM server_meta WHERE key = 'record_facts.seq'").ok());  // read them all again
  }
  WebClient c = w.SignedIn("huyen");
  HttpResponse page = c.Get("/records");
  REQUIRE(page.status == 200);
  CHECK(Names(page) == std::vector<std::string>{"Nguyễn Thị Ánh"});
  CHECK(Has(page, "1 hồ sơ không đọc được"));
  CHECK(c.Get("/records", {{"q", "Páo"}}).status == 200);
}

TEST_CASE("record list: the total and the villages and workers offered follow every change, also one made through "
          "another server",
          "[web][list]") {
  ListWorld w;
  TestDevice a = w.Device("w-a");
  w.Child(a, 1, "01234", {{"full_name", "Nguyễn Thị Ánh"}, {"village", "Bản Phố"}});
  w.Child(a, 2, "01234", {{"full_name", "Lò Văn Páo"}, {"village", "Bản Phố"}});
  WebClient c = w.SignedIn("huyen");
  HttpResponse first = c.Get("/records");
  CHECK(Has(first, "id=\"count\">2 "));
  CHECK(Has(first, ">Bản Phố<"));
  CHECK_FALSE(Has(first, ">Bản Mới<"));
  CHECK(Has(c.Get("/records", {{"sort", "name"}}), "id=\"count\">2 "));  // kept: nothing changed

  // A third child in a new village, pushed while the counts are kept.
  w.Child(a, 3, "01234", {{"full_name", "Sùng Thị Dung"}, {"village", "Bản Mới"}});
  HttpResponse after = c.Get("/records");
  CHECK(Has(after, "id=\"count\">3 "));
  CHECK(Has(after, ">Bản Mới<"));
  CHECK(Has(c.Get("/records", {{"village", "Bản Mới"}}), "id=\"count\">1 "));

  // A change stored through a second server process is seen by the first's next page.
  auto second = App::Create(w.OpenStore(), &w.env, nullptr, ServerLimits{});
  REQUIRE(second.ok());
  WebClient two(**second);
  REQUIRE(two.Login("huyen", kPassword));
  CHECK(Has(two.Get("/records"), "id=\"count\">3 "));
  w.Push(a, {a.NewEdit(RecordId(3), "_status", "void")});
  CHECK(Has(two.Get("/records", {{"status", "void"}}), "id=\"count\">1 "));
  CHECK(Has(c.Get("/records", {{"status", "void"}}), "id=\"count\">1 "));
}
