// The dashboard's child page (issue 14, links): a child's profile lists every record
// linked to it - cases naming it by its id or the 8 characters older records used,
// its home visits, its siblings through the household link - newest first, each a
// link; a case links back to the child's profile or says no profile is linked.
// Records of communes the viewer may not see are neither listed nor named.
#include <catch2/catch.hpp>

#include "admin/admin_ops.h"
#include "server_world.h"
#include "sotay/read_file.h"
#include "web_client.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

const char* kPassword = "mật khẩu dài đủ 12";

// Ids with their own first 8 characters, as real ids made minutes apart have.
std::string Id(const std::string& prefix) { return prefix + "-0000-7000-8000-000000000001"; }

struct ChildWorld : ServerWorld {
  ChildWorld() {
    auto store = OpenStore();
    REQUIRE(AddUser(*store, "huyen", Role::kDistrict, "148", std::string(kPassword), &env).ok());
    for (const char* file : {"child_profile.json", "abuse_case.json", "injury_incident.json"}) {
      auto text = ReadWholeFile(std::string(SOTAY_SCHEMAS_DIR) + "/" + file);
      REQUIRE(text.ok());
      std::string name;
      REQUIRE(PublishForm(*store, *text, file, &env, &name).ok());
    }
  }

  WebClient SignedIn(const std::string& user) {
    WebClient c(app());
    REQUIRE(c.Login(user, kPassword));
    return c;
  }
};

// Where `text` first appears in `body`, or npos.
size_t At(const std::string& body, const std::string& text) { return body.find(text); }

}  // namespace

TEST_CASE("child page: a profile lists its cases, visits and siblings newest first, and a case links back",
          "[web][links]") {
  ChildWorld w;
  TestDevice a = w.Device("w-a");  // commune 01234
  TestDevice x = w.Device("w-x");  // commune 01255, another district
  const std::string an = Id("1a000001"), binh = Id("1a000002"), cuong = Id("1a000003"), other = Id("1a000004");
  const std::string old_case = Id("2b000001"), injury = Id("2b000002"), unlinked = Id("2b000003"),
                    visit = Id("2b000004"), far_case = Id("2b000005");
  w.Push(a, a.CreateRecord(an, "01234", {{"full_name", "Nguyễn Văn An"}, {"dob", "2015-03-21"}}, "child_profile"));
  // Bình names An as of his household; Cường names Bình: all three are siblings.
  w.Push(a, a.CreateRecord(binh, "01234", {{"full_name", "Nguyễn Thị Bình"}, {"dob", "2017-05-02"},
                                           {"household_with", an}}, "child_profile"));
  w.Push(a, a.CreateRecord(cuong, "01234", {{"full_name", "Nguyễn Văn Cường"}, {"dob", "2019-01-09"},
                                            {"household_with", binh}}, "child_profile"));
  w.Push(a, a.CreateRecord(other, "01234", {{"full_name", "Lò Thị Mai"}, {"dob", "2016-02-02"}}, "child_profile"));
  // A case from before links were checked, by the 8-character prefix; then an injury by the full id.
  w.Push(a, a.CreateRecord(old_case, "01234", {{"child_name", "Nguyễn Văn An"}, {"report_datetime", "2026-08-01T09:00"},
                                               {"child_record_id", an.substr(0, 8)}}, "abuse_case"));
  w.Push(a, a.CreateRecord(injury, "01234", {{"child_name", "Nguyễn Văn An"}, {"incident_date", "2026-09-01"},
                                             {"child_record_id", an}}, "injury_incident"));
  w.Push(a, a.CreateRecord(unlinked, "01234", {{"child_name", "Trẻ Chưa Liên Kết"},
                                               {"report_datetime", "2026-09-02T09:00"}}, "abuse_case"));
  w.Push(a, a.CreateRecord(visit, "01234", {{"visit_date", "2026-09-10"}}, "child_profile.home_visits", an));
  // Another district's case naming An is theirs: neither listed nor named here.
  w.Push(x, x.CreateRecord(far_case, "01255", {{"child_name", "Trẻ Huyện Khác"}, {"report_datetime", "2026-09-03T09:00"},
                                               {"child_record_id", an}}, "abuse_case"));

  WebClient district = w.SignedIn("huyen");
  HttpResponse page = district.Get("/records/" + an);
  REQUIRE(page.status == 200);
  const std::string& b = page.body;
  const size_t list = At(b, "id=\"linked\"");
  REQUIRE(list != std::string::npos);
  const size_t p_visit = b.find("href=\"/records/" + visit + "\"", list);
  const size_t p_injury = b.find("href=\"/records/" + injury + "\"", list);
  const size_t p_case = b.find("href=\"/records/" + old_case + "\"", list);
  const size_t p_cuong = b.find("href=\"/records/" + cuong + "\"", list);
  const size_t p_binh = b.find("href=\"/records/" + binh + "\"", list);
  REQUIRE(p_visit != std::string::npos);
  REQUIRE(p_injury != std::string::npos);
  REQUIRE(p_case != std::string::npos);
  REQUIRE(p_cuong != std::string::npos);
  REQUIRE(p_binh != std::string::npos);
  // Newest first: the visit, the injury, the old case, then the siblings made before them.
  CHECK(p_visit < p_injury);
  CHECK(p_injury < p_case);
  CHECK(p_case < p_cuong);
  CHECK(p_cuong < p_binh);
  CHECK(At(b, "href=\"/records/" + other + "\"") == std::string::npos);     // not a sibling
  CHECK(At(b, "href=\"/records/" + unlinked + "\"") == std::string::npos);  // names no one
  CHECK(At(b, far_case) == std::string::npos);
  CHECK(At(b, "Trẻ Huyện Khác") == std::string::npos);

  // A sibling's page shows the others of the household too.
  HttpResponse cuong_page = district.Get("/records/" + cuong);
  REQUIRE(cuong_page.status == 200);
  CHECK(At(cuong_page.body, "href=\"/records/" + an + "\"") != std::string::npos);
  CHECK(At(cuong_page.body, "href=\"/records/" + binh + "\"") != std::string::npos);

  // The case pages link back to the child, or say there is none.
  HttpResponse case_page = district.Get("/records/" + old_case);
  REQUIRE(case_page.status == 200);
  const size_t link = At(case_page.body, "id=\"child-link\"");
  REQUIRE(link != std::string::npos);
  CHECK(case_page.body.find("href=\"/records/" + an + "\"", link) != std::string::npos);
  HttpResponse none = district.Get("/records/" + unlinked);
  REQUIRE(none.status == 200);
  CHECK(At(none.body, "chưa liên kết với hồ sơ trẻ em nào.") != std::string::npos);
}
