// One ethnicity list across the pack (issue 15, form pack version 3): a choice may
// carry its official code ("01" for Kinh), and `CheckSharedLists` names two forms of a
// pack whose lists of one name differ, with the first difference.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

#include "sotay/form.h"
#include "sotay/os.h"
#include "sotay/shared_lists.h"

using namespace sotay;

namespace {

// A one-field form whose `ethnicity` list is `choices`.
std::string FormWithList(const std::string& id, const std::string& choices) {
  return R"({"form": ")" + id + R"(", "version": 1, "title": {"vi": "T", "en": "T"},
    "fields": [{"type": "select_one ethnicity", "name": "ethnicity", "label": {"vi": "Dân tộc", "en": "Ethnicity"}}],
    "choices": {"ethnicity": [)" + choices + "]}}";
}

const char* kTwo = R"({"name": "kinh", "code": "01", "label": {"vi": "Kinh", "en": "Kinh"}},
                      {"name": "tay", "code": "02", "label": {"vi": "Tày", "en": "Tay"}})";

Form Load(const std::string& text, const std::string& file) {
  auto form = LoadForm(text, file);
  INFO(form.status().ToString());
  REQUIRE(form.ok());
  return std::move(form).value();
}

}  // namespace

TEST_CASE("choices: a choice carries its official code, kept as written", "[form][choices]") {
  Form f = Load(FormWithList("a", kTwo), "a.json");
  const std::vector<Choice>& list = f.choices.at("ethnicity");
  REQUIRE(list.size() == 2);
  CHECK(list[0].code == "01");  // the leading zero stays
  CHECK(list[1].code == "02");
  CHECK(list[0].properties.count("code") == 0);  // a code is no choice_filter column

  Form none = Load(FormWithList("b", R"({"name": "kinh", "label": {"vi": "Kinh", "en": "Kinh"}})"), "b.json");
  CHECK(none.choices.at("ethnicity")[0].code.empty());
}

TEST_CASE("choices: a code that is a number, empty, or given twice is refused by list and choice", "[form][choices]") {
  auto number = LoadForm(FormWithList("a", R"({"name": "kinh", "code": 1, "label": {"vi": "Kinh", "en": "Kinh"}})"), "a.json");
  REQUIRE_FALSE(number.ok());
  CHECK(number.status().message().find("a.json") != std::string::npos);
  CHECK(number.status().message().find("'choices.ethnicity.kinh.code' must be non-empty text") != std::string::npos);

  auto empty = LoadForm(FormWithList("a", R"({"name": "kinh", "code": "", "label": {"vi": "Kinh", "en": "Kinh"}})"), "a.json");
  REQUIRE_FALSE(empty.ok());

  auto twice = LoadForm(FormWithList("a", R"({"name": "kinh", "code": "01", "label": {"vi": "Kinh", "en": "Kinh"}},
                                             {"name": "tay", "code": "01", "label": {"vi": "Tày", "en": "Tay"}})"), "a.json");
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.status().message().find("'choices.ethnicity': code '01' appears twice") != std::string::npos);
}

TEST_CASE("shared lists: two forms with one list agree, or the second is named with the first difference",
          "[form][choices]") {
  Form a = Load(FormWithList("a", kTwo), "a.json");
  Form same = Load(FormWithList("b", kTwo), "b.json");
  CHECK(CheckSharedLists({{"a.json", &a}, {"b.json", &same}}).empty());

  Form other_name = Load(FormWithList("b", R"({"name": "kinh", "code": "01", "label": {"vi": "Kinh", "en": "Kinh"}},
                                              {"name": "thai", "code": "02", "label": {"vi": "Tày", "en": "Tay"}})"), "b.json");
  auto p = CheckSharedLists({{"a.json", &a}, {"b.json", &other_name}});
  REQUIRE(p.size() == 1);
  CHECK(p[0] == "b.json: list 'ethnicity' differs from a.json's: choice 2: 'thai' here, 'tay' there");

  Form other_code = Load(FormWithList("b", R"({"name": "kinh", "code": "01", "label": {"vi": "Kinh", "en": "Kinh"}},
                                              {"name": "tay", "code": "03", "label": {"vi": "Tày", "en": "Tay"}})"), "b.json");
  p = CheckSharedLists({{"a.json", &a}, {"b.json", &other_code}});
  REQUIRE(p.size() == 1);
  CHECK(p[0] == "b.json: list 'ethnicity' differs from a.json's: choice 2 'tay': code '03' here, '02' there");

  Form other_label = Load(FormWithList("b", R"({"name": "kinh", "code": "01", "label": {"vi": "Kinh", "en": "Kinh"}},
                                               {"name": "tay", "code": "02", "label": {"vi": "Tày", "en": "Tày"}})"), "b.json");
  p = CheckSharedLists({{"a.json", &a}, {"b.json", &other_label}});
  REQUIRE(p.size() == 1);
  CHECK(p[0] == "b.json: list 'ethnicity' differs from a.json's: choice 2 'tay': label (en) 'Tày' here, 'Tay' there");

  Form shorter = Load(FormWithList("b", R"({"name": "kinh", "code": "01", "label": {"vi": "Kinh", "en": "Kinh"}})"), "b.json");
  p = CheckSharedLists({{"a.json", &a}, {"b.json", &shorter}});
  REQUIRE(p.size() == 1);
  CHECK(p[0] == "b.json: list 'ethnicity' differs from a.json's: 1 choices here, 2 there");
}

TEST_CASE("shared lists: the pack asks ethnicity from one list of the 54 groups with their official codes",
          "[form][choices][pack]") {
  std::map<std::string, Form> pack;
  std::vector<std::pair<std::string, const Form*>> files;
  for (const auto& entry : std::filesystem::directory_iterator(SOTAY_SCHEMAS_DIR)) {
    if (entry.path().extension() != ".json") continue;
    auto form = LoadFormFile(PathToUtf8(entry.path()));
    INFO(PathToUtf8(entry.path()) << ": " << form.status().ToString());
    REQUIRE(form.ok());
    // By file name: the folder's separator is the platform's ('\\' on Windows).
    pack.emplace(PathToUtf8(entry.path().filename()), std::move(form).value());
  }
  for (const auto& [file, form] : pack) files.emplace_back(file, &form);
  CHECK(CheckSharedLists(files).empty());

  const Form& profile = pack.at("child_profile.json");
  const std::vector<Choice>& eth = profile.choices.at("ethnicity");
  REQUIRE(eth.size() == 56);  // 54 groups, foreign or other, not known
  CHECK(eth.front().name == "kinh");
  CHECK(eth.front().code == "01");
  CHECK(eth[7].name == "mong");  // the version 2 name, so old records keep their answer
  CHECK(eth[7].code == "08");
  CHECK(eth[53].label.Get("vi") == "Rơ Măm");
  CHECK(eth[53].code == "54");
  for (size_t i = 0; i < 54; ++i) CHECK(eth[i].code == (i < 9 ? "0" : "") + std::to_string(i + 1));
  CHECK(eth[54].name == "other");
  CHECK(eth[55].name == "unknown");
  // Both forms that ask ethnicity ask it from that list.
  const Form& marriage = pack.at("child_marriage.json");
  REQUIRE(marriage.FindField("ethnicity") != nullptr);
  CHECK(marriage.FindField("ethnicity")->list == "ethnicity");
  CHECK(profile.FindField("ethnicity")->list == "ethnicity");
}
