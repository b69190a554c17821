// `sotay ui` against the real `sotay-server` (issue 19), driven over HTTP as a
// browser would (ui_process.h): a sync runs in the background and its page shows
// the phase while the server is frozen; a sync the network cut is tried again by
// itself and goes through once the server is back; a conflict is settled by typing
// a value, which the form's rule refuses first and then accepts; the report page
// says what `sotay report` says; a case's child is chosen by name; a district
// device names a new record's commune.
//
// About 25 s in all: most of it the retry's backoff (4 s), the frozen server, and the
// passphrase's key derived by each start of `sotay`.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <thread>

#include "sync_world.h"
#include "ui_process.h"

using namespace sotay::testing;

namespace {

// Reloads `path` until `done` holds of its page (as its own refresh would): the
// page, or a failed REQUIRE after a minute, which only a hung sync takes.
std::string PollUntil(UiProcess& ui, const std::string& path, const std::function<bool(const std::string&)>& done) {
  const auto fuse = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  std::string page;
  while (std::chrono::steady_clock::now() < fuse) {
    page = ui.Page(path);
    if (done(page)) return page;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  INFO(page);
  FAIL("the page never showed what was awaited");
  return page;
}

bool Finished(const std::string& page) {
  return !Has(page, "id=\"progress\"") && Has(page, "id=\"outcome\"") && !Has(page, "id=\"retry\"");
}

std::string Unescape(std::string s) {
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
                                 {"&#39;", "'"}, {"&amp;", "&"}}) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
      s.replace(at, from.size(), to);
    }
  }
  return s;
}

}  // namespace

TEST_CASE("sotay ui: sync in the background with its phase, a retry after a cut, a typed conflict value, the report, "
          "a child picked by name", "[e2e][ui]") {
  World w;
  auto a = w.Device("w-a");
  auto b = w.Device("w-b");
  const std::string mai = NewChild(*a, "Hoàng Thị Mai");
  NewChild(*a, "Lò Văn Páo");
  Sync(*a);
  Sync(*b);
  // Both devices change Mai's birth date: a conflict once b syncs.
  REQUIRE((*a)({"edit", mai, "dob=2016-01-01"}).code == 0);
  Sync(*a);
  REQUIRE((*b)({"edit", mai, "dob=2014-05-05"}).code == 0);

  std::optional<UiProcess> running(std::in_place, *b);
  UiProcess& ui = *running;
  CHECK(Has(ui.Page("/"), "id=\"last-sync\""));

  // ---- The phase while the server does not answer (frozen, not gone) ----
  kill(w.server->pid(), SIGSTOP);
  auto started = ui.Post("/sync", {});
  REQUIRE(started);
  CHECK(started->status == 303);
  std::string page = ui.Page("/sync");
  CHECK(Has(page, "data-phase=\"pushing\""));
  CHECK(Has(page, "Đang gửi thay đổi: 0/2"));  // the birth date and the age it gives
  CHECK(Has(page, "<progress"));
  CHECK(Has(page, "http-equiv=\"refresh\""));  // it follows itself, with no script
  CHECK(Has(page, "id=\"last-sync\""));        // the last successful sync stays in sight
  kill(w.server->pid(), SIGCONT);
  page = PollUntil(ui, "/sync", Finished);
  CHECK(Has(page, "Đã gửi 2 thay đổi"));
  CHECK(Has(page, "id=\"waiting\">0<"));

  // ---- A cut: the sync fails, is tried again by itself, and goes through ----
  w.server->Stop(SIGTERM);
  REQUIRE(ui.Post("/sync", {}));
  page = PollUntil(ui, "/sync", [](const std::string& p) { return Has(p, "id=\"retry\""); });
  CHECK(Has(page, "Đồng bộ không thành công"));
  CHECK(Has(page, "Sẽ tự thử lại khi có mạng"));
  w.server->Restart();
  page = PollUntil(ui, "/sync", Finished);  // no button pressed
  CHECK_FALSE(Has(page, "không thành công"));

  // ---- A conflict settled by typing: refused by the form's rule, then accepted ----
  page = ui.Page("/conflicts");
  REQUIRE(Has(page, "data-field=\"dob\""));
  CHECK(Has(page, "2016"));
  CHECK(Has(page, "2014"));
  auto refused = ui.Post("/conflicts", {{"record", mai}, {"field", "dob"}, {"value", "typed"}, {"typed", "01/01/2000"}});
  REQUIRE(refused);
  CHECK(refused->status == 422);
  CHECK(Has(refused->body, "aria-invalid=\"true\""));
  CHECK(Has(refused->body, "dưới 16 tuổi"));  // the constraint's own message, next to the field
  CHECK(Has(refused->body, "value=\"01/01/2000\""));  // what was typed, to correct
  auto accepted = ui.Post("/conflicts", {{"record", mai}, {"field", "dob"}, {"value", "typed"}, {"typed", "02/02/2015"}});
  REQUIRE(accepted);
  CHECK(accepted->status == 303);
  CHECK(Has(ui.Page("/conflicts"), "id=\"count\">0 "));
  CHECK(Has(ui.Page("/record/" + mai), "02/02/2015"));

  // ---- A case's child chosen by name, accents left out ----
  auto made = ui.Post("/new", {{"form", "injury_incident"}});
  REQUIRE(made);
  REQUIRE(made->status == 303);
  const std::string draft = made->get_header_value("Location");
  // Posted by the picker's form: the name never goes in an address.
  auto found = ui.Post(draft, {{"do", "find"}, {"find", "hoang thi mai"}});
  REQUIRE(found);
  CHECK(found->status == 200);
  page = found->body;
  INFO(page);
  CHECK_FALSE(Has(page, "method=\"get\""));
  CHECK(Has(page, "Hoàng Thị Mai"));
  CHECK_FALSE(Has(page, "Lò Văn Páo"));  // only who matches
  CHECK(Has(page, "name=\"pick\" value=\"" + mai + "\""));
  auto picked = ui.Post(draft, {{"do", "next"}, {"a", ""}, {"pick", mai}});
  REQUIRE(picked);
  CHECK(picked->status == 303);
  CHECK_FALSE(Has(ui.Page(draft), "data-field=\"child_record_id\""));  // on to the next question
  REQUIRE(ui.Post(draft, {{"do", "back"}}));
  CHECK(Has(ui.Page(draft), "value=\"" + mai + "\""));  // the link holds Mai's id

  // ---- The report: the figures `sotay report` gives for the same records ----
  page = ui.Page("/reports");
  std::vector<std::pair<std::string, std::string>> figures;
  const std::regex row(R"(<tr data-indicator="[^"]*"><td>([^<]*)<br>.*?<td class="total">([^<]*)</td>)");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), row); it != std::sregex_iterator(); ++it) {
    figures.emplace_back(Unescape((*it)[1]), Unescape((*it)[2]));
  }
  REQUIRE(figures.size() >= 3);
  bool counted = false;
  for (const auto& [label, total] : figures) counted = counted || total.rfind("2", 0) == 0;
  CHECK(counted);  // the two children on the register
  running.reset();  // the notebook is the shell's now
  Run report = (*b)({"report"});
  INFO(report.out);
  for (const auto& [label, total] : figures) CHECK(Has(report.out, "  " + label + ": " + total + "\n"));
}

namespace {

// Answers every step of the draft at `draft` until its review page: the answer in
// `given` for its field, else a choice's first option, else nothing. The review page.
std::string Walk(UiProcess& ui, const std::string& draft, const std::map<std::string, std::string>& given) {
  for (int step = 0; step < 60; ++step) {
    const std::string page = ui.Page(draft);
    if (Has(page, "id=\"review\"")) return page;
    std::smatch m;
    REQUIRE(std::regex_search(page, m, std::regex("data-field=\"([^\"]+)\"")));
    const std::string field = m[1];
    std::string answer;
    if (given.count(field)) {
      answer = given.at(field);
    } else if (std::regex_search(page, m, std::regex("name=\"a\" value=\"([^\"]+)\""))) {
      answer = m[1];
    }
    auto r = ui.Post(draft, {{"do", "next"}, {"a", answer}});
    REQUIRE(r);
    INFO(field << " = " << answer << "\n" << r->body);
    REQUIRE(r->status == 303);
  }
  FAIL("the form never reached its review page");
  return "";
}

}  // namespace

TEST_CASE("sotay ui on a district device: the new record's commune is chosen on the review page", "[e2e][ui]") {
  World w;
  auto d = w.Device("d-1");
  Sync(*d);  // learns the district's communes
  std::optional<UiProcess> running(std::in_place, *d);
  UiProcess& ui = *running;
  auto made = ui.Post("/new", {{"form", "school_dropout"}});
  REQUIRE(made);
  REQUIRE(made->status == 303);
  const std::string draft = made->get_header_value("Location");
  std::string page = Walk(ui, draft,
                          {{"child_record_id", ""}, {"child_name", "Vàng Thị Dua"}, {"child_dob", "21/03/2012"},
                           {"village", "Bản Pắc"}, {"caregiver_phone", ""}, {"child_personal_id", ""},
                           {"last_grade", "4"}, {"dropout_date", "01/09/2024"}, {"return_date", "01/10/2024"}});
  CHECK(Has(page, "Xã Bản Phố (01234)"));
  CHECK(Has(page, "Xã Nà Hang (01235)"));
  CHECK_FALSE(Has(page, "02001"));  // another district's commune is not offered
  auto unnamed = ui.Post(draft, {{"do", "save"}, {"commune", ""}});
  REQUIRE(unnamed);
  CHECK(unnamed->status == 422);
  CHECK(Has(unnamed->body, "id=\"commune-issue\""));
  auto saved = ui.Post(draft, {{"do", "save"}, {"commune", "01235"}});
  REQUIRE(saved);
  REQUIRE(saved->status == 303);
  const std::string record = saved->get_header_value("Location").substr(8);  // "/record/ID"
  running.reset();
  Sync(*d);
  CHECK(w.ServerCount("SELECT count(*) FROM records WHERE id = '" + record + "' AND area = '01235'") == 1);
}
