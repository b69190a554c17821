// The record list as CSV ("Tải danh sách (CSV)"): the rows of the current filter and
// search, all pages, with the page's columns, through the same CSV writer as the
// per-form export (admin/export_table.h: UTF-8 with a byte-order mark, CRLF, codes
// and phone numbers kept as text). District staff only, like every export, and in
// the audit log before the file leaves.
#include "admin/export_table.h"
#include "sotay/expr.h"
#include "web/record_list.h"

namespace sotay::server::web {

HttpResponse ListCsv(WebRequest& r, const ListFilter& f, const std::vector<std::string>& communes, int64_t today_days) {
  const Viewer& v = r.viewer;
  if (v.role != Role::kDistrict) {
    return ErrorPage(v, 403, v.T("Chỉ cán bộ cấp huyện được xuất dữ liệu.", "Only district staff may export data."));
  }
  auto found = ListRows(r, f, communes, today_days, 0, 0);
  if (!found.ok()) return InternalError(r.note, found.status());
  const std::vector<ListRow>& rows = found->rows;
  using Kind = ExportColumn::Kind;
  ExportTable t;
  t.lang = v.lang;
  t.columns = {{v.T("Mã hồ sơ", "Record id"), Kind::kText},  {v.T("Tên", "Name"), Kind::kText},
               {v.T("Biểu mẫu", "Form"), Kind::kText},       {v.T("Mã xã", "Commune code"), Kind::kText},
               {v.T("Xã", "Commune"), Kind::kText},          {v.T("Thôn, bản", "Village"), Kind::kText},
               {v.T("Tuổi", "Age"), Kind::kInteger},         {v.T("Giới tính", "Sex"), Kind::kText},
               {v.T("Cán bộ lập", "Made by"), Kind::kText},  {v.T("Tạo lúc", "Created"), Kind::kDateTime},
               {v.T("Trạng thái", "Status"), Kind::kText}};
  if (!f.q.empty() && f.others) t.columns.push_back({v.T("Khớp", "Matched"), Kind::kText});
  // Times as ISO local time, as the per-form export writes them: Excel reads
  // "2026-09-21 14:05" as a date whatever the PC's regional setting.
  Viewer iso = v;
  iso.lang = "en";
  for (const ListRow& row : rows) {
    const RowText text = TextOf(r.app, v, row, today_days);
    std::vector<std::string> cells = {row.rec.ref.id, text.name,   text.form,   row.rec.ref.area,
                                      text.commune,    text.village, text.age,   text.sex,
                                      text.worker,     FormatTime(iso, row.rec.summary.created_ms), text.status};
    if (!f.q.empty() && f.others) cells.push_back(text.why.empty() ? v.T("Họ tên", "Name") : text.why);
    t.rows.push_back(std::move(cells));
  }
  ExportOptions options;
  options.lang = v.lang;
  // The filters, never the name searched for (SECURITY.md: no names in logs).
  const std::string query = f.Query();
  Status s = Audit(r.app, v.user, "export.csv", "record-list",
                   std::to_string(rows.size()) + " records" + (query.empty() ? "" : ", " + query) +
                       (f.q.empty() ? "" : ", name search"));
  if (!s.ok()) return InternalError(r.note, s);
  HttpResponse res;
  res.status = 200;
  res.content_type = "text/csv; charset=utf-8";
  res.body = ToCsv(t, options);
  const std::string day = FormatIsoDate(r.app.env->TodayDays());
  res.headers["Content-Disposition"] = "attachment; filename=\"records-" + day + ".csv\"";
  res.headers["Cache-Control"] = "no-store";
  res.headers["X-Content-Type-Options"] = "nosniff";
  return res;
}

}  // namespace sotay::server::web
