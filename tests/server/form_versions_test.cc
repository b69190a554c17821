// A record keeps the form version it was filled with (schemas/README.md, "Versions"):
// once version 3 of the pack is published, a case filled with version 2 still shows
// its version 2 answers with their labels - `urgency`, which version 3 replaced with
// `risk_level`, and the `referrals` list, which version 3 keeps as a repeat - on the
// dashboard and in the district's export, beside a version 3 case. The server keeps
// every published version (store/form_catalog.h).
//
// tests/data/pack_v2/abuse_case.json is the pack's version 2, as it was published.
#include <catch2/catch.hpp>

#include "admin/admin_ops.h"
#include "server_world.h"
#include "sotay/csv.h"
#include "sotay/read_file.h"
#include "web_client.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

const char* kPassword = "mật khẩu dài đủ 12";

struct VersionsWorld : ServerWorld {
  VersionsWorld() {
    auto store = OpenStore();
    REQUIRE(AddUser(*store, "huyen", Role::kDistrict, "148", std::string(kPassword), &env).ok());
    for (const std::string& path : {std::string(SOTAY_SCHEMAS_DIR) + "/../tests/data/pack_v2/abuse_case.json",
                                    std::string(SOTAY_SCHEMAS_DIR) + "/abuse_case.json"}) {
      auto text = ReadWholeFile(path);
      REQUIRE(text.ok());
      std::string name;
      auto published = PublishForm(*store, *text, path, &env, &name);
      INFO(published.status().ToString());
      REQUIRE(published.ok());
    }
  }

  WebClient SignedIn() {
    WebClient c(app());
    REQUIRE(c.Login("huyen", kPassword));
    return c;
  }
};

// The edits that create an abuse case filled with form version `version`.
std::vector<Edit> CaseAt(TestDevice& d, const std::string& id, int version,
                         const std::vector<std::pair<std::string, std::string>>& answers) {
  std::vector<Edit> edits = d.CreateRecord(id, "01234", answers, "abuse_case");
  for (Edit& e : edits) {
    if (e.field == "_version") e.value = std::to_string(version);
  }
  return edits;
}

// The row of `t` whose cells include `id`.
const std::vector<std::string>* RowOf(const CsvTable& t, const std::string& id) {
  for (const CsvRow& row : t.rows) {
    for (const std::string& cell : row.cells) {
      if (cell == id) return &row.cells;
    }
  }
  return nullptr;
}

bool RowHas(const std::vector<std::string>& row, const std::string& text) {
  for (const std::string& cell : row) {
    if (cell.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("form versions: a version 2 case still shows and exports its answers with their labels after version 3",
          "[web][forms]") {
  VersionsWorld w;
  TestDevice a = w.Device("w-a");  // commune 01234
  const std::string old_case = RecordId(1), new_case = RecordId(2);
  w.Push(a, CaseAt(a, old_case, 2, {{"child_name", "Lò Văn Cũ"}, {"report_datetime", "2025-03-01T14:30"},
                                    {"urgency", "serious"}, {"referrals", "health police"}}));
  w.Push(a, CaseAt(a, new_case, 3, {{"child_name", "Lò Thị Mới"}, {"report_datetime", "2026-03-01T14:30"},
                                    {"risk_level", "medium"}}));
  WebClient district = w.SignedIn();

  HttpResponse old_page = district.Get("/records/" + old_case);
  REQUIRE(old_page.status == 200);
  CHECK(old_page.body.find("abuse_case v2") != std::string::npos);
  CHECK(old_page.body.find("Kết quả đánh giá nguy cơ") != std::string::npos);  // urgency's question
  CHECK(old_page.body.find("Nguy cơ cao: trẻ bị tổn hại hoặc đe dọa nghiêm trọng") != std::string::npos);
  CHECK(old_page.body.find("Đã chuyển gửi, kết nối đến") != std::string::npos);  // referrals' question
  CHECK(old_page.body.find("Công an") != std::string::npos);

  HttpResponse new_page = district.Get("/records/" + new_case);
  REQUIRE(new_page.status == 200);
  CHECK(new_page.body.find("abuse_case v3") != std::string::npos);
  CHECK(new_page.body.find("Mức độ nguy cơ đối với trẻ") != std::string::npos);
  CHECK(new_page.body.find("Nguy cơ trung bình") != std::string::npos);

  HttpResponse csv = district.Get("/export/file", {{"form", "abuse_case"}, {"format", "csv"}});
  REQUIRE(csv.status == 200);
  auto table = ParseCsv(csv.body);
  REQUIRE(table.ok());
  const auto* old_row = RowOf(*table, old_case);
  const auto* new_row = RowOf(*table, new_case);
  REQUIRE(old_row != nullptr);
  REQUIRE(new_row != nullptr);
  CHECK(RowHas(*old_row, "Nguy cơ cao: trẻ bị tổn hại hoặc đe dọa nghiêm trọng"));
  CHECK(RowHas(*old_row, "Công an"));
  CHECK(RowHas(*new_row, "Nguy cơ trung bình"));
}
