// The yearly report made from the store as a file (issue 15, "The yearly report"):
// the one path the dashboard's download and `sotay-server report` both take, so a
// workbook made either way holds the same figures. It reads the records of the
// area's communes as they stood at the period's end (store/report_records.h),
// computes the report (sotay/year_report.h), logs the making in the audit log, and
// writes the workbook (admin/report_workbook.h) with the chain's head hash after
// that entry, so a reviewer can later check the log still holds it.
//
// Thread-safety: none; the dashboard calls it under AppContext::mu.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "admin/area_tree.h"
#include "admin/temp_file.h"
#include "sotay/env.h"
#include "sotay/indicators.h"
#include "sotay/status.h"
#include "sotay/year_report.h"
#include "store/form_catalog.h"
#include "store/server_store.h"

namespace sotay::server {

struct YearReportRequest {
  std::string area;        // the report's top unit: a province, district or commune code
  ReportPeriod period;     // both ends set for a year
  std::string lang = "vi";
  bool csv = false;        // the flat table as CSV instead of the XLSX workbook
  bool semicolon = false;  // CSV for Excel in a Vietnamese regional setting
  std::string actor;       // who asked: a user id, or "admin-cli:ACCOUNT"
};

struct YearReportFile {
  // The bytes, in a private temporary file removed with the last copy of this: a
  // province's workbook is megabytes, its CSV tens of them, too big to hold.
  std::shared_ptr<TempFile> file;
  std::string file_name;     // e.g. "bao-cao-tre-em-2025-148.xlsx"
  std::string content_type;
  size_t units = 0, indicators = 0, records = 0;  // records: those read to compute it
  std::string audit_head;    // the audit chain's head once the report was logged
};

// NotFound for an area the tree does not have.
Result<YearReportFile> MakeYearReportFile(ServerStore& store, const AreaTree& areas, const FormCatalog& forms,
                                          Env& env, const YearReportRequest& request);

// The second half of MakeYearReportFile, for figures computed already (the
// dashboard's kept ones, so a download after the page computes nothing again):
// logs the making, then writes the file. `records` is left 0.
Result<YearReportFile> WriteYearReportFile(ServerStore& store, const FormCatalog& forms, Env& env,
                                           const YearReport& report, const YearReportRequest& request);

// "2025" for the calendar year, "2025-03-01_2025-08-31" otherwise.
std::string PeriodSlug(const ReportPeriod& period);

}  // namespace sotay::server
