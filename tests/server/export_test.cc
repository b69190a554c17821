// Export for Excel: what a district officer sees when the file opens, and what a
// program reading it back gets.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "admin/export_table.h"
#include "sotay/csv.h"
#include "support/temp_dir.h"
#include "support/pack_forms.h"

using namespace sotay;
using namespace sotay::server;

namespace {

Form ChildProfile() { return sotay::testing::PackForm("child_profile"); }

ExportRecord Child(const std::string& id, const std::string& name, const std::string& sex) {
  ExportRecord r;
  r.id = id;
  r.area_code = "01234";
  r.area_name = "Xã Chiềng Châu";
  r.created_ms = 1748736000000;  // 2025-06-01T00:00Z = 07:00 in Vietnam
  r.updated_ms = 1748739600000;
  r.answers = {{"full_name", name}, {"sex", sex}, {"dob", "2015-03-09"}, {"special_circumstances", "a d"}};
  return r;
}

size_t Column(const CsvTable& t, const std::string& name) {
  for (size_t i = 0; i < t.header.size(); ++i) {
    if (t.header[i].find("(" + name + ")") != std::string::npos) return i;
  }
  FAIL("no column " << name);
  return 0;
}

}  // namespace

TEST_CASE("export: CSV opens in Excel with Vietnamese intact and reads back cell for cell", "[export]") {
  const Form form = ChildProfile();
  std::vector<ExportRecord> records = {Child("r1", "Nguyễn Thị Ánh", "female"),
                                       Child("r2", "Lò Văn \"Páo\", con ông Sử\nbản Mới", "male")};
  records[1].is_void = true;
  ExportOptions o;
  o.utc_offset_ms = 7 * 3600 * 1000;
  const std::string csv = ToCsv(BuildExportTable(form, records, o), o);
  REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);  // the byte-order mark Excel needs for UTF-8
  CHECK(csv.find("\r\n") != std::string::npos);

  auto parsed = ParseCsv(csv);
  INFO(parsed.status().ToString());
  REQUIRE(parsed.ok());
  REQUIRE(parsed->rows.size() == 2);
  CHECK(parsed->header[Column(*parsed, "full_name")] == "Họ và tên của trẻ (full_name)");
  const auto& first = parsed->rows[0].cells;
  const auto& second = parsed->rows[1].cells;
  CHECK(first[Column(*parsed, "full_name")] == "Nguyễn Thị Ánh");
  CHECK(second[Column(*parsed, "full_name")] == "Lò Văn \"Páo\", con ông Sử\nbản Mới");
  CHECK(first[Column(*parsed, "sex")] == "Nữ");
  CHECK(first[Column(*parsed, "special_circumstances")] ==
        "a) Trẻ em mồ côi cả cha và mẹ; d) Trẻ em khuyết tật");
  CHECK(first[Column(*parsed, "dob")] == "2015-03-09");
  CHECK(first[Column(*parsed, "created")] == "2025-06-01 07:00");
  CHECK(first[Column(*parsed, "commune")] == "Xã Chiềng Châu");
  CHECK(first[Column(*parsed, "status")] == "đang dùng");
  CHECK(second[Column(*parsed, "status")] == "đã hủy");

  // Codes on request, headers in English on request.
  o.choice_labels = false;
  o.lang = "en";
  auto coded = ParseCsv(ToCsv(BuildExportTable(form, records, o), o));
  REQUIRE(coded.ok());
  CHECK(coded->rows[0].cells[Column(*coded, "sex")] == "female");
  CHECK(coded->rows[0].cells[Column(*coded, "special_circumstances")] == "a d");
  CHECK(coded->header[Column(*coded, "full_name")] == "Child's full name (full_name)");
}

TEST_CASE("export: a text answer that Excel would run as a formula is defused, numbers are not", "[export]") {
  Form form;
  auto loaded = LoadForm(R"({"form": "f", "version": 1, "title": {"vi": "F", "en": "F"}, "fields": [
      {"type": "text", "name": "note", "label": {"vi": "Ghi chú", "en": "Note"}},
      {"type": "integer", "name": "n", "label": {"vi": "Số", "en": "Number"}},
      {"type": "decimal", "name": "x", "label": {"vi": "Số thập phân", "en": "Decimal"}}]})",
                         "test");
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  form = std::move(loaded).value();
  ExportRecord r;
  r.id = "r1";
  r.answers = {{"note", "=HYPERLINK(\"http://evil\",\"x\")"}, {"n", "-3"}, {"x", "-2.5"}};
  ExportOptions o;
  auto t = ParseCsv(ToCsv(BuildExportTable(form, {r}, o), o));
  REQUIRE(t.ok());
  CHECK(t->rows[0].cells[Column(*t, "note")] == "'=HYPERLINK(\"http://evil\",\"x\")");
  CHECK(t->rows[0].cells[Column(*t, "n")] == "-3");
  CHECK(t->rows[0].cells[Column(*t, "x")] == "-2.5");
  for (const char* start : {"+1", "-x", "@SUM(A1)", "\tcmd"}) {
    r.answers["note"] = start;
    auto u = ParseCsv(ToCsv(BuildExportTable(form, {r}, o), o));
    REQUIRE(u.ok());
    CHECK(u->rows[0].cells[Column(*u, "note")] == std::string("'") + start);
  }
  // Excel in Vietnamese regional settings: ';' between cells, ',' in decimals.
  o.semicolon = true;
  r.answers["note"] = "a; b";
  const std::string semi = ToCsv(BuildExportTable(form, {r}, o), o);
  auto s = ParseCsv(semi);
  REQUIRE(s.ok());
  CHECK(s->delimiter == ';');
  CHECK(s->rows[0].cells[Column(*s, "x")] == "-2,5");
  CHECK(s->rows[0].cells[Column(*s, "note")] == "a; b");
}

TEST_CASE("export: XLSX is a workbook Excel opens, with the Vietnamese text inside", "[export]") {
  // Cells are written inline (constant-memory mode), so the text is in the sheet.
  const Form form = ChildProfile();
  ExportOptions o;
  auto bytes = ToXlsx(BuildExportTable(form, {Child("r1", "Nguyễn Thị Ánh", "female")}, o), "child_profile");
  INFO(bytes.status().ToString());
  REQUIRE(bytes.ok());
  REQUIRE(bytes->rfind("PK\x03\x04", 0) == 0);  // a zip file
  sotay::testing::TempDir dir;
  const std::string path = dir.File("out.xlsx");
  std::ofstream(path, std::ios::binary) << *bytes;
  // Unzipped with Python's standard library, as an independent reader.
  const std::string cmd = "python3 -c \"import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); "
                          "n=z.namelist(); s=z.read('xl/worksheets/sheet1.xml').decode('utf-8'); "
                          "w=z.read('xl/workbook.xml').decode('utf-8'); "
                          "print('sheet' if 'xl/worksheets/sheet1.xml' in n else 'nosheet'); "
                          "print('name' if 'Nguyễn Thị Ánh' in s else 'noname'); "
                          "print('label' if 'Nữ' in s else 'nolabel'); "
                          "print('title' if 'child_profile' in w else 'notitle')\" " + path;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string out;
  char buf[256];
  while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
  REQUIRE(pclose(p) == 0);
  CHECK(out == "sheet\nname\nlabel\ntitle\n");
}
