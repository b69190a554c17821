// Every form of the pack, filled as a worker would (Vietnamese names with
// diacritics), passes the same validation the shell uses; typical mistakes are
// refused with the message the form declares for them.
#include <catch2/catch.hpp>

#include "sotay/interview.h"
#include "sotay/validate.h"

using namespace sotay;

namespace {

const Form& Pack(const std::string& id) {
  static std::map<std::string, Form> forms;
  auto it = forms.find(id);
  if (it == forms.end()) {
    auto loaded = LoadFormFile(std::string(SOTAY_SCHEMAS_DIR) + "/" + id + ".json");
    REQUIRE(loaded.ok());
    it = forms.emplace(id, std::move(loaded).value()).first;
  }
  return it->second;
}

// 22 November 2026, 10:00 local time.
CheckEnv Today() {
  CheckEnv env;
  env.lang = "vi";
  env.today_days = static_cast<double>(*ParseIsoDate("2026-11-22"));
  env.now_ms = static_cast<int64_t>(env.today_days) * 86400000 + 10 * 3600000;
  return env;
}

std::string Declared(const Form& form, const std::string& field) {
  const Field* f = form.FindField(field);
  REQUIRE(f != nullptr);
  return f->constraint_message.Get("vi");
}

std::string IssueFor(const Checked& c, const std::string& field) {
  for (const FieldIssue& i : c.issues) {
    if (i.field == field) return i.message;
  }
  return "";
}

void Passes(const Form& form, const Answers& a, const CheckEnv& env = Today()) {
  Checked c = CheckAnswers(form, a, env);
  INFO(form.id << ": " << (c.issues.empty() ? "" : c.issues[0].field + ": " + c.issues[0].message));
  CHECK(c.ok());
}

// Changes one answer and checks the form's own message for that mistake comes back.
void Refuses(const Form& form, Answers a, const std::string& field, const std::string& wrong) {
  a[field] = wrong;
  Checked c = CheckAnswers(form, a, Today());
  INFO(form.id << "." << field << " = " << wrong);
  CHECK(IssueFor(c, field) == Declared(form, field));
}

Answers AbuseCase() {
  return {{"report_datetime", "2026-11-21T20:15"}, {"reporter_type", "neighbour"}, {"report_channel", "hotline_111"},
          {"reporter_name", "Lường Văn Khánh"}, {"reporter_phone", "0987654321"},
          {"report_summary", "Hàng xóm nghe tiếng trẻ khóc và tiếng đánh nhiều lần."},
          {"child_name", "Vàng Thị Dung"}, {"child_sex", "female"}, {"child_dob", "2016-04-12"},
          {"village", "Bản Tả Phìn"}, {"harm_situation", "harmed"},
          {"harm_types", "physical emotional"}, {"suspected_perpetrator", "step_parent"},
          {"perpetrator_in_household", "yes"}, {"assessment_datetime", "2026-11-21T22:00"}, {"urgency", "serious"},
          {"intervention_datetime", "2026-11-22T06:30"}, {"intervention_type", "safe_place medical_care"},
          {"support_plan", "Đưa trẻ về ở với bà ngoại; khám sức khỏe; tư vấn tâm lý."},
          {"support_services", "health_care psychological"}, {"referrals", "health police"}, {"case_status", "open"}};
}

Answers Injury() {
  return {{"child_name", "Hờ A Chứ"}, {"child_sex", "male"}, {"child_dob", "2017-08-02"},
          {"village", "Bản Sả Séng"}, {"incident_date", "2026-06-14"}, {"injury_type", "drowning"},
          {"drowning_place", "stream"}, {"could_swim", "no"}, {"supervised_by_adult", "no"}, {"hospitalised", "yes"},
          {"outcome", "recovered"}};
}

Answers Marriage() {
  return {{"report_date", "2026-10-05"}, {"report_source", "village"}, {"child_name", "Giàng Thị Mỷ"},
          {"child_sex", "female"}, {"child_dob", "2010-02-20"}, {"ethnicity", "mong"},
          {"village", "Bản Pờ Ngài"}, {"marriage_status", "happened"}, {"marriage_date", "2026-09-01"},
          {"spouse_age", "19"}, {"marriage_form", "customary"}, {"action_taken", "reported_to_authorities"},
          {"school_status_after", "dropped_out"}};
}

Answers Dropout() {
  return {{"child_name", "Đinh Văn Tuấn"}, {"child_sex", "male"}, {"child_dob", "2012-03-03"},
          {"village", "Thôn Khe Sanh"}, {"caregiver_name", "Đinh Thị Nở"},
          {"caregiver_phone", "0345678912"}, {"school_level", "lower_secondary"}, {"last_grade", "7"},
          {"dropout_date", "2026-02-10"}, {"reasons", "work distance"}, {"followup_actions", "home_visit counselling"},
          {"returned_to_school", "yes"}, {"return_date", "2026-09-05"}, {"return_form", "same_school"}};
}

}  // namespace

TEST_CASE("pack: an abuse report is accepted, and its typical mistakes refused", "[pack]") {
  const Form& f = Pack("abuse_case");
  Passes(f, AbuseCase());
  Refuses(f, AbuseCase(), "report_datetime", "2026-11-22T18:00");  // later than now
  Refuses(f, AbuseCase(), "intervention_datetime", "2026-11-21T19:00");  // before the report
  Refuses(f, AbuseCase(), "reporter_phone", "0212345678");
  Refuses(f, AbuseCase(), "child_dob", "2009-01-01");  // 17: not a child
  // An intervention more than 12 hours after the report needs a reason.
  Answers late = AbuseCase();
  late["intervention_datetime"] = "2026-11-22T09:00";
  CHECK(IssueFor(CheckAnswers(f, late, Today()), "late_reason") == "Câu hỏi này bắt buộc phải trả lời.");
  late["late_reason"] = "Đường bị sạt lở, phải đi vòng.";
  Passes(f, late);
}

TEST_CASE("pack: a drowning is recorded with its own questions, other injuries skip them", "[pack]") {
  const Form& f = Pack("injury_incident");
  Passes(f, Injury());
  Refuses(f, Injury(), "incident_date", "2027-01-01");
  Refuses(f, Injury(), "child_dob", "2027-01-01");

  std::vector<std::string> asked;
  Answers fall = Injury();
  fall["injury_type"] = "fall";
  fall["incident_place"] = "home";
  Interview iv(f, {}, Today());
  while (const Field* q = iv.Current()) {
    asked.push_back(q->name);
    auto it = fall.find(q->name);
    REQUIRE_FALSE(iv.Answer(it == fall.end() ? "" : it->second).has_value());
  }
  CHECK(std::find(asked.begin(), asked.end(), "incident_place") != asked.end());
  CHECK(std::find(asked.begin(), asked.end(), "drowning_place") == asked.end());
  CHECK(std::find(asked.begin(), asked.end(), "could_swim") == asked.end());
  CHECK(std::find(asked.begin(), asked.end(), "death_date") == asked.end());
}

TEST_CASE("pack: a child marriage is under the legal age for the sex", "[pack]") {
  const Form& f = Pack("child_marriage");
  Passes(f, Marriage());
  Answers adult = Marriage();
  adult["child_dob"] = "2008-01-01";  // 18 at the marriage: not a child marriage for a woman
  Refuses(f, adult, "marriage_date", "2026-09-01");
  Answers boy = Marriage();
  boy["child_sex"] = "male";
  boy["child_dob"] = "2007-01-01";  // 19: under 20, a child marriage for a man
  Passes(f, boy);
  Refuses(f, Marriage(), "action_taken", "prevented");  // it already happened
  Refuses(f, Marriage(), "spouse_age", "7");
}

TEST_CASE("pack: a school dropout follow-up checks grades, ages and dates", "[pack]") {
  const Form& f = Pack("school_dropout");
  Passes(f, Dropout());
  Refuses(f, Dropout(), "last_grade", "3");  // not a lower-secondary grade
  Refuses(f, Dropout(), "return_date", "2026-01-01");  // before leaving school
  Refuses(f, Dropout(), "child_dob", "2027-01-01");  // not born yet
  Answers four = Dropout();
  four["child_dob"] = "2022-01-01";  // 4 on the day they left school: that day is refused
  CHECK(IssueFor(CheckAnswers(f, four, Today()), "dropout_date") == Declared(f, "dropout_date"));
  Refuses(f, Dropout(), "caregiver_phone", "0212345678");  // a landline prefix
}

TEST_CASE("pack: a home visit is an entry of the child's profile and sees the child's answers", "[pack]") {
  const Form& profile = Pack("child_profile");
  const Form* visits = profile.FindForm("child_profile.home_visits");
  REQUIRE(visits != nullptr);
  Answers child{{"full_name", "Sùng Thị Mai"}, {"dob", "2016-05-05"}};
  CheckEnv env = Today();
  env.parent_form = &profile;
  env.parent_answers = &child;
  Answers visit{{"visit_date", "2026-11-20"}, {"visit_purpose", "routine"}, {"child_seen", "yes"},
                {"risk_level", "low"}, {"findings", "Trẻ đã đi học lại đều."}};
  Checked c = CheckAnswers(*visits, visit, env);
  INFO((c.issues.empty() ? "" : c.issues[0].field + ": " + c.issues[0].message));
  CHECK(c.ok());
  visit["visit_date"] = "2015-01-01";  // before the child was born
  CHECK(IssueFor(CheckAnswers(*visits, visit, env), "visit_date") == visits->FindField("visit_date")->constraint_message.Get("vi"));
}
