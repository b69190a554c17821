// The /reports page's kept figures (web/report_cache.h): found again while nothing
// changed, and bounded by how many figures they hold, so a province's staff browsing
// units and years cannot push the server past its memory limit.
#include <catch2/catch.hpp>

#include "web/report_cache.h"

using namespace sotay;
using namespace sotay::server::web;

namespace {

// A report of `units` units, one row, each unit with `categories` breakdown values.
YearReport Report(size_t units, size_t categories) {
  YearReport r;
  YearReportRow row;
  for (size_t u = 0; u < units; ++u) {
    const std::string code = "u" + std::to_string(u);
    row.by_unit[code] = IndicatorValue{};
    row.breakdowns["sex"][code].assign(categories, IndicatorValue{});
  }
  r.rows.push_back(std::move(row));
  return r;
}

}  // namespace

TEST_CASE("report cache: kept while nothing changed, and bounded by the figures it holds", "[web][reports]") {
  ReportCache cache;
  ReportFingerprint from;
  from.records = 10;
  from.newest_seq = 7;
  cache.Put("district|2025|vi", from, 7, Report(10, 4), 1000);
  REQUIRE(cache.FindUnchanged("district|2025|vi", 7, "") != nullptr);
  CHECK(cache.FindUnchanged("district|2025|vi", 8, "") == nullptr);  // a set stored since: look again
  CHECK(cache.Find("district|2025|vi", from, 8) != nullptr);           // the same records: still good
  ReportFingerprint moved = from;
  moved.newest_seq = 9;
  CHECK(cache.Find("district|2025|vi", moved, 9) == nullptr);
  CHECK(ReportValues(Report(10, 4)) == 50);

  // Province-sized figures: two cannot be kept together; the newest always is.
  const size_t units = 200, categories = ReportCache::kMaxValues / 200 / 2 + 1;  // each over half the bound
  cache.Put("province|2025|vi", from, 7, Report(units, categories), 2000);
  cache.Put("province|2024|vi", from, 7, Report(units, categories), 3000);
  CHECK(cache.FindUnchanged("province|2024|vi", 7, "") != nullptr);
  CHECK(cache.FindUnchanged("province|2025|vi", 7, "") == nullptr);
  // Small ones are many: up to kMaxEntries.
  for (size_t i = 0; i < ReportCache::kMaxEntries + 5; ++i) cache.Put("commune" + std::to_string(i), from, 7, Report(1, 1), 4000);
  CHECK(cache.size() == ReportCache::kMaxEntries);
}
