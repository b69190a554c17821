// The pack's indicators that issue 15 corrected, on records counted by hand: a
// share of prevented child marriages whose base is the marriages still only planned
// when found, and drownings counted fatal or not, as their label now says.
#include <catch2/catch.hpp>

#include "sotay/expr.h"
#include "sotay/indicators.h"

using namespace sotay;

namespace {

const ReportPeriod kYear2025{*ParseIsoDate("2025-01-01"), *ParseIsoDate("2025-12-31")};

ReportRecord Rec(const std::string& id, Answers a) {
  ReportRecord r;
  r.id = id;
  r.area = "01234";
  r.answers = std::move(a);
  r.created_ms = *ParseIsoDate("2025-05-01") * 86400000;
  return r;
}

const IndicatorValue& Total(const std::vector<IndicatorResult>& rs, const std::string& name) {
  for (const IndicatorResult& r : rs) {
    if (r.indicator->name == name) return r.total;
  }
  FAIL("no indicator " << name);
  return rs.front().total;
}

CheckEnv Today() {
  CheckEnv env;
  env.today_days = static_cast<double>(*ParseIsoDate("2026-03-01"));
  env.now_ms = static_cast<int64_t>(env.today_days) * 86400000;
  return env;
}

}  // namespace

TEST_CASE("pack indicators: prevented is a share of the marriages only planned when found", "[pack][indicators]") {
  auto form = LoadFormFile(std::string(SOTAY_SCHEMAS_DIR) + "/child_marriage.json");
  REQUIRE(form.ok());
  std::vector<ReportRecord> reports{
      Rec("m1", {{"report_date", "2025-03-01"}, {"marriage_status", "planned"}, {"action_taken", "prevented"}}),
      Rec("m2", {{"report_date", "2025-04-01"}, {"marriage_status", "planned"}, {"action_taken", "ongoing"}}),
      // Already married when found: no one could prevent it, so it is not in the base.
      Rec("m3", {{"report_date", "2025-05-01"}, {"marriage_status", "happened"}, {"marriage_date", "2025-02-01"},
                 {"action_taken", "reported_to_authorities"}}),
      Rec("m4", {{"report_date", "2025-06-01"}, {"marriage_status", "happened"}, {"marriage_date", "2025-05-20"},
                 {"action_taken", "none"}}),
  };
  const std::vector<IndicatorResult> rs = ComputeIndicators(*form, reports, kYear2025, Today());
  CHECK(Total(rs, "child_marriage_reports").count == 4);
  CHECK(Total(rs, "marriages_intended").count == 2);
  const IndicatorValue& prevented = Total(rs, "prevented");
  CHECK(prevented.count == 1);
  CHECK(prevented.of == 2);  // of the planned ones, not of all 4 reports
}

TEST_CASE("pack indicators: drownings count children in a drowning, fatal or not, and say so",
          "[pack][indicators]") {
  auto form = LoadFormFile(std::string(SOTAY_SCHEMAS_DIR) + "/injury_incident.json");
  REQUIRE(form.ok());
  std::vector<ReportRecord> injuries{
      Rec("d1", {{"incident_date", "2025-07-01"}, {"injury_type", "drowning"}, {"outcome", "death"}}),
      Rec("d2", {{"incident_date", "2025-07-02"}, {"injury_type", "drowning"}, {"outcome", "recovered"}}),
  };
  const std::vector<IndicatorResult> rs = ComputeIndicators(*form, injuries, kYear2025, Today());
  CHECK(Total(rs, "drownings").count == 2);
  CHECK(Total(rs, "drowning_deaths").count == 1);
  for (const IndicatorResult& r : rs) {
    if (r.indicator->name != "drownings") continue;
    CHECK(r.indicator->label.Get("en").find("fatal or not") != std::string::npos);
    CHECK(r.indicator->label.Get("vi").find("tử vong hoặc không tử vong") != std::string::npos);
  }
}
