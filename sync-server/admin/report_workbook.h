// The yearly report (sotay/year_report.h) as a workbook a district officer sends to
// the province: XLSX with the report as printed (the indicator table by unit with the
// subtotal, the unit of measure, the period, a signature block), the same by every
// unit, the breakdowns by sex, age band and ethnicity, every figure as a flat table,
// the definitions, and the facts a reviewer checks (area, period, when and by whom it
// was made, the audit chain's head hash); and the flat table alone as CSV.
//
// Pure but for the XLSX's temporary file (temp_file.h). Thread-safety: none needed.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "admin/export_table.h"
#include "admin/temp_file.h"
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

// Every figure of `report` as one flat table (one line per indicator, unit, and
// breakdown category; the unbroken figure with an empty breakdown): the CSV, and the
// "data" sheet. Codes are text columns, so a spreadsheet keeps "01234". A province's
// table has hundreds of thousands of lines, so it is made a line at a time and never
// held: `line` gets each line's cells, in the columns' order, and returns false to stop.
std::vector<ExportColumn> YearReportColumns(const std::string& lang);
bool ForEachYearReportLine(const YearReport& report, const std::vector<const Form*>& forms, const std::string& lang,
                           const std::function<bool(const std::vector<std::string>&)>& line);

// The workbook, written with libxlsxwriter's constant memory into a private
// temporary file: a province's download holds no sheet in memory.
Result<std::shared_ptr<TempFile>> YearReportXlsx(const YearReport& report, const std::vector<const Form*>& forms,
                                                 const ReportWorkbookInfo& info);

// The flat table as CSV (UTF-8 with a byte-order mark; ';' and the decimal comma for
// a Vietnamese Excel when `semicolon`), through `write` a line at a time.
// FailedPrecondition when `write` refused a line.
Status WriteYearReportCsv(const YearReport& report, const std::vector<const Form*>& forms,
                          const ReportWorkbookInfo& info, bool semicolon, const ByteSink& write);

// The unit of measure of an indicator of `form` in `lang`: children for a form about
// a child (a register or a form with a subject link), else records.
std::string UnitOfMeasure(const Form* form, const std::string& lang);

// "năm 2025" for a calendar year, "từ 01/03/2025 đến 31/08/2025" otherwise.
std::string PeriodText(const ReportPeriod& period, const std::string& lang);

}  // namespace sotay::server
