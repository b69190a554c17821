// Codes and phone numbers in a CSV for Excel (issue 15): a text cell of digits only
// is written ="01234", so Excel shows 01234 (not 1234) and a 12-digit personal
// number in full (not 1.2E+11); numbers and other text are written as before.
#include <catch2/catch.hpp>

#include "admin/export_table.h"
#include "sotay/csv.h"

using namespace sotay;
using namespace sotay::server;

TEST_CASE("export: digits in a text column stay text in Excel, numbers stay numbers", "[export]") {
  ExportTable t;
  t.columns = {{"code", ExportColumn::Kind::kText}, {"phone", ExportColumn::Kind::kText},
               {"n", ExportColumn::Kind::kInteger}, {"note", ExportColumn::Kind::kText}};
  t.rows = {{"01234", "0912345678", "012", "Bản 3"}, {"001215012345", "+84912345678", "7", "12 a"}};
  ExportOptions o;
  const std::string csv = ToCsv(t, o);
  CHECK(csv.find("\"=\"\"01234\"\"\",\"=\"\"0912345678\"\"\",012,Bản 3\r\n") != std::string::npos);
  auto parsed = ParseCsv(csv);
  REQUIRE(parsed.ok());
  CHECK(parsed->rows[1].cells[0] == "=\"001215012345\"");
  CHECK(parsed->rows[1].cells[1] == "'+84912345678");  // a leading + is defused as before: Excel shows the text
  CHECK(parsed->rows[1].cells[2] == "7");
  CHECK(parsed->rows[1].cells[3] == "12 a");
  // The header row is never touched, and a semicolon CSV writes the same cells.
  o.semicolon = true;
  CHECK(ToCsv(t, o).find("\"=\"\"01234\"\"\";") != std::string::npos);
}
