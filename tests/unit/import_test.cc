// CSV from Excel and the import plan: every good row mapped, every bad row named.
#include <catch2/catch.hpp>

#include "sotay/csv.h"
#include "sotay/import.h"
#include "support/pack_forms.h"

using namespace sotay;

namespace {

const Form& ChildProfile() { return sotay::testing::PackForm("child_profile"); }

CheckEnv Today() { return sotay::testing::CheckDay("2026-11-22"); }

}  // namespace

TEST_CASE("csv: Excel's quoting, BOM, CRLF and the semicolon of a Vietnamese locale", "[csv]") {
  auto t = ParseCsv("\xEF\xBB\xBFhọ tên;ghi chú\r\n\"Nguyễn Văn A\";\"nói \"\"xin chào\"\"; rồi đi\"\r\n\r\nLê B;\"hai\ndòng\"\r\nTrần C;cuối");
  REQUIRE(t.ok());
  CHECK(t->delimiter == ';');
  CHECK(t->header == std::vector<std::string>{"họ tên", "ghi chú"});
  REQUIRE(t->rows.size() == 3);
  CHECK(t->rows[0].cells[1] == "nói \"xin chào\"; rồi đi");
  CHECK(t->rows[0].line == 2);
  CHECK(t->rows[1].cells[1] == "hai\ndòng");
  CHECK(t->rows[1].line == 4);
  CHECK(t->rows[2].line == 6);  // line numbers count the embedded newline
}

TEST_CASE("csv: an unclosed quote and text that is not UTF-8 name their line", "[csv]") {
  CHECK(ParseCsv("a,b\n1,2\n3,\"oops\n").status().message() == "line 3: a quoted cell is never closed");
  CHECK(ParseCsv("a,b\n1,2\n\xC3\x28,x\n").status().message().find("line 3: the text is not UTF-8") == 0);
  CHECK(ParseCsv("\n\n").status().message() == "the file has no header line");
}

TEST_CASE("import: columns by Vietnamese label, choices by label, dates the Vietnamese way", "[import]") {
  std::string csv =
      "Họ và tên của trẻ,Giới tính,Ngày sinh,Dân tộc,birth_registered,Thôn, bản, tổ dân phố,"
      "living_with,caregiver_name,household_poverty,in_school,school_level,health_insurance,disability,"
      "special_circumstances\n";
  // "Thôn, bản, tổ dân phố" has commas: Excel quotes such a header.
  csv = "Họ và tên của trẻ,Giới tính,Ngày sinh,Dân tộc,birth_registered,\"Thôn, bản, tổ dân phố\","
        "living_with,caregiver_name,household_poverty,in_school,school_level,health_insurance,disability,"
        "special_circumstances\n"
        "Nguyễn Thị Ánh,Nữ,21/03/2015,tày,yes,Bản Phố,relatives,Vừ Thị Mai,Hộ nghèo,yes,Tiểu học,yes,no,"
        "\"b) Trẻ em bị bỏ rơi; k\"\n"
        "Lò Văn Páo,nam,2030-01-01,Thái,yes,Bản Phố,relatives,Lò Văn Sinh,poor,yes,primary,yes,no,\n"
        "Sùng A Dế,Nam,2014-05-05,Mông,no,Bản Dền,both_parents,Sùng A Tủa,nearly,no,,yes,no,\n";
  auto plan = PlanCsvImport(ChildProfile(), csv, Today());
  REQUIRE(plan.ok());
  REQUIRE(plan->size() == 3);
  const ImportRow& good = (*plan)[0];
  INFO((good.issues.empty() ? "" : good.issues[0].field + ": " + good.issues[0].message));
  REQUIRE(good.issues.empty());
  CHECK(good.answers.at("sex") == "female");
  CHECK(good.answers.at("dob") == "2015-03-21");
  CHECK(good.answers.at("ethnicity") == "tay");
  CHECK(good.answers.at("household_poverty") == "poor");
  CHECK(good.answers.at("school_level") == "primary");
  CHECK(good.answers.at("special_circumstances") == "b k");
  CHECK(good.line == 2);

  const ImportRow& future = (*plan)[1];
  CHECK(future.line == 3);
  REQUIRE(future.issues.size() == 1);
  CHECK(future.issues[0].field == "dob");

  const ImportRow& several = (*plan)[2];
  std::vector<std::string> fields;
  for (const FieldIssue& i : several.issues) fields.push_back(i.field);
  CHECK(fields == std::vector<std::string>{"household_poverty", "dropout_reason"});
}

TEST_CASE("import: an unknown column stops the whole file before anything is read", "[import]") {
  auto plan = PlanCsvImport(ChildProfile(), "full_name,số nhà\nA B,12\n", Today());
  CHECK(plan.status().message() == "column 2 'số nhà' is not a field of form 'child_profile' (use a field name or its label)");
  auto twice = PlanCsvImport(ChildProfile(), "full_name,Họ và tên của trẻ\n", Today());
  CHECK(twice.status().message() == "columns 1 and 2 are both field 'full_name'");
}

TEST_CASE("import: JSON Lines, one object a line, bad lines named", "[import]") {
  std::string jsonl =
      R"({"full_name": "Hà Thị Lan", "sex": "female", "dob": "2016-01-02", "ethnicity": "kinh", "birth_registered": "yes", "village": "Xóm 1", "living_with": "one_parent", "caregiver_name": "Hà Văn Tư", "household_poverty": "neither", "in_school": "yes", "school_level": "primary", "health_insurance": "yes", "disability": "yes", "disability_type": ["mobility", "vision"], "special_circumstances": ["d"]})"
      "\n\nnot json\n";
  auto plan = PlanJsonLinesImport(ChildProfile(), jsonl, Today());
  REQUIRE(plan.ok());
  REQUIRE(plan->size() == 2);
  CHECK((*plan)[0].issues.empty());
  CHECK((*plan)[0].answers.at("special_circumstances") == "d");
  CHECK((*plan)[0].answers.at("disability_type") == "mobility vision");
  CHECK((*plan)[1].line == 3);
  CHECK((*plan)[1].issues.size() == 1);
}
