// Sensitive answers end to end (issue 15; schemas/README.md, "Sensitive"): the real
// sotay-server on loopback, two real devices of one commune and the dashboard over
// HTTP. The worker who took an abuse report keeps the reporter's name and phone; the
// other worker of the commune never receives them, edits the case without erasing
// them, and district staff see them only when an administrator allowed it. Exports
// leave them out unless asked for with a reason, and that export is in the audit log.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <cstdlib>
#include <string>

#include "server_process.h"
#include "sync_world.h"

using namespace sotay::testing;

namespace {

constexpr const char* kReporter = "Lường Văn Khánh";
constexpr const char* kPhone = "0912345678";

std::string NewReport(const Shell& sh, const std::string& child_id) {
  std::string file = sh.Write("case.json", std::string(R"({"report_datetime": "2026-01-10T08:00", "reporter_type": "neighbour",
      "report_channel": "phone", "reporter_name": ")") + kReporter + R"(", "reporter_phone": ")" + kPhone + R"(",
      "report_summary": "Hàng xóm báo trẻ bị đánh.", "child_name": "Nguyễn Thị Ánh", "child_sex": "female",
      "child_dob": "2015-03-21", "village": "Thôn Đông", "child_record_id": ")" + child_id.substr(0, 8) +
                                       R"(", "harm_situation": "harmed", "harm_types": "physical",
      "suspected_perpetrator": "step_parent", "perpetrator_in_household": "yes", "case_status": "open"})");
  Run r = sh({"new", "abuse_case", "--answers", file});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  return r.out.substr(0, 36);
}

// A browser on the dashboard: its session cookie and CSRF token.
class Browser {
 public:
  explicit Browser(const std::string& url) : client_(url) {}

  bool Login(const std::string& user, const std::string& password) {
    auto r = client_.Post("/login", httplib::Params{{"user", user}, {"password", password}, {"next", "/records"}});
    if (!r || r->status != 303) return false;
    const std::string set = r->get_header_value("Set-Cookie");
    cookie_ = set.substr(0, set.find(';'));
    return Get("/records").status == 200 && !csrf_.empty();
  }

  httplib::Response Get(const std::string& path) {
    auto r = client_.Get(path.c_str(), httplib::Headers{{"Cookie", cookie_}});
    REQUIRE(r);
    Remember(*r);
    return *r;
  }

  httplib::Response Post(const std::string& path, httplib::Params fields) {
    fields.emplace("csrf", csrf_);
    auto r = client_.Post(path.c_str(), httplib::Headers{{"Cookie", cookie_}}, fields);
    REQUIRE(r);
    Remember(*r);
    return *r;
  }

 private:
  void Remember(const httplib::Response& r) {
    const std::string marker = "name=\"csrf\" value=\"";
    const size_t at = r.body.find(marker);
    if (at != std::string::npos) csrf_ = r.body.substr(at + marker.size(), 64);
  }

  httplib::Client client_;
  std::string cookie_, csrf_;
};

}  // namespace

TEST_CASE("sensitive e2e: the reporter stays on the reporting worker's device and with allowed district staff",
          "[sync-e2e][sensitive]") {
  World w;
  setenv("SOTAY_TEST_PASSWORD", "mật khẩu dài đủ 1", 1);
  ServerAdmin({"admin", "add-user", "--db", w.db, "--id", "d-ok", "--role", "district", "--area", "001",
               "--password-env", "SOTAY_TEST_PASSWORD"});
  ServerAdmin({"admin", "add-user", "--db", w.db, "--id", "d-no", "--role", "district", "--area", "001",
               "--password-env", "SOTAY_TEST_PASSWORD"});
  ServerAdmin({"admin", "grant-sensitive", "--db", w.db, "--user", "d-ok"});
  CHECK(w.ServerCount("SELECT count(*) FROM audit_log WHERE action = 'user.grant_sensitive' AND target = 'd-ok'") == 1);

  auto a = w.Device("w-a");  // took the report
  auto b = w.Device("w-b");  // the other worker of Bản Phố
  const std::string child = NewChild(*a, "Nguyễn Thị Ánh");
  const std::string kase = NewReport(*a, child);
  const std::string sid = kase.substr(kase.size() - 8);
  Sync(*a);
  Sync(*b);

  Run on_a = (*a)({"show", sid});
  CHECK(Has(on_a.out, kReporter));
  CHECK(Has(on_a.out, kPhone));
  Run on_b = (*b)({"show", sid});
  INFO(on_b.out << on_b.err);
  REQUIRE(on_b.code == 0);
  CHECK(Has(on_b.out, "Hàng xóm báo trẻ bị đánh."));  // the case itself arrived
  CHECK_FALSE(Has(on_b.out, kReporter));
  CHECK_FALSE(Has(on_b.out, kPhone));

  // The second worker edits the case: the reporter is neither erased nor contested.
  Run edit = (*b)({"edit", sid, "village=Thôn Tây"});
  INFO(edit.out << edit.err);
  REQUIRE(edit.code == 0);
  Sync(*b);
  Sync(*a);
  on_a = (*a)({"show", sid});
  CHECK(Has(on_a.out, "Thôn Tây"));
  CHECK(Has(on_a.out, kReporter));
  CHECK_FALSE(Has((*a)({"conflicts"}).out, sid));
  CHECK_FALSE(Has((*b)({"show", sid}).out, kReporter));

  // The dashboard: the allowed officer sees the reporter, the other one does not,
  // not on the record page, in its history nor by a search.
  Browser ok(w.server->url()), no(w.server->url());
  REQUIRE(ok.Login("d-ok", "mật khẩu dài đủ 1"));
  REQUIRE(no.Login("d-no", "mật khẩu dài đủ 1"));
  const std::string allowed_page = ok.Get("/records/" + kase).body;
  CHECK(Has(allowed_page, kReporter));
  CHECK(Has(allowed_page, kPhone));
  const std::string withheld_page = no.Get("/records/" + kase).body;
  CHECK(Has(withheld_page, "Nguyễn Thị Ánh"));
  CHECK(Has(withheld_page, "(thông tin bảo mật)"));
  CHECK_FALSE(Has(withheld_page, kReporter));
  CHECK_FALSE(Has(withheld_page, kPhone));
  const std::string search = no.Post("/records", {{"q", "Luong Van Khanh"}}).body;
  CHECK(Has(search, "id=\"count\">0 "));

  // Exports: without the reporter by default; with it only when asked, with a reason.
  const std::string plain = ok.Get("/export/file?form=abuse_case&format=csv").body;
  CHECK(Has(plain, "Nguyễn Thị Ánh"));
  CHECK_FALSE(Has(plain, "reporter_name"));
  CHECK_FALSE(Has(plain, kReporter));
  CHECK(no.Post("/export/file", {{"form", "abuse_case"}, {"format", "csv"}, {"sensitive", "1"}, {"reason", "tòa án yêu cầu"}})
            .status == 403);
  CHECK(ok.Post("/export/file", {{"form", "abuse_case"}, {"format", "csv"}, {"sensitive", "1"}, {"reason", ""}}).status ==
        400);
  httplib::Response full =
      ok.Post("/export/file", {{"form", "abuse_case"}, {"format", "csv"}, {"sensitive", "1"}, {"reason", "tòa án yêu cầu"}});
  CHECK(full.status == 200);
  CHECK(Has(full.body, "reporter_name"));
  CHECK(Has(full.body, kReporter));
  CHECK(w.ServerCount("SELECT count(*) FROM audit_log WHERE actor = 'd-ok' AND action = 'export.csv.sensitive'"
                      " AND target = 'abuse_case' AND detail = '1 records, with sensitive columns; reason: tòa án yêu cầu'") == 1);
  CHECK(w.ServerCount("SELECT count(*) FROM audit_log WHERE action = 'export.csv.sensitive'") == 1);
  CHECK(w.ServerCount("SELECT count(*) FROM audit_log WHERE detail LIKE '%Khánh%' OR detail LIKE '%0912345678%'") == 0);

  // Taken back: the officer no longer sees it, from the next page on.
  ServerAdmin({"admin", "revoke-sensitive", "--db", w.db, "--user", "d-ok"});
  CHECK_FALSE(Has(ok.Get("/records/" + kase).body, kReporter));
}
