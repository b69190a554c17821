// GET /reports/file?year=2025&area=CODE&format=xlsx|csv[&sep=semicolon]: the yearly
// report as a workbook, the figures /reports shows (kept from the page when nothing
// changed) written by the same path as `sotay-server report`
// (admin/year_report_file.h), for the viewer's area or an area under it. The making
// is in the audit log before the file leaves, with the chain's head in the file.
#include <mutex>

#include "admin/year_report_file.h"
#include "sotay/expr.h"
#include "web/web.h"

namespace sotay::server::web {

HttpResponse ReportFile(WebRequest& r) {
  const Viewer& v = r.viewer;
  if (v.role == Role::kAdmin) return AdminsSeeNoRecords(v);
  YearReportRequest request;
  request.lang = v.lang;
  request.actor = v.user;
  request.csv = r.http.Query("format") == "csv";
  request.semicolon = r.http.Query("sep") == "semicolon";
  request.area = r.http.Query("area").empty() ? v.area : r.http.Query("area");
  const std::string year = r.http.Query("year");
  auto from = ParseIsoDate(year + "-01-01");
  auto to = ParseIsoDate(year + "-12-31");
  if (year.size() != 4 || !from || !to) {
    return ErrorPage(v, 400, v.T("Năm phải có 4 chữ số, ví dụ 2025.", "A year has 4 digits, e.g. 2025."));
  }
  request.period.from_day = *from;
  request.period.to_day = *to;

  std::lock_guard<std::mutex> lock(r.app.mu);
  // The viewer's own area or one under it; anything else is not there for them.
  if (r.app.areas.Find(request.area) == nullptr || !r.app.areas.Within(request.area, v.area)) {
    return ErrorPage(v, 404, v.T("Không có đơn vị này trong khu vực của bạn.", "No such unit in your area."));
  }
  Status rs = r.app.RefreshForms();
  if (!rs.ok()) return InternalError(r.note, rs);
  // The page's figures, kept when nothing changed since it was shown.
  auto figures = UnitFigures(r, request.area, request.period);
  if (!figures.ok()) return InternalError(r.note, figures.status());
  const std::shared_ptr<const YearReport> report = (*figures)->report;
  auto file = WriteYearReportFile(*r.app.store, r.app.forms, *r.app.env, *report, request);
  if (!file.ok()) return InternalError(r.note, file.status());
  HttpResponse res;
  res.status = 200;
  res.content_type = file->content_type;
  // Sent from its temporary file after the handler, without the store's mutex.
  res.stream = [data = file->file](const std::function<bool(std::string_view)>& write) {
    return data->CopyTo(write).ok();
  };
  res.headers["Content-Disposition"] = "attachment; filename=\"" + file->file_name + "\"";
  res.headers["Cache-Control"] = "no-store";
  res.headers["X-Content-Type-Options"] = "nosniff";
  return res;
}

}  // namespace sotay::server::web
