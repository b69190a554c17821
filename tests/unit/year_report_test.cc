// The year report's engine (year_report.h) on a small province counted by hand:
// distinct children in subtotals, breakdowns that add up to the total, rates, and
// ComputeIndicators agreeing with it.
#include <catch2/catch.hpp>

#include "sotay/expr.h"
#include "sotay/year_report.h"

using namespace sotay;

namespace {

const char* kProfile = R"J({"form": "child_profile", "version": 1, "title": {"vi": "Trẻ em", "en": "Child"},
  "choices": {"sex": [{"name": "female", "label": {"vi": "Nữ", "en": "Female"}},
                      {"name": "male", "label": {"vi": "Nam", "en": "Male"}}],
              "ethnicity": [{"name": "kinh", "code": "01", "label": {"vi": "Kinh", "en": "Kinh"}},
                            {"name": "hmong", "code": "17", "label": {"vi": "Mông", "en": "Hmong"}}],
              "st": [{"name": "active", "label": {"vi": "Đang theo dõi", "en": "Active"}},
                     {"name": "moved", "label": {"vi": "Chuyển đi", "en": "Moved"}}]},
  "fields": [
    {"type": "text", "name": "name", "label": {"vi": "Tên", "en": "Name"}},
    {"type": "select_one sex", "name": "sex", "label": {"vi": "Giới tính", "en": "Sex"}},
    {"type": "date", "name": "dob", "label": {"vi": "Ngày sinh", "en": "Born"}},
    {"type": "select_one ethnicity", "name": "ethnicity", "label": {"vi": "Dân tộc", "en": "Ethnicity"}},
    {"type": "select_one st", "name": "register_status", "label": {"vi": "Tình trạng", "en": "Status"}},
    {"type": "date", "name": "register_left_date", "label": {"vi": "Ngày rời", "en": "Left"}}
  ],
  "indicators": [
    {"name": "children_total", "label": {"vi": "Trẻ em", "en": "Children"}, "definition": {"vi": "d", "en": "d"},
     "count": "true()", "period": "stock"},
    {"name": "girls", "label": {"vi": "Trẻ em gái", "en": "Girls"}, "definition": {"vi": "d", "en": "d"},
     "count": "${sex} = 'female'", "of": "children_total", "period": "stock"}
  ]})J";

const char* kCase = R"J({"form": "injury", "version": 1, "title": {"vi": "Tai nạn", "en": "Injury"},
  "choices": {"sex": [{"name": "female", "label": {"vi": "Nữ", "en": "Female"}},
                      {"name": "male", "label": {"vi": "Nam", "en": "Male"}}]},
  "fields": [
    {"type": "text", "name": "child_record_id", "link": "child_profile", "label": {"vi": "Trẻ", "en": "Child"}},
    {"type": "select_one sex", "name": "child_sex", "label": {"vi": "Giới tính", "en": "Sex"}},
    {"type": "date", "name": "child_dob", "label": {"vi": "Ngày sinh", "en": "Born"}},
    {"type": "date", "name": "incident_date", "label": {"vi": "Ngày", "en": "Date"}}
  ],
  "indicators": [
    {"name": "injured", "label": {"vi": "Trẻ bị thương", "en": "Children injured"}, "definition": {"vi": "d", "en": "d"},
     "count": "true()", "when": "${incident_date}"}
  ]})J";

constexpr const char* kA = "11111111-0000-4000-8000-000000000001";
constexpr const char* kB = "22222222-0000-4000-8000-000000000002";
constexpr const char* kC = "33333333-0000-4000-8000-000000000003";

int64_t Day(const char* iso) { return *ParseIsoDate(iso); }

ReportRecord Profile(const std::string& id, const std::string& area, const std::string& sex, const std::string& dob,
                     const std::string& ethnicity) {
  ReportRecord r;
  r.id = id;
  r.form = "child_profile";
  r.area = area;
  r.answers = {{"name", "x"}, {"sex", sex}, {"dob", dob}, {"register_status", "active"}};
  if (!ethnicity.empty()) r.answers["ethnicity"] = ethnicity;
  r.created_ms = Day("2025-01-02") * 86400000;
  return r;
}

ReportRecord Injury(const std::string& id, const std::string& area, const std::string& child, const std::string& date) {
  ReportRecord r;
  r.id = id;
  r.form = "injury";
  r.area = area;
  r.answers = {{"incident_date", date}};
  if (!child.empty()) r.answers["child_record_id"] = child;
  r.created_ms = Day("2025-06-01") * 86400000;
  return r;
}

// Province P, district D1 (communes C1, C2), district D2 (commune C3).
std::vector<ReportUnit> Units() {
  return {{"C3", "Xã Ba", "D2", "commune"},     {"P", "Tỉnh", "", "province"},
          {"D1", "Huyện Một", "P", "district"}, {"C1", "Xã Một", "D1", "commune"},
          {"C2", "Xã Hai", "D1", "commune"},    {"D2", "Huyện Hai", "P", "district"}};
}

const YearReportRow& Row(const YearReport& report, const std::string& name) {
  for (const YearReportRow& r : report.rows) {
    if (r.indicator->name == name) return r;
  }
  FAIL("no indicator " << name);
  return report.rows.front();
}

struct World {
  Form profile = *LoadForm(kProfile, "child_profile.json");
  Form injury = *LoadForm(kCase, "injury.json");
  std::vector<ReportRecord> records{
      Profile(kA, "C1", "female", "2015-03-01", "hmong"),  // 10 on 31/12/2025
      Profile(kB, "C2", "male", "2020-07-01", "kinh"),     // 5
      Profile(kC, "C3", "female", "", "tay"),              // no birth date; "tay" not on the list
      // Child A hurt twice, in two communes of D1 (once by a short link), B once, and
      // one child with no profile, by the record's own answers.
      Injury("i1", "C1", kA, "2025-02-01"),
      Injury("i2", "C2", std::string(kA).substr(0, 8), "2025-09-01"),
      Injury("i3", "C2", kB, "2025-03-01"),
      Injury("i4", "C3", "", "2025-04-01"),
      Injury("i5", "C3", kC, "2026-01-05"),  // after the period
  };
  World() {
    records[6].answers["child_sex"] = "male";
    records[6].answers["child_dob"] = "2009-01-01";  // 16 on the day
  }
  YearReport Compute() const {
    ReportPeriod year{Day("2025-01-01"), Day("2025-12-31")};
    CheckEnv env;
    env.today_days = static_cast<double>(Day("2026-03-01"));
    env.now_ms = Day("2026-03-01") * 86400000;
    return ComputeYearReport({&profile, &injury}, records, Units(), year, env);
  }
};

}  // namespace

TEST_CASE("year report: units depth first, a child in two communes counts once in their district",
          "[year_report]") {
  World w;
  const YearReport report = w.Compute();
  std::vector<std::string> order;
  for (const ReportUnit& u : report.units) order.push_back(u.code);
  CHECK(order == std::vector<std::string>{"P", "D1", "C1", "C2", "D2", "C3"});
  CHECK(report.as_of_day == Day("2025-12-31"));

  const YearReportRow& injured = Row(report, "injured");
  CHECK(injured.by_unit.at("C1").count == 1);
  CHECK(injured.by_unit.at("C2").count == 2);  // A (by the short link) and B
  CHECK(injured.by_unit.at("D1").count == 2);  // A once, B: not 1 + 2
  CHECK(injured.by_unit.at("D1").records == 3);
  CHECK(injured.by_unit.at("C3").count == 1);  // i5 is in 2026
  CHECK(injured.by_unit.at("P").count == 3);
  CHECK(injured.by_unit.at("P").records == 4);
}

TEST_CASE("year report: every breakdown adds up to the unit's total, with categories from the register",
          "[year_report]") {
  World w;
  const YearReport report = w.Compute();
  REQUIRE(report.breakdowns.size() == 3);
  CHECK(report.breakdowns[0].name == "sex");
  CHECK(report.breakdowns[2].name == "ethnicity");
  CHECK(report.breakdowns[2].categories[1].name == "hmong");
  CHECK(report.breakdowns[2].categories[1].code == "17");
  CHECK(report.breakdowns[2].categories.back().name == "unknown");
  for (const YearReportRow& row : report.rows) {
    for (const auto& [name, units] : row.breakdowns) {
      for (const auto& [unit, categories] : units) {
        int64_t sum = 0;
        size_t listed = 0;  // one value per category of the breakdown, in its order
        for (const Breakdown& b : report.breakdowns) listed += b.name == name ? b.categories.size() : 0;
        CHECK(categories.size() == listed);
        for (const IndicatorValue& value : categories) sum += value.count;
        INFO(row.indicator->name << " " << name << " " << unit);
        CHECK(sum == row.by_unit.at(unit).count);
      }
    }
  }
  const YearReportRow& injured = Row(report, "injured");
  // Sex from the profile where the record has none; the unlinked child from its own answers.
  CHECK(report.CategoryValue(injured, "sex", "P", "female").count == 1);
  CHECK(report.CategoryValue(injured, "sex", "P", "male").count == 2);
  // Ages on the event's day: A was 10 in September (latest record), B 4, the other 16.
  CHECK(report.CategoryValue(injured, "age_band", "P", "6_10").count == 1);
  CHECK(report.CategoryValue(injured, "age_band", "P", "0_5").count == 1);
  CHECK(report.CategoryValue(injured, "age_band", "P", "16_plus").count == 1);
  const YearReportRow& total = Row(report, "children_total");
  CHECK(report.CategoryValue(total, "ethnicity", "P", "hmong").count == 1);
  CHECK(report.CategoryValue(total, "ethnicity", "P", "unknown").count == 1);  // "tay" is not on the list
  CHECK(report.CategoryValue(total, "age_band", "C2", "0_5").count == 1);      // 5 on 31/12/2025
  CHECK(report.CategoryValue(total, "age_band", "C3", "unknown").count == 1);
  // A share's denominator follows the category: girls of the children aged 6-10.
  const YearReportRow& girls = Row(report, "girls");
  CHECK(report.CategoryValue(girls, "age_band", "P", "6_10").of == 1);
  CHECK(girls.by_unit.at("D1").of == 2);
}

TEST_CASE("year report: rates per 1,000 children on the register on the period's end", "[year_report]") {
  World w;
  w.records[1].answers["register_status"] = "moved";  // B left in 2026: still on the 2025 register
  w.records[1].answers["register_left_date"] = "2026-02-01";
  const YearReport report = w.Compute();
  CHECK(report.child_population.at("P") == 3);
  CHECK(report.child_population.at("D1") == 2);
  const YearReportRow& injured = Row(report, "injured");
  REQUIRE(injured.rate_per_1000.at("D1").has_value());
  CHECK(*injured.rate_per_1000.at("D1") == Approx(1000.0));  // 2 children of 2
  CHECK(*injured.rate_per_1000.at("P") == Approx(1000.0));
  CHECK_FALSE(Row(report, "girls").rate_per_1000.at("P").has_value());  // a share has no rate

  w.records[1].answers["register_left_date"] = "2025-11-01";  // left in 2025: not on it
  const YearReport left = w.Compute();
  CHECK(left.child_population.at("D1") == 1);
  CHECK(*Row(left, "injured").rate_per_1000.at("D1") == Approx(2000.0));
}

TEST_CASE("year report: ComputeIndicators counts as the report does, commune by commune", "[year_report]") {
  World w;
  const YearReport report = w.Compute();
  std::vector<ReportRecord> injuries(w.records.begin() + 3, w.records.end());
  ReportPeriod year{Day("2025-01-01"), Day("2025-12-31")};
  CheckEnv env;
  env.today_days = static_cast<double>(Day("2026-03-01"));
  const std::vector<IndicatorResult> results = ComputeIndicators(w.injury, injuries, year, env);
  REQUIRE(results.size() == 1);
  for (const char* commune : {"C1", "C2", "C3"}) {
    CHECK(results[0].by_area.at(commune).count == Row(report, "injured").by_unit.at(commune).count);
  }
  CHECK(results[0].total.count == 3);
  CHECK(results[0].total.records == 4);
}

TEST_CASE("year report: a case naming a duplicate merged into another profile counts that child once",
          "[year_report]") {
  World w;
  // D, a duplicate of A in C2, merged into A; a case names D.
  const std::string d = "44444444-0000-4000-8000-000000000004";
  ReportRecord dup = Profile(d, "C2", "female", "2015-03-01", "hmong");
  dup.answers["register_status"] = "merged";
  dup.answers["merged_into"] = kA;
  dup.answers["register_left_date"] = "2025-08-01";
  w.records.push_back(dup);
  w.records.push_back(Injury("i6", "C2", d, "2025-10-01"));
  const YearReport report = w.Compute();
  CHECK(Row(report, "children_total").by_unit.at("D1").count == 2);  // A and B: D is A
  CHECK(Row(report, "injured").by_unit.at("D1").count == 2);         // A (three records) and B
  CHECK(Row(report, "injured").by_unit.at("D1").records == 4);
}

// The figures as one string, to compare two reports whole.
std::string Figures(const YearReport& report) {
  std::string out;
  for (const auto& [unit, n] : report.child_population) out += unit + "=" + std::to_string(n) + ";";
  for (const YearReportRow& row : report.rows) {
    out += "\n" + row.indicator->name + ":";
    for (const auto& [unit, v] : row.by_unit) {
      out += " " + unit + "=" + std::to_string(v.count) + "/" + std::to_string(v.of) + "/" + std::to_string(v.records);
    }
    for (const auto& [name, units] : row.breakdowns) {
      for (const auto& [unit, cats] : units) {
        for (size_t c = 0; c < cats.size(); ++c) {
          out += " " + name + "." + unit + "." + std::to_string(c) + "=" + std::to_string(cats[c].count) + "/" +
                 std::to_string(cats[c].of);
        }
      }
    }
  }
  return out;
}

TEST_CASE("year report: read from a source in any order, the figures are those of the records in memory",
          "[year_report]") {
  World w;
  // A merged duplicate too, so that the second reading must know the first's aliases.
  ReportRecord dup = Profile("44444444-0000-4000-8000-000000000004", "C3", "female", "2015-03-01", "hmong");
  dup.answers["register_status"] = "merged";
  dup.answers["merged_into"] = kA;
  w.records.push_back(dup);
  w.records.push_back(Injury("i6", "C3", dup.id, "2025-10-01"));
  const std::string expected = Figures(w.Compute());
  ReportPeriod year{Day("2025-01-01"), Day("2025-12-31")};
  CheckEnv env;
  env.today_days = static_cast<double>(Day("2026-03-01"));
  env.now_ms = Day("2026-03-01") * 86400000;
  // Cases before the profiles they name, newest first: as a server's index gives them.
  std::vector<ReportRecord> reversed(w.records.rbegin(), w.records.rend());
  int readings = 0;
  const RecordSource source = [&](const std::function<Status(const ReportRecord&)>& each) {
    ++readings;
    for (const ReportRecord& r : reversed) {
      Status s = each(r);
      if (!s.ok()) return s;
    }
    return Status::OK();
  };
  auto report = ComputeYearReport({&w.profile, &w.injury}, source, Units(), year, env);
  REQUIRE(report.ok());
  CHECK(Figures(*report) == expected);
  CHECK(readings == 2);
  // The duplicate's case counts as child A, so A is still one child in the province.
  CHECK(Row(*report, "injured").by_unit.at("P").count == 3);
}

TEST_CASE("year report: a source that fails part way gives its error, not figures", "[year_report]") {
  World w;
  int given = 0;
  const RecordSource failing = [&](const std::function<Status(const ReportRecord&)>& each) {
    for (const ReportRecord& r : w.records) {
      if (++given == 12) return Status::IOError("reading records: the database is locked");
      Status s = each(r);
      if (!s.ok()) return s;
    }
    return Status::OK();
  };
  auto report = ComputeYearReport({&w.profile, &w.injury}, failing, Units(), ReportPeriod{}, CheckEnv{});
  REQUIRE_FALSE(report.ok());
  CHECK(report.status().message().find("database is locked") != std::string::npos);
}
