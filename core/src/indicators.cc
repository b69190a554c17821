#include "sotay/indicators.h"

#include <cmath>
#include <cstdio>
#include <set>

#include "sotay/lang.h"
#include "sotay/year_report.h"
#include "year_report_engine.h"

namespace sotay {

std::optional<double> IndicatorValue::share() const {
  if (of <= 0) return std::nullopt;
  return static_cast<double>(count) / static_cast<double>(of);
}

std::string FormatIndicatorValue(const IndicatorValue& v, const std::string& lang) {
  std::string out = std::to_string(v.count);
  const bool records_differ = v.records >= 0 && v.records != v.count;
  const std::string records =
      records_differ ? std::to_string(v.records) + (IsEnglish(lang) ? " records" : " hồ sơ") : "";
  if (!v.is_share()) return records_differ ? out + " (" + records + ")" : out;
  out += " / " + std::to_string(v.of);
  if (auto share = v.share()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", *share * 100.0);
    std::string pct = buf;
    if (!IsEnglish(lang)) {
      for (char& c : pct) {
        if (c == '.') c = ',';  // Vietnamese decimal comma
      }
    }
    out += " (" + pct + " %" + (records_differ ? "; " + records : "") + ")";
  } else if (records_differ) {
    out += " (" + records + ")";
  }
  return out;
}

std::vector<IndicatorResult> ComputeIndicators(const Form& form, const std::vector<ReportRecord>& records,
                                               const ReportPeriod& period, const CheckEnv& env) {
  // The year report's engine (year_report_engine.h), with the records' communes under
  // one total: one counting rule for a device's report and the district's. The total's
  // code is no area code (area_tree.h: letters and digits), so no commune takes it.
  static const std::string kTotal = "\x1f";
  std::set<std::string> areas;  // every area with a record of the form shows, even with 0
  for (const ReportRecord& r : records) {
    if (!r.is_void) areas.insert(r.area);
  }
  std::vector<ReportUnit> units{{kTotal, "", "", "province"}};
  for (const std::string& a : areas) units.push_back({a, "", kTotal, "commune"});
  // Every record given is of the form (other forms' are the caller's to leave out),
  // whatever its `form` says.
  const RecordSource all_of_form = [&](const std::function<Status(const ReportRecord&)>& each) -> Status {
    for (const ReportRecord& r : records) {
      Status s = r.form == form.id ? each(r) : each([&] {
        ReportRecord named = r;
        named.form = form.id;
        return named;
      }());
      if (!s.ok()) return s;
    }
    return Status::OK();
  };
  YearReport report =
      std::move(year_report::Run({&form}, all_of_form, units, period, env, /*with_breakdowns=*/false)).value();
  std::vector<IndicatorResult> out;
  out.reserve(report.rows.size());
  for (YearReportRow& row : report.rows) {
    IndicatorResult result;
    result.indicator = row.indicator;
    result.total = row.by_unit[kTotal];
    for (const std::string& a : areas) result.by_area[a] = row.by_unit[a];
    out.push_back(std::move(result));
  }
  return out;
}

}  // namespace sotay
