// The register's lifecycle through the real `sotay` binary (issue 14): a child who
// has turned sixteen stays editable, late entries are judged by the event's date,
// and a child who left the register stops counting from the day they left.
//
// The shell has no clock of its own to set, so the records made "in the past" are
// written by the notebook library with a fixed clock into the same encrypted file
// the shell then opens; every date is counted from the real today, so the test means
// the same whatever day it runs.
#include <catch2/catch.hpp>

#include <random>

#include "shell_runner.h"
#include "sotay/env.h"
#include "sotay/expr.h"
#include "sotay/indicators.h"
#include "sotay/notebook.h"
#include "sotay/register_age.h"

using sotay::testing::Run;
using sotay::testing::Shell;

namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string Iso(int64_t day) { return sotay::FormatIsoDate(day); }

class PastClock : public sotay::Env {
 public:
  int64_t now = 0;
  int64_t NowMs() override { return now += 1000; }
  int64_t LocalNowMs() override { return now; }
  void RandomBytes(uint8_t* out, size_t n) override {
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(rng_());
  }

 private:
  std::mt19937 rng_{16};
};

std::unique_ptr<sotay::Notebook> OpenAt(const Shell& sh, PastClock& clock, int64_t day) {
  clock.now = day * 86400000 + 9 * 3600000;
  sotay::NotebookOptions o;
  o.env = &clock;
  auto nb = sotay::Notebook::Open(sh.store(), sh.passphrase, o);
  REQUIRE(nb.ok());
  return std::move(nb).value();
}

std::string Create(sotay::Notebook& nb, const std::string& form, const sotay::Answers& answers) {
  auto r = nb.CreateRecord(form, answers, "", "vi");
  REQUIRE(r.ok());
  INFO((r->issues.empty() ? "" : r->issues[0].field + ": " + r->issues[0].message));
  REQUIRE(r->ok());
  return r->id;
}

sotay::Answers Profile(const std::string& name, const std::string& dob, const std::string& level) {
  return {{"full_name", name},          {"sex", "female"},           {"dob", dob},
          {"ethnicity", "tay"},         {"birth_registered", "no"},
          {"village", "Thôn Đông"},     {"living_with", "relatives"}, {"caregiver_name", "Hoàng Thị Lan"},
          {"household_poverty", "poor"}, {"in_school", "yes"},        {"school_level", level},
          {"health_insurance", "yes"},  {"disability", "no"}};
}

std::string InjuryJson(const std::string& dob, const std::string& incident) {
  return R"({"child_name": "Hờ A Chứ", "child_sex": "male", "child_dob": ")" + dob +
         R"(", "village": "Bản Sả Séng", "incident_date": ")" + incident +
         R"(", "injury_type": "fall", "incident_place": "home", "hospitalised": "no", "outcome": "recovered"})";
}

// The total of `children_total` in `sotay report` output, or -1.
int ChildrenTotal(const std::string& out) {
  const std::string label = "Số trẻ em trong sổ theo dõi: ";
  const size_t at = out.find(label);
  return at == std::string::npos ? -1 : std::atoi(out.c_str() + at + label.size());
}

struct World {
  Shell sh;
  PastClock clock;
  int64_t today = sotay::Env::Default()->TodayDays();
  // Lan turned sixteen 56 days ago; her profile and an abuse case were made at 14.
  int64_t dob = today - 5900;
  int64_t sixteen = sotay::TurnsSixteenOn(dob);
  int64_t made = sotay::AnniversaryDay(dob, 14) + 10;
  std::string lan, lan_case, young;

  World() {
    REQUIRE(sh({"init", "--area", "01234", "--user", "worker-1"}).code == 0);
    auto nb = OpenAt(sh, clock, made);
    lan = Create(*nb, "child_profile", Profile("Hoàng Thị Lan", Iso(dob), "lower_secondary"));
    young = Create(*nb, "child_profile", Profile("Vi Thị Mai", Iso(today - 12 * 365), "primary"));
    lan_case = Create(*nb, "abuse_case",
                      {{"report_datetime", Iso(made) + "T08:00"}, {"reporter_type", "neighbour"},
                       {"report_channel", "phone"}, {"reporter_name", "Lường Văn Khánh"},
                       {"report_summary", "Hàng xóm báo trẻ bị đánh."}, {"child_name", "Hoàng Thị Lan"},
                       {"child_sex", "female"}, {"child_dob", Iso(dob)},
                       {"village", "Thôn Đông"}, {"harm_situation", "harmed"}, {"harm_types", "physical"},
                       {"suspected_perpetrator", "step_parent"}, {"perpetrator_in_household", "yes"},
                       {"assessment_datetime", Iso(made) + "T10:00"}, {"risk_level", "medium"},
                       {"support_plan", "Tư vấn cho gia đình."}, {"case_status", "open"}});
  }

  Run Report(int64_t to_day) const {
    return sh({"report", "--from", Iso(to_day - 30), "--to", Iso(to_day), "--form", "child_profile"});
  }
};

}  // namespace

TEST_CASE("lifecycle shell: a sixteen-year-old's case closes and their profile takes a note", "[lifecycle][shell]") {
  World w;
  REQUIRE(w.sixteen < w.today);
  Run close = w.sh({"edit", w.lan_case, "case_status=closed", "closed_date=" + Iso(w.today - 1),
                    "closure_reason=turned_16"});
  INFO(close.out << close.err);
  CHECK(close.code == 0);
  CHECK(Has(close.out, "Đã lưu"));
  Run shown = w.sh({"show", w.lan_case});
  CHECK(Has(shown.out, "Trẻ đã đủ 16 tuổi"));

  Run note = w.sh({"edit", w.lan, "notes=Trẻ đã đủ 16 tuổi; hồ sơ xâm hại đã đóng."});
  INFO(note.out << note.err);
  CHECK(note.code == 0);
  // The interactive edit offers every answer again; keeping them all (Enter) passes
  // her birth date, which was valid when entered, and saves nothing new.
  Run again = w.sh({"edit", w.lan}, std::string(80, '\n'));
  INFO(again.out << again.err);
  CHECK(again.code == 0);
  CHECK(Has(again.out, "Đã lưu 0 thay đổi"));
  // Changing her birth date is checked again, against today: refused, naming the field.
  Run dob = w.sh({"edit", w.lan, "dob=" + Iso(w.dob + 1)});
  CHECK(dob.code == 4);
  CHECK(Has(dob.err, "'dob'"));
}

TEST_CASE("lifecycle shell: a late injury is judged by the child's age on the day it happened",
          "[lifecycle][shell]") {
  World w;
  const std::string before = w.sh.Write("before.json", InjuryJson(Iso(w.dob), Iso(w.sixteen - 20)));
  Run ok = w.sh({"new", "injury_incident", "--answers", before});
  INFO(ok.out << ok.err);
  CHECK(ok.code == 0);

  const std::string after = w.sh.Write("after.json", InjuryJson(Iso(w.dob), Iso(w.sixteen + 5)));
  Run refused = w.sh({"new", "injury_incident", "--answers", after});
  CHECK(refused.code == 4);
  CHECK(Has(refused.err, "'incident_date'"));
  CHECK(Has(refused.err, "Ngày xảy ra tai nạn, thương tích"));
  CHECK(Has(refused.err, "dưới 16 tuổi"));
}

TEST_CASE("lifecycle shell: a child who left stops counting from that day, and a past report never changes",
          "[lifecycle][shell]") {
  World w;
  const int64_t moved = w.today - 30;
  Run left = w.sh({"edit", w.young, "register_status=moved", "register_left_date=" + Iso(moved)});
  INFO(left.out << left.err);
  REQUIRE(left.code == 0);
  Run lan_left = w.sh({"edit", w.lan, "register_status=turned_16", "register_left_date=" + Iso(w.sixteen)});
  INFO(lan_left.out << lan_left.err);
  REQUIRE(lan_left.code == 0);

  // The day before Lan's sixteenth birthday both girls are on the register.
  CHECK(ChildrenTotal(w.Report(w.sixteen - 1).out) == 2);
  CHECK(ChildrenTotal(w.Report(w.sixteen).out) == 1);
  CHECK(ChildrenTotal(w.Report(moved - 1).out) == 1);
  CHECK(ChildrenTotal(w.Report(moved).out) == 0);
  CHECK(ChildrenTotal(w.sh({"report", "--form", "child_profile"}).out) == 0);  // today

  // The same period asked a year later (the notebook library with its clock a year on)
  // gives the shell's answer of today.
  const int64_t end = w.sixteen - 1;
  const int asked_today = ChildrenTotal(w.Report(end).out);
  auto nb = OpenAt(w.sh, w.clock, w.today + 365);
  auto form = nb->FindForm("child_profile");
  REQUIRE(form.ok());
  auto records = nb->ReportRecords("child_profile");
  REQUIRE(records.ok());
  sotay::ReportPeriod period;
  period.from_day = end - 30;
  period.to_day = end;
  auto results = sotay::ComputeIndicators(**form, *records, period, nb->MakeEnv("vi"));
  REQUIRE(results.front().indicator->name == "children_total");
  CHECK(results.front().total.count == asked_today);
  CHECK(asked_today == 2);
}
