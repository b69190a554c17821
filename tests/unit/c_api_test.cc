// The C API a phone app calls: errors as codes and messages, JSON in and out.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "sotay/sotay_c.h"
#include "support/temp_dir.h"

extern "C" int sotay_c_open_missing(const char* path);

using nlohmann::json;

namespace {

std::string Take(char* s) {
  std::string out = s != nullptr ? s : "";
  sotay_free_string(s);
  return out;
}

std::string FormText() {
  std::ifstream in(std::string(SOTAY_SCHEMAS_DIR) + "/child_profile.json", std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

TEST_CASE("c api: a phone app creates, fills and reads a notebook", "[c_api]") {
  sotay::testing::TempDir dir;
  const std::string path = dir.File("nb.db");
  CHECK(sotay_c_open_missing(path.c_str()) == SOTAY_NOT_FOUND);
  CHECK(sotay_api_version() == SOTAY_C_API_VERSION);  // this header, this library

  sotay_error err{};
  const char keystore[] = "key from the Android keystore";
  sotay_notebook* nb = sotay_create(path.c_str(), "mật khẩu dài", keystore, sizeof keystore, &err);
  REQUIRE(nb != nullptr);
  REQUIRE(sotay_set_profile(nb, "01234", "worker-3", &err) == 0);
  REQUIRE(sotay_install_form(nb, FormText().c_str(), &err) == 0);

  char* out = nullptr;
  REQUIRE(sotay_create_record(nb, "child_profile", R"({"full_name": "Lý Thị Hương"})", nullptr, nullptr, "en", &out, &err) == 0);
  json refused = json::parse(Take(out));
  CHECK(refused["id"] == "");
  CHECK(refused["issues"].size() > 3);

  const char* answers = R"({"full_name": "Lý Thị Hương", "sex": "female", "dob": "2016-02-29",
      "ethnicity": "nung", "birth_registered": "yes", "village": "Nà Phặc",
      "living_with": "both_parents", "caregiver_name": "Lý Văn Sơn", "household_poverty": "poor",
      "in_school": "yes", "school_level": "primary", "health_insurance": "yes", "disability": "no"})";
  REQUIRE(sotay_create_record(nb, "child_profile", answers, nullptr, nullptr, "vi", &out, &err) == 0);
  json saved = json::parse(Take(out));
  INFO(saved.dump());
  REQUIRE(saved["issues"].empty());
  const std::string id = saved["id"];

  REQUIRE(sotay_list_records(nb, nullptr, "huong", "vi", &out, &err) == 0);
  json list = json::parse(Take(out));
  REQUIRE(list.size() == 1);
  CHECK(list[0]["id"] == id);

  REQUIRE(sotay_get_record(nb, id.c_str(), &out, &err) == 0);
  json record = json::parse(Take(out));
  CHECK(record["answers"]["village"] == "Nà Phặc");
  CHECK(record["area"] == "01234");
  sotay_close(nb);

  // The keystore secret is part of the key: the passphrase alone does not open it.
  CHECK(sotay_open(path.c_str(), "mật khẩu dài", nullptr, 0, &err) == nullptr);
  CHECK(err.code == SOTAY_WRONG_PASSPHRASE);
  CHECK(std::string(err.message).find("passphrase") != std::string::npos);
  nb = sotay_open(path.c_str(), "mật khẩu dài", keystore, sizeof keystore, &err);
  REQUIRE(nb != nullptr);
  CHECK(sotay_get_record(nb, "no-such-record", &out, &err) != 0);
  CHECK(err.code == SOTAY_NOT_FOUND);
  CHECK(sotay_create_record(nb, "child_profile", "[1, 2]", nullptr, nullptr, "vi", &out, &err) != 0);
  CHECK(err.code == SOTAY_INVALID_ARGUMENT);
  sotay_close(nb);
}

TEST_CASE("c api: a select_multiple takes a list of codes or labels, a list elsewhere is refused naming the field",
          "[c_api][presentation]") {
  sotay::testing::TempDir dir;
  sotay_error err{};
  sotay_notebook* nb = sotay_create(dir.File("nb.db").c_str(), "mật khẩu dài", nullptr, 0, &err);
  REQUIRE(nb != nullptr);
  REQUIRE(sotay_set_profile(nb, "01234", "worker-3", &err) == 0);
  REQUIRE(sotay_install_form(nb, FormText().c_str(), &err) == 0);
  // A label holds spaces and a ')': as one item of a list it stays one choice.
  const char* answers = R"({"full_name": "Lò Văn Páo", "sex": "Nam", "dob": "2015-07-01",
      "ethnicity": "thai", "birth_registered": "yes", "village": "Bản 1",
      "living_with": "relatives", "caregiver_name": "Lò Văn B", "household_poverty": "poor",
      "in_school": "yes", "school_level": "primary", "health_insurance": "yes", "disability": "no",
      "special_circumstances": ["a", "b) Trẻ em bị bỏ rơi"]})";
  char* out = nullptr;
  REQUIRE(sotay_create_record(nb, "child_profile", answers, nullptr, nullptr, "vi", &out, &err) == 0);
  json saved = json::parse(Take(out));
  INFO(saved.dump());
  REQUIRE(saved["issues"].empty());
  const std::string id = saved["id"];
  REQUIRE(sotay_get_record(nb, id.c_str(), &out, &err) == 0);
  json record = json::parse(Take(out));
  CHECK(record["answers"]["special_circumstances"] == "a b");
  CHECK(record["answers"]["sex"] == "male");  // the label "Nam" taken for its code

  REQUIRE(sotay_edit_record(nb, id.c_str(), R"({"special_circumstances": ["c) Without anyone to rely on"]})", "en",
                            &out, &err) == 0);
  CHECK(json::parse(Take(out))["issues"].empty());
  REQUIRE(sotay_get_record(nb, id.c_str(), &out, &err) == 0);
  CHECK(json::parse(Take(out))["answers"]["special_circumstances"] == "c");

  CHECK(sotay_edit_record(nb, id.c_str(), R"({"village": ["Bản 1", "Bản 2"]})", "en", &out, &err) != 0);
  CHECK(err.code == SOTAY_INVALID_ARGUMENT);
  CHECK(std::string(err.message).find("'village'") != std::string::npos);
  CHECK(std::string(err.message).find("Bản") == std::string::npos);  // no answer in an error
  sotay_close(nb);
}

TEST_CASE("c api: sotay_version names the release the library was built from", "[c_api]") {
  // What an app shows on its about screen and a bug report quotes: the project's
  // version (CMakeLists.txt), the same string on every call.
  const char* v = sotay_version();
  REQUIRE(v != nullptr);
  CHECK(std::string(v) == SOTAY_PROJECT_VERSION);
  CHECK(sotay_version() == v);
}
