// Every form of the pack, filled as a worker would (Vietnamese names with
// diacritics), passes the same validation the shell uses; typical mistakes are
// refused with the message the form declares for them.
#include <catch2/catch.hpp>

#include "sotay/interview.h"
#include "sotay/validate.h"
#include "support/pack_forms.h"

using namespace sotay;

namespace {

const Form& Pack(const std::string& id) { return sotay::testing::PackForm(id); }

// 22 November 2026, 10:00 local time.
CheckEnv Today() { return sotay::testing::CheckDay("2026-11-22", "vi", 10); }

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
          {"perpetrator_in_household", "yes"}, {"assessment_datetime", "2026-11-21T22:00"}, {"risk_level", "high"},
          {"intervention_datetime", "2026-11-22T06:30"}, {"intervention_type", "safe_place medical_care"},
          {"support_plan", "Đưa trẻ về ở với bà ngoại; khám sức khỏe; tư vấn tâm lý."},
          {"support_services", "health_care psychological"}, {"next_review_date", "2026-12-05"}, {"case_status", "open"}};
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

// Version 3 of the pack (issue 15): the profile asks about parents working away,
// nationality, disability, child work and disasters; a case has its plan and its
// referrals as entries; a marriage says whether the two are related by blood.
namespace {

Answers Profile() {
  return {{"full_name", "Sùng Thị Mai"}, {"sex", "female"}, {"dob", "2014-05-05"}, {"ethnicity", "mong"},
          {"birth_registered", "no"}, {"village", "Bản Tả Phìn"}, {"living_with", "relatives"},
          {"caregiver_name", "Sùng Thị Dua"}, {"household_poverty", "poor"}, {"in_school", "yes"},
          {"school_level", "primary"}, {"health_insurance", "yes"}, {"disability", "no"}};
}

}  // namespace

TEST_CASE("pack: a version 2 profile's answers still make a whole version 3 profile", "[pack]") {
  // The new questions are asked behind a gate left empty when it does not apply.
  Passes(Pack("child_profile"), Profile());
}

TEST_CASE("pack: a left-behind child with a disability, who works, after a landslide", "[pack]") {
  const Form& f = Pack("child_profile");
  Answers a = Profile();
  a.insert({{"nationality", "vietnamese"}, {"parents_working_away", "both"}, {"parents_away_since", "2024-02-01"},
            {"left_behind_carer", "grandparents"}, {"disability", "yes"}, {"disability_type", "hearing_speech vision"},
            {"disability_degree", "severe"}, {"disability_schooling", "inclusive"}, {"special_circumstances", "d"},
            {"child_works", "yes"}, {"work_kind", "farming"}, {"work_hours_per_week", "10"},
            {"work_hazardous", "no"}, {"work_paid", "no"}, {"disaster_affected", "yes"},
            {"disaster_type", "flash_flood_landslide"}, {"disaster_date", "2024-09-10"}});
  a["disability"] = "yes";
  Passes(f, a);

  // Who cares for the child, the kind of disability and of work are asked once they apply.
  for (const char* needed : {"left_behind_carer", "parents_away_since", "disability_type", "work_kind", "disaster_date"}) {
    Answers missing = a;
    missing.erase(needed);
    INFO(needed);
    CHECK(IssueFor(CheckAnswers(f, missing, Today()), needed) == "Câu hỏi này bắt buộc phải trả lời.");
  }
  Refuses(f, a, "disability_schooling", "not_in_school");  // the school question says yes
  Refuses(f, a, "disaster_date", "2013-01-01");             // before the child was born
  Refuses(f, a, "work_hours_per_week", "0");
  Refuses(f, a, "parents_away_since", "2026-12-01");        // in the future
  CHECK(IssueFor(CheckAnswers(f, a, Today()), "nationality_other").empty());
  a["nationality"] = "other";
  CHECK(IssueFor(CheckAnswers(f, a, Today()), "nationality_other") == "Câu hỏi này bắt buộc phải trả lời.");
}

TEST_CASE("pack: a case's risk is on the one scale, its plan and referrals are entries with dates", "[pack]") {
  const Form& f = Pack("abuse_case");
  CHECK(f.FindField("urgency") == nullptr);  // retired: version 2 records keep it with their version
  REQUIRE(f.FindField("risk_level") != nullptr);
  CHECK(f.FindField("risk_level")->list == "risk_level");
  std::vector<std::string> scale;
  for (const Choice& c : f.choices.at("risk_level")) scale.push_back(c.name);
  CHECK(scale == std::vector<std::string>{"none", "low", "medium", "high"});
  Refuses(f, AbuseCase(), "next_review_date", "2026-11-01");  // before the report

  Answers parent = AbuseCase();
  CheckEnv env = Today();
  env.parent_form = &f;
  env.parent_answers = &parent;
  const Form* plan = f.FindForm("abuse_case.case_plan");
  const Form* referral = f.FindForm("abuse_case.referrals_made");
  const Form* follow_up = f.FindForm("abuse_case.follow_ups");
  REQUIRE(plan != nullptr);
  REQUIRE(referral != nullptr);
  REQUIRE(follow_up != nullptr);
  Passes(*plan, {{"plan_action", "Đưa trẻ đi khám tại trạm y tế xã."}, {"plan_responsible", "health"},
                 {"plan_due_date", "2026-11-25"}, {"plan_review_date", "2026-12-01"}}, env);
  Passes(*referral, {{"referral_date", "2026-11-22"}, {"referral_to", "health"},
                     {"referral_receiver", "Trạm y tế xã Tả Phìn"}, {"referral_outcome", "accepted"}}, env);
  Answers early{{"referral_date", "2026-11-20"}, {"referral_to", "police"}, {"referral_outcome", "pending"}};
  CHECK(IssueFor(CheckAnswers(*referral, early, env), "referral_date") ==
        referral->FindField("referral_date")->constraint_message.Get("vi"));
  Answers visit{{"followup_date", "2026-11-22"}, {"child_safe", "yes"}, {"next_followup_date", "2026-11-22"}};
  CHECK(IssueFor(CheckAnswers(*follow_up, visit, env), "next_followup_date") ==
        follow_up->FindField("next_followup_date")->constraint_message.Get("vi"));
  visit["next_followup_date"] = "2026-12-22";
  Passes(*follow_up, visit, env);
}

TEST_CASE("pack: a marriage between relatives asks the degree of kinship", "[pack]") {
  const Form& f = Pack("child_marriage");
  Answers a = Marriage();
  a["consanguineous_marriage"] = "yes";
  CHECK(IssueFor(CheckAnswers(f, a, Today()), "kinship_degree") == "Câu hỏi này bắt buộc phải trả lời.");
  a["kinship_degree"] = "first_cousins";
  Passes(f, a);
}
