// What a person reads and writes: answers, labels and changes in Vietnamese and
// English, and answers given as JSON, by the one module every client uses.
#include <catch2/catch.hpp>

#include "sotay/edit.h"
#include "sotay/import.h"
#include "sotay/lang.h"
#include "sotay/merge.h"
#include "sotay/presentation.h"

using namespace sotay;

namespace {

Form Load(std::string_view json) {
  auto form = LoadForm(json, "visit.json");
  if (!form.ok()) FAIL(form.status().message());
  return *form;
}

const Form& Visit() {
  static const Form form = Load(R"({"form": "visit", "version": 1,
    "title": {"vi": "Thăm hộ gia đình", "en": "Home visit"},
    "fields": [
      {"type": "text", "name": "note", "label": {"vi": "Ghi chú", "en": "Note"}},
      {"type": "integer", "name": "children", "label": {"vi": "Số trẻ", "en": "Children"}},
      {"type": "decimal", "name": "weight", "label": {"vi": "Cân nặng", "en": "Weight"}},
      {"type": "date", "name": "day", "label": {"vi": "Ngày thăm", "en": "Day of the visit"}},
      {"type": "datetime", "name": "reported", "label": {"vi": "Báo lúc", "en": "Reported at"}},
      {"type": "select_one sex", "name": "sex", "label": {"vi": "Giới tính", "en": "Sex"}},
      {"type": "select_multiple help", "name": "help", "label": {"vi": "Hỗ trợ", "en": "Help given"}}
    ],
    "choices": {
      "sex": [{"name": "female", "label": {"vi": "Nữ", "en": "Female"}},
              {"name": "male", "label": {"vi": "Nam", "en": "Male"}}],
      "help": [{"name": "food", "label": {"vi": "Gạo và thực phẩm", "en": "Rice and food"}},
               {"name": "school", "label": {"vi": "Học phí, sách vở", "en": "School fees, books"}},
               {"name": "health", "label": {"vi": "Bảo hiểm y tế", "en": "Health insurance"}}]
    }})");
  return form;
}

const Field& F(const char* name) { return *Visit().FindField(name); }

}  // namespace

TEST_CASE("lang: English is \"en\", anything else reads Vietnamese", "[lang]") {
  CHECK(std::string(Pick("en", "Lưu", "Save")) == "Save");
  CHECK(std::string(Pick("vi", "Lưu", "Save")) == "Lưu");
  CHECK(std::string(Pick("", "Lưu", "Save")) == "Lưu");
  CHECK(std::string(Pick("fr", "Lưu", "Save")) == "Lưu");
  CHECK(std::string(LangCode("fr")) == "vi");
  CHECK(std::string(LangCode("en")) == "en");
}

TEST_CASE("presentation: an answer reads in the person's language: labels, dd/mm/yyyy, the decimal comma",
          "[presentation]") {
  const Form& f = Visit();
  CHECK(AnswerText(f, F("sex"), "female", "vi") == "Nữ");
  CHECK(AnswerText(f, F("sex"), "female", "en") == "Female");
  CHECK(AnswerText(f, F("help"), "food school", "vi") == "Gạo và thực phẩm; Học phí, sách vở");
  CHECK(AnswerText(f, F("help"), "food school", "en") == "Rice and food; School fees, books");
  CHECK(AnswerText(f, F("help"), "food retired", "en") == "Rice and food; retired");  // a code no longer listed
  CHECK(AnswerText(f, F("day"), "2026-03-21", "vi") == "21/03/2026");
  CHECK(AnswerText(f, F("day"), "2026-03-21", "en") == "2026-03-21");
  CHECK(AnswerText(f, F("reported"), "2026-03-21T14:30:15", "vi") == "21/03/2026 14:30");
  CHECK(AnswerText(f, F("reported"), "2026-03-21T14:30", "en") == "2026-03-21 14:30");
  CHECK(AnswerText(f, F("weight"), "12.5", "vi") == "12,5");
  CHECK(AnswerText(f, F("weight"), "12.5", "en") == "12.5");
  CHECK(AnswerText(f, F("children"), "3", "vi") == "3");
  CHECK(AnswerText(f, F("note"), "gặp mẹ 1.5 giờ", "vi") == "gặp mẹ 1.5 giờ");  // text is never reformatted
  CHECK(TimeText(86400000LL * 20535 + 3600000LL * 7, 7 * 3600000LL, "vi") == "23/03/2026 14:00");  // UTC+7
  CHECK(TimeText(0, 0, "vi").empty());
}

TEST_CASE("presentation: field labels, reserved fields included, and form titles", "[presentation]") {
  const Form& f = Visit();
  CHECK(FieldLabel(&f, "sex", "vi") == "Giới tính");
  CHECK(FieldLabel(&f, "sex", "en") == "Sex");
  CHECK(FieldLabel(&f, "gone", "en") == "gone");  // no longer in the form: its name
  CHECK(FieldLabel(nullptr, "sex", "en") == "sex");
  CHECK(FieldLabel(nullptr, kStatusField, "vi") == "Trạng thái hồ sơ");
  CHECK(FieldLabel(nullptr, kStatusField, "en") == "Record status");
  CHECK(FieldLabel(&f, kAreaField, "vi") == "Xã");
  CHECK(FieldLabel(&f, kAreaField, "en") == "Commune");
  CHECK(FieldLabel(&f, kFormField, "en") == "Form");
  CHECK(FieldLabel(&f, kVersionField, "vi") == "Phiên bản biểu mẫu");
  CHECK(FieldLabel(&f, kParentField, "en") == "Parent record");
  CHECK(FormTitle(&f, "visit", "vi") == "Thăm hộ gia đình");
  CHECK(FormTitle(&f, "visit", "en") == "Home visit");
  CHECK(FormTitle(nullptr, "visit", "en") == "visit");
}

TEST_CASE("presentation: a change in the history reads as before and after", "[presentation]") {
  const Form& f = Visit();
  ChangeText c = DescribeChange(&f, "sex", {"male"}, "female", "vi");
  CHECK(c.label == "Giới tính");
  CHECK(c.before == std::vector<std::string>{"Nam"});
  CHECK(c.after == "Nữ");
  CHECK_FALSE(c.settles_conflict());
  ChangeText s = DescribeChange(&f, kStatusField, {kStatusActive, kStatusVoid}, kStatusActive, "en");
  CHECK(s.label == "Record status");
  CHECK(s.before == std::vector<std::string>{"active", "void"});
  CHECK(s.after == "active");
  CHECK(s.settles_conflict());
  CHECK(DescribeChange(&f, "day", {}, "2026-01-02", "vi").after == "02/01/2026");
  CHECK_FALSE(ShownInHistory(kAreaField, false));  // set when the record was made
  CHECK(ShownInHistory(kAreaField, true));         // moved to another commune
  CHECK(ShownInHistory("sex", false));
}

TEST_CASE("presentation: a history shows each change with what it replaced, and not the fields set at creation",
          "[presentation]") {
  const Form& f = Visit();
  const DeviceId a("dev-a"), b("dev-b");
  const auto edit = [](DeviceId d, uint64_t n, const std::string& field, const std::string& value,
                       std::vector<Dot> base) {
    return Edit{Dot{d, n}, "r1", field, value, Hlc{1795000000000 + static_cast<int64_t>(n), 0, d}, std::move(base), "w-1"};
  };
  const std::vector<Edit> edits = {
      edit(a, 1, kAreaField, "00001", {}),        // set at creation: not a line
      edit(a, 2, "sex", "male", {}),
      edit(a, 3, "note", "xin chào", {}),
      edit(b, 1, "sex", "female", {Dot{a, 2}}),   // replaces Nam
      edit(a, 4, "sex", "male", {Dot{a, 2}}),     // a second device's rival change
      edit(a, 5, "sex", "female", {Dot{b, 1}, Dot{a, 4}}),  // settles the conflict
      edit(a, 6, kAreaField, "00002", {Dot{a, 1}}),  // moved: a line
  };
  const std::vector<HistoryLine> lines = DescribeHistory(&f, edits, "vi");
  REQUIRE(lines.size() == 6);
  CHECK(lines[0].edit == &edits[1]);
  CHECK(lines[0].change.before.empty());
  CHECK(lines[0].change.after == "Nam");
  CHECK(lines[2].change.label == "Giới tính");
  CHECK(lines[2].change.before == std::vector<std::string>{"Nam"});
  CHECK(lines[2].change.after == "Nữ");
  CHECK(lines[4].change.before == std::vector<std::string>{"Nữ", "Nam"});
  CHECK(lines[4].change.settles_conflict());
  CHECK(lines[5].change.label == "Xã");
  CHECK(lines[5].change.before == std::vector<std::string>{"00001"});
}

TEST_CASE("presentation: answers from JSON by one rule, labels with spaces kept whole in a list",
          "[presentation]") {
  const Form& f = Visit();
  auto a = AnswersFromJson(f, R"({"note": "xin chào", "children": 3, "weight": 12.5, "flag": true,
      "sex": "Nữ", "help": ["Gạo và thực phẩm", "school", "health insurance"], "day": null})", "vi");
  REQUIRE(a.ok());
  CHECK(a->at("note") == "xin chào");
  CHECK(a->at("children") == "3");
  CHECK(a->at("weight") == "12.5");
  CHECK(a->at("flag") == "true");  // not in the form: kept for validation to report
  CHECK(a->at("sex") == "female");
  CHECK(a->at("help") == "food school health");  // the canonical stored form
  CHECK(a->count("day") == 0);

  // A string for a select_multiple reads as a spreadsheet cell does.
  CHECK(AnswersFromJson(f, R"({"help": "food school"})", "en")->at("help") == "food school");
  CHECK(AnswersFromJson(f, R"({"help": "Rice and food; Health insurance"})", "en")->at("help") == "food health");
  CHECK(AnswersFromJson(f, R"({"sex": "nu"})", "en")->at("sex") == "female");  // diacritics and case ignored
  CHECK(AnswersFromJson(f, R"({"sex": "boy"})", "en")->at("sex") == "boy");   // for validation to refuse

  auto list_for_text = AnswersFromJson(f, R"({"note": ["a", "b"]})", "en");
  REQUIRE_FALSE(list_for_text.ok());
  CHECK(list_for_text.status().code() == Status::Code::kInvalidArgument);
  CHECK(list_for_text.status().message() == "'note': a list is only for a question with several choices (select_multiple)");
  CHECK(AnswersFromJson(f, R"({"sex": ["female"]})", "vi").status().message() ==
        "'sex': chỉ câu hỏi chọn nhiều mới nhận một danh sách");
  CHECK(AnswersFromJson(f, R"({"help": [["food"]]})", "en").status().message() ==
        "'help': each item of the list must be a choice's code or label");
  CHECK(AnswersFromJson(f, R"({"note": {"x": 1}})", "en").status().message() ==
        "'note': must be text, a number or a list");
  CHECK(AnswersFromJson(f, R"([1, 2])", "en").status().message() == "expected a JSON object {\"field\": value}");
  CHECK(AnswersFromJson(f, R"({"note": )", "vi").status().message() == "không phải JSON hợp lệ ở byte 10");
}

TEST_CASE("presentation: import reads JSON Lines by the same rule, CSV cells by their own convention",
          "[presentation][import]") {
  const Form& f = Visit();
  CheckEnv env;
  env.lang = "en";
  auto rows = PlanJsonLinesImport(f, "{\"help\": [\"Rice and food\", \"School fees, books\"]}\n{\"note\": [\"a\"]}\n", env);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  INFO((*rows)[0].issues.size());
  CHECK((*rows)[0].issues.empty());
  CHECK((*rows)[0].answers.at("help") == "food school");  // a label with a comma stays one choice in a list
  REQUIRE((*rows)[1].issues.size() == 1);
  CHECK((*rows)[1].issues[0].field == "note");
  CHECK((*rows)[1].issues[0].message == "a list is only for a question with several choices (select_multiple)");

  auto csv = PlanCsvImport(f, "help,sex\n\"Gạo và thực phẩm; Bảo hiểm y tế\",Nam\n", env);
  REQUIRE(csv.ok());
  REQUIRE(csv->size() == 1);
  CHECK((*csv)[0].answers.at("help") == "food health");
  CHECK((*csv)[0].answers.at("sex") == "male");
}
