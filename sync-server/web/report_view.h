// The parts of the /reports page (page_reports.cc) that draw a YearReport: bar
// charts that fit their box, the breakdown tables of one unit, and the printed
// report's heading and signature block, as Vietnamese administrative reports have.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "sotay/year_report.h"
#include "web/html.h"

namespace sotay::server::web {

struct Bar {
  std::string label;  // a unit's name
  IndicatorValue value;
};

// Horizontal bars with a fixed column for the names and one for the values, so no
// value is cut; a share is drawn against 100 %, a count against the largest bar. The
// SVG scales down with its box (viewBox) and never grows past its drawn width.
std::string BarChart(const Viewer& v, const std::string& caption, const std::vector<Bar>& bars);

// One table per breakdown (sex, age band, ethnicity) of `unit`: the form's
// indicators by category. Ethnic groups no child of the form belongs to are left out.
std::string BreakdownTables(const Viewer& v, const YearReport& report, const std::string& form,
                            const std::string& unit);

// For print: the unit and period above the report, and the signature block below it.
std::string PrintHeading(const Viewer& v, const std::string& unit_name, const std::string& period);
std::string SignatureBlock(const Viewer& v);

// "12,5" (vi) or "12.5" (en), one decimal.
std::string Decimal(const Viewer& v, double x);

}  // namespace sotay::server::web
