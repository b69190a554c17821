#include "admin/year_report_file.h"

#include "admin/report_workbook.h"
#include "sotay/expr.h"
#include "sotay/year_report.h"
#include "store/report_records.h"
#include "web/audit_log.h"

namespace sotay::server {

std::string PeriodSlug(const ReportPeriod& p) {
  const std::string from = p.from_day ? FormatIsoDate(*p.from_day) : "start";
  const std::string to = p.to_day ? FormatIsoDate(*p.to_day) : "now";
  if (from.size() == 10 && to.size() == 10 && from.substr(5) == "01-01" && to.substr(5) == "12-31" &&
      from.substr(0, 4) == to.substr(0, 4)) {
    return from.substr(0, 4);
  }
  return from + "_" + to;
}

namespace {

// The published forms that have indicators: those a report's figures come from.
std::vector<const Form*> IndicatorForms(const FormCatalog& catalog) {
  std::vector<const Form*> forms;
  for (const Form* f : catalog.Latest()) {
    if (!f->indicators.empty()) forms.push_back(f);
  }
  return forms;
}

}  // namespace

Result<YearReportFile> MakeYearReportFile(ServerStore& store, const AreaTree& areas, const FormCatalog& catalog,
                                          Env& env, const YearReportRequest& request) {
  if (areas.Find(request.area) == nullptr) {
    return Status::NotFound("the report's area " + request.area + " is not in the areas file");
  }
  const std::vector<std::string> communes = areas.CommunesUnder(request.area);
  // Read a commune at a time, not held: a province's records whole would not fit in
  // the server's memory (the dashboard's download runs this in the server).
  const RecordSource now = StoredRecords(store, catalog, communes);
  auto records = ReportSourceAsOf(store, catalog, communes, request.period, env, now, now);
  if (!records.ok()) return records.status();
  size_t counted = 0;
  bool first_reading = true;
  const RecordSource counting = [&](const std::function<Status(const ReportRecord&)>& each) {
    Status s = (*records)([&](const ReportRecord& r) {
      if (first_reading) ++counted;
      return each(r);
    });
    first_reading = false;
    return s;
  };
  const std::vector<const Form*> forms = IndicatorForms(catalog);
  CheckEnv check;
  check.lang = request.lang;
  check.now_ms = env.LocalNowMs();
  check.today_days = static_cast<double>(env.TodayDays());
  auto computed = ComputeYearReport(forms, counting, ReportUnitsUnder(areas, request.area), request.period, check);
  if (!computed.ok()) return computed.status();
  auto file = WriteYearReportFile(store, catalog, env, *computed, request);
  if (!file.ok()) return file.status();
  file->records = counted;
  return file;
}

Result<YearReportFile> WriteYearReportFile(ServerStore& store, const FormCatalog& catalog, Env& env,
                                           const YearReport& report, const YearReportRequest& request) {
  const std::vector<const Form*> forms = IndicatorForms(catalog);  // the workbook lists them

  // Logged before it is written, in the same transaction as nothing else: the
  // entry's hash is the head the workbook prints.
  const std::string kind = request.csv ? "report.csv" : "report.xlsx";
  {
    ServerStore::Transaction txn(store);
    if (!txn.status().ok()) return txn.status();
    Status s = web::AppendAudit(store.db(), web::AuditEntry{0, env.NowMs(), request.actor, kind, request.area,
                                                            PeriodSlug(request.period)});
    if (!s.ok()) return s;
    s = txn.Commit();
    if (!s.ok()) return s;
  }
  auto verdict = web::VerifyAudit(store.db());
  if (!verdict.ok()) return verdict.status();

  ReportWorkbookInfo info;
  info.lang = request.lang;
  info.prepared_by = request.actor;
  info.prepared_at_ms = env.NowMs();
  info.utc_offset_ms = env.LocalNowMs() - info.prepared_at_ms;
  // A broken chain is said, not hidden: the reviewer must not take a head for good.
  info.audit_head = verdict->ok ? verdict->head_hash
                                : std::string(request.lang == "en" ? "the audit log does not verify: "
                                                                   : "nhật ký kiểm toán không toàn vẹn: ") +
                                      verdict->reason;
  info.audit_entries = verdict->entries;

  YearReportFile out;
  out.units = report.units.size();
  out.indicators = report.rows.size();
  out.audit_head = info.audit_head;
  out.file_name = "bao-cao-tre-em-" + PeriodSlug(request.period) + "-" + request.area;
  if (request.csv) {
    auto csv = TempFile::Create("the report's CSV", ".csv");
    if (!csv.ok()) return csv.status();
    Status s = (*csv)->Fill([&](const ByteSink& write) {
      return WriteYearReportCsv(report, forms, info, request.semicolon, write);
    });
    if (!s.ok()) return s;
    out.file = std::move(csv).value();
    out.file_name += ".csv";
    out.content_type = "text/csv; charset=utf-8";
  } else {
    auto xlsx = YearReportXlsx(report, forms, info);
    if (!xlsx.ok()) return xlsx.status();
    out.file = std::move(xlsx).value();
    out.file_name += ".xlsx";
    out.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  return out;
}

}  // namespace sotay::server
