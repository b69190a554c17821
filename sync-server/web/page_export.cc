// GET /export: one download per form, as CSV for Excel (UTF-8 with a byte-order
// mark) or XLSX, with choice labels or codes. GET /export/file?form=&format=&codes=:
// the file itself; with `files=1`, a zip of it and the records' files
// (web/export_files.h). Every export is written to the audit log before it is sent.
// District staff only: data leaves the system by a supervisor's decision.
//
// Sensitive answers (web/sensitive.h) are left out of every file but one asked for
// explicitly: POST /export/file with `sensitive=1` and a reason typed in, by staff
// allowed to see them; the audit entry then says so, with the reason and the count.
#include <algorithm>
#include <mutex>
#include <optional>

#include "admin/export_table.h"
#include "sotay/presentation.h"
#include "sotay/text.h"
#include "web/audit_log.h"
#include "web/export_files.h"
#include "web/sensitive.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

bool MayExport(const Viewer& v) { return v.role == Role::kDistrict; }

HttpResponse NotAllowed(const Viewer& v) {
  return ErrorPage(v, 403, v.T("Chỉ cán bộ cấp huyện được xuất dữ liệu.", "Only district staff may export data."));
}

bool HasSensitive(const Form& f) {
  return std::any_of(f.fields.begin(), f.fields.end(), [](const Field& x) { return x.sensitive; });
}

bool HasFiles(const Form& f) {
  return std::any_of(f.fields.begin(), f.fields.end(),
                     [](const Field& x) { return x.type == FieldType::kImage || x.type == FieldType::kFile; });
}

// The form that asks for a file with the sensitive columns: a box to tick and a
// reason to type, sent by POST so the reason stays out of URLs and browser history.
std::string SensitiveExportForm(const Viewer& v, const Form& f) {
  std::string h = "<form method=\"post\" action=\"/export/file\" class=\"sensitive-export\" data-export-sensitive=\"" +
                  Esc(f.id) + "\">" + CsrfField(v) + "<input type=\"hidden\" name=\"form\" value=\"" + Esc(f.id) + "\">";
  h += std::string("<label><input type=\"checkbox\" name=\"sensitive\" value=\"1\" required> ") +
       v.T("Kèm các cột bảo mật (người báo tin)", "With the confidential columns (the reporter)") + "</label> ";
  h += std::string("<label>") + v.T("Lý do (không ghi tên người)", "Reason (no names)") +
       " <input name=\"reason\" required maxlength=\"200\"></label> ";
  h += "<select name=\"format\"><option value=\"xlsx\">Excel (XLSX)</option><option value=\"csv\">CSV</option></select> ";
  h += std::string("<button type=\"submit\">") + v.T("Tải về", "Download") + "</button></form>";
  return h;
}

// The reason as the audit log keeps it: one short line.
std::string ReasonForLog(const std::string& typed) {
  std::string out;
  for (char c : Trim(typed)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  if (out.size() > 200) {
    out.resize(200);
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();  // a whole character
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
  }
  return out;
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
    if (HasFiles(f)) {
      b += " · <a href=\"" + Esc(q + "&format=xlsx&files=1") + "\" data-export-files=\"" + Esc(f.id) + "\">" +
           v.T("Excel và các tệp đính kèm (zip)", "Excel with the attached files (zip)") + "</a>";
    }
    if (HasSensitive(f)) {
      b += std::string("<br><small>") +
           v.T("Các tệp trên không có cột bảo mật (người báo tin).",
               "These files leave out the confidential columns (the reporter).") +
           "</small>";
      if (SeesSensitive(v)) b += SensitiveExportForm(v, f);
    }
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
  const bool post = r.http.method == "POST";
  auto get = [&](const char* name) { return post ? FormValue(r.form, name) : r.http.Query(name); };
  const std::string form_id = get("form");
  const std::string format = get("format") == "xlsx" ? "xlsx" : "csv";
  ExportOptions options;
  options.lang = v.lang;
  options.choice_labels = get("codes") != "1";
  options.semicolon = get("sep") == "semicolon";
  // Only by POST: a link cannot carry the request for the reporter's identity.
  options.with_sensitive = post && FormValue(r.form, "sensitive") == "1";
  const std::string reason = ReasonForLog(FormValue(r.form, "reason"));
  const bool with_files = get("files") == "1";
  if (options.with_sensitive && !SeesSensitive(v)) {
    r.note.error = "sensitive_not_allowed";
    return ErrorPage(v, 403, v.T("Bạn không được phép xuất thông tin bảo mật.",
                                 "You are not allowed to export confidential information."));
  }
  if (options.with_sensitive && reason.empty()) {
    r.note.error = "sensitive_no_reason";
    return ErrorPage(v, 400, v.T("Hãy ghi lý do xuất các cột bảo mật.",
                                 "Type the reason for exporting the confidential columns."));
  }

  std::lock_guard<std::mutex> lock(r.app.mu);
  Status rs = r.app.RefreshForms();
  if (!rs.ok()) return InternalError(r.note, rs);
  // The newest version's columns, then those an older version had and it retired, so
  // a version 2 record exports its answers with their labels.
  const std::optional<Form> columns = r.app.forms.WithRetiredFields(form_id);
  if (!columns) return ErrorPage(v, 404, v.T("Không có biểu mẫu này.", "No such form."));
  const Form* form = &*columns;
  RecordQuery q = VisibleQuery(r);
  q.forms = {form->id};
  q.order = RecordQuery::Order::kOldest;
  auto picked = SelectRecords(r, q);
  if (!picked.ok()) return InternalError(r.note, picked.status());
  std::stable_sort(picked->begin(), picked->end(), [](const IndexedRecord& a, const IndexedRecord& b) {
    return a.ref.area < b.ref.area;
  });
  std::vector<ExportRecord> rows;
  rows.reserve(picked->size());
  std::vector<ExportedFile> named;  // the files the exported answers name, for a zip
  for (IndexedRecord& record : *picked) {
    const IndexedRecord* rec = &record;
    for (const Field& f : form->fields) {
      if (!with_files || (f.type != FieldType::kImage && f.type != FieldType::kFile)) continue;
      if (f.sensitive && !options.with_sensitive) continue;  // as its column is left out
      auto answer = rec->summary.shown.find(f.name);
      if (answer == rec->summary.shown.end()) continue;
      if (auto ref = ParseAttachmentRef(answer->second); ref.ok()) named.push_back({rec->ref.id, f.name, *ref});
    }
    ExportRecord e;
    e.id = rec->ref.id;
    e.parent_id = rec->ref.parent;
    e.area_code = rec->ref.area;
    e.area_name = AreaName(r.app, rec->ref.area);
    e.created_ms = rec->summary.created_ms;
    e.updated_ms = rec->summary.updated_ms;
    e.is_void = rec->summary.is_void;
    e.has_conflict = !rec->summary.conflicts.empty();
    e.answers = std::move(record.summary.shown);
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
  auto files = WholeFilesOf(r.app, named);
  if (!files.ok()) return InternalError(r.note, files.status());
  // Written before the file leaves: an export that is not in the log never happens.
  std::string detail = std::to_string(rows.size()) + " records" + (options.choice_labels ? "" : ", codes");
  if (with_files) detail += ", " + std::to_string(files->size()) + " files";
  const bool sensitive = options.with_sensitive && HasSensitive(*form);
  if (sensitive) detail += ", with sensitive columns; reason: " + reason;
  Status s = Audit(r.app, v.user, sensitive ? "export." + format + ".sensitive" : "export." + format, form->id, detail);
  if (!s.ok()) return InternalError(r.note, s);
  const std::string day = FormatIsoDate(r.app.env->TodayDays());
  const std::string name = form->id + "-" + day;
  if (with_files) {
    const int status = res.status;
    res = ZipWithFiles(r.app, name + "." + format, std::move(res.body), std::move(files).value(), r.app.env->NowMs());
    res.status = status;
  }
  res.headers["Content-Disposition"] = "attachment; filename=\"" + name + "." + (with_files ? "zip" : format) + "\"";
  res.headers["Cache-Control"] = "no-store";
  res.headers["X-Content-Type-Options"] = "nosniff";
  return res;
}

}  // namespace sotay::server::web
