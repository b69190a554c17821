// The C API's sotay_attach: a phone app attaches a photo to a record, reduced and
// stripped of its GPS position before it is sealed, and told what was done.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "sotay/sotay_c.h"
#include "support/temp_dir.h"
#include "support/test_images.h"

using nlohmann::json;

namespace {

std::string Take(char* s) {
  std::string out = s != nullptr ? s : "";
  sotay_free_string(s);
  return out;
}

const char* kForm = R"({"form": "injury", "version": 1, "title": {"vi": "Thương tích", "en": "Injury"},
  "fields": [
    {"type": "text", "name": "child_name", "label": {"vi": "Tên", "en": "Name"}},
    {"type": "image", "name": "photo", "label": {"vi": "Ảnh", "en": "Photo"},
     "parameters": {"max-pixels": 100, "max-size": 5242880, "accept": ["image/jpeg", "image/png"]}}]})";

}  // namespace

TEST_CASE("c api: a phone app attaches a photo, stored reduced and without its GPS", "[c_api][image]") {
  sotay::testing::TempDir dir;
  sotay_error err{};
  sotay_notebook* nb = sotay_create(dir.File("nb.db").c_str(), "mật khẩu dài", nullptr, 0, &err);
  REQUIRE(nb != nullptr);
  REQUIRE(sotay_set_profile(nb, "01234", "worker-3", &err) == 0);
  REQUIRE(sotay_install_form(nb, kForm, &err) == 0);
  char* out = nullptr;
  REQUIRE(sotay_create_record(nb, "injury", R"({"child_name": "Hờ A Chứ"})", nullptr, nullptr, "en", &out, &err) == 0);
  const std::string id = json::parse(Take(out))["id"];
  REQUIRE(id.size() == 36);

  const std::string photo = dir.File("IMG_0007.JPG");
  std::ofstream(photo, std::ios::binary) << sotay::testing::WithExif(sotay::testing::MakeJpeg(400, 300), 1);
  INFO(err.message);
  REQUIRE(sotay_attach(nb, id.c_str(), "photo", photo.c_str(), "en", &out, &err) == 0);
  const json r = json::parse(Take(out));
  INFO(r.dump());
  CHECK(r["issues"].empty());
  CHECK(r["file"]["media_type"] == "image/jpeg");
  CHECK(r["file"]["ext"] == "jpg");
  CHECK(r["image"]["action"] == "reencoded");
  CHECK(r["image"]["out_width"] == 100);
  CHECK(r["image"]["out_height"] == 75);
  CHECK(r["image"]["removed_location"] == true);
  CHECK(r["message"].get<std::string>().rfind("Photo reduced from 400×300 to 100×75 (", 0) == 0);
  REQUIRE(sotay_get_record(nb, id.c_str(), &out, &err) == 0);
  const json record = json::parse(Take(out));
  CHECK(record["answers"]["photo"].get<std::string>().find(r["file"]["sha256"].get<std::string>()) == 0);

  // An image declaring 50000x50000: refused, naming the file, nothing changed.
  const std::string bomb = dir.File("bom.png");
  std::ofstream(bomb, std::ios::binary) << std::string("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR\0\0\xC3\x50\0\0\xC3\x50\x08\x02\0\0\0\0\0\0\0", 33);
  CHECK(sotay_attach(nb, id.c_str(), "photo", bomb.c_str(), "en", &out, &err) == -1);
  CHECK(err.code == SOTAY_INVALID_ARGUMENT);
  CHECK(std::string(err.message).find("bom.png") != std::string::npos);
  CHECK(std::string(err.message).find("50000x50000") != std::string::npos);
  REQUIRE(sotay_get_record(nb, id.c_str(), &out, &err) == 0);
  CHECK(json::parse(Take(out))["answers"]["photo"] == record["answers"]["photo"]);

  CHECK(sotay_attach(nb, "00000000-0000-4000-8000-000000000099", "photo", photo.c_str(), "en", &out, &err) == -1);
  CHECK(err.code == SOTAY_NOT_FOUND);
  CHECK(sotay_attach(nb, id.c_str(), "photo", nullptr, "en", &out, &err) == -1);
  CHECK(err.code == SOTAY_INVALID_ARGUMENT);
  sotay_close(nb);
}
