// The pack's indicators on a fixture counted by hand: per commune and in total,
// for the year 2026, as the annual report asks.
#include <catch2/catch.hpp>

#include "sotay/indicators.h"
#include "support/pack_forms.h"

using namespace sotay;

namespace {

const Form& Load(const std::string& id) { return sotay::testing::PackForm(id); }

// The report is made on 22 November 2026 at 10:00 local time.
CheckEnv ReportDay() {
  CheckEnv env;
  env.today_days = static_cast<double>(*ParseIsoDate("2026-11-22"));
  env.now_ms = static_cast<int64_t>(env.today_days) * 86400000 + 10 * 3600000;
  return env;
}

const ReportPeriod kYear2026{*ParseIsoDate("2026-01-01"), *ParseIsoDate("2026-12-31")};

ReportRecord Rec(const std::string& area, Answers a, bool is_void = false) {
  ReportRecord r;
  r.area = area;
  r.answers = std::move(a);
  r.created_ms = *ParseIsoDate("2026-05-01") * 86400000;
  r.is_void = is_void;
  return r;
}

const IndicatorResult& Get(const std::vector<IndicatorResult>& rs, const std::string& name) {
  for (const IndicatorResult& r : rs) {
    if (r.indicator->name == name) return r;
  }
  FAIL("no indicator " << name);
  return rs.front();
}

// "count/of" for shares, "count" for counts: one string per commune and the total.
std::string Figures(const std::vector<IndicatorResult>& rs, const std::string& name) {
  const IndicatorResult& r = Get(rs, name);
  auto one = [](const IndicatorValue& v) {
    return std::to_string(v.count) + (v.is_share() ? "/" + std::to_string(v.of) : "");
  };
  std::string out;
  for (const auto& [area, v] : r.by_area) out += area + "=" + one(v) + " ";
  return out + "total=" + one(r.total);
}

}  // namespace

TEST_CASE("pack indicators: abuse cases, the 12-hour deadline, closures and hotline 111", "[pack][indicators]") {
  std::vector<ReportRecord> cases{
      // 01234
      Rec("01234", {{"report_datetime", "2026-03-01T08:00"}, {"risk_level", "high"}, {"report_channel", "hotline_111"},
                    {"intervention_datetime", "2026-03-01T19:50"},  // 11 h 50: in time
                    {"case_status", "closed"}, {"closed_date", "2026-04-01"}}),
      Rec("01234", {{"report_datetime", "2026-05-01T08:00"}, {"risk_level", "high"}, {"report_channel", "phone"},
                    {"intervention_datetime", "2026-05-01T20:10"},  // 12 h 10: late
                    {"case_status", "open"}}),
      Rec("01234", {{"report_datetime", "2026-11-22T08:00"}, {"risk_level", "high"}, {"report_channel", "hotline_111"},
                    {"case_status", "open"}}),  // two hours ago, nobody yet: not late yet
      Rec("01234", {{"report_datetime", "2026-06-01T08:00"}, {"risk_level", "medium"}, {"report_channel", "in_person"},
                    {"case_status", "open"}}),
      // 01235
      Rec("01235", {{"report_datetime", "2026-07-01T08:00"}, {"risk_level", "high"}, {"report_channel", "hotline_111"},
                    {"case_status", "open"}}),  // no intervention, months ago: late
      Rec("01235", {{"report_datetime", "2026-07-02T08:00"}, {"risk_level", "high"}, {"report_channel", "hotline_111"},
                    {"case_status", "open"}}, /*is_void=*/true),  // voided: never counts
      Rec("01235", {{"report_datetime", "2025-12-31T20:00"}, {"risk_level", "high"}, {"report_channel", "phone"},
                    {"case_status", "open"}}),  // reported last year: still open at the end of 2026
  };
  auto rs = ComputeIndicators(Load("abuse_case"), cases, kYear2026, ReportDay());
  CHECK(Figures(rs, "cases_reported") == "01234=4 01235=1 total=5");
  CHECK(Figures(rs, "cases_open") == "01234=3 01235=2 total=5");
  CHECK(Figures(rs, "cases_serious") == "01234=3 01235=1 total=4");
  CHECK(Figures(rs, "cases_past_deadline") == "01234=1/3 01235=1/1 total=2/4");
  CHECK(Figures(rs, "cases_closed") == "01234=1 01235=0 total=1");
  CHECK(Figures(rs, "reports_via_111") == "01234=2/4 01235=1/1 total=3/5");
}

TEST_CASE("pack indicators: the children's register and its shares", "[pack][indicators]") {
  std::vector<ReportRecord> children{
      Rec("01234", {{"dob", "2015-03-21"}, {"special_circumstances", "a d"}, {"birth_registered", "no"},
                    {"disability", "yes"}, {"household_poverty", "poor"}, {"in_school", "yes"}}),      // 11
      Rec("01234", {{"dob", "2012-01-01"}, {"birth_registered", "yes"}, {"disability", "no"},
                    {"household_poverty", "near_poor"}, {"in_school", "no"}}),                       // 14, out of school
      Rec("01234", {{"dob", "2022-01-01"}, {"birth_registered", "no"}, {"disability", "no"},
                    {"household_poverty", "neither"}}),                                              // 4
      Rec("01235", {{"dob", "2010-06-01"}, {"special_circumstances", "d"}, {"birth_registered", "yes"},
                    {"disability", "yes"}, {"household_poverty", "neither"}, {"in_school", "no"}}),   // 16: off the register
      Rec("01235", {{"dob", "2014-01-01"}, {"birth_registered", "no"}, {"in_school", "no"}}, true),   // void
  };
  auto rs = ComputeIndicators(Load("child_profile"), children, kYear2026, ReportDay());
  CHECK(Figures(rs, "children_total") == "01234=3 01235=0 total=3");
  CHECK(Figures(rs, "special_a") == "01234=1/3 01235=0/0 total=1/3");
  CHECK(Figures(rs, "special_d") == "01234=1/3 01235=0/0 total=1/3");
  CHECK(Figures(rs, "special_h") == "01234=0/3 01235=0/0 total=0/3");
  CHECK(Figures(rs, "no_birth_registration") == "01234=2/3 01235=0/0 total=2/3");
  CHECK(Figures(rs, "children_with_disability") == "01234=1/3 01235=0/0 total=1/3");
  CHECK(Figures(rs, "poor_or_near_poor") == "01234=2/3 01235=0/0 total=2/3");
  CHECK(Figures(rs, "children_6_15") == "01234=2 01235=0 total=2");
  CHECK(Figures(rs, "out_of_school") == "01234=1/2 01235=0/0 total=1/2");
}

TEST_CASE("pack indicators: drownings and their deaths, dated by the incident", "[pack][indicators]") {
  std::vector<ReportRecord> incidents{
      Rec("01234", {{"incident_date", "2026-06-14"}, {"injury_type", "drowning"}, {"outcome", "recovered"}}),
      Rec("01234", {{"incident_date", "2026-07-02"}, {"injury_type", "drowning"}, {"outcome", "death"}}),
      Rec("01235", {{"incident_date", "2026-08-09"}, {"injury_type", "traffic"}, {"outcome", "death"}}),
      Rec("01235", {{"incident_date", "2025-08-09"}, {"injury_type", "drowning"}, {"outcome", "death"}}),  // 2025
  };
  auto rs = ComputeIndicators(Load("injury_incident"), incidents, kYear2026, ReportDay());
  CHECK(Figures(rs, "injuries_total") == "01234=2 01235=1 total=3");
  CHECK(Figures(rs, "drownings") == "01234=2 01235=0 total=2");
  CHECK(Figures(rs, "drowning_deaths") == "01234=1 01235=0 total=1");
  CHECK(Figures(rs, "injury_deaths") == "01234=1 01235=1 total=2");
}
