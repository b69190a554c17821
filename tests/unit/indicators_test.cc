// Indicators: counts, shares, periods and areas, on a small form counted by hand.
#include <catch2/catch.hpp>

#include "sotay/indicators.h"

using namespace sotay;

namespace {

const char* kForm = R"J({"form": "cases", "version": 1, "title": {"vi": "Vụ việc", "en": "Cases"},
  "choices": {"u": [{"name": "serious", "label": {"vi": "Khẩn cấp", "en": "Serious"}},
                    {"name": "risk", "label": {"vi": "Có nguy cơ", "en": "At risk"}}]},
  "fields": [
    {"type": "datetime", "name": "reported", "label": {"vi": "Tiếp nhận", "en": "Reported"}},
    {"type": "select_one u", "name": "urgency", "label": {"vi": "Mức độ", "en": "Urgency"}},
    {"type": "datetime", "name": "intervened", "label": {"vi": "Can thiệp", "en": "Intervened"}}
  ],
  "indicators": [
    {"name": "reported", "label": {"vi": "Số vụ", "en": "Cases"}, "definition": {"vi": "d", "en": "d"},
     "count": "true()", "when": "${reported}"},
    {"name": "serious", "label": {"vi": "Khẩn cấp", "en": "Serious"}, "definition": {"vi": "d", "en": "d"},
     "count": "${urgency} = 'serious'", "of": "reported", "when": "${reported}"},
    {"name": "late", "label": {"vi": "Quá 12 giờ", "en": "Past 12 hours"}, "definition": {"vi": "d", "en": "d"},
     "count": "${urgency} = 'serious' and ((${intervened} = '' and now() - ${reported} > 0.5) or (${intervened} != '' and ${intervened} - ${reported} > 0.5))",
     "when": "${reported}"},
    {"name": "on_register", "label": {"vi": "Tồn", "en": "Stock"}, "definition": {"vi": "d", "en": "d"},
     "count": "true()", "period": "stock", "when": "${reported}"}
  ]})J";

ReportRecord Case(const std::string& area, const std::string& reported, const std::string& urgency,
                  const std::string& intervened = "", bool is_void = false) {
  ReportRecord r;
  r.area = area;
  r.answers = {{"reported", reported}, {"urgency", urgency}};
  if (!intervened.empty()) r.answers["intervened"] = intervened;
  r.is_void = is_void;
  return r;
}

const IndicatorResult& Find(const std::vector<IndicatorResult>& results, const std::string& name) {
  for (const IndicatorResult& r : results) {
    if (r.indicator->name == name) return r;
  }
  FAIL("no indicator " << name);
  return results.front();
}

}  // namespace

TEST_CASE("indicators: counts and shares per commune and in total, void records left out", "[indicators]") {
  auto form = LoadForm(kForm, "cases.json");
  REQUIRE(form.ok());
  std::vector<ReportRecord> records{
      Case("00001", "2025-03-01T08:00", "serious", "2025-03-01T19:59"),  // in time (11h59)
      Case("00001", "2025-03-02T08:00", "serious", "2025-03-02T20:01"),  // late (12h01)
      Case("00001", "2025-04-01T08:00", "risk"),
      Case("00002", "2025-05-01T08:00", "serious"),                      // no intervention, long ago: late
      Case("00002", "2025-05-01T09:00", "serious", "", true),            // void: never counts
      Case("00002", "2024-12-31T23:00", "serious"),                      // before the period
  };
  CheckEnv env;
  env.now_ms = 1795000000000;  // Nov 2026
  ReportPeriod year{*ParseIsoDate("2025-01-01"), *ParseIsoDate("2025-12-31")};
  auto results = ComputeIndicators(*form, records, year, env);

  const IndicatorResult& reported = Find(results, "reported");
  CHECK(reported.total.count == 4);
  CHECK(reported.by_area.at("00001").count == 3);
  CHECK(reported.by_area.at("00002").count == 1);

  const IndicatorResult& serious = Find(results, "serious");
  CHECK(serious.total.count == 3);
  CHECK(serious.total.of == 4);
  CHECK(*serious.total.share() == Approx(0.75));
  CHECK(serious.by_area.at("00001").count == 2);
  CHECK(serious.by_area.at("00001").of == 3);

  const IndicatorResult& late = Find(results, "late");
  CHECK(late.total.count == 2);
  CHECK(late.by_area.at("00001").count == 1);
  CHECK(late.by_area.at("00002").count == 1);

  // Stock: everything up to the period's end, including 2024.
  CHECK(Find(results, "on_register").total.count == 5);
}

TEST_CASE("indicators: an urgent case still within 12 hours is not late yet", "[indicators]") {
  auto form = LoadForm(kForm, "cases.json");
  REQUIRE(form.ok());
  CheckEnv env;
  env.now_ms = static_cast<int64_t>(*ParseIsoDateTime("2026-11-22T10:00") * 86400000.0);
  std::vector<ReportRecord> records{Case("00001", "2026-11-22T00:00", "serious"),
                                    Case("00001", "2026-11-21T21:00", "serious")};
  auto results = ComputeIndicators(*form, records, {}, env);
  CHECK(Find(results, "late").total.count == 1);  // 13 hours ago, nobody went
}

TEST_CASE("indicators: a bad declaration is refused when the form loads", "[indicators][form]") {
  std::string form = kForm;
  std::string bad = form;
  bad.replace(bad.find("\"of\": \"reported\""), 16, "\"of\": \"nothing\"");
  auto r = LoadForm(bad, "cases.json");
  CHECK(r.status().message() ==
        "cases.json: indicator 'serious': 'of' names 'nothing', which is not another indicator of this form");
  bad = form;
  bad.replace(bad.find("${urgency} = 'serious'\", \"of\""), 10, "${urgencyx}");
  CHECK(LoadForm(bad, "cases.json").status().message().find("${urgencyx} is not a field of this form") !=
        std::string::npos);
}
