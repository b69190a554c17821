// The year report's engine, for ComputeYearReport and for ComputeIndicators (a
// commune's device: its communes under one total, no breakdowns), so that both count
// by one rule (indicator_count.h). Private to sotay_logic. Pure; thread-safe.
#pragma once

#include <vector>

#include "sotay/year_report.h"

namespace sotay::year_report {

// Reads `records` twice (whom each record is about is known only once every record
// has been seen), keeping a few numbers per record; records of forms not in `forms`
// are not counted. Fails only when reading them fails.
Result<YearReport> Run(const std::vector<const Form*>& forms, const RecordSource& records,
                       const std::vector<ReportUnit>& units, const ReportPeriod& period, const CheckEnv& env,
                       bool with_breakdowns);

}  // namespace sotay::year_report
