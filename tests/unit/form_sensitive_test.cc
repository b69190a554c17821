// The form key "sensitive" (schemas/README.md, "Sensitive"): read onto Field, refused
// where it means nothing, and set on the abuse report's reporter.
#include <catch2/catch.hpp>

#include "sotay/form.h"

using namespace sotay;

namespace {

Result<Form> Load(const std::string& field) {
  return LoadForm(R"({"form": "t", "version": 1, "title": {"vi": "Thử", "en": "Test"},
                      "fields": [)" + field + "]}",
                  "forms/t.json");
}

}  // namespace

TEST_CASE("forms: a field marked sensitive is read as sensitive, the others are not", "[form][sensitive]") {
  auto form = Load(R"({"type": "text", "name": "who", "sensitive": true, "label": {"vi": "Ai", "en": "Who"}},
                      {"type": "text", "name": "what", "label": {"vi": "Gì", "en": "What"}},
                      {"type": "text", "name": "open", "sensitive": false, "label": {"vi": "Mở", "en": "Open"}})");
  REQUIRE(form.ok());
  CHECK(form->FindField("who")->sensitive);
  CHECK_FALSE(form->FindField("what")->sensitive);
  CHECK_FALSE(form->FindField("open")->sensitive);
}

TEST_CASE("forms: 'sensitive' that is not true or false, or on a note, is refused naming the field", "[form][sensitive]") {
  auto word = Load(R"({"type": "text", "name": "who", "sensitive": "yes", "label": {"vi": "Ai", "en": "Who"}})");
  REQUIRE_FALSE(word.ok());
  CHECK_THAT(word.status().message(), Catch::Contains("forms/t.json") && Catch::Contains("who") &&
                                          Catch::Contains("'sensitive' must be true or false"));
  auto note = Load(R"({"type": "note", "name": "info", "sensitive": true, "label": {"vi": "Lưu ý", "en": "Note"}})");
  REQUIRE_FALSE(note.ok());
  CHECK_THAT(note.status().message(), Catch::Contains("info") && Catch::Contains("only for a question"));
}

TEST_CASE("forms: the abuse report keeps its reporter's name and phone sensitive, and nothing else", "[form][sensitive]") {
  auto form = LoadFormFile(std::string(SOTAY_SCHEMAS_DIR) + "/abuse_case.json");
  REQUIRE(form.ok());
  std::vector<std::string> sensitive;
  for (const Field& f : form->fields) {
    if (f.sensitive) sensitive.push_back(f.name);
  }
  for (const Form& child : form->repeats) {
    for (const Field& f : child.fields) CHECK_FALSE(f.sensitive);
  }
  CHECK(sensitive == std::vector<std::string>{"reporter_name", "reporter_phone"});
}
