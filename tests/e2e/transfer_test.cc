// Transfers end to end (issue 14): the real sotay-server on loopback and real sotay
// devices. A worker moves a child and the child's case to another commune; the
// receiving commune's device pulls them with their history and the sending devices
// stop showing them. A district officer moves a child while the worker's device is
// offline and still editing: its edits land on the moved child and it forgets him.
#include <catch2/catch.hpp>

#include <fstream>

#include "server_process.h"
#include "sync_world.h"
#include "support/edits_view.h"

using namespace sotay::testing;

namespace {

// An abuse case that names the child's profile by the first 8 characters of its id.
std::string NewCase(const Shell& sh, const std::string& child_id) {
  std::string file = sh.Write("case.json", R"({"report_datetime": "2026-01-10T08:00", "reporter_type": "neighbour",
      "report_channel": "phone", "reporter_name": "Lường Văn Khánh", "report_summary": "Hàng xóm báo trẻ bị đánh.",
      "child_name": "Nguyễn Thị Ánh", "child_sex": "female", "child_dob": "2015-03-21",
      "village": "Thôn Đông", "child_record_id": ")" + child_id.substr(0, 8) + R"(", "harm_situation": "harmed",
      "harm_types": "physical", "suspected_perpetrator": "step_parent", "perpetrator_in_household": "yes",
      "case_status": "open"})");
  Run r = sh({"new", "abuse_case", "--answers", file});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  return r.out.substr(0, 36);
}

}  // namespace

TEST_CASE("transfer e2e: a worker moves a child and her case, Nà Hang pulls them whole, Bản Phố forgets them",
          "[sync-e2e][transfer]") {
  World w;
  auto a = w.Device("w-a");
  auto b = w.Device("w-b");  // a second device of Bản Phố
  auto n = w.Device("w-n");  // Nà Hang, where the family moves
  const std::string child = NewChild(*a, "Nguyễn Thị Ánh");
  const std::string sid = child.substr(child.size() - 8);
  Sync(*a);
  REQUIRE((*a)({"edit", sid, "village=Bản Mới"}).code == 0);
  const std::string kase = NewCase(*a, child);
  Sync(*a);
  Sync(*b);
  Sync(*n);
  REQUIRE(Has((*b)({"list"}).out, "Nguyễn Thị Ánh"));
  REQUIRE_FALSE(Has((*n)({"list"}).out, "Nguyễn Thị Ánh"));

  Run no = (*a)({"transfer", sid, "--to", "01235"}, "k\n");
  CHECK(no.code != 0);  // asked, and the worker said no
  CHECK(Has(no.out, "Nguyễn Thị Ánh"));
  CHECK(Has(no.out, "Xã Bản Phố (01234)"));
  CHECK(Has(no.out, "01235"));
  CHECK(Has(no.out, "1 hồ sơ liên quan"));
  CHECK(w.ServerCount("SELECT count(*) FROM moves") == 0);
  Run yes = (*a)({"transfer", sid, "--to", "01235"}, "c\n");
  INFO(yes.out << yes.err);
  REQUIRE(yes.code == 0);
  CHECK(Has(yes.out, "Đã chuyển 2 hồ sơ"));
  Sync(*a);
  CHECK(w.ServerCount("SELECT count(*) FROM records WHERE area = '01235'") == 2);

  // Gone from both devices of Bản Phố.
  CHECK_FALSE(Has((*a)({"list"}).out, "Nguyễn Thị Ánh"));
  CHECK((*a)({"show", sid}).code == 5);
  CHECK((*a)({"show", kase.substr(kase.size() - 8)}).code == 5);
  Sync(*b);
  CHECK_FALSE(Has((*b)({"list"}).out, "Nguyễn Thị Ánh"));
  CHECK((*b)({"show", sid}).code == 5);

  // Nà Hang has the child with her history from before the move, and her case.
  Sync(*n);
  CHECK(Has((*n)({"list"}).out, "Nguyễn Thị Ánh"));
  Run history = (*n)({"history", sid});
  CHECK(Has(history.out, "Thôn Đông"));
  CHECK(Has(history.out, "Bản Mới"));
  CHECK((*n)({"show", kase.substr(kase.size() - 8)}).code == 0);
  REQUIRE((*n)({"edit", sid, "village=Bản Nà"}).code == 0);
  Sync(*n);
  CHECK(w.ServerCount("SELECT count(*) FROM rejected") == 0);
}

TEST_CASE("transfer e2e: moved by the district while the worker is offline, her edits follow the child",
          "[sync-e2e][transfer]") {
  World w;
  auto a = w.Device("w-a");
  auto d = w.Device("d-1");
  auto n = w.Device("w-n");
  const std::string child = NewChild(*a, "Lò Thị Hoa");
  const std::string sid = child.substr(child.size() - 8);
  Sync(*a);
  Sync(*n);
  // Offline in the village: two edits that wait in the outbox.
  REQUIRE((*a)({"edit", sid, "village=Bản Khoang"}).code == 0);
  REQUIRE((*a)({"edit", sid, "health_insurance=no"}).code == 0);

  Sync(*d);
  Run moved = (*d)({"transfer", sid, "--to", "01235", "--yes"});
  INFO(moved.out << moved.err);
  REQUIRE(moved.code == 0);
  Sync(*d);
  REQUIRE(w.ServerCount("SELECT count(*) FROM records WHERE area = '01235'") == 1);

  Run back = (*a)({"sync"});
  INFO(back.out << back.err);
  CHECK(back.code == 0);  // nothing refused
  CHECK(w.ServerCount("SELECT count(*) FROM rejected") == 0);
  CHECK_FALSE(Has((*a)({"list"}).out, "Lò Thị Hoa"));

  Sync(*n);
  Run shown = (*n)({"show", sid});
  CHECK(Has(shown.out, "Bản Khoang"));
  CHECK(Has(shown.out, "Trẻ có thẻ bảo hiểm y tế không?: Không"));
}

TEST_CASE("transfer e2e: a child registered offline moves before her first sync, with her home visit",
          "[sync-e2e][transfer]") {
  // The family moved before the worker found signal: the record is made and moved in
  // one push. The server takes the move from the commune she was registered in.
  World w;
  auto a = w.Device("w-a");
  auto n = w.Device("w-n");
  const std::string child = NewChild(*a, "Nguyễn Thị Ánh");
  const std::string sid = child.substr(child.size() - 8);
  NewVisit(*a, child);
  Run moved = (*a)({"transfer", sid, "--to", "01235", "--yes"});
  INFO(moved.out << moved.err);
  REQUIRE(moved.code == 0);
  CHECK(Has(moved.out, "1 hồ sơ liên quan"));
  Sync(*a);
  CHECK(w.ServerCount("SELECT count(*) FROM rejected") == 0);
  CHECK(w.ServerCount("SELECT count(*) FROM records WHERE area = '01235'") == 2);
  CHECK(w.ServerCount("SELECT count(*) FROM moves WHERE from_area = '01234' AND to_area = '01235'") == 2);
  Sync(*a);
  CHECK((*a)({"show", sid}).code == 5);  // gone from Bản Phố's device
  Sync(*n);
  CHECK(Has((*n)({"list"}).out, "Nguyễn Thị Ánh"));
  Run history = (*n)({"history", sid});
  CHECK(Has(history.out, "Thôn Đông"));
}
