// `sotay ui`'s register and record pages against the real `sotay-server` (issue 19),
// driven over HTTP as a browser would (ui_process.h): a name is searched by POST and
// never appears in an address the pages link to; a child moves to another commune
// from her page, with what goes with her, and Nà Hang's device pulls her after the
// sync; Lock pressed while a sync holds the notebook locks every page at once.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "sync_world.h"
#include "ui_process.h"

using namespace sotay::testing;

TEST_CASE("sotay ui: a name is searched by POST only, and a child moves to another commune from her page",
          "[e2e][ui]") {
  World w;
  auto a = w.Device("w-a");
  auto n = w.Device("w-n");  // Nà Hang, where the family moves
  const std::string anh = NewChild(*a, "Nguyễn Thị Ánh");
  NewChild(*a, "Lò Văn Páo");
  const std::string visit = NewVisit(*a, anh);

  std::optional<UiProcess> running(std::in_place, *a);
  UiProcess& ui = *running;

  // ---- The register: the search form posts; a GET never searches by name ----
  std::string page = ui.Page("/register");
  CHECK(Has(page, "<form id=\"search\" method=\"post\" action=\"/register\""));
  auto found = ui.Post("/register", {{"q", "nguyen thi anh"}});
  REQUIRE(found);
  CHECK(found->status == 200);
  CHECK(Has(found->body, "id=\"count\">1 "));
  CHECK(Has(found->body, "Nguyễn Thị Ánh"));
  CHECK_FALSE(Has(found->body, "Lò Văn Páo"));
  // No link of the answer carries what was typed (the language switch included).
  CHECK_FALSE(Has(found->body, "q=nguyen"));
  CHECK_FALSE(Has(found->body, "href=\"/register?q"));
  page = ui.Page("/register?q=nguyen+thi+anh");
  CHECK(Has(page, "id=\"count\">2 "));  // an address with a name in it searches nothing

  // ---- The transfer page: what moves, a refused code, then the move ----
  page = ui.Page("/record/" + anh);
  REQUIRE(Has(page, "href=\"/record/" + anh + "/transfer\""));
  page = ui.Page("/record/" + anh + "/transfer");
  CHECK(Has(page, "Nguyễn Thị Ánh"));
  CHECK(Has(page, "id=\"from\">Xã Bản Phố (01234)<"));
  CHECK(Has(page, "id=\"moving\">1<"));  // the home visit goes with her
  auto bad = ui.Post("/record/" + anh + "/transfer", {{"code", "<script>"}});
  REQUIRE(bad);
  CHECK(bad->status == 422);
  CHECK(Has(bad->body, "mã xã không hợp lệ"));
  CHECK_FALSE(Has(bad->body, "<script>"));  // escaped, not run
  auto same = ui.Post("/record/" + anh + "/transfer", {{"code", "01234"}});
  REQUIRE(same);
  CHECK(same->status == 422);
  CHECK(Has(same->body, "hồ sơ đã thuộc Xã Bản Phố (01234)"));
  CHECK(w.ServerCount("SELECT count(*) FROM records WHERE area = '01235'") == 0);
  auto moved = ui.Post("/record/" + anh + "/transfer", {{"code", "01235"}});
  REQUIRE(moved);
  CHECK(moved->status == 303);
  CHECK(moved->get_header_value("Location") == "/record/" + anh);

  // A home visit goes with its child: it has no transfer button of its own, and its
  // transfer page names the record to move instead.
  CHECK_FALSE(Has(ui.Page("/record/" + visit), "id=\"transfer\""));
  auto own = ui.Get("/record/" + visit + "/transfer");
  REQUIRE(own);
  CHECK(own->status == 409);
  CHECK(Has(own->body, "hãy chuyển hồ sơ của trẻ: " + anh.substr(anh.size() - 8)));

  // After the sync, Nà Hang has her and her visit.
  REQUIRE(ui.Post("/sync", {}));
  const auto fuse = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  const std::string moved_there = "SELECT count(*) FROM records WHERE area = '01235'";
  while (w.ServerCount(moved_there) < 2 && std::chrono::steady_clock::now() < fuse) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  INFO(ui.Page("/sync"));
  running.reset();
  INFO((*a)({"rejected"}).out);
  CHECK(w.ServerCount(moved_there) == 2);  // she and her visit
  Sync(*n);
  CHECK(Has((*n)({"list"}).out, "Nguyễn Thị Ánh"));
  Run there = (*n)({"show", anh.substr(anh.size() - 8)});
  INFO(there.out << there.err);
  CHECK(there.code == 0);
}

TEST_CASE("sotay ui: Lock pressed while a sync holds the notebook locks every page at once", "[e2e][ui]") {
  World w;
  auto a = w.Device("w-a");
  NewChild(*a, "Hoàng Thị Mai");
  UiProcess ui(*a);
  CHECK(Has(ui.Page("/register"), "Hoàng Thị Mai"));

  kill(w.server->pid(), SIGSTOP);  // the sync waits on a server that does not answer
  REQUIRE(ui.Post("/sync", {}));
  auto locked = ui.Post("/lock", {});
  REQUIRE(locked);
  CHECK(locked->status == 303);
  // Answered while the sync still holds the notebook (the note says it runs on):
  // no page shows the register, nor waits for the sync.
  std::string page = ui.Page("/register");
  CHECK(Has(page, "id=\"passphrase\""));
  CHECK(Has(page, "id=\"locking\""));
  CHECK_FALSE(Has(page, "Hoàng Thị Mai"));
  CHECK_FALSE(Has(ui.Page("/sync"), "data-phase"));  // not even the sync's progress
  kill(w.server->pid(), SIGCONT);

  // Once the sync ends the notebook has left memory: the passphrase opens it again.
  const auto fuse = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (Has(ui.Page("/"), "id=\"locking\"") && std::chrono::steady_clock::now() < fuse) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  CHECK(Has(ui.Page("/"), "id=\"passphrase\""));
  auto unlocked = ui.Post("/unlock", {{"passphrase", a->passphrase}, {"next", "/register"}});
  REQUIRE(unlocked);
  CHECK(unlocked->status == 303);
  CHECK(Has(ui.Page("/register"), "Hoàng Thị Mai"));
}
