// Validation and the interview, on the child profile a worker fills.
#include <catch2/catch.hpp>

#include "sotay/interview.h"
#include "sotay/validate.h"
#include "support/pack_forms.h"

using namespace sotay;

namespace {

const Form& ChildProfile() { return sotay::testing::PackForm("child_profile"); }

CheckEnv Today(const std::string& lang = "vi") {
  CheckEnv env;
  env.lang = lang;
  env.today_days = static_cast<double>(*ParseIsoDate("2026-11-22"));
  env.now_ms = static_cast<int64_t>(env.today_days) * 86400000;
  return env;
}

Answers ValidChild() {
  return {{"full_name", "Nguyễn Thị Ánh"}, {"sex", "female"},        {"dob", "2015-03-21"},
          {"ethnicity", "mong"},           {"birth_registered", "yes"},
          {"village", "Bản Phố"},          {"living_with", "relatives"}, {"caregiver_name", "Vừ Thị Mai"},
          {"caregiver_phone", "0912345678"}, {"household_poverty", "poor"}, {"in_school", "yes"},
          {"school_level", "primary"},     {"health_insurance", "yes"},   {"disability", "no"}};
}

std::string IssueFor(const Checked& c, const std::string& field) {
  for (const FieldIssue& i : c.issues) {
    if (i.field == field) return i.message;
  }
  return "";
}

}  // namespace

TEST_CASE("validate: realistic answers pass and the age is computed", "[validate]") {
  Checked c = CheckAnswers(ChildProfile(), ValidChild(), Today());
  INFO((c.issues.empty() ? "" : c.issues[0].field + ": " + c.issues[0].message));
  REQUIRE(c.ok());
  CHECK(c.answers.at("age_years") == "11");
}

TEST_CASE("validate: a date of birth in the future is refused with the form's message", "[validate]") {
  Answers a = ValidChild();
  a["dob"] = "2027-01-01";
  Checked c = CheckAnswers(ChildProfile(), a, Today());
  CHECK(IssueFor(c, "dob").find("Ngày sinh không được ở tương lai") == 0);
  a["dob"] = "2005-01-01";  // 21 years old: not a child
  CHECK_FALSE(IssueFor(CheckAnswers(ChildProfile(), a, Today()), "dob").empty());
  a["dob"] = "2015-02-30";
  CHECK(IssueFor(CheckAnswers(ChildProfile(), a, Today("en")), "dob") ==
        "Enter a real date as YYYY-MM-DD, e.g. 2015-03-21.");
}

TEST_CASE("validate: a personal number that disagrees with the answers names the digit, then the form's message",
          "[validate][personal_id]") {
  Answers a = ValidChild();  // a girl born in 2015
  a["personal_id"] = "001215012345";  // 4th digit 2: a boy
  const std::string vi = IssueFor(CheckAnswers(ChildProfile(), a, Today()), "personal_id");
  CHECK(vi.find("Chữ số thứ 4 là 2") == 0);
  CHECK(vi.find("Số định danh cá nhân gồm 12 chữ số") != std::string::npos);  // the form's guidance follows
  CHECK(vi.find("001215012345") == std::string::npos);                        // never the number itself
  a["personal_id"] = "001316012345";  // a girl born in 2016
  const std::string en = IssueFor(CheckAnswers(ChildProfile(), a, Today("en")), "personal_id");
  CHECK(en.find("2016") != std::string::npos);
  CHECK(en.find("A personal identification number has 12 digits") != std::string::npos);
  a["personal_id"] = "001315012345";
  CHECK(IssueFor(CheckAnswers(ChildProfile(), a, Today()), "personal_id").empty());
}

TEST_CASE("validate: required questions, choices and phone numbers", "[validate]") {
  Answers a = ValidChild();
  a.erase("full_name");
  a["sex"] = "unknown";
  a["caregiver_phone"] = "0123";
  Checked c = CheckAnswers(ChildProfile(), a, Today());
  CHECK(IssueFor(c, "full_name") == "Câu hỏi này bắt buộc phải trả lời.");
  CHECK(IssueFor(c, "sex") == "Lựa chọn này không có trong danh sách.");
  CHECK(IssueFor(c, "caregiver_phone") == "Số điện thoại không hợp lệ.");
  a = ValidChild();
  a["caregiver_phone"] = "0212345678";  // a landline prefix: not a mobile
  CHECK(IssueFor(CheckAnswers(ChildProfile(), a, Today()), "caregiver_phone")
            .find("Số điện thoại di động Việt Nam") == 0);
}

TEST_CASE("validate: answers to questions that are not relevant are not kept", "[validate]") {
  Answers a = ValidChild();
  a["in_school"] = "no";
  a["dropout_reason"] = "work";
  // school_level was answered but is no longer relevant.
  Checked c = CheckAnswers(ChildProfile(), a, Today());
  REQUIRE(c.ok());
  CHECK(c.answers.count("school_level") == 0);
  CHECK(c.answers.at("dropout_reason") == "work");
}

TEST_CASE("validate: choice_filter offers only the school levels for the child's age", "[validate]") {
  Answers a = ValidChild();
  a["dob"] = "2022-01-01";  // four years old
  Checked c = CheckAnswers(ChildProfile(), a, Today());
  CHECK(IssueFor(c, "school_level") == "Lựa chọn này không có trong danh sách.");
  Answers computed = a;
  ComputeCalculates(ChildProfile(), computed, Today());
  auto offered = AvailableChoices(ChildProfile(), *ChildProfile().FindField("school_level"), computed, Today());
  REQUIRE(offered.size() == 1);
  CHECK(offered[0]->name == "preschool");
}

TEST_CASE("validate: unknown fields and cross-field constraints", "[validate]") {
  Answers a = ValidChild();
  a["favourite_colour"] = "blue";
  a["special_circumstances"] = "d k";
  Checked c = CheckAnswers(ChildProfile(), a, Today("en"));
  CHECK(IssueFor(c, "favourite_colour") == "The form has no such field.");
  CHECK(IssueFor(c, "special_circumstances").find("The disability group is chosen") == 0);
}

TEST_CASE("validate: what a person types is tidied, never changed in meaning", "[validate]") {
  const Form& f = ChildProfile();
  CHECK(Canonical(*f.FindField("dob"), " 21/3/2015 ") == "2015-03-21");
  CHECK(Canonical(*f.FindField("caregiver_phone"), "0912 345 678") == "0912345678");
  CHECK(Canonical(*f.FindField("special_circumstances"), "a,  d") == "a d");
  Field dec;
  dec.type = FieldType::kDecimal;
  CHECK(Canonical(dec, "3,5") == "3.5");
  CHECK(Canonical(dec, "1,000.5") == "1,000.5");  // ambiguous: left for validation to refuse
}

TEST_CASE("interview: asks only relevant questions, in order", "[interview]") {
  Interview iv(ChildProfile(), {}, Today());
  std::vector<std::string> asked;
  Answers answers = ValidChild();
  answers["in_school"] = "no";
  answers["dropout_reason"] = "cost";
  answers.erase("school_level");
  while (const Field* f = iv.Current()) {
    asked.push_back(f->name);
    auto it = answers.find(f->name);
    REQUIRE_FALSE(iv.Answer(it == answers.end() ? "" : it->second).has_value());
  }
  std::vector<std::string> expected{"full_name", "sex", "dob", "ethnicity", "birth_registered",
                                    "personal_id", "village", "nationality", "migration", "living_with",
                                    "caregiver_name", "caregiver_phone", "parents_working_away", "household_poverty",
                                    "household_with", "in_school", "dropout_reason", "child_works", "health_insurance",
                                    "disability", "special_circumstances", "disaster_affected", "notes"};
  // No ethnicity_other, no school_level; no nationality_other, no parents_away_since,
  // no work_kind, no disability_type, no disaster_type: their gates are not open.
  CHECK(asked == expected);
  CHECK(CheckAnswers(ChildProfile(), iv.answers(), Today()).ok());
}

TEST_CASE("interview: an invalid answer is refused and asked again, and back goes back", "[interview]") {
  Interview iv(ChildProfile(), {}, Today());
  REQUIRE(iv.Current()->name == "full_name");
  auto issue = iv.Answer("A");
  REQUIRE(issue.has_value());
  CHECK(issue->message == "Họ tên phải dài từ 2 đến 100 ký tự.");
  CHECK(iv.Current()->name == "full_name");
  CHECK_FALSE(iv.Answer("Lò Văn Páo").has_value());
  CHECK(iv.Current()->name == "sex");
  CHECK(iv.Back());
  CHECK(iv.Current()->name == "full_name");
  CHECK(iv.Suggested() == "Lò Văn Páo");
  CHECK_FALSE(iv.Back());
}

TEST_CASE("interview: a draft's position is restored", "[interview]") {
  Interview iv(ChildProfile(), {}, Today());
  iv.Answer("Lò Văn Páo");
  iv.Answer("male");
  Interview resumed(ChildProfile(), iv.answers(), Today());
  resumed.Restore(iv.trail());
  CHECK(resumed.Current()->name == "dob");
  CHECK(resumed.Back());
  CHECK(resumed.Current()->name == "sex");
}

TEST_CASE("validate: numbers and phone numbers are checked exactly", "[validate]") {
  Field integer, decimal, phone;
  integer.type = FieldType::kInteger;
  decimal.type = FieldType::kDecimal;
  phone.type = FieldType::kPhone;
  Form form;
  auto ok = [&](const Field& f, const std::string& v) { return !CheckValue(form, f, v, {}, Today()).has_value(); };
  CHECK(ok(integer, "12"));
  CHECK(ok(integer, "-3"));
  CHECK(ok(integer, "123456789012345678"));
  CHECK_FALSE(ok(integer, "1234567890123456789"));
  CHECK_FALSE(ok(integer, "1.5"));
  CHECK_FALSE(ok(integer, "-"));
  CHECK_FALSE(ok(integer, "1e5"));
  CHECK_FALSE(ok(integer, " 1"));
  CHECK(ok(decimal, "3.5"));
  CHECK(ok(decimal, "-0.25"));
  CHECK(ok(decimal, "7"));
  CHECK_FALSE(ok(decimal, "3."));
  CHECK_FALSE(ok(decimal, ".5"));
  CHECK_FALSE(ok(decimal, "3,5"));  // Canonical() turns a typed comma into a point first
  CHECK_FALSE(ok(decimal, "1.2.3"));
  CHECK(ok(phone, "0912345678"));
  CHECK(ok(phone, "+84912345678"));
  CHECK_FALSE(ok(phone, "091234"));
  CHECK_FALSE(ok(phone, "0912-345-678"));
}

TEST_CASE("validate: CheckType looks at the value alone - type and list, not filters or constraints", "[validate]") {
  const Form& f = ChildProfile();
  const Field& level = *f.FindField("school_level");
  // A filtered-out level is still in the list: the server cannot judge the filter
  // from one edit, since the age may change in another.
  CHECK_FALSE(CheckType(f, level, "upper_secondary", "en").has_value());
  REQUIRE(CheckType(f, level, "university", "en").has_value());
  CHECK(CheckType(f, level, "university", "en")->field == "school_level");
  CHECK(CheckType(f, *f.FindField("special_circumstances"), "a d", "en") == std::nullopt);
  CHECK(CheckType(f, *f.FindField("special_circumstances"), "a a", "en").has_value());
  CHECK(CheckType(f, *f.FindField("dob"), "2015-02-30", "en").has_value());
  // The dob constraint (under 16) is not CheckType's business; an empty value passes.
  CHECK_FALSE(CheckType(f, *f.FindField("dob"), "1990-01-01", "en").has_value());
  CHECK_FALSE(CheckType(f, *f.FindField("full_name"), "", "en").has_value());
  CHECK(CheckType(f, *f.FindField("full_name"), std::string("\xff\xfe"), "en").has_value());
}

TEST_CASE("validate: escape sequences, NUL and bidi overrides are refused, naming the field and the character",
          "[validate]") {
  const Form& f = ChildProfile();
  const Field& name = *f.FindField("full_name");
  const std::vector<std::pair<std::string, std::string>> refused{
      {"Ánh\x1b[31m", "U+001B"},                 // ESC: a terminal would run it
      {std::string("Ánh\0x", 5), "U+0000"},      // NUL
      {"Ánh\rThị", "U+000D"},                    // a lone CR overwrites the line on a terminal
      {"Ánh\x7f", "U+007F"},                     // DEL
      {"Ánh\xc2\x9b" "31m", "U+009B"},           // C1 CSI
      {"Ánh \xe2\x80\xae" "cba", "U+202E"},      // right-to-left override
      {"Ánh \xe2\x80\xaa" "x", "U+202A"},        // left-to-right embedding
      {"Ánh \xe2\x81\xa6" "x", "U+2066"},        // left-to-right isolate
      {"Ánh \xe2\x81\xa9", "U+2069"},            // pop directional isolate
  };
  for (const auto& [value, code_point] : refused) {
    INFO(code_point);
    auto issue = CheckType(f, name, value, "en");
    REQUIRE(issue.has_value());
    CHECK(issue->field == "full_name");
    CHECK(issue->message.find(code_point) != std::string::npos);
    CHECK(issue->message.find("Ánh") == std::string::npos);  // never the value
  }
  CHECK(CheckType(f, name, "Ánh\x1b[31m", "vi")->message.find("ký tự điều khiển") != std::string::npos);
  // Every type: a choice list code and a date are refused the same way, before their own checks.
  CHECK(CheckType(f, *f.FindField("sex"), "female\x1b", "en")->message.find("U+001B") != std::string::npos);
  // Tab and newline are text; so are Vietnamese letters, the left-to-right mark and other symbols.
  CHECK_FALSE(CheckType(f, *f.FindField("notes"), "Dòng một\nDòng\thai — “trích” ₫ \xe2\x80\x8e", "en"));
  // The whole record is refused, not only the server's edit.
  Answers a = ValidChild();
  a["village"] = "Bản Phố\x1b[2J";
  Checked c = CheckAnswers(f, a, Today("en"));
  CHECK(IssueFor(c, "village").find("U+001B") != std::string::npos);
}

TEST_CASE("validate: a CRLF inside an Excel cell is kept as a newline, not refused", "[validate]") {
  const Form& f = ChildProfile();
  const Field& notes = *f.FindField("notes");
  CHECK(Canonical(notes, "Dòng một\r\nDòng hai\rDòng ba\r\n") == "Dòng một\nDòng hai\nDòng ba");
  Answers a = ValidChild();
  a["village"] = "Bản\r\nPhố";
  Checked c = CheckAnswers(f, a, Today("en"));
  CHECK(c.ok());
  CHECK(c.answers.at("village") == "Bản\nPhố");
}
