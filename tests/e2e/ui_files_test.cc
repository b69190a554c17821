// `sotay ui`'s files on a record (issues 19 and 20), driven over HTTP as a browser
// would (ui_process.h) against the real `sotay-server`: a photo attached from the
// record's page comes back whole as a download (never as a page), an HTML file is
// refused by the image question, and another device fetches the photo from the
// server only when its worker opens it. About 15 s, most of it `sotay` starts.
#include <catch2/catch.hpp>

#include <string>

#include "injury_photo.h"
#include "sync_world.h"
#include "ui_process.h"

using namespace sotay::testing;

TEST_CASE("sotay ui: a photo attached on the record's page downloads whole, and another device fetches it when opened",
          "[e2e][ui][attachment]") {
  World w;
  auto a = w.Device("w-a");
  auto b = w.Device("w-b");
  Run made = (*a)({"new", "injury_incident", "--answers", a->Write("injury.json", kInjuryAnswers)});
  INFO(made.out << made.err);
  REQUIRE(made.code == 0);
  const std::string id = made.out.substr(0, 36);
  const std::string files = "/record/" + id + "/files";
  const std::string photo = FakeJpeg(200, 19);
  {
    UiProcess ui(*a);
    CHECK(Has(ui.Page("/record/" + id), "href=\"" + files + "\""));
    CHECK(Has(ui.Page(files + "?lang=en"), "No file yet."));

    // An HTML page named .html is not an image: refused next to the question, nothing kept.
    auto html = ui.PostFile(files + "/injury_photo", "f", "trang.html", "<script>alert(1)</script>", "text/html");
    REQUIRE(html);
    CHECK(html->status == 422);
    CHECK(Has(ui.Page(files), "data-field=\"injury_photo\""));
    CHECK(Has(ui.Page(files + "?lang=en"), "No file yet."));

    auto sent = ui.PostFile(files + "/injury_photo", "f", "vết thương.jpg", photo, "image/jpeg");
    REQUIRE(sent);
    CHECK(sent->status == 303);
    const std::string page = ui.Page(files + "?lang=en");
    CHECK(Has(page, "image/jpeg · 200 KB · on this device"));
    auto got = ui.Get(files + "/injury_photo");
    REQUIRE(got);
    REQUIRE(got->status == 200);
    CHECK(got->body == photo);
    CHECK(got->get_header_value("Content-Type") == "application/octet-stream");
    CHECK(Has(got->get_header_value("Content-Disposition"), "attachment"));
    CHECK(got->get_header_value("X-Content-Type-Options") == "nosniff");
  }
  // The same edit `sotay attach` makes: the record's history has it, the sync sends it.
  Sync(*a);
  Sync(*b);
  UiProcess ui(*b);
  CHECK(Has(ui.Page(files + "?lang=en"), "on the server: fetched when opened"));
  auto fetched = ui.Get(files + "/injury_photo");
  REQUIRE(fetched);
  REQUIRE(fetched->status == 200);
  CHECK(fetched->body == photo);
  CHECK(Has(ui.Page(files + "?lang=en"), "on this device"));
}
