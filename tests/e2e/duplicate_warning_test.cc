// A child saved twice (issue 14, duplicates on the device) through the real `sotay`
// binary: saving or importing a profile that resembles one in the notebook names the
// record and the reason, and goes ahead only when the worker says so.
#include <catch2/catch.hpp>

#include <string>

#include "shell_runner.h"

using sotay::testing::Run;
using sotay::testing::Shell;

namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const char kNumber[] = "001215012345";  // a boy born in 2015, registered in Hà Nội

// Typed answers for a boy born 21/03/2015, one line each in the order the form asks;
// `number` "" skips the personal number.
std::string Typed(const std::string& name, const std::string& number) {
  return name + "\n"  // full_name
         "2\n"        // sex: male
         "21/03/2015\n"
         "1\n"        // ethnicity: Kinh
         "1\n"        // birth registered: yes
         + number + "\n"
         + sotay::testing::ProfileAnswersFromVillage();
}

// An answers file for the same boy, as another worker kept him.
std::string AnswersJson(const std::string& name, const std::string& number) {
  std::string json = R"({"full_name": ")" + name + R"(", "sex": "male", "dob": "2015-03-21",
      "ethnicity": "tay", "village": "Thôn Đông", "living_with": "relatives",
      "caregiver_name": "Hoàng Thị Lan", "household_poverty": "poor", "in_school": "yes",
      "school_level": "primary", "health_insurance": "no", "disability": "no", )";
  json += number.empty() ? R"("birth_registered": "no"})"
                         : R"("birth_registered": "yes", "personal_id": ")" + number + R"("})";
  return json;
}

std::string Saved(const Shell& sh, const std::string& name, const std::string& number = "") {
  Run r = sh({"new", "child_profile", "--answers", sh.Write("first.json", AnswersJson(name, number))});
  INFO(r.err);
  REQUIRE(r.code == 0);
  std::string id = r.out.substr(0, r.out.find('\n'));
  REQUIRE(id.size() == 36);
  return id;
}

size_t Records(const Shell& sh) {
  Run r = sh({"--lang", "en", "status"});
  const size_t at = r.out.find("Records: ");
  return at == std::string::npos ? 0 : std::stoul(r.out.substr(at + 9));
}

void Init(const Shell& sh) { REQUIRE(sh({"init", "--area", "01234", "--user", "worker-1"}).code == 0); }

}  // namespace

TEST_CASE("duplicates: the same personal number is named and the worker may keep the draft", "[shell][duplicates]") {
  Shell sh;
  Init(sh);
  const std::string first = Saved(sh, "Lò Văn Páo", kNumber);

  // Another name (a nickname on the birth certificate), the same number: said "no".
  Run no = sh({"new", "child_profile"}, Typed("Trần Văn Bình", kNumber) + "k\n");
  INFO(no.out << no.err);
  CHECK(no.code == 8);  // kept as a draft, as an interrupted interview is
  CHECK(Has(no.out, "  " + first + "  Lò Văn Páo: cùng số định danh cá nhân\n"));
  CHECK(Has(no.out, "Vẫn lưu? (c/k) "));
  CHECK(Has(no.out, "Chưa lưu hồ sơ. Đã lưu nháp "));
  // Nothing else of the other child is shown.
  CHECK_FALSE(Has(no.out + no.err, "Hoàng Thị Lan"));
  CHECK_FALSE(Has(no.out + no.err, "Thôn Đông"));
  CHECK(Records(sh) == 1);
  REQUIRE(Has(no.out, "sotay resume "));
  std::string draft = no.out.substr(no.out.find("sotay resume ") + 13);
  draft = draft.substr(0, draft.find_first_of("\n "));

  // Resumed, in English, and said "yes": saved, and the draft is gone.
  Run yes = sh({"--lang", "en", "resume", draft}, "y\n");
  INFO(yes.out << yes.err);
  CHECK(yes.code == 0);
  CHECK(Has(yes.out, first + "  Lò Văn Páo: same personal identification number\n"));
  CHECK(Has(yes.out, "Save anyway? (y/n) "));
  CHECK(Has(yes.out, "Saved record "));
  CHECK(Records(sh) == 2);
  CHECK(Has(sh({"drafts"}).out, "Không có bản nháp."));
}

TEST_CASE("duplicates: the same name typed without diacritics and the same birth date", "[shell][duplicates]") {
  Shell sh;
  Init(sh);
  const std::string first = Saved(sh, "Nguyễn Văn An");

  Run r = sh({"new", "child_profile"}, Typed("nguyen van an", "") + "c\n");
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK(Has(r.out, "  " + first + "  Nguyễn Văn An: cùng họ tên và ngày sinh\n"));
  CHECK(Has(r.out, "Đã lưu hồ sơ "));
  CHECK(Records(sh) == 2);
}

TEST_CASE("duplicates: an answers file is refused, naming the record, unless --allow-duplicate", "[shell][duplicates]") {
  Shell sh;
  Init(sh);
  const std::string first = Saved(sh, "Đặng Thị Đào");
  const std::string again = sh.Write("again.json", AnswersJson("Dang Thi Dao", ""));

  Run refused = sh({"new", "child_profile", "--answers", again});
  CHECK(refused.code == 4);
  CHECK(Has(refused.err, again + ": hồ sơ chưa được lưu"));
  CHECK(Has(refused.err, "  " + first + "  Đặng Thị Đào: cùng họ tên và ngày sinh\n"));
  CHECK(Has(refused.err, "--allow-duplicate"));
  CHECK(Records(sh) == 1);

  Run allowed = sh({"new", "child_profile", "--answers", again, "--allow-duplicate"});
  INFO(allowed.err);
  REQUIRE(allowed.code == 0);
  CHECK(Records(sh) == 2);

  // A different birth date is another child.
  std::string other = AnswersJson("Dang Thi Dao", "");
  other.replace(other.find("2015-03-21"), 10, "2015-04-21");
  CHECK(sh({"new", "child_profile", "--answers", sh.Write("other.json", other)}).code == 0);
  // Records voided (entered by mistake) are no one's twin.
  REQUIRE(sh({"void", first}).code == 0);
  REQUIRE(sh({"void", allowed.out.substr(0, 36)}).code == 0);
  CHECK(sh({"new", "child_profile", "--answers", again}).code == 0);
}

TEST_CASE("duplicates: an import names the line and the record or line it repeats", "[shell][duplicates][import]") {
  Shell sh;
  Init(sh);
  const std::string first = Saved(sh, "Nguyễn Văn An");
  const std::string csv =
      "full_name,sex,dob,ethnicity,birth_registered,personal_id,village,living_with,caregiver_name,"
      "household_poverty,in_school,school_level,health_insurance,disability\n"
      "Nguyen Van An,male,2015-03-21,kinh,no,,Bản 1,relatives,Lò Văn B,poor,yes,primary,yes,no\n"
      "Lò Thị Hoa,female,2014-01-01,thai,yes,079314000123,Bản 1,relatives,Lò Văn B,poor,yes,primary,yes,no\n"
      "Lo Thi Hoa,female,2014-01-01,thai,no,,Bản 1,relatives,Lò Văn B,poor,yes,primary,yes,no\n"
      "Phạm Văn Tú,male,2013-06-01,kinh,no,,Bản 2,relatives,Phạm Văn C,poor,yes,primary,yes,no\n"
      "Vàng Thị Mỷ,female,2012-02-02,mong,yes,079312000456,Bản 3,relatives,Vàng A D,poor,yes,primary,yes,no\n"
      "Vàng Thị Mai,female,2012-02-02,mong,yes,079312000456,Bản 3,relatives,Vàng A D,poor,yes,primary,yes,no\n";
  const std::string file = sh.Write("list.csv", csv);

  Run r = sh({"import", "child_profile", file});
  INFO(r.out << r.err);
  CHECK(r.code == 4);
  CHECK(Has(r.err, file + ":2: giống hồ sơ " + first + " (cùng họ tên và ngày sinh); không nhập"));
  CHECK(Has(r.err, file + ":4: giống dòng 3 (cùng họ tên và ngày sinh); không nhập"));
  CHECK(Has(r.err, file + ":7: giống dòng 6 (cùng số định danh cá nhân); không nhập"));
  CHECK_FALSE(Has(r.err, file + ":3:"));
  CHECK_FALSE(Has(r.err, file + ":5:"));
  CHECK(Has(r.out, "Đã nhập 3 hồ sơ; 3 dòng bị từ chối"));
  CHECK(Records(sh) == 4);

  // Told to, every line goes in, each still named.
  Run allowed = sh({"--lang", "en", "import", "child_profile", file, "--allow-duplicates"});
  INFO(allowed.out << allowed.err);
  CHECK(allowed.code == 0);
  CHECK(Has(allowed.err, file + ":2: resembles record " + first +
                             " (same name and date of birth); imported anyway (--allow-duplicates)"));
  CHECK(Has(allowed.out, "Imported 6 records; 0 rows refused"));
  CHECK(Records(sh) == 10);
}
