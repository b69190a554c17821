// The commune of a record is its area, once (issue 14 item 6). Forms before version
// 2 asked `commune_code` too: a device of commune 01234 could save 99999, the record
// counted under 01234, and the export had two commune columns. Now the export shows
// the area once, with its name, whatever an old answer says, and the server refuses
// an old device's commune answer that names another commune than the record's area
// (sync-server/sync/commune_answer.h says why refused rather than dropped).
//
// The server's side of it: the handlers without sockets, on a real store. The
// device's side (`sotay new` does not ask the commune) is tests/e2e/commune_once_test.cc.
#include <catch2/catch.hpp>

#include "admin/admin_ops.h"
#include "admin/export_table.h"
#include "server_world.h"
#include "sotay/csv.h"
#include "web_client.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

const char* kPassword = "mật khẩu dài đủ 12";

// A form as version 1 of the pack had it: the commune asked as a 5-digit answer.
const char* kOldForm = R"json({
  "form": "old_profile", "version": 1,
  "title": {"vi": "Hồ sơ trẻ (cũ)", "en": "Child profile (old)"},
  "fields": [
    {"type": "text", "name": "full_name", "required": true, "label": {"vi": "Họ và tên", "en": "Full name"}},
    {"type": "text", "name": "commune_code", "required": true,
     "label": {"vi": "Mã xã/phường", "en": "Commune code"}, "constraint": "regex(., '^[0-9]{5}$')"},
    {"type": "text", "name": "village", "label": {"vi": "Thôn, bản", "en": "Village"}}
  ]
})json";

struct CommuneWorld : ServerWorld {
  CommuneWorld() {
    auto store = OpenStore();
    REQUIRE(AddUser(*store, "huyen", Role::kDistrict, "148", std::string(kPassword), &env).ok());
    std::string name;
    auto published = PublishForm(*store, kOldForm, "old_profile.json", &env, &name);
    INFO(published.status().ToString());
    REQUIRE(published.ok());
  }

  // The district's CSV export of the old form, parsed.
  CsvTable Export() {
    WebClient c(app());
    REQUIRE(c.Login("huyen", kPassword));
    HttpResponse csv = c.Get("/export/file", {{"form", "old_profile"}, {"format", "csv"}});
    INFO(csv.body.substr(0, 500));
    REQUIRE(csv.status == 200);
    auto table = ParseCsv(csv.body);
    REQUIRE(table.ok());
    return std::move(table).value();
  }
};

// The columns whose header names `name` in brackets ("Mã xã (commune_code)").
std::vector<size_t> Columns(const CsvTable& t, const std::string& name) {
  std::vector<size_t> out;
  for (size_t i = 0; i < t.header.size(); ++i) {
    if (t.header[i].find("(" + name + ")") != std::string::npos) out.push_back(i);
  }
  return out;
}

const Rejection* RejectionOf(const SyncResponse& r, const Dot& d) {
  for (const Rejection& x : r.rejected) {
    if (x.dot == d) return &x;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("commune: a record made on a device of commune 01234 shows 01234 once in the export", "[commune][export]") {
  CommuneWorld w;
  TestDevice a = w.Device("w-a");  // commune 01234
  SyncResponse pushed = w.Push(a, a.CreateRecord(RecordId(1), "01234", {{"full_name", "Nguyễn Thị Ánh"},
                                                                         {"commune_code", "01234"},
                                                                         {"village", "Bản Phố"}},
                                                 "old_profile"));
  CHECK(pushed.rejected.empty());
  const CsvTable t = w.Export();
  REQUIRE(t.rows.size() == 1);
  const std::vector<size_t> code = Columns(t, "commune_code");
  REQUIRE(code.size() == 1);  // once, not once as the area and again as the answer
  CHECK(t.rows[0].cells[code[0]] == "=\"01234\"");  // kept as text for Excel (export_table.h)
  REQUIRE(Columns(t, "commune").size() == 1);
  CHECK(t.rows[0].cells[Columns(t, "commune")[0]] == "Xã Chiềng Châu");
}

TEST_CASE("commune: the server refuses an old device's commune answer naming another commune", "[commune][push]") {
  CommuneWorld w;
  TestDevice a = w.Device("w-a");  // commune 01234
  std::vector<Edit> made = a.CreateRecord(RecordId(2), "01234", {{"full_name", "Lò Văn Páo"},
                                                                  {"commune_code", "99999"},
                                                                  {"village", "Bản Dền"}},
                                          "old_profile");
  Dot wrong;
  for (const Edit& e : made) {
    if (e.field == "commune_code") wrong = e.dot;
  }
  SyncResponse r = w.Push(a, made);
  // Only the wrong answer is refused, with a reason a person can read; the record is
  // kept in its area.
  REQUIRE(r.rejected.size() == 1);
  const Rejection* why = RejectionOf(r, wrong);
  REQUIRE(why != nullptr);
  CHECK(why->reason.find("commune_code") != std::string::npos);
  CHECK(why->reason.find("area") != std::string::npos);
  CHECK(why->reason.find("99999") == std::string::npos);  // never the value
  CHECK(r.accepted.size() == made.size() - 1);

  // A later edit of the answer is checked the same way; naming the area passes.
  Edit moved = a.NewEdit(RecordId(2), "commune_code", "01237");
  CHECK(RejectionOf(w.Push(a, {moved}), moved.dot) != nullptr);
  Edit same = a.NewEdit(RecordId(2), "commune_code", "01234");
  CHECK(w.Push(a, {same}).rejected.empty());

  const CsvTable t = w.Export();
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].cells[Columns(t, "commune_code").at(0)] == "=\"01234\"");
}

TEST_CASE("commune: an old record whose answer names another commune exports its area", "[commune][export]") {
  // Stored before the server checked the answer: the export shows the area only.
  auto form = LoadForm(kOldForm, "old_profile.json");
  REQUIRE(form.ok());
  ExportRecord old;
  old.id = "r1";
  old.area_code = "01234";
  old.area_name = "Xã Chiềng Châu";
  old.answers = {{"full_name", "Giàng A Páo"}, {"commune_code", "99999"}, {"village", "Bản Dền"}};
  ExportOptions o;
  const std::string csv = ToCsv(BuildExportTable(*form, {old}, o), o);
  CHECK(csv.find("99999") == std::string::npos);
  auto t = ParseCsv(csv);
  REQUIRE(t.ok());
  REQUIRE(Columns(*t, "commune_code").size() == 1);
  CHECK(t->rows[0].cells[Columns(*t, "commune_code")[0]] == "=\"01234\"");
  CHECK(t->rows[0].cells[Columns(*t, "commune")[0]] == "Xã Chiềng Châu");
}
