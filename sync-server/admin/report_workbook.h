// The yearly report (sotay/year_report.h) as a workbook a district officer sends to
// the province: XLSX with the report as printed (the indicator table by unit with the
// subtotal, the unit of measure, the period, a signature block), the same by every
// unit, the breakdowns by sex, age band and ethnicity, every figure as a flat table,
// the definitions, and the facts a reviewer checks (area, period, when and by whom it
// was made, the audit chain's head hash); and the flat table alone as CSV.
//
// Pure but for the XLSX's temporary file (xlsx_workbook.h). Thread-safety: none needed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "admin/export_table.h"
#include "sotay/form.h"
#include "sotay/status.h"
#include "sotay/year_report.h"

namespace sotay::server {

// What the workbook says about itself besides the figures.
struct ReportWorkbookInfo {
  std::string lang = "vi";
  std::string prepared_by;        // a user id, or "admin-cli"
  int64_t prepared_at_ms = 0;     // UTC
  int64_t utc_offset_ms = 0;      // times are printed as local time
  std::string audit_head;         // the audit chain's head hash once this report is logged
  int64_t audit_entries = 0;
};

// Every figure of `report` as one flat table (one row per indicator, unit, and
// breakdown category; the unbroken figure with an empty breakdown): the CSV, and
// the "data" sheet. Codes are text columns, so a spreadsheet keeps "01234".
ExportTable YearReportTable(const YearReport& report, const std::vector<const Form*>& forms, const std::string& lang);

Result<std::string> YearReportXlsx(const YearReport& report, const std::vector<const Form*>& forms,
                                   const ReportWorkbookInfo& info);

std::string YearReportCsv(const YearReport& report, const std::vector<const Form*>& forms,
                          const ReportWorkbookInfo& info, bool semicolon);

// The unit of measure of an indicator of `form` in `lang`: children for a form about
// a child (a register or a form with a subject link), else records.
std::string UnitOfMeasure(const Form* form, const std::string& lang);

// "năm 2025" for a calendar year, "từ 01/03/2025 đến 31/08/2025" otherwise.
std::string PeriodText(const ReportPeriod& period, const std::string& lang);

}  // namespace sotay::server
