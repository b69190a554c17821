// `sotay-server report` on a real store, run as the operator runs it: the district's
// workbook holds the figures the records give (a child seen in two communes counted
// once in the district), its audit head is the one `admin verify-audit` prints, and
// bad command lines change nothing.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "admin/admin_ops.h"
#include "server_world.h"
#include "sotay/read_file.h"
#include "support/xlsx_cells.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

struct Ran {
  int code = -1;
  std::string out;
};

Ran Run(const std::string& args) {
  Ran r;
  FILE* p = popen((std::string(SOTAY_SERVER_BIN) + " " + args + " 2>&1").c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[512];
  while (fgets(buf, sizeof buf, p) != nullptr) r.out += buf;
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string Find(const std::map<std::string, sotay::testing::XlsxCell>& sheet, const std::string& text) {
  for (const auto& [ref, cell] : sheet) {
    if (!cell.number && cell.text == text) return ref;
  }
  return "";
}

std::string Row(const std::string& ref) {
  size_t i = 0;
  while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i]))) ++i;
  return ref.substr(i);
}

}  // namespace

TEST_CASE("report command: the district's workbook counts each child once and carries the audit head", "[report]") {
  ServerWorld w;
  {
    auto store = w.OpenStore();
    for (const char* form : {"child_profile.json", "abuse_case.json"}) {
      auto text = ReadWholeFile(std::string(SOTAY_SCHEMAS_DIR) + "/" + form);
      REQUIRE(text.ok());
      std::string name;
      REQUIRE(PublishForm(*store, *text, form, &w.env, &name).ok());
    }
  }
  // The clock: 2026-09-21. Three children on the register, two in Chiềng Châu and one
  // in Vạn Mai; one abuse report about the first, filed in each commune.
  TestDevice a = w.Device("w-a"), c = w.Device("w-c");
  auto profile = [&](TestDevice& d, int n, const std::string& area, const std::string& sex) {
    SyncRequest q;
    q.push = d.CreateRecord(RecordId(n), area,
                            {{"full_name", "Trẻ " + std::to_string(n)}, {"sex", sex}, {"dob", "2016-05-01"},
                             {"ethnicity", "thai"}, {"birth_registered", "yes"}, {"village", "Bản Mòng"},
                             {"living_with", "both_parents"}, {"caregiver_name", "Lò Văn Tâm"},
                             {"household_poverty", "poor"}, {"in_school", "yes"}, {"school_level", "primary"},
                             {"health_insurance", "yes"}, {"disability", "no"}},
                            "child_profile");
    REQUIRE(w.Sync(d, q).rejected.empty());
  };
  profile(a, 1, "01234", "female");
  profile(a, 2, "01234", "male");
  profile(c, 3, "01237", "female");
  auto report = [&](TestDevice& d, int n, const std::string& area) {
    SyncRequest q;
    q.push = d.CreateRecord(RecordId(n), area,
                            {{"report_datetime", "2026-09-20T08:00"}, {"reporter_type", "neighbour"},
                             {"report_channel", "hotline_111"}, {"child_record_id", RecordId(1)},
                             {"child_name", "Trẻ 1"}, {"case_status", "open"}},
                            "abuse_case");
    auto r = w.Sync(d, q);
    INFO((r.rejected.empty() ? "" : r.rejected.front().reason));
    REQUIRE(r.rejected.empty());
  };
  report(a, 11, "01234");
  report(c, 12, "01237");

  sotay::testing::TempDir out;
  const std::string xlsx = out.File("bao-cao.xlsx");
  Ran made = Run("report --db '" + w.db + "' --area 148 --year 2026 --out " + xlsx);
  INFO(made.out);
  REQUIRE(made.code == 0);
  auto book = sotay::testing::ReadXlsxCells(xlsx);
  REQUIRE(book.count("Báo cáo") == 1);
  const auto& sheet = book["Báo cáo"];
  // Columns D, E: the two communes; F: the district's total.
  const std::string head = Find(sheet, "Xã Chiềng Châu");
  REQUIRE(head.rfind("D", 0) == 0);
  const std::string total = Find(sheet, "Số trẻ em trong sổ theo dõi");
  REQUIRE_FALSE(total.empty());
  CHECK(sheet.at("D" + Row(total)).value == 2);
  CHECK(sheet.at("E" + Row(total)).value == 1);
  CHECK(sheet.at("F" + Row(total)).value == 3);
  // One child reported in both communes: one in each, one in the district.
  const std::string cases = Find(sheet, "Số vụ việc được tiếp nhận");
  REQUIRE_FALSE(cases.empty());
  CHECK(sheet.at("D" + Row(cases)).value == 1);
  CHECK(sheet.at("E" + Row(cases)).value == 1);
  CHECK(sheet.at("F" + Row(cases)).value == 1);

  // The head the workbook prints is the chain's head now: the report's own entry.
  Ran verified = Run("admin verify-audit --db '" + w.db + "'");
  REQUIRE(verified.code == 0);
  const auto& about = book["Thông tin"];
  const std::string label = Find(about, "Mã băm đầu chuỗi nhật ký kiểm toán");
  REQUIRE_FALSE(label.empty());
  const std::string hash = about.at("B" + Row(label)).text;
  REQUIRE(hash.size() >= 32);
  CHECK(verified.out.find(hash) != std::string::npos);
  CHECK(w.Count("SELECT count(*) FROM audit_log WHERE action = 'report.xlsx' AND target = '148'") == 1);

  // The same figures as CSV; a wrong area or year is refused, and no file is made.
  const std::string csv = out.File("bao-cao.csv");
  REQUIRE(Run("report --db '" + w.db + "' --area 148 --year 2026 --out " + csv + " --semicolon").code == 0);
  auto text = ReadWholeFile(csv);
  REQUIRE(text.ok());
  CHECK(text->find("children_total;") != std::string::npos);
  Ran unknown = Run("report --db '" + w.db + "' --area 999 --year 2026 --out " + out.File("x.xlsx"));
  CHECK(unknown.code == 5);
  CHECK(unknown.out.find("999") != std::string::npos);
  Ran bad_year = Run("report --db '" + w.db + "' --area 148 --year 26 --out " + out.File("y.xlsx"));
  CHECK(bad_year.code == 2);
  CHECK_FALSE(std::ifstream(out.File("x.xlsx")).good());
  CHECK_FALSE(std::ifstream(out.File("y.xlsx")).good());
}
