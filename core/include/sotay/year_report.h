// The district's yearly report (issue 15): every indicator of the form pack for a
// period, by unit (commune, district, province) with the subtotals, broken down by
// sex, age band and ethnicity, with rates against the area's child population. One
// value that the dashboard's /reports page, the XLSX and CSV workbooks and
// `sotay-server report` all print, so they cannot disagree.
//
// Figures never move: stock indicators count as of the period's end (the answers as
// they stood that day, ages and register status on that day), flow indicators by
// the event's own date; children are counted once however many records or communes
// they appear in (indicators.h), so a subtotal is computed, never summed.
//
// Pure: no I/O; thread-safe (a YearReport is a value).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sotay/form.h"
#include "sotay/indicators.h"
#include "sotay/status.h"
#include "sotay/validate.h"

namespace sotay {

// An administrative unit of the report. The communes are the leaves; every record's
// `area` (ReportRecord) names one. A district or province unit's figures are over all
// the communes under it.
struct ReportUnit {
  std::string code;    // the area code, e.g. "01234"
  std::string name;    // UTF-8, e.g. "Xã Chiềng Châu"
  std::string parent;  // the unit above, "" at the top of this report
  std::string level;   // "province", "district" or "commune"
};

// One way of breaking the children down; categories in the order a table shows them,
// the last one "unknown" (no answer or an answer the list does not have).
//  - sex: the register's `sex` list (female, male), from the record's `child_sex` or
//    `sex`, else its linked profile's;
//  - age_band: "0_5", "6_10", "11_15", "16_plus" (case forms follow people past
//    sixteen: a child marriage to 18 or 20), "unknown"; the age on the event's day for
//    a flow indicator, on `as_of_day` for a stock one;
//  - ethnicity: the register's `ethnicity` list, each with its choice's "code".
// A child counted by an indicator falls in one category of each breakdown (that of
// its latest counted record), so a breakdown's categories add up to the unit's value.
struct Breakdown {
  std::string name;  // "sex", "age_band" or "ethnicity"
  LocalText label;
  struct Category {
    std::string name;  // a choice's name ("female"), an age band ("0_5"), or "unknown"
    std::string code;  // an official code where one exists (ethnicity "01"), else ""
    LocalText label;
  };
  std::vector<Category> categories;
};

struct YearReportRow {
  std::string form;                     // the form's id
  const Indicator* indicator = nullptr;  // points into the forms given to ComputeYearReport
  // Every unit of the report, subtotals included; a unit with no records holds 0.
  std::map<std::string, IndicatorValue> by_unit;
  // breakdown name -> unit code -> each category's value, in the order of the
  // breakdown's categories (YearReport::breakdowns). Dense and by position: a
  // province has hundreds of thousands of these, and a map node each took 4 times
  // the memory (about 30 MiB for 161 units).
  std::map<std::string, std::map<std::string, std::vector<IndicatorValue>>> breakdowns;
  // Per 1,000 children of the unit's population (YearReport::child_population);
  // nullopt for a share, or where the population is 0.
  std::map<std::string, std::optional<double>> rate_per_1000;
};

struct YearReport {
  ReportPeriod period;
  int64_t as_of_day = 0;            // the day stock figures are counted on (days since 1970-01-01)
  std::vector<ReportUnit> units;    // depth first: a unit, then the units under it, by code
  std::vector<Breakdown> breakdowns;
  std::vector<YearReportRow> rows;  // forms in the order given, indicators in form order
  // Children on the register on `as_of_day`, by unit: the denominator of the rates.
  std::map<std::string, int64_t> child_population;

  // `row`'s value for `category` (by name) of `breakdown` in `unit`; a plain zero
  // where the report has none.
  IndicatorValue CategoryValue(const YearReportRow& row, const std::string& breakdown, const std::string& unit,
                               const std::string& category) const;
};

// Computes the report over `records` (records of every form in `forms`, each with
// its commune in `area`) for the units `units` (which must include every commune the
// records name, and their parents up to the top unit).
YearReport ComputeYearReport(const std::vector<const Form*>& forms, const std::vector<ReportRecord>& records,
                             const std::vector<ReportUnit>& units, const ReportPeriod& period, const CheckEnv& env);

// Records read one at a time: the source calls `each` for every record, in any order,
// and may be read more than once. For a province's server, whose records whole do not
// fit in its memory.
using RecordSource = std::function<Status(const std::function<Status(const ReportRecord&)>&)>;

// The same report over a source, read twice, keeping a few numbers per record (the
// child it is about, its unit, its breakdown categories, what it counts for): the
// figures are the vector version's. Fails only when the source fails.
Result<YearReport> ComputeYearReport(const std::vector<const Form*>& forms, const RecordSource& records,
                                     const std::vector<ReportUnit>& units, const ReportPeriod& period,
                                     const CheckEnv& env);
// The records in memory as a source, form by form in the order of `forms` (both must
// outlive it).
RecordSource RecordsOf(const std::vector<ReportRecord>& records, const std::vector<const Form*>& forms);

}  // namespace sotay
