// A phone photo attached in the real `sotay` (issue 20): a 4000x3000 JPEG with its
// EXIF and GPS goes into the notebook reduced to the pack's `max-pixels` for
// injury_photo (1600) and stripped, and `sotay attachment get` gives back a JPEG
// that decodes at that size. No server: attaching is offline.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>

#include "injury_photo.h"
#include "shell_runner.h"
#include "support/test_images.h"

using namespace sotay::testing;

TEST_CASE("shell: a 4000x3000 photo is stored 1600 wide, as a JPEG without its GPS", "[e2e][attachment][image]") {
  Shell sh;
  sh.lang = "en";
  REQUIRE(sh({"init", "--area", "01234", "--user", "worker-1"}).code == 0);
  Run made = sh({"new", "injury_incident", "--answers", sh.Write("injury.json", kInjuryAnswers)});
  INFO(made.out << made.err);
  REQUIRE(made.code == 0);
  const std::string id = made.out.substr(0, 36);

  const std::string photo = WithExif(MakeJpeg(4000, 3000), 1);
  // Named .jpeg by the phone; stored as what it became.
  Run attached = sh({"attach", id, "injury_photo", sh.Write("IMG_0412.jpeg", photo)});
  INFO(attached.out << attached.err);
  REQUIRE(attached.code == 0);
  CHECK(attached.out.find("Photo reduced from 4000×3000 to 1600×1200 (") != std::string::npos);
  CHECK(attached.out.find("its GPS position removed.") != std::string::npos);
  CHECK(attached.out.find("IMG_0412") == std::string::npos);

  const std::string out = sh.dir().File("back.jpg");
  Run got = sh({"attachment", "get", id, "injury_photo", out});
  INFO(got.out << got.err);
  REQUIRE(got.code == 0);
  std::ifstream in(out, std::ios::binary);
  const std::string stored((std::istreambuf_iterator<char>(in)), {});
  const Decoded d = Decode(stored);
  CHECK(d.w == 1600);
  CHECK(d.h == 1200);
  CHECK(stored.size() < photo.size() / 3);
  CHECK(stored.find("Exif") == std::string::npos);
  CHECK(stored.find("GPS") == std::string::npos);
  // The reference says what is stored: its size, a jpg (the file was .jpeg).
  CHECK(attached.out.find("Attached " + std::to_string(stored.size()) + " bytes (image/jpeg)") != std::string::npos);
  Run shown = sh({"show", id});
  INFO(shown.out);
  CHECK(shown.out.find("file jpg, " + std::to_string((stored.size() + 1023) / 1024) + " KB") != std::string::npos);
}
