// Form schemas: the pack loads, and broken forms say file, field and reason.
#include <catch2/catch.hpp>

#include <filesystem>

#include "sotay/form.h"

using namespace sotay;

namespace {

std::string Minimal(const std::string& fields, const std::string& extra = "") {
  return R"({"form": "t", "version": 1, "title": {"vi": "Thử", "en": "Test"},
             "choices": {"yn": [{"name": "yes", "label": {"vi": "Có", "en": "Yes"}},
                                {"name": "no", "label": {"vi": "Không", "en": "No"}}]},
             "fields": [)" + fields + "]" + extra + "}";
}

const char* kText = R"({"type": "text", "name": "a", "label": {"vi": "A", "en": "A"}})";

std::string Problems(const std::string& json) {
  auto r = LoadForm(json, "forms/t.json");
  return r.ok() ? std::string() : r.status().message();
}

}  // namespace

TEST_CASE("forms: every form in schemas/ loads and passes the checker", "[form]") {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(SOTAY_SCHEMAS_DIR)) {
    if (entry.path().extension() != ".json") continue;
    INFO(entry.path().string());
    auto form = LoadFormFile(entry.path().string());
    REQUIRE(form.ok());
    CHECK(form->version >= 1);
    CHECK_FALSE(form->title.Get("vi").empty());
    CHECK_FALSE(form->title.Get("en").empty());
    ++count;
  }
  CHECK(count >= 1);
}

// FindField goes through the index LoadForm builds: every field and every repeat's
// field is found as itself, a name that is not a field is not, and a copy or a form
// built by hand (no index) finds the same.
TEST_CASE("forms: every field is found by name, in a loaded form, its copy and one built by hand", "[form]") {
  auto form = LoadFormFile(std::string(SOTAY_SCHEMAS_DIR) + "/child_profile.json");
  REQUIRE(form.ok());
  REQUIRE_FALSE(form->repeats.empty());
  const Form copy = *form;
  Form by_hand = *form;
  by_hand.field_places.clear();
  for (const Form* f : std::vector<const Form*>{&*form, &copy, &by_hand}) {
    for (const Field& field : f->fields) CHECK(f->FindField(field.name) == &field);
    for (const Form& repeat : f->repeats) {
      for (const Field& field : repeat.fields) CHECK(repeat.FindField(field.name) == &field);
    }
    CHECK(f->FindField("no_such_field") == nullptr);
    CHECK(f->FindField("_area") == nullptr);
    CHECK(f->FindField("") == nullptr);
  }
  // A field added after loading is found too: the index is no longer whole.
  Form grown = *form;
  grown.fields.push_back(grown.fields.front());
  grown.fields.back().name = "added_later";
  CHECK(grown.FindField("added_later") == &grown.fields.back());
}

TEST_CASE("forms: the child profile has groups, skip logic and Vietnamese labels", "[form]") {
  auto form = LoadFormFile(std::string(SOTAY_SCHEMAS_DIR) + "/child_profile.json");
  REQUIRE(form.ok());
  const Field* dob = form->FindField("dob");
  REQUIRE(dob != nullptr);
  CHECK(dob->type == FieldType::kDate);
  CHECK(dob->label.Get("vi") == "Ngày sinh");
  CHECK(dob->groups == std::vector<std::string>{"identity"});
  CHECK(form->FindField("school_level")->relevant.has_value());
  CHECK(form->FindField("notes")->policy == MergePolicy::kAppend);
  CHECK(form->FindList("special_circumstance")->size() == 14);
}

TEST_CASE("forms: a broken form names the file, the field and the reason", "[form]") {
  CHECK(Problems(Minimal(R"({"type": "txt", "name": "a", "label": {"vi": "A", "en": "A"}})")) ==
        "forms/t.json: field 'a': unknown type 'txt'");
  CHECK(Problems(Minimal(R"({"type": "select_one colours", "name": "c", "label": {"vi": "C", "en": "C"}})")) ==
        "forms/t.json: field 'c': choice list 'colours' is not in 'choices'");
  CHECK(Problems(Minimal(std::string(kText) + "," + kText)) ==
        "forms/t.json: field 'a': the name is used twice in this form");
  CHECK(Problems(Minimal(R"J({"type": "integer", "name": "n", "label": {"vi": "N", "en": "N"}, "constraint": ". < (3"})J")) ==
        "forms/t.json: field 'n': constraint: column 7: expected ')' to close '(' at column 5, found end of expression");
  CHECK(Problems(Minimal(R"({"type": "integer", "name": "n", "label": {"vi": "N", "en": "N"}, "relevant": "${nope} > 1"})")) ==
        "forms/t.json: field 'n': relevant: ${nope} is not a field of this form");
  CHECK(Problems(Minimal(R"({"type": "text", "name": "a", "label": {"vi": "A"}})")) ==
        "forms/t.json: field 'a': 'label' has no 'en' text");
  CHECK(Problems(Minimal(R"({"type": "text", "name": "a", "label": {"vi": "A", "en": "A"}, "colour": "red"})")) ==
        "forms/t.json: field 'a': unknown key 'colour'");
  CHECK(Problems(Minimal(R"({"type": "begin_group", "name": "g"}, )" + std::string(kText))) ==
        "forms/t.json: field 'g': group is never closed with 'end_group'");
  CHECK(Problems(Minimal(std::string(kText) + R"(, {"type": "end_group"})")) ==
        "forms/t.json: field '#2': 'end_group' without a matching 'begin_group'");
}

TEST_CASE("forms: invalid JSON gives the line and column", "[form]") {
  std::string broken = "{\n  \"form\": \"t\",\n  \"version\": 1,,\n}";
  std::string message = Problems(broken);
  CHECK(message.find("forms/t.json: not valid JSON at line 3") == 0);
}

TEST_CASE("forms: the checker reports every problem, not just the first", "[form]") {
  std::vector<std::string> problems = CheckForm(
      Minimal(R"J({"type": "txt", "name": "a", "label": {"vi": "A", "en": "A"}},
                 {"type": "integer", "name": "b", "label": {"vi": "B", "en": "B"}, "constraint": "foo(.)"})J"),
      "t.json");
  REQUIRE(problems.size() == 2);
  CHECK(problems[0] == "t.json: field 'a': unknown type 'txt'");
  CHECK(problems[1].find("t.json: field 'b': constraint: column 1: unknown function 'foo'") == 0);
}

TEST_CASE("forms: a repeat becomes a child form that sees its parent's fields", "[form]") {
  auto form = LoadForm(Minimal(std::string(kText) + R"(,
      {"type": "begin_repeat", "name": "visits", "label": {"vi": "Thăm hộ gia đình", "en": "Home visits"}},
      {"type": "date", "name": "visit_date", "label": {"vi": "Ngày thăm", "en": "Visit date"}},
      {"type": "text", "name": "visit_note", "label": {"vi": "Ghi chú", "en": "Note"}, "relevant": "${a} != ''"},
      {"type": "end_repeat"})"), "t.json");
  REQUIRE(form.ok());
  REQUIRE(form->repeats.size() == 1);
  const Form& child = form->repeats[0];
  CHECK(child.id == "t.visits");
  CHECK(child.parent_form == "t");
  CHECK(child.FindField("visit_date") != nullptr);
  CHECK(form->FindField("visit_date") == nullptr);
  CHECK(form->FindField("visits")->type == FieldType::kRepeat);
  CHECK(form->FindForm("t.visits") == &child);
}

TEST_CASE("forms: a label, hint or choice with a control character is refused, naming where", "[form]") {
  std::string esc = Problems(Minimal(R"({"type": "text", "name": "a", "label": {"vi": "A\u001b[31m", "en": "A"}})"));
  CHECK(esc.find("field 'a'") != std::string::npos);
  CHECK(esc.find("'label.vi'") != std::string::npos);
  CHECK(esc.find("U+001B") != std::string::npos);
  std::string bidi = Problems(Minimal(R"({"type": "text", "name": "a", "label": {"vi": "A", "en": "A"},
                                         "hint": {"vi": "x\u202Ey", "en": "x"}})"));
  CHECK(bidi.find("U+202E") != std::string::npos);
  std::string form = Minimal(kText);
  const std::string yes_label = "\"Có\"";
  form.replace(form.find(yes_label), yes_label.size(), "\"C\\u0007\"");
  std::string choice = Problems(form);
  CHECK(choice.find("choices.yn.yes") != std::string::npos);
  CHECK(choice.find("U+0007") != std::string::npos);
  CHECK(Problems(Minimal(R"({"type": "text", "name": "a", "label": {"vi": "Dòng 1\nDòng 2", "en": "A"}})")).empty());
}

// Found by fuzz/form_fuzz: the JSON library throws out_of_range, not parse_error,
// on a number beyond a double, and nothing caught it. A device loads the forms the
// server sends, so this is outside input.
TEST_CASE("forms: a number too large for the JSON reader is refused with a reason", "[form]") {
  const std::string text = R"({"form": "t", "version": 1e400, "title": {"vi": "T"}, "fields": []})";
  auto form = LoadForm(text, "forms/t.json");
  REQUIRE_FALSE(form.ok());
  CHECK(form.status().message().find("forms/t.json: not valid JSON: a number is out of range") == 0);
  const std::vector<std::string> problems = CheckForm(text, "forms/t.json");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("a number is out of range") != std::string::npos);
}
