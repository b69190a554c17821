// GET /export: one download per form, as CSV for Excel (UTF-8 with a byte-order
// mark) or XLSX, with choice labels or codes. GET /export/file?form=&format=&codes=:
// the file itself. Every export is written to the audit log before it is sent.
// District staff only: data leaves the system by a supervisor's decision.
#include <algorithm>
#include <mutex>
#include <optional>

#include "admin/export_table.h"
#include "sotay/presentation.h"
#include "web/audit_log.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

bool MayExport(const Viewer& v) { return v.role == Role::kDistrict; }

HttpResponse NotAllowed(const Viewer& v) {
  return ErrorPage(v, 403, v.T("Chỉ cán bộ cấp huyện được xuất dữ liệu.", "Only district staff may export data."));
}

}  // namespace

HttpResponse ExportPage(WebRequest& r) {
  const Viewer& v = r.viewer;
  if (!MayExport(v)) return NotAllowed(v);
  std::lock_guard<std::mutex> lock(r.app.mu);
  Status rs = r.app.RefreshForms();
  if (!rs.ok()) return InternalError(r.note, rs);
  std::string b = std::string("<p>") +
                  v.T("Mỗi biểu mẫu một tệp. Tệp Excel (XLSX) có số và ngày tháng đúng kiểu. Tệp CSV mở bằng Excel "
                      "với tiếng Việt đúng dấu; nếu Excel dồn mọi cột vào một (máy cài định dạng Việt Nam), hãy dùng "
                      "tệp CSV dấu chấm phẩy. Mỗi lần tải được ghi vào nhật ký truy cập.",
                      "One file per form. The Excel (XLSX) file has real numbers and dates. The CSV files open in "
                      "Excel with Vietnamese intact; if Excel puts every column into one (Vietnamese regional "
                      "settings), use the semicolon CSV. Every download is written to the audit log.") +
                  "</p>";
  b += std::string("<table class=\"list\" id=\"exports\"><thead><tr><th>") + v.T("Biểu mẫu", "Form") + "</th><th>" +
       v.T("Tải về", "Download") + "</th></tr></thead><tbody>";
  auto row = [&](const Form& f) {
    const std::string q = "/export/file?form=" + UrlEncode(f.id);
    b += "<tr><td>" + Esc(FormTitle(&f, f.id, v.lang)) + "</td><td>";
    b += "<a href=\"" + Esc(q + "&format=xlsx") + "\" data-export=\"" + Esc(f.id) + ".xlsx\">Excel (XLSX)</a> · ";
    b += "<a href=\"" + Esc(q + "&format=csv") + "\" data-export=\"" + Esc(f.id) + ".csv\">CSV</a> · ";
    b += "<a href=\"" + Esc(q + "&format=csv&sep=semicolon") + "\">" +
         v.T("CSV cho Excel cài tiếng Việt (dấu ;)", "CSV for Excel in Vietnamese settings (;)") + "</a> · ";
    b += "<a href=\"" + Esc(q + "&format=csv&codes=1") + "\">" + v.T("CSV (mã lựa chọn)", "CSV (choice codes)") + "</a>";
    b += "</td></tr>";
  };
  for (const Form* form : r.app.forms.Latest()) {
    row(*form);
    for (const Form& child : form->repeats) row(child);
  }
  b += "</tbody></table>";
  return HtmlResponse(200, Page(v, v.T("Xuất dữ liệu", "Export"), "export", b));
}

HttpResponse ExportFile(WebRequest& r) {
  const Viewer& v = r.viewer;
  if (!MayExport(v)) return NotAllowed(v);
  const std::string form_id = r.http.Query("form");
  const std::string format = r.http.Query("format") == "xlsx" ? "xlsx" : "csv";
  ExportOptions options;
  options.lang = v.lang;
  options.choice_labels = r.http.Query("codes") != "1";
  options.semicolon = r.http.Query("sep") == "semicolon";

  std::lock_guard<std::mutex> lock(r.app.mu);
  Status rs = r.app.RefreshForms();
  if (!rs.ok()) return InternalError(r.note, rs);
  // The newest version's columns, then those an older version had and it retired, so
  // a version 2 record exports its answers with their labels.
  const std::optional<Form> columns = r.app.forms.WithRetiredFields(form_id);
  if (!columns) return ErrorPage(v, 404, v.T("Không có biểu mẫu này.", "No such form."));
  const Form* form = &*columns;
  auto all = VisibleRecords(r);
  if (!all.ok()) return InternalError(r.note, all.status());
  std::vector<const IndexedRecord*> picked;
  for (const IndexedRecord* rec : *all) {
    if (rec->ref.form == form->id) picked.push_back(rec);
  }
  std::sort(picked.begin(), picked.end(), [](const IndexedRecord* a, const IndexedRecord* b) {
    return std::tie(a->ref.area, a->summary.created_ms, a->ref.id) < std::tie(b->ref.area, b->summary.created_ms, b->ref.id);
  });
  std::vector<ExportRecord> rows;
  rows.reserve(picked.size());
  for (const IndexedRecord* rec : picked) {
    ExportRecord e;
    e.id = rec->ref.id;
    e.parent_id = rec->ref.parent;
    e.area_code = rec->ref.area;
    e.area_name = AreaName(r.app, rec->ref.area);
    e.created_ms = rec->summary.created_ms;
    e.updated_ms = rec->summary.updated_ms;
    e.is_void = rec->summary.is_void;
    e.has_conflict = !rec->summary.conflicts.empty();
    e.answers = rec->summary.shown;
    rows.push_back(std::move(e));
  }
  options.utc_offset_ms = v.utc_offset_ms;
  const ExportTable table = BuildExportTable(*form, rows, options);
  HttpResponse res;
  res.status = 200;
  if (format == "csv") {
    res.content_type = "text/csv; charset=utf-8";
    res.body = ToCsv(table, options);
  } else {
    auto bytes = ToXlsx(table, form->id);
    if (!bytes.ok()) return InternalError(r.note, bytes.status());
    res.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    res.body = std::move(bytes).value();
  }
  // Written before the file leaves: an export that is not in the log never happens.
  Status s = Audit(r.app, v.user, "export." + format, form->id,
                   std::to_string(rows.size()) + " records" + (options.choice_labels ? "" : ", codes"));
  if (!s.ok()) return InternalError(r.note, s);
  const std::string day = FormatIsoDate(r.app.env->TodayDays());
  res.headers["Content-Disposition"] = "attachment; filename=\"" + form->id + "-" + day + "." + format + "\"";
  res.headers["Cache-Control"] = "no-store";
  res.headers["X-Content-Type-Options"] = "nosniff";
  return res;
}

}  // namespace sotay::server::web
