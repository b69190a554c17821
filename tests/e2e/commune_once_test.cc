// The commune of a record is its area, once (issue 14 item 6), on the device:
// `sotay new` asks the child's village but never a commune code, and the record
// shows the device's commune as its own. The server's side (the export, the check of
// an old device's answer) is tests/server/commune_once_test.cc.
#include <catch2/catch.hpp>

#include <string>

#include "shell_runner.h"

using sotay::testing::Run;
using sotay::testing::Shell;

namespace {

bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("commune: `sotay new` does not ask the commune, and the record's is the device's", "[shell][commune]") {
  Shell sh;
  REQUIRE(sh({"init", "--area", "01237", "--user", "worker-1"}).code == 0);
  const std::string typed = "Hà Thị Lan\n"  // full_name
                            "1\n"           // sex: Nữ
                            "04/05/2016\n"  // dob
                            "1\n"           // ethnicity: Kinh
                            "1\n"           // birth registered: yes
                            "\n"            // personal id: skipped
                            + sotay::testing::ProfileAnswersFromVillage();
  Run r = sh({"new", "child_profile"}, typed);
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK_FALSE(Has(r.out, "Mã xã"));
  CHECK_FALSE(Has(r.out, "commune"));
  REQUIRE(Has(r.out, "Đã lưu hồ sơ "));
  std::string id = r.out.substr(r.out.find("Đã lưu hồ sơ ") + std::string("Đã lưu hồ sơ ").size());
  id = id.substr(0, id.find('\n'));

  Run shown = sh({"show", id});
  INFO(shown.out << shown.err);
  REQUIRE(shown.code == 0);
  CHECK(Has(shown.out, "Mã xã: 01237"));
  CHECK_FALSE(Has(shown.out, "commune_code"));
}
