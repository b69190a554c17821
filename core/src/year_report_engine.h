// The year report's engine, for ComputeYearReport and for ComputeIndicators (a
// commune's device: its communes under one total, no breakdowns), so that both count
// by one rule (indicator_count.h). Private to sotay_logic. Pure; thread-safe.
#pragma once

#include <vector>

#include "sotay/year_report.h"

namespace sotay::year_report {

// `records[i]` are the records of `forms[i]`.
YearReport Run(const std::vector<const Form*>& forms, const std::vector<std::vector<const ReportRecord*>>& records,
               const std::vector<ReportUnit>& units, const ReportPeriod& period, const CheckEnv& env,
               bool with_breakdowns);

}  // namespace sotay::year_report
