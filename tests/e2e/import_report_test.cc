// `sotay import` of a commune's Excel list and `sotay report` over what was imported.
#include <catch2/catch.hpp>

#include <sstream>

#include "shell_runner.h"

using sotay::testing::Run;
using sotay::testing::Shell;

namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

size_t Lines(const std::string& text, const std::string& part) {
  size_t n = 0;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) n += Has(line, part);
  return n;
}

}  // namespace

TEST_CASE("import: a few thousand children with bad rows creates exactly the good ones", "[shell][import]") {
  Shell sh;
  REQUIRE(sh({"init", "--area", "01234"}).code == 0);
  const char* family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vàng", "Lò", "Sùng"};
  std::ostringstream csv;
  csv << "\xEF\xBB\xBF"  // Excel's "CSV UTF-8" starts with a byte-order mark
      << "Họ và tên của trẻ;Giới tính;Ngày sinh;Dân tộc;Trẻ đã được đăng ký khai sinh chưa?;"
         "Thôn, bản, tổ dân phố;living_with;caregiver_name;household_poverty;in_school;school_level;"
         "health_insurance;disability\r\n";
  const int rows = 3000;
  std::vector<int> bad_lines;
  for (int i = 0; i < rows; ++i) {
    const int line = i + 2;
    std::string dob = "2014-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10);
    std::string poverty = "neither";
    if (i % 500 == 7) {
      dob = "2031-01-01";  // in the future
      bad_lines.push_back(line);
    } else if (i % 500 == 300) {
      poverty = "giàu";  // not one of the choices
      bad_lines.push_back(line);
    }
    csv << family[i % 8] << " Thị Mục " << i << ";Nữ;" << dob << ";Kinh;" << (i % 10 == 0 ? "Không" : "Có")
        << ";Bản " << (i % 7) << ";both_parents;Người chăm sóc " << i << ";" << poverty << ";yes;"
        << "Tiểu học;yes;no\r\n";
  }
  std::string file = sh.Write("danh_sach.csv", csv.str());
  Run r = sh({"import", "child_profile", file});
  INFO(r.err.substr(0, 2000));
  CHECK(r.code == 4);  // some rows refused
  CHECK(Has(r.out, "Đã nhập " + std::to_string(rows - bad_lines.size()) + " hồ sơ; " +
                       std::to_string(bad_lines.size()) + " dòng bị từ chối"));
  for (int line : bad_lines) CHECK(Has(r.err, file + ":" + std::to_string(line) + ": trường '"));
  CHECK(Lines(r.err, file + ":") == bad_lines.size());
  CHECK(Has(r.err, "'dob' (Ngày sinh): Ngày sinh không được ở tương lai"));
  CHECK(Has(r.err, file + ":302: trường 'household_poverty'"));

  Run list = sh({"list", "--find", "muc 2999"});
  CHECK(Has(list.out, "Sùng Thị Mục 2999"));
  Run status = sh({"status"});
  CHECK(Has(status.out, "Hồ sơ: " + std::to_string(rows - bad_lines.size())));

  // A file with an unknown column imports nothing.
  std::string wrong = sh.Write("sai.csv", "full_name,số nhà\nA B,12\n");
  Run refused = sh({"import", "child_profile", wrong});
  CHECK(refused.code == 4);
  CHECK(Has(refused.err, "column 2 'số nhà' is not a field"));
  CHECK(Has(sh({"status"}).out, "Hồ sơ: " + std::to_string(rows - bad_lines.size())));
}

TEST_CASE("report: the indicators count the device's records", "[shell][report]") {
  Shell sh;
  REQUIRE(sh({"init", "--area", "01234"}).code == 0);
  std::string csv =
      "full_name,sex,dob,ethnicity,birth_registered,village,living_with,caregiver_name,"
      "household_poverty,in_school,school_level,dropout_reason,health_insurance,disability,disability_type,"
      "special_circumstances\n"
      "Lò Thị A,female,2015-01-01,thai,no,Bản 1,relatives,Lò Văn B,poor,yes,primary,,yes,no,,b\n"
      "Lò Văn C,male,2013-01-01,thai,yes,Bản 1,relatives,Lò Văn B,poor,no,,work,yes,yes,mobility,d h\n"
      "Vàng A D,male,2012-01-01,mong,yes,Bản 2,both_parents,Vàng A E,near_poor,yes,lower_secondary,,no,no,,\n"
      "Hà Thị F,female,2016-06-01,tay,no,Bản 3,one_parent,Hà Văn G,neither,yes,primary,,yes,no,,\n";
  REQUIRE(sh({"import", "child_profile", sh.Write("four.csv", csv)}).code == 0);
  Run r = sh({"--lang", "en", "report", "--form", "child_profile"});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  // Counted by hand from the four rows above.
  CHECK(Has(r.out, "  Children on the register: 4\n"));
  CHECK(Has(r.out, "  Group b) abandoned: 1 / 4 (25.0 %)\n"));
  CHECK(Has(r.out, "  Group d) with a disability: 1 / 4 (25.0 %)\n"));
  CHECK(Has(r.out, "  Group a) orphaned of both parents: 0 / 4 (0.0 %)\n"));
  CHECK(Has(r.out, "  Children without birth registration: 2 / 4 (50.0 %)\n"));
  CHECK(Has(r.out, "  Children with a disability: 1 / 4 (25.0 %)\n"));
  CHECK(Has(r.out, "  Children in poor or near-poor households: 3 / 4 (75.0 %)\n"));
  CHECK(Has(r.out, "  Children aged 6 to 15 out of school: 1 / 4 (25.0 %)\n"));
  Run vi = sh({"report", "--form", "child_profile"});
  CHECK(Has(vi.out, "(25,0 %)"));  // the Vietnamese decimal comma
}
