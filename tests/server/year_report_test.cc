// The year report through the real server store (issue 15): a period's figures do
// not move when records are added and edited after it (the period-stability test),
// and the /reports page shows a district its communes and a province its districts,
// with a drill-down, breakdowns, rates and a print layout.
//
// Over 400 lines on purpose: the cases share YearWorld (a province, its districts,
// communes and users) and its helpers, a third of the file, used nowhere else.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "admin/admin_ops.h"
#include "server_world.h"
#include "sotay/expr.h"
#include "sotay/read_file.h"
#include "sotay/year_report.h"
#include "sotay/csv.h"
#include "store/report_records.h"
#include "support/xlsx_cells.h"
#include "web_client.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

const char* kPassword = "mật khẩu dài đủ 12";


// Noon in Vietnam on an ISO day, as UTC ms.
int64_t NoonMs(const char* iso) { return *ParseIsoDate(iso) * 86400000 + 5 * 3600 * 1000; }

struct YearWorld : ServerWorld {
  YearWorld() {
    env.now_ms = NoonMs("2025-02-01");
    auto store = OpenStore();
    REQUIRE(AddUser(*store, "huyen", Role::kDistrict, "148", std::string(kPassword), &env).ok());
    REQUIRE(AddUser(*store, "tinh", Role::kDistrict, "17", std::string(kPassword), &env).ok());
    for (const char* form : {"child_profile.json", "abuse_case.json"}) {
      auto text = ReadWholeFile(std::string(SOTAY_SCHEMAS_DIR) + "/" + form);
      REQUIRE(text.ok());
      std::string name;
      REQUIRE(PublishForm(*store, *text, form, &env, &name).ok());
    }
  }

  WebClient SignedIn(const std::string& user) {
    WebClient c(app());
    REQUIRE(c.Login(user, kPassword));
    return c;
  }

  // Moves the server's clock and the devices' to `iso`, noon.
  void At(const char* iso, std::vector<TestDevice*> devices) {
    env.now_ms = NoonMs(iso);
    for (TestDevice* d : devices) d->clock_ms = env.now_ms;
  }

  void Push(TestDevice& d, const std::vector<Edit>& edits) {
    SyncRequest q;
    q.push = edits;
    q.forms = {"child_profile@" + std::to_string(sotay::testing::PackVersion("child_profile")),
               "abuse_case@" + std::to_string(sotay::testing::PackVersion("abuse_case"))};
    SyncResponse r = Sync(d, q);
    REQUIRE(r.rejected.empty());
  }

  void Profile(TestDevice& d, const std::string& id, const std::string& area, const std::string& sex,
               const std::string& dob, const std::string& ethnicity, const std::string& special = "") {
    std::vector<std::pair<std::string, std::string>> fields = {
        {"full_name", "Trẻ " + id.substr(0, 4)}, {"sex", sex}, {"dob", dob}, {"ethnicity", ethnicity},
        {"birth_registered", "yes"}, {"village", "Thôn Đông"}, {"living_with", "both_parents"},
        {"household_poverty", "neither"}, {"health_insurance", "yes"}, {"disability", "no"}};
    if (!special.empty()) fields.emplace_back("special_circumstances", special);
    Push(d, d.CreateRecord(id, area, fields, "child_profile"));
  }

  void Case(TestDevice& d, const std::string& id, const std::string& area, const std::string& child,
            const std::string& reported) {
    Push(d, d.CreateRecord(id, area,
                           {{"report_datetime", reported}, {"reporter_type", "neighbour"},
                            {"report_channel", "hotline_111"}, {"child_record_id", child},
                            {"child_name", "Trẻ"}, {"case_status", "open"}},
                           "abuse_case"));
  }

  // A new value of `field`, replacing what stands.
  void Change(TestDevice& d, const std::string& id, const std::vector<std::pair<std::string, std::string>>& values) {
    auto store = OpenStore();
    auto rec = store->LoadRecord(id);
    REQUIRE(rec.ok());
    REQUIRE(*rec);
    std::vector<Edit> edits;
    for (const auto& [field, value] : values) edits.push_back(d.NewEdit(id, field, value, (*rec)->state.HeadsOf(field)));
    Push(d, edits);
  }

  // The report of `year` for the province, as the lead's CLI would compute it.
  YearReport Report(const std::string& year) {
    auto store = OpenStore();
    if (!catalog) {  // the report's rows point into it: it outlives them
      auto loaded = FormCatalog::Load(*store);
      REQUIRE(loaded.ok());
      catalog = std::make_unique<FormCatalog>(std::move(loaded).value());
    }
    const FormCatalog* forms = catalog.get();
    ReportPeriod period{ParseIsoDate(year + "-01-01"), ParseIsoDate(year + "-12-31")};
    auto records = ReportRecordsAsOf(*store, *forms, {"01234", "01237", "01255"}, period, env);
    INFO(records.status().ToString());
    REQUIRE(records.ok());
    AreaTree areas = *AreaTree::Build(*store->LoadAreas());
    CheckEnv check;
    check.now_ms = env.LocalNowMs();
    check.today_days = static_cast<double>(env.TodayDays());
    YearReport report = ComputeYearReport(forms->Latest(), *records, ReportUnitsUnder(areas, "17"), period, check);
    return report;
  }

  std::unique_ptr<FormCatalog> catalog;
};

// Every figure of a report as text: equal texts, equal reports.
std::string Figures(const YearReport& report) {
  std::ostringstream out;
  for (const auto& [unit, n] : report.child_population) out << "population " << unit << " " << n << "\n";
  for (const YearReportRow& row : report.rows) {
    for (const auto& [unit, v] : row.by_unit) {
      out << row.indicator->name << " " << unit << " " << FormatIndicatorValue(v, "en") << " rate "
          << (row.rate_per_1000.at(unit) ? std::to_string(*row.rate_per_1000.at(unit)) : "-") << "\n";
    }
    for (const Breakdown& b : report.breakdowns) {
      for (const ReportUnit& unit : report.units) {
        for (const Breakdown::Category& cat : b.categories) {
          const IndicatorValue v = report.CategoryValue(row, b.name, unit.code, cat.name);
          if (v.count != 0 || v.of > 0) out << row.indicator->name << " " << b.name << " " << unit.code << " "
                                            << cat.name << " " << FormatIndicatorValue(v, "en") << "\n";
        }
      }
    }
  }
  return out.str();
}

// The page without the moment it was computed and the session's form token.
std::string Stable(const HttpResponse& r) {
  std::string body = std::regex_replace(r.body, std::regex("[0-9a-f]{64}"), "TOKEN");
  const size_t at = body.find("Tính lúc ");
  if (at != std::string::npos) body.erase(at, body.find("</p>", at) - at);
  return body;
}

const std::string kP1 = PrefixedId("11111111", 1), kP2 = PrefixedId("22222222", 2), kP3 = PrefixedId("33333333", 3),
                  kP4 = PrefixedId("44444444", 4), kP5 = PrefixedId("55555555", 5);
const std::string kCase1 = PrefixedId("c1c1c1c1", 11), kCase2 = PrefixedId("c2c2c2c2", 12), kCase3 = PrefixedId("c3c3c3c3", 13);

std::string Value(const YearReport& r, const std::string& indicator, const std::string& unit) {
  for (const YearReportRow& row : r.rows) {
    if (row.indicator->name == indicator) return FormatIndicatorValue(row.by_unit.at(unit), "en");
  }
  return "(no indicator)";
}

// Two children of commune 01234 (district 148), a girl of a special group and a boy,
// and a girl of 01255 (district 152), recorded in March 2025; then January 2026.
void ThreeChildrenIn2025(YearWorld& w, TestDevice& a, TestDevice& x) {
  w.At("2025-03-01", {&a, &x});
  w.Profile(a, kP1, "01234", "female", "2015-05-01", "mong", "a");
  w.Profile(a, kP4, "01234", "male", "2016-02-01", "thai");
  w.Profile(x, kP3, "01255", "female", "2012-01-10", "tay");
  w.At("2026-01-05", {&a, &x});
}

}  // namespace

TEST_CASE("year report: the 2025 figures are the same after records are added and edited in 2026",
          "[year_report][web]") {
  YearWorld w;
  TestDevice a = w.Device("w-a");  // 01234
  TestDevice c = w.Device("w-c");  // 01237
  TestDevice x = w.Device("w-x");  // 01255, the other district
  w.At("2025-03-01", {&a, &c, &x});
  w.Profile(a, kP1, "01234", "female", "2015-05-01", "mong");
  w.Profile(c, kP2, "01237", "male", "2019-08-01", "kinh");
  w.Profile(x, kP3, "01255", "female", "2012-01-10", "tay", "a");
  w.Profile(a, kP4, "01234", "male", "2016-02-01", "thai");
  w.At("2025-06-10", {&a, &c, &x});
  w.Case(a, kCase1, "01234", kP1, "2025-06-10T09:00");
  w.Case(c, kCase2, "01237", kP1, "2025-06-10T15:00");  // the same child, reported in the next commune too

  w.At("2026-01-05", {&a, &c, &x});
  const YearReport before = w.Report("2025");
  const HttpResponse page_before = w.SignedIn("huyen").Get("/reports", {{"year", "2025"}});
  const HttpResponse province_before = w.SignedIn("tinh").Get("/reports", {{"year", "2025"}});
  REQUIRE(page_before.status == 200);
  CHECK(Value(before, "children_total", "148") == "3");
  CHECK(Value(before, "children_total", "17") == "4");
  CHECK(Value(before, "cases_reported", "148") == "1 (2 records)");  // one child, two reports
  CHECK(Value(before, "cases_open", "17") == "1 (2 records)");
  CHECK(Value(before, "special_a", "17") == "1 / 4 (25.0 %)");

  // 2026: a new child, a 2025 child's special group changed, a child leaving the
  // register, a 2025 case closed, a new case for a 2025 child.
  w.At("2026-02-01", {&a, &c, &x});
  w.Profile(a, kP5, "01234", "female", "2024-01-01", "kinh");
  w.Change(c, kP2, {{"special_circumstances", "a"}});
  w.Change(a, kP4, {{"register_status", "moved"}, {"register_left_date", "2026-01-20"}});
  w.Change(a, kCase1, {{"case_status", "closed"}, {"closed_date", "2026-01-25"}});
  w.Case(x, kCase3, "01255", kP3, "2026-02-01T08:00");

  const YearReport after = w.Report("2025");
  CHECK(Figures(after) == Figures(before));
  CHECK(Stable(w.SignedIn("huyen").Get("/reports", {{"year", "2025"}})) == Stable(page_before));
  CHECK(Stable(w.SignedIn("tinh").Get("/reports", {{"year", "2025"}})) == Stable(province_before));

  // The test can fail: 2026 sees the changes.
  const YearReport next = w.Report("2026");
  CHECK(Value(next, "children_total", "01234") == "2");  // P1 and P5; P4 left
  CHECK(Value(next, "special_a", "17") == "2 / 4 (50.0 %)");
  CHECK(Value(next, "cases_closed", "148") == "1");
  CHECK(Value(next, "cases_reported", "17") == "1");
}

TEST_CASE("year report: a child recorded offline in December and synced in January counts in December's year",
          "[year_report]") {
  YearWorld w;
  TestDevice a = w.Device("w-a");  // 01234
  w.At("2025-03-01", {&a});
  w.Profile(a, kP1, "01234", "female", "2015-05-01", "mong");
  // No signal from 20 December: the worker records a child and a special group on
  // another; the phone syncs on 5 January.
  a.clock_ms = NoonMs("2025-12-20");
  w.env.now_ms = NoonMs("2026-01-05");
  w.Profile(a, kP2, "01234", "male", "2019-08-01", "kinh");
  w.Change(a, kP1, {{"special_circumstances", "a"}});
  const YearReport year = w.Report("2025");
  CHECK(Value(year, "children_total", "01234") == "2");
  CHECK(Value(year, "special_a", "01234") == "1 / 2 (50.0 %)");
  // The page, from the dashboard's index, agrees.
  const HttpResponse page = w.SignedIn("huyen").Get("/reports", {{"year", "2025"}, {"unit", "01234"}});
  REQUIRE(page.status == 200);
  CHECK(page.body.find("1 / 2 (50,0 %)") != std::string::npos);
}

TEST_CASE("reports page: a province sees its districts and drills down to a district's communes",
          "[year_report][web]") {
  YearWorld w;
  TestDevice a = w.Device("w-a");
  TestDevice x = w.Device("w-x");
  ThreeChildrenIn2025(w, a, x);

  WebClient province = w.SignedIn("tinh");
  HttpResponse r = province.Get("/reports", {{"year", "2025"}});
  REQUIRE(r.status == 200);
  const size_t row = r.body.find("data-indicator=\"children_total\"");
  REQUIRE(row != std::string::npos);
  const std::string tr = r.body.substr(row, r.body.find("</tr>", row) - row);
  CHECK(tr.find("data-area=\"148\">2<") != std::string::npos);
  CHECK(tr.find("data-area=\"152\">1<") != std::string::npos);
  CHECK(tr.find("data-area=\"total\">3<") != std::string::npos);
  CHECK(tr.find("data-area=\"01234\"") == std::string::npos);  // communes only after the drill-down
  CHECK(r.body.find("href=\"/reports?unit=148&amp;year=2025\"") != std::string::npos);
  // Breakdowns of the province, rates against its children on the register.
  CHECK(r.body.find("data-breakdown=\"sex\"") != std::string::npos);
  CHECK(r.body.find("data-breakdown=\"age_band\"") != std::string::npos);
  CHECK(r.body.find("data-breakdown=\"ethnicity\"") != std::string::npos);
  CHECK(r.body.find("data-population=\"17\">3<") != std::string::npos);
  CHECK(tr.find("<td class=\"rate\">1000,0<") != std::string::npos);
  // The print layout: unit of measure, the unit and period, signatures.
  CHECK(r.body.find("Đơn vị tính: trẻ em") != std::string::npos);
  CHECK(r.body.find("Người lập biểu") != std::string::npos);
  CHECK(r.body.find("Thủ trưởng đơn vị") != std::string::npos);
  CHECK(r.body.find("ngày …… tháng …… năm ……") != std::string::npos);
  // A share's chart is drawn against 100 %, its value in a column of its own.
  CHECK(r.body.find("data-scale=\"100%\"") != std::string::npos);

  HttpResponse drill = province.Get("/reports", {{"year", "2025"}, {"unit", "148"}});
  REQUIRE(drill.status == 200);
  const size_t drow = drill.body.find("data-indicator=\"children_total\"");
  const std::string dtr = drill.body.substr(drow, drill.body.find("</tr>", drow) - drow);
  CHECK(dtr.find("data-area=\"01234\">2<") != std::string::npos);
  CHECK(dtr.find("data-area=\"01237\">0<") != std::string::npos);
  CHECK(dtr.find("data-area=\"total\">2<") != std::string::npos);

  // A district sees its own communes, and no other district.
  WebClient district = w.SignedIn("huyen");
  CHECK(district.Get("/reports", {{"year", "2025"}, {"unit", "152"}}).status == 404);
  CHECK(district.Get("/reports", {{"year", "2025"}, {"unit", "17"}}).status == 404);
}

namespace {

// A download's bytes: a file is streamed after the handler, as the server sends it.
std::string Downloaded(const HttpResponse& r) {
  if (!r.stream) return r.body;
  std::string bytes;
  const bool whole = r.stream([&](std::string_view piece) {
    bytes += piece;
    return true;
  });
  return whole ? bytes : "(broken off)";
}

}  // namespace

TEST_CASE("reports page: the province's year downloads as CSV and as a workbook, with the page's figures",
          "[year_report][web]") {
  YearWorld w;
  TestDevice a = w.Device("w-a");
  TestDevice x = w.Device("w-x");
  ThreeChildrenIn2025(w, a, x);
  WebClient province = w.SignedIn("tinh");

  const HttpResponse csv = province.Get("/reports/file", {{"year", "2025"}, {"format", "csv"}});
  REQUIRE(csv.status == 200);
  CHECK(csv.content_type.find("text/csv") == 0);
  CHECK(csv.headers.at("Content-Disposition").find("bao-cao-tre-em-2025-17.csv") != std::string::npos);
  auto table = ParseCsv(Downloaded(csv));
  INFO(table.status().ToString());
  REQUIRE(table.ok());
  // Unit codes are written ="01234", so Excel keeps them as text with their zeros.
  std::map<std::string, std::string> children_total;  // unit -> count, unbroken
  for (const CsvRow& row : table->rows) {
    if (row.cells[1] == "children_total" && row.cells[7].empty()) children_total[row.cells[5]] = row.cells[10];
  }
  CHECK(children_total["=\"17\""] == "3");
  CHECK(children_total["=\"148\""] == "2");
  CHECK(children_total["=\"152\""] == "1");
  CHECK(children_total["=\"01234\""] == "2");

  const HttpResponse xlsx = province.Get("/reports/file", {{"year", "2025"}, {"area", "148"}});
  REQUIRE(xlsx.status == 200);
  const std::string bytes = Downloaded(xlsx);
  REQUIRE(bytes.rfind("PK", 0) == 0);
  std::ofstream(w.dir.File("148.xlsx"), std::ios::binary) << bytes;
  auto book = sotay::testing::ReadXlsxCells(w.dir.File("148.xlsx"));
  REQUIRE(book.count("Báo cáo") == 1);
  bool district_named = false, commune_column = false;
  for (const auto& [ref, cell] : book["Báo cáo"]) {
    district_named |= cell.text == "Đơn vị báo cáo: Huyện Mai Châu";
    commune_column |= cell.text == "Xã Vạn Mai";
  }
  CHECK(district_named);
  CHECK(commune_column);

  // A district downloads its own area only; a year must be a year.
  WebClient district = w.SignedIn("huyen");
  CHECK(district.Get("/reports/file", {{"year", "2025"}, {"area", "152"}}).status == 404);
  CHECK(district.Get("/reports/file", {{"year", "25"}}).status == 400);
  CHECK(district.Get("/reports/file", {{"year", "2025"}, {"format", "csv"}}).status == 200);
}

namespace {

// The province's children_total for `unit` on a /reports page.
std::string ChildrenTotal(const HttpResponse& r, const std::string& unit) {
  const size_t row = r.body.find("data-indicator=\"children_total\"");
  if (row == std::string::npos) return "(no row)";
  const std::string tr = r.body.substr(row, r.body.find("</tr>", row) - row);
  const std::string cell = "data-area=\"" + unit + "\">";
  const size_t at = tr.find(cell);
  if (at == std::string::npos) return "(no cell)";
  return tr.substr(at + cell.size(), tr.find('<', at) - at - cell.size());
}

std::string ComputedAt(const HttpResponse& r) {
  const size_t at = r.body.find("Tính lúc ");
  return at == std::string::npos ? "(none)" : r.body.substr(at, r.body.find("</p>", at) - at);
}

}  // namespace

TEST_CASE("reports page: figures kept between views follow every change to the unit's records",
          "[year_report][web]") {
  YearWorld w;
  TestDevice a = w.Device("w-a");  // 01234, district 148
  TestDevice x = w.Device("w-x");  // 01255, district 152
  w.At("2026-03-01", {&a, &x});
  w.Profile(a, kP1, "01234", "female", "2015-05-01", "mong");
  w.Profile(x, kP3, "01255", "female", "2012-01-10", "tay");
  WebClient province = w.SignedIn("tinh");
  const HttpResponse first = province.Get("/reports", {{"year", "2026"}});
  REQUIRE(first.status == 200);
  CHECK(ChildrenTotal(first, "148") == "1");

  // Nothing changed: the page shows what it computed, and says when.
  w.At("2026-03-01", {&a, &x});
  w.env.now_ms += 5 * 60 * 1000;
  const HttpResponse again = province.Get("/reports", {{"year", "2026"}});
  CHECK(Stable(again) == Stable(first));
  CHECK(ComputedAt(again) == ComputedAt(first));

  // A new child in district 148: its figure, the province's total.
  w.Profile(a, kP4, "01234", "male", "2016-02-01", "thai");
  HttpResponse now = province.Get("/reports", {{"year", "2026"}});
  CHECK(ChildrenTotal(now, "148") == "2");
  CHECK(ChildrenTotal(now, "total") == "3");
  CHECK(ComputedAt(now) != ComputedAt(first));

  // A changed answer (a child leaves the register) is an edit, not a new record.
  w.Change(a, kP4, {{"register_status", "moved"}, {"register_left_date", "2026-03-01"}});
  now = province.Get("/reports", {{"year", "2026"}});
  CHECK(ChildrenTotal(now, "148") == "1");

  // A child moved to the other district leaves 148's figures and joins 152's.
  w.Change(a, kP1, {{"_area", "01255"}});
  now = province.Get("/reports", {{"year", "2026"}});
  CHECK(ChildrenTotal(now, "148") == "0");
  CHECK(ChildrenTotal(now, "152") == "2");
  WebClient huyen = w.SignedIn("huyen");
  const HttpResponse district = huyen.Get("/reports", {{"year", "2026"}});
  CHECK(ChildrenTotal(district, "total") == "0");

  // A child recorded in the other district changes nothing of this one's: its
  // figures stand as computed.
  w.env.now_ms += 5 * 60 * 1000;
  x.clock_ms = w.env.now_ms;
  w.Profile(x, kP5, "01255", "male", "2020-02-01", "kinh");
  const HttpResponse district_again = huyen.Get("/reports", {{"year", "2026"}});
  CHECK(ComputedAt(district_again) == ComputedAt(district));
  CHECK(ChildrenTotal(province.Get("/reports", {{"year", "2026"}}), "152") == "3");
}
