// The yearly report's workbook, read back by an independent reader: what a district
// officer finds when the file opens in Excel, and what the province's program gets
// from the CSV. The figures here are given by hand, so the test is of the writing;
// year_report_cli_test.cc makes them from a real store.
#include <catch2/catch.hpp>

#include <fstream>

#include "admin/report_workbook.h"
#include "sotay/csv.h"
#include "sotay/expr.h"
#include "support/temp_dir.h"
#include "support/xlsx_cells.h"
#include "support/pack_forms.h"

using namespace sotay;
using namespace sotay::server;

namespace {

Form Profile() { return sotay::testing::PackForm("child_profile"); }

IndicatorValue Count(int64_t n) {
  IndicatorValue v;
  v.count = n;
  return v;
}

IndicatorValue Share(int64_t n, int64_t of) {
  IndicatorValue v;
  v.count = n;
  v.of = of;
  return v;
}

// District 148 with two communes; 7 and 5 children, 3 and 1 of them poor.
YearReport District(const Form& form) {
  YearReport r;
  r.period.from_day = *ParseIsoDate("2025-01-01");
  r.period.to_day = *ParseIsoDate("2025-12-31");
  r.as_of_day = *r.period.to_day;
  r.units = {{"148", "Huyện Mai Sơn", "", "district"},
             {"01234", "Xã Chiềng Châu", "148", "commune"},
             {"01235", "Xã Nà Bó", "148", "commune"}};
  r.child_population = {{"148", 12}, {"01234", 7}, {"01235", 5}};
  Breakdown sex;
  sex.name = "sex";
  sex.label.by_lang = {{"vi", "giới tính"}, {"en", "sex"}};
  Breakdown::Category female{"female", "", {}}, male{"male", "", {}}, unknown{"unknown", "", {}};
  female.label.by_lang = {{"vi", "Nữ"}, {"en", "Female"}};
  male.label.by_lang = {{"vi", "Nam"}, {"en", "Male"}};
  unknown.label.by_lang = {{"vi", "Không rõ"}, {"en", "Unknown"}};
  sex.categories = {female, male, unknown};
  r.breakdowns = {sex};
  YearReportRow total;
  total.form = form.id;
  total.indicator = form.FindIndicator("children_total");
  REQUIRE(total.indicator != nullptr);
  total.by_unit = {{"148", Count(12)}, {"01234", Count(7)}, {"01235", Count(5)}};
  // By category in the breakdown's order: female, male, unknown.
  total.breakdowns["sex"]["148"] = {Count(8), Count(4), Count(0)};
  total.breakdowns["sex"]["01234"] = {Count(5), Count(2), Count(0)};
  total.breakdowns["sex"]["01235"] = {Count(3), Count(2), Count(0)};
  total.rate_per_1000 = {{"148", 1000.0}, {"01234", 1000.0}, {"01235", 1000.0}};
  YearReportRow poor;
  poor.form = form.id;
  poor.indicator = form.FindIndicator("poor_or_near_poor");
  REQUIRE(poor.indicator != nullptr);
  REQUIRE(poor.indicator->of == "children_total");
  poor.by_unit = {{"148", Share(4, 12)}, {"01234", Share(3, 7)}, {"01235", Share(1, 5)}};
  r.rows = {total, poor};
  return r;
}

std::string Find(const std::map<std::string, sotay::testing::XlsxCell>& sheet, const std::string& text) {
  for (const auto& [ref, cell] : sheet) {
    if (!cell.number && cell.text.find(text) != std::string::npos) return ref;
  }
  return "";
}

// "B7" -> the same row, column `col` ("D").
std::string At(const std::string& ref, const std::string& col) {
  size_t i = 0;
  while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i]))) ++i;
  return col + ref.substr(i);
}

}  // namespace

TEST_CASE("report workbook: the printed sheet has the communes, the district's total, the share and a signature block",
          "[report]") {
  const Form form = Profile();
  const YearReport report = District(form);
  ReportWorkbookInfo info;
  info.prepared_by = "huyen";
  info.prepared_at_ms = 1767225600000;  // 2026-01-01T00:00Z
  info.utc_offset_ms = 7 * 3600 * 1000;
  info.audit_head = "ab12cd34";
  info.audit_entries = 42;
  auto file = YearReportXlsx(report, {&form}, info);
  INFO(file.status().ToString());
  REQUIRE(file.ok());
  auto book = sotay::testing::ReadXlsxCells((*file)->path());
  REQUIRE(book.count("Báo cáo") == 1);
  const auto& sheet = book["Báo cáo"];
  CHECK_FALSE(Find(sheet, "năm 2025").empty());
  CHECK_FALSE(Find(sheet, "Huyện Mai Sơn").empty());
  CHECK_FALSE(Find(sheet, "NGƯỜI LẬP BIỂU").empty());
  CHECK_FALSE(Find(sheet, "THỦ TRƯỞNG ĐƠN VỊ").empty());
  // Columns: STT, indicator, unit of measure, the two communes, the district's total.
  const std::string head = Find(sheet, "Xã Chiềng Châu");
  REQUIRE(head == At(head, "D"));
  CHECK(sheet.at(At(head, "E")).text == "Xã Nà Bó");
  CHECK(sheet.at(At(head, "F")).text.find("Tổng cộng") == 0);
  const std::string total = Find(sheet, "Số trẻ em trong sổ theo dõi");
  REQUIRE_FALSE(total.empty());
  CHECK(sheet.at(At(total, "C")).text == "trẻ em");
  CHECK(sheet.at(At(total, "D")).value == 7);
  CHECK(sheet.at(At(total, "E")).value == 5);
  CHECK(sheet.at(At(total, "F")).value == 12);  // the subtotal as given, never summed here
  // A share: its count, then its percentage on the row below, as a fraction Excel formats.
  const std::string poor = Find(sheet, "hộ nghèo, hộ cận nghèo");
  REQUIRE_FALSE(poor.empty());
  CHECK(sheet.at(At(poor, "F")).value == 4);
  const std::string pct = "F" + std::to_string(std::stoi(poor.substr(1)) + 1);
  CHECK(sheet.at(pct).value == Approx(4.0 / 12.0));

  // The other sheets: every unit, the breakdown, the flat data, the definitions, the facts.
  REQUIRE(book.count("Theo đơn vị") == 1);
  REQUIRE(book.count("Theo giới tính") == 1);
  REQUIRE(book.count("Số liệu") == 1);
  REQUIRE(book.count("Định nghĩa") == 1);
  REQUIRE(book.count("Thông tin") == 1);
  const auto& about = book["Thông tin"];
  CHECK(about.at(At(Find(about, "Mã băm"), "B")).text == "ab12cd34");
  CHECK(about.at(At(Find(about, "Người lập"), "B")).text == "huyen");
  const auto& by_sex = book["Theo giới tính"];
  CHECK(by_sex.at("B1").text == "Chỉ số");
  CHECK(by_sex.at("C1").text == "Nữ");
  CHECK(by_sex.at("C2").value == 8);  // the district first, its girls
  // Codes stay text, so Excel keeps the leading zero.
  const auto& data = book["Số liệu"];
  bool commune_code_as_text = false;
  for (const auto& [ref, cell] : data) commune_code_as_text |= !cell.number && cell.text == "01234";
  CHECK(commune_code_as_text);
}

TEST_CASE("report workbook: the CSV has one row per indicator, unit and category, with the header a program maps",
          "[report]") {
  const Form form = Profile();
  const YearReport report = District(form);
  ReportWorkbookInfo info;
  std::string csv;
  REQUIRE(WriteYearReportCsv(report, {&form}, info, /*semicolon=*/true, [&](std::string_view bytes) {
            csv += bytes;
            return true;
          }).ok());
  REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);
  auto table = ParseCsv(csv);
  INFO(table.status().ToString());
  REQUIRE(table.ok());
  CHECK(table->delimiter == ';');
  // children_total: 3 units x (1 + 3 sex categories); the share: 3 units, no breakdown.
  CHECK(table->rows.size() == 3 * 4 + 3);
  size_t percent = 0, unit = 0, count = 0;
  for (size_t i = 0; i < table->header.size(); ++i) {
    if (table->header[i].find("(percent)") != std::string::npos) percent = i;
    if (table->header[i].find("(unit_code)") != std::string::npos) unit = i;
    if (table->header[i].find("(count)") != std::string::npos) count = i;
  }
  bool seen = false;
  for (const CsvRow& row : table->rows) {
    if (row.cells[1] == "poor_or_near_poor" && row.cells[unit].find("148") != std::string::npos) {
      CHECK(row.cells[count] == "4");
      CHECK(row.cells[percent] == "33,3");  // the decimal comma of a Vietnamese Excel
      seen = true;
    }
  }
  CHECK(seen);
}

TEST_CASE("report workbook: a province's flat table goes out in pieces, and a reader gone stops it", "[report]") {
  const Form form = Profile();
  YearReport report = District(form);
  // 2,000 communes: about 10,000 lines, several pieces of the CSV.
  for (int i = 0; i < 2000; ++i) {
    const std::string code = "9" + std::to_string(10000 + i);
    report.units.push_back({code, "Xã số " + std::to_string(i), "148", "commune"});
    report.rows[0].by_unit[code] = Count(i);
  }
  ReportWorkbookInfo info;
  std::vector<std::string> pieces;
  REQUIRE(WriteYearReportCsv(report, {&form}, info, /*semicolon=*/false, [&](std::string_view bytes) {
            pieces.emplace_back(bytes);
            return true;
          }).ok());
  CHECK(pieces.size() > 3);
  std::string whole;
  for (const std::string& p : pieces) {
    CHECK(p.size() <= 80 * 1024);  // never the whole table in one write
    whole += p;
  }
  auto table = ParseCsv(whole);
  REQUIRE(table.ok());
  // children_total over 2,003 units with 3 sex categories each, and the share's 2,003 lines.
  CHECK(table->rows.size() == 2003 * 4 + 2003);
  bool last_commune = false;
  for (const CsvRow& row : table->rows) {
    last_commune |= row.cells[5].find("911999") != std::string::npos && row.cells[7].empty() &&
                    row.cells[1] == "children_total" && row.cells[10] == "1999";
  }
  CHECK(last_commune);

  size_t writes = 0;
  const Status stopped = WriteYearReportCsv(report, {&form}, info, false, [&](std::string_view) { return ++writes < 2; });
  CHECK(stopped.code() == Status::Code::kFailedPrecondition);
  CHECK(writes == 2);  // nothing written after the reader went away

  // The workbook of the same report: every line in its data sheet, read back.
  auto file = YearReportXlsx(report, {&form}, info);
  REQUIRE(file.ok());
  auto book = sotay::testing::ReadXlsxCells((*file)->path());
  REQUIRE(book.count("Số liệu") == 1);
  size_t data_rows = 0;
  for (const auto& [ref, cell] : book["Số liệu"]) data_rows += ref.rfind("A", 0) == 0 && ref != "A1";
  CHECK(data_rows == table->rows.size());
  const std::string path = (*file)->path();
  file = Status::NotFound("dropped");
  CHECK_FALSE(std::ifstream(path).good());  // the temporary file went with its last owner
}
