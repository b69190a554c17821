// The register's lifecycle (issue 14): a rule that moves with today() never fails an
// old record on a later edit, ages are checked on the event's own date, and who is on
// the register on a day has one answer whenever it is asked.
#include <catch2/catch.hpp>

#include <random>

#include "sotay/indicators.h"
#include "sotay/notebook.h"
#include "sotay/register.h"
#include "sotay/validate.h"
#include "support/child_answers.h"
#include "support/temp_dir.h"
#include "support/pack_forms.h"

using namespace sotay;

namespace {

const Form& Pack(const std::string& id) { return sotay::testing::PackForm(id); }

int64_t Day(const std::string& iso) { return *ParseIsoDate(iso); }

CheckEnv On(const std::string& iso) {
  CheckEnv env;
  env.lang = "en";
  env.today_days = static_cast<double>(Day(iso));
  env.now_ms = Day(iso) * 86400000 + 10 * 3600000;
  return env;
}

std::string IssueFor(const Checked& c, const std::string& field) {
  for (const FieldIssue& i : c.issues) {
    if (i.field == field) return i.message;
  }
  return "";
}

std::string Issues(const Checked& c) {
  std::string out;
  for (const FieldIssue& i : c.issues) out += i.field + ": " + i.message + "\n";
  return out;
}

// A girl born 10 May 2010, reported on 20 February 2025, when she was 14.
Answers AbuseCase() {
  return {{"report_datetime", "2025-02-20T09:00"}, {"reporter_type", "neighbour"}, {"report_channel", "phone"},
          {"reporter_name", "Lường Văn Khánh"}, {"report_summary", "Hàng xóm báo trẻ bị đánh."},
          {"child_name", "Vàng Thị Dung"}, {"child_sex", "female"}, {"child_dob", "2010-05-10"},
          {"village", "Bản Tả Phìn"}, {"harm_situation", "harmed"},
          {"harm_types", "physical"}, {"suspected_perpetrator", "step_parent"},
          {"perpetrator_in_household", "yes"}, {"assessment_datetime", "2025-02-20T11:00"}, {"risk_level", "medium"},
          {"support_plan", "Tư vấn cho gia đình."}, {"case_status", "open"}};
}

// The answers after an edit of `changes`, as the notebook checks them.
Answers With(Answers a, const Answers& changes) {
  for (const auto& [k, v] : changes) a[k] = v;
  return a;
}

Answers Injury(const std::string& dob, const std::string& incident) {
  return {{"child_name", "Hờ A Chứ"}, {"child_sex", "male"}, {"child_dob", dob},
          {"village", "Bản Sả Séng"}, {"incident_date", incident}, {"injury_type", "fall"},
          {"incident_place", "home"}, {"hospitalised", "no"}, {"outcome", "recovered"}};
}

ReportRecord Profile(const std::string& id, const std::string& dob, const std::string& created,
                     const Answers& extra = {}) {
  ReportRecord r;
  r.id = id;
  r.area = "01234";
  r.answers = sotay::testing::ChildAnswers(id);
  r.answers["dob"] = dob;
  for (const auto& [k, v] : extra) r.answers[k] = v;
  r.created_ms = Day(created) * 86400000 + 9 * 3600000;
  return r;
}

int64_t Total(const std::vector<IndicatorResult>& results, const std::string& name) {
  for (const IndicatorResult& r : results) {
    if (r.indicator->name == name) return r.total.count;
  }
  FAIL("no indicator " << name);
  return -1;
}

ReportPeriod Year(int y) {
  ReportPeriod p;
  p.from_day = Day(std::to_string(y) + "-01-01");
  p.to_day = Day(std::to_string(y) + "-12-31");
  return p;
}

}  // namespace

TEST_CASE("lifecycle: closing the case of a child who has since turned sixteen passes", "[lifecycle][validate]") {
  const Form& f = Pack("abuse_case");
  const Answers saved = AbuseCase();
  REQUIRE(CheckAnswers(f, saved, On("2025-02-21")).ok());

  // November 2026: she is sixteen. The edit closes the case; her birth date is unchanged.
  CheckEnv edit = On("2026-11-22");
  edit.before = &saved;
  const Answers closing =
      With(saved, {{"case_status", "closed"}, {"closed_date", "2026-11-20"}, {"closure_reason", "turned_16"}});
  Checked c = CheckAnswers(f, closing, edit);
  INFO(Issues(c));
  CHECK(c.ok());

  // Her birth date is checked against the day of the report, so even entered today the
  // case is valid: she was 14 when it was reported.
  CHECK(CheckAnswers(f, closing, On("2026-11-22")).ok());
  // Born a year earlier she was 15 on 20/02/2025 ... and two years earlier, 16: refused.
  CHECK(IssueFor(CheckAnswers(f, With(saved, {{"child_dob", "2009-03-01"}}), On("2025-02-21")), "child_dob").empty());
  CHECK_FALSE(
      IssueFor(CheckAnswers(f, With(saved, {{"child_dob", "2009-02-20"}}), On("2025-02-21")), "child_dob").empty());
}

TEST_CASE("lifecycle: on an edit a constraint is checked when its field or a field it names changes",
          "[lifecycle][validate]") {
  const Form& profile = Pack("child_profile");
  Answers saved = sotay::testing::ChildAnswers("Lò Thị Hoa");
  saved["dob"] = "2010-05-10";
  REQUIRE(CheckAnswers(profile, saved, On("2025-03-01")).ok());

  const CheckEnv later = On("2026-11-22");  // sixteen now
  CheckEnv edit = later;
  edit.before = &saved;
  // A note on a sixteen-year-old's profile: nothing the dob rule reads has changed.
  Checked note = CheckAnswers(profile, With(saved, {{"notes", "Đã gặp trẻ tại nhà."}}), edit);
  INFO(Issues(note));
  CHECK(note.ok());
  // At creation every constraint is checked: the same answers are refused today.
  CHECK_FALSE(IssueFor(CheckAnswers(profile, saved, later), "dob").empty());
  // Changing the birth date checks it again, against today.
  CHECK_FALSE(IssueFor(CheckAnswers(profile, With(saved, {{"dob", "2010-05-11"}}), edit), "dob").empty());
  // Types and choices are always checked, changed or not.
  CHECK_FALSE(IssueFor(CheckAnswers(profile, With(saved, {{"sex", "unknown"}}), edit), "sex").empty());

  // A field whose rule names another field is checked again when that field changes:
  // the injury's date must not be before the birth, which is moved after it.
  const Form& injury = Pack("injury_incident");
  const Answers fall = Injury("2012-01-15", "2025-06-01");
  REQUIRE(CheckAnswers(injury, fall, On("2025-06-02")).ok());
  CheckEnv injury_edit = later;
  injury_edit.before = &fall;
  Checked moved = CheckAnswers(injury, With(fall, {{"child_dob", "2025-07-01"}}), injury_edit);
  CHECK_FALSE(IssueFor(moved, "incident_date").empty());
}

TEST_CASE("lifecycle: ages are checked on the event's own date", "[lifecycle][validate]") {
  const CheckEnv today = On("2026-11-22");
  // An injury entered late: the boy is 16 today, but was 15 on the day of the fall.
  const Form& injury = Pack("injury_incident");
  Checked late = CheckAnswers(injury, Injury("2010-05-10", "2026-04-30"), today);
  INFO(Issues(late));
  CHECK(late.ok());
  // A fall on or after his sixteenth birthday is not a child's injury: the date is named.
  Checked adult = CheckAnswers(injury, Injury("2010-05-10", "2026-05-10"), today);
  CHECK(adult.issues.size() == 1);
  CHECK(IssueFor(adult, "incident_date").find("under 16") != std::string::npos);

  // A dropout: 6 to 15 on the day the child left school, whatever the age today.
  const Form& dropout = Pack("school_dropout");
  Answers left = {{"child_name", "Đinh Văn Tuấn"}, {"child_sex", "male"}, {"child_dob", "2010-05-10"},
                  {"village", "Thôn Khe Sanh"}, {"caregiver_name", "Đinh Thị Nở"},
                  {"caregiver_phone", "0345678912"}, {"school_level", "lower_secondary"},
                  {"last_grade", "9"}, {"dropout_date", "2025-09-01"}, {"reasons", "work"},
                  {"followup_actions", "home_visit"}, {"returned_to_school", "no"}};
  Checked d = CheckAnswers(dropout, left, today);
  INFO(Issues(d));
  CHECK(d.ok());
  CHECK(d.answers.at("age_years") == "16");
  CHECK_FALSE(IssueFor(CheckAnswers(dropout, With(left, {{"dropout_date", "2026-06-01"}}), today), "dropout_date")
                  .empty());  // 16 by then
  CHECK_FALSE(IssueFor(CheckAnswers(dropout, With(left, {{"child_dob", "2020-01-01"}}), today), "dropout_date")
                  .empty());  // 5 then

  // A marriage: the age on the wedding day, counted on birthdays.
  const Form& marriage = Pack("child_marriage");
  Answers wed = {{"report_date", "2026-10-05"}, {"report_source", "village"}, {"child_name", "Giàng Thị Mỷ"},
                 {"child_sex", "female"}, {"child_dob", "2008-09-02"}, {"ethnicity", "mong"},
                 {"village", "Bản Pờ Ngài"}, {"marriage_status", "happened"},
                 {"marriage_date", "2026-09-01"}, {"spouse_age", "19"}, {"marriage_form", "customary"},
                 {"action_taken", "reported_to_authorities"}, {"school_status_after", "dropped_out"}};
  Checked m = CheckAnswers(marriage, wed, today);
  INFO(Issues(m));
  CHECK(m.ok());
  CHECK(m.answers.at("age_at_marriage") == "17");  // the day before her 18th birthday
  CHECK_FALSE(
      IssueFor(CheckAnswers(marriage, With(wed, {{"marriage_date", "2026-09-02"}}), today), "marriage_date").empty());
}

TEST_CASE("lifecycle: a profile's register status and the date the child left", "[lifecycle][validate]") {
  const Form& profile = Pack("child_profile");
  Answers saved = sotay::testing::ChildAnswers("Lò Thị Hoa");
  REQUIRE(CheckAnswers(profile, saved, On("2026-01-05")).ok());
  CheckEnv edit = On("2026-11-22");
  edit.before = &saved;
  // Leaving needs the date.
  Checked no_date = CheckAnswers(profile, With(saved, {{"register_status", "moved"}}), edit);
  CHECK(IssueFor(no_date, "register_left_date") == "This question requires an answer.");
  CHECK(CheckAnswers(profile, With(saved, {{"register_status", "moved"}, {"register_left_date", "2026-10-01"}}), edit)
            .ok());
  // Not in the future, not before the birth.
  CHECK_FALSE(IssueFor(CheckAnswers(profile,
                                    With(saved, {{"register_status", "died"}, {"register_left_date", "2026-12-01"}}),
                                    edit),
                       "register_left_date")
                  .empty());
  CHECK_FALSE(IssueFor(CheckAnswers(profile,
                                    With(saved, {{"register_status", "died"}, {"register_left_date", "2015-03-20"}}),
                                    edit),
                       "register_left_date")
                  .empty());
  // "Other" says why.
  Answers other = With(saved, {{"register_status", "other"}, {"register_left_date", "2026-10-01"}});
  CHECK(IssueFor(CheckAnswers(profile, other, edit), "register_other_reason") == "This question requires an answer.");
  other["register_other_reason"] = "Gia đình nhận nuôi ở nước ngoài.";
  CHECK(CheckAnswers(profile, other, edit).ok());
  // Active (or no status) asks no date and keeps none.
  Checked active = CheckAnswers(
      profile, With(saved, {{"register_status", "active"}, {"register_left_date", "2026-10-01"}}), edit);
  CHECK(active.ok());
  CHECK(active.answers.count("register_left_date") == 0);
  // The status has Vietnamese and English labels.
  const Choice* moved = profile.FindChoice("register_status", "moved");
  REQUIRE(moved != nullptr);
  CHECK(moved->label.Get("vi") == "Chuyển đi nơi khác");
  CHECK(moved->label.Get("en") == "Moved to another commune");
}

TEST_CASE("lifecycle: who is on the register on a day", "[lifecycle][register]") {
  RegisterFacts f = RegisterFactsOf({{"dob", "2010-05-10"}}, Day("2025-03-01") * 86400000);
  CHECK_FALSE(OnRegister(f, Day("2025-02-28")));  // not yet made
  CHECK(OnRegister(f, Day("2025-03-01")));
  CHECK(OnRegister(f, Day("2026-05-09")));
  CHECK_FALSE(OnRegister(f, Day("2026-05-10")));  // sixteen

  RegisterFacts moved = RegisterFactsOf(
      {{"dob", "2015-03-21"}, {"register_status", "moved"}, {"register_left_date", "2026-06-30"}},
      Day("2025-03-01") * 86400000);
  CHECK(OnRegister(moved, Day("2026-06-29")));
  CHECK_FALSE(OnRegister(moved, Day("2026-06-30")));
  // Active, or a status with no date, takes no one off.
  CHECK(OnRegister(RegisterFactsOf({{"dob", "2015-03-21"}, {"register_status", "active"},
                                    {"register_left_date", "2026-06-30"}},
                                   0),
                   Day("2026-07-01")));
  CHECK(OnRegister(RegisterFactsOf({{"dob", "2015-03-21"}, {"register_status", "died"}}, 0), Day("2026-07-01")));
  CHECK(IsRegisterForm(Pack("child_profile")));
  CHECK_FALSE(IsRegisterForm(Pack("abuse_case")));
}

TEST_CASE("lifecycle: the register's counts are as of the period's end, whenever asked", "[lifecycle][indicators]") {
  const Form& form = Pack("child_profile");
  std::vector<ReportRecord> records = {
      Profile("a", "2010-05-10", "2025-03-01"),  // turns 16 on 10/05/2026
      Profile("b", "2015-03-21", "2025-03-01",
              {{"register_status", "moved"}, {"register_left_date", "2026-06-30"}}),
      Profile("c", "2019-01-01", "2025-03-01",
              {{"register_status", "died"}, {"register_left_date", "2025-12-31"}}),  // left on the last day
      Profile("d", "2018-07-01", "2026-01-10"),  // made after 2025
  };
  // 2025: a and b; c left on 31/12; d was not made yet.
  const auto asked_2026 = ComputeIndicators(form, records, Year(2025), On("2026-11-22"));
  const auto asked_2027 = ComputeIndicators(form, records, Year(2025), On("2027-11-22"));
  CHECK(Total(asked_2026, "children_total") == 2);
  CHECK(Total(asked_2027, "children_total") == 2);
  // Ages on 31/12/2025 (a is 15, b is 10), not on the day asked.
  CHECK(Total(asked_2026, "children_6_15") == 2);
  CHECK(Total(asked_2027, "children_6_15") == 2);
  for (size_t i = 0; i < asked_2026.size(); ++i) {
    INFO(asked_2026[i].indicator->name);
    CHECK(asked_2026[i].total.count == asked_2027[i].total.count);
    CHECK(asked_2026[i].total.of == asked_2027[i].total.of);
  }
  // A period before the move still counts b; after it, b and the sixteen-year-old a are gone.
  ReportPeriod june;
  june.to_day = Day("2026-06-29");
  CHECK(Total(ComputeIndicators(form, records, june, On("2026-11-22")), "children_total") == 2);  // b, d
  CHECK(Total(ComputeIndicators(form, records, Year(2026), On("2027-01-05")), "children_total") == 1);  // d
  // An open period counts as of today.
  CHECK(Total(ComputeIndicators(form, records, ReportPeriod{}, On("2026-11-22")), "children_total") == 1);
  // The other forms' stock indicators still count records as they did.
  const Form& abuse = Pack("abuse_case");
  ReportRecord open_case;
  open_case.area = "01234";
  open_case.answers = AbuseCase();
  CHECK(Total(ComputeIndicators(abuse, {open_case}, Year(2026), On("2026-11-22")), "cases_open") == 1);
}

namespace {

class FixedClock : public Env {
 public:
  int64_t now = 0;
  int64_t NowMs() override { return now += 1000; }
  int64_t LocalNowMs() override { return now; }
  void RandomBytes(uint8_t* out, size_t n) override {
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(rng_());
  }

 private:
  std::mt19937 rng_{14};
};

}  // namespace

TEST_CASE("lifecycle: a notebook's report on 31/12/2025 is the same asked today and a year later",
          "[lifecycle][notebook]") {
  sotay::testing::TempDir dir;
  FixedClock clock;
  clock.now = Day("2025-03-01") * 86400000 + 9 * 3600000;
  NotebookOptions o;
  o.kdf = KdfLimits::Fast();
  o.env = &clock;
  auto created = Notebook::Create(dir.File("notebook.db"), "mật khẩu đủ dài", o);
  REQUIRE(created.ok());
  std::unique_ptr<Notebook> nb = std::move(created).value();
  REQUIRE(nb->SetProfile("01234", "worker-7").ok());
  REQUIRE(nb->InstallForm(sotay::testing::ChildProfileText(), "child_profile.json").ok());
  auto make = [&](const std::string& name, const std::string& dob) {
    Answers a = sotay::testing::ChildAnswers(name);
    a["dob"] = dob;
    a["school_level"] = "lower_secondary";
    auto r = nb->CreateRecord("child_profile", a, "", "vi");
    REQUIRE(r.ok());
    INFO((r->issues.empty() ? "" : r->issues[0].field + ": " + r->issues[0].message));
    REQUIRE(r->ok());
    return r->id;
  };
  const std::string lan = make("Hoàng Thị Lan", "2010-05-10");
  const std::string minh = make("Vi Văn Minh", "2012-08-15");

  auto report = [&](const std::string& asked_on) {
    clock.now = Day(asked_on) * 86400000 + 9 * 3600000;
    auto form = nb->FindForm("child_profile");
    REQUIRE(form.ok());
    auto records = nb->ReportRecords("child_profile");
    REQUIRE(records.ok());
    return Total(ComputeIndicators(**form, *records, Year(2025), nb->MakeEnv("vi")), "children_total");
  };
  CHECK(report("2026-01-05") == 2);

  // In 2026 Lan turns sixteen and Minh moves away; the worker records both.
  clock.now = Day("2026-09-01") * 86400000;
  auto note = nb->EditRecord(lan, {{"notes", "Trẻ đã đủ 16 tuổi, vẫn theo dõi hồ sơ xâm hại."}}, "vi");
  REQUIRE(note.ok());
  INFO((note->issues.empty() ? "" : note->issues[0].field + ": " + note->issues[0].message));
  CHECK(note->ok());
  auto left = nb->EditRecord(lan, {{"register_status", "turned_16"}, {"register_left_date", "2026-05-10"}}, "vi");
  REQUIRE(left.ok());
  CHECK(left->ok());
  auto moved = nb->EditRecord(minh, {{"register_status", "moved"}, {"register_left_date", "2026-08-20"}}, "vi");
  REQUIRE(moved.ok());
  CHECK(moved->ok());

  CHECK(report("2026-11-22") == 2);
  CHECK(report("2027-11-22") == 2);
  // This year's figure is as of today: neither is on the register now.
  clock.now = Day("2026-11-22") * 86400000;
  auto form = nb->FindForm("child_profile");
  REQUIRE(form.ok());
  auto records = nb->ReportRecords("child_profile");
  REQUIRE(records.ok());
  CHECK(Total(ComputeIndicators(**form, *records, Year(2026), nb->MakeEnv("vi")), "children_total") == 0);
}
