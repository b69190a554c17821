// GET/POST /records: the records of the viewer's communes, filtered, searched by the
// child's name (record_list.h), in numbered pages, and downloaded as the filtered
// list (list_export.cc). GET /records/{id}: one record, its history and its
// child records.
#include <algorithm>
#include <map>
#include <mutex>

#include "sotay/presentation.h"
#include "sotay/text.h"
#include "web/audit_log.h"
#include "web/record_history.h"
#include "web/record_links.h"
#include "web/record_list.h"
#include "web/sensitive.h"
#include "web/record_sections.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

std::string Option(const std::string& value, const std::string& label, const std::string& selected) {
  return "<option value=\"" + Esc(value) + "\"" + (value == selected ? " selected" : "") + ">" + Esc(label) +
         "</option>";
}

std::string Select(const char* name, const std::string& label, const std::string& options) {
  return "<label>" + label + "<select name=\"" + name + "\">" + options + "</select></label>";
}

// The select_one or select_multiple choices of `field` in the child profile, as options.
std::string ChoiceOptions(const AppContext& ctx, const std::string& field, const std::string& selected,
                          const Viewer& v) {
  std::string h = Option("", v.T("Tất cả", "All"), selected);
  for (const Form* form : ctx.forms.Latest()) {
    if (form->id != "child_profile") continue;
    const Field* f = form->FindField(field);
    auto list = f != nullptr ? form->choices.find(f->list) : form->choices.end();
    if (list == form->choices.end()) continue;
    for (const Choice& c : list->second) h += Option(c.name, c.label.Get(v.lang), selected);
  }
  return h;
}

std::string FilterForm(const WebRequest& r, const ListFilter& f, const std::vector<std::string>& communes,
                       const ListFacets& facets) {
  const Viewer& v = r.viewer;
  std::string h = "<form method=\"post\" action=\"/records\" class=\"filters\" id=\"filters\">" + CsrfField(v);
  h += std::string("<label class=\"search\">") + v.T("Tìm theo tên trẻ (không cần dấu)", "Search by the child's name (accents optional)") +
       "<input type=\"search\" name=\"q\" id=\"q\" value=\"" + Esc(f.q) + "\"></label>";
  h += std::string("<label class=\"check\"><input type=\"checkbox\" name=\"others\" id=\"others\" value=\"1\"") +
       (f.others ? " checked" : "") + "> " + v.T("tìm cả trong các câu trả lời khác", "also search other answers") +
       "</label>";
  std::string forms = Option("", v.T("Tất cả", "All"), f.form);
  for (const Form* form : r.app.forms.Latest()) {
    forms += Option(form->id, FormTitle(form, form->id, v.lang), f.form);
    for (const Form& child : form->repeats) forms += Option(child.id, "— " + FormTitle(&child, child.id, v.lang), f.form);
  }
  h += Select("form", v.T("Biểu mẫu", "Form"), forms);
  std::string areas = Option("", v.T("Tất cả", "All"), f.area);
  for (const std::string& c : communes) areas += Option(c, AreaName(r.app, c), f.area);
  h += Select("area", v.T("Xã", "Commune"), areas);
  std::string villages = Option("", v.T("Tất cả", "All"), f.village);
  for (const std::string& village : facets.villages) villages += Option(village, village, f.village);
  h += Select("village", v.T("Thôn, bản", "Village"), villages);
  h += std::string("<label class=\"age\">") + v.T("Tuổi từ", "Age from") +
       "<input type=\"number\" min=\"0\" max=\"30\" name=\"age_min\" value=\"" + Esc(f.age_min) + "\"></label>";
  h += std::string("<label class=\"age\">") + v.T("đến", "to") +
       "<input type=\"number\" min=\"0\" max=\"30\" name=\"age_max\" value=\"" + Esc(f.age_max) + "\"></label>";
  h += Select("sex", v.T("Giới tính", "Sex"), ChoiceOptions(r.app, "sex", f.sex, v));
  h += Select("group", v.T("Nhóm hoàn cảnh đặc biệt", "Special circumstances"),
              ChoiceOptions(r.app, "special_circumstances", f.group, v));
  std::string workers = Option("", v.T("Tất cả", "All"), f.worker);
  for (const std::string& w : facets.workers) workers += Option(w, w, f.worker);
  h += Select("worker", v.T("Cán bộ lập", "Made by"), workers);
  h += Select("status", v.T("Trạng thái", "Status"),
              Option("", v.T("Tất cả", "All"), f.status) + Option("active", v.T("Đang dùng", "Active"), f.status) +
                  Option("conflict", v.T("Có xung đột", "In conflict"), f.status) +
                  Option("void", v.T("Đã hủy", "Void"), f.status));
  h += std::string("<label>") + v.T("Tạo từ ngày", "Created from") + "<input type=\"date\" name=\"from\" value=\"" +
       Esc(f.from) + "\"></label>";
  h += std::string("<label>") + v.T("đến ngày", "to") + "<input type=\"date\" name=\"to\" value=\"" + Esc(f.to) +
       "\"></label>";
  h += Select("sort", v.T("Sắp xếp", "Sort"),
              Option("", v.T("Mới cập nhật trước", "Recently updated first"), f.sort) +
                  Option("name", v.T("Theo tên (A–Z, tên trước họ)", "By name (A–Z, given name first)"), f.sort));
  h += std::string("<button type=\"submit\">") + v.T("Lọc", "Filter") + "</button> <a href=\"/records\">" +
       v.T("Bỏ lọc", "Clear") + "</a></form>";
  return h;
}

// A page number: a link carrying the filters, or with a search a POST button, so the
// name stays out of the URL.
std::string PageLink(const WebRequest& r, const ListFilter& f, size_t page, const std::string& text,
                     const char* label) {
  const std::string number = std::to_string(page + 1);
  const std::string aria = std::string(" aria-label=\"") + label + " " + number + "\" data-page=\"" + number + "\"";
  if (f.q.empty()) {
    std::string q = f.Query();
    q += std::string(q.empty() ? "" : "&") + "page=" + number;
    return "<a href=\"/records?" + Esc(q) + "\"" + aria + ">" + text + "</a>";
  }
  return "<form method=\"post\" action=\"/records\" class=\"inline\">" + CsrfField(r.viewer) + f.HiddenFields() +
         "<input type=\"hidden\" name=\"page\" value=\"" + number + "\"><button class=\"link\"" + aria + ">" + text +
         "</button></form>";
}

// « 1 2 3 … 12 »: the first and last pages, two either side of this one.
std::string PageNav(const WebRequest& r, const ListFilter& f, size_t page, size_t pages) {
  const Viewer& v = r.viewer;
  const char* label = v.T("Trang", "Page");
  std::string h = "<nav class=\"pages\" id=\"pages\">";
  if (page > 0) h += PageLink(r, f, page - 1, "«", v.T("Trang trước, trang", "Previous, page"));
  bool gap = false;
  for (size_t p = 0; p < pages; ++p) {
    const bool shown = p == 0 || p + 1 == pages || (p + 2 >= page && p <= page + 2);
    if (!shown) {
      if (!gap) h += "<span class=\"gap\">…</span>";
      gap = true;
      continue;
    }
    gap = false;
    h += p == page ? "<span class=\"current\" aria-current=\"page\">" + std::to_string(p + 1) + "</span>"
                   : PageLink(r, f, p, std::to_string(p + 1), label);
  }
  if (page + 1 < pages) h += PageLink(r, f, page + 1, "»", v.T("Trang sau, trang", "Next, page"));
  return h + "</nav>";
}

std::string StatusBadges(const Viewer& v, const RecordFacts& s) {
  std::string b;
  if (s.is_void) b += std::string("<span class=\"badge void\">") + v.T("đã hủy", "void") + "</span>";
  if (!s.conflicts.empty()) {
    b += std::string("<span class=\"badge conflict\">") + v.T("xung đột", "conflict") + "</span>";
  }
  return b;
}

}  // namespace

std::string AreaName(const AppContext& ctx, const std::string& code) {
  const Area* a = ctx.areas.Find(code);
  return a != nullptr ? a->name : code;
}

HttpResponse AdminsSeeNoRecords(const Viewer& v) {
  return ErrorPage(v, 403, v.T("Quản trị viên không xem hồ sơ trẻ em.", "Administrators do not see children's records."));
}

Result<RecordIndex*> FreshIndex(WebRequest& r) {
  if (r.index_fresh) return &r.app.web->index;
  Status s = r.app.RefreshForms();
  if (!s.ok()) return s;
  DashboardStore store(*r.app.store);
  s = r.app.web->index.Refresh(store, r.app.forms);
  if (!s.ok()) return s;
  r.index_fresh = true;
  return &r.app.web->index;
}

RecordQuery VisibleQuery(const WebRequest& r) {
  RecordQuery q;
  q.communes = VisibleCommunes(r.app.areas, PrincipalOf(r.viewer));
  return q;
}

Result<std::vector<IndexedRecord>> SelectRecords(WebRequest& r, const RecordQuery& q) {
  auto index = FreshIndex(r);
  if (!index.ok()) return index.status();
  DashboardStore store(*r.app.store);
  return (*index)->Select(store, q);
}

Result<std::optional<IndexedRecord>> VisibleRecord(WebRequest& r, const std::string& id) {
  Status refreshed = r.app.RefreshForms();  // the index reads records by their forms
  if (!refreshed.ok()) return refreshed;
  DashboardStore store(*r.app.store);
  auto got = r.app.web->index.One(store, r.app.forms, id);
  if (!got.ok()) return got.status();
  const std::vector<std::string> communes = VisibleCommunes(r.app.areas, PrincipalOf(r.viewer));
  if (!*got || std::find(communes.begin(), communes.end(), (*got)->ref.area) == communes.end()) {
    return std::optional<IndexedRecord>();
  }
  return got;
}

std::string RecordName(const AppContext& ctx, const IndexedRecord& rec, const Viewer& v) {
  if (!rec.title.empty()) return rec.title;
  return FormTitle(ctx.forms.Find(rec.ref.form, rec.ref.version), rec.ref.form, v.lang);
}

HttpResponse RecordsPage(WebRequest& r) {
  const Viewer& v = r.viewer;
  if (v.role == Role::kAdmin) return AdminsSeeNoRecords(v);
  const ListFilter f = ListFilter::From(r);
  std::lock_guard<std::mutex> lock(r.app.mu);
  const std::vector<std::string> communes = VisibleCommunes(r.app.areas, PrincipalOf(v));
  auto index = FreshIndex(r);
  if (!index.ok()) return InternalError(r.note, index.status());
  const int64_t today = r.app.env->TodayDays();
  if (r.http.method == "POST" && FormValue(r.form, "export") == "csv") return ListCsv(r, f, communes, today);
  auto found = ListRows(r, f, communes, today, f.page * kListPageSize, kListPageSize);
  if (!found.ok()) return InternalError(r.note, found.status());
  const size_t pages = std::max<size_t>(1, (found->total + kListPageSize - 1) / kListPageSize);
  const size_t page = std::min(f.page, pages - 1);
  if (page != f.page) {  // past the last page: the last one
    found = ListRows(r, f, communes, today, page * kListPageSize, kListPageSize);
    if (!found.ok()) return InternalError(r.note, found.status());
  }
  const std::vector<ListRow>& hits = found->rows;
  // SECURITY.md: every read of a record is logged; a list or a search by the ids it
  // showed (the search text stays out: it is a name).
  std::vector<std::string> listed;
  for (const ListRow& row : hits) listed.push_back(row.rec.ref.id);
  Status audited = Audit(r.app, v.user, f.q.empty() ? "record.list" : "record.search", "", RecordsShownDetail(listed));
  if (!audited.ok()) return InternalError(r.note, audited);
  auto facets = FacetsOf(r, communes, f.area);
  if (!facets.ok()) return InternalError(r.note, facets.status());
  auto unreadable = UnreadableOf(r, communes);
  if (!unreadable.ok()) return InternalError(r.note, unreadable.status());

  std::string b = FilterForm(r, f, communes, *facets);
  b += "<div class=\"list-head\"><p class=\"count\" id=\"count\">" + std::to_string(found->total) + " " +
       v.T("hồ sơ", "records") + "</p>";
  if (v.role == Role::kDistrict) {
    b += "<form method=\"post\" action=\"/records\" class=\"inline\" id=\"export-list\">" + CsrfField(v) +
         f.HiddenFields() + "<input type=\"hidden\" name=\"export\" value=\"csv\"><button class=\"link\">" +
         v.T("Tải danh sách (CSV)", "Download the list (CSV)") + "</button></form>";
  }
  b += "</div>";
  if (*unreadable > 0) {
    b += "<p class=\"error\">" + std::to_string(*unreadable) + " " +
         v.T("hồ sơ không đọc được trong cơ sở dữ liệu; hãy báo quản trị viên.",
             "records could not be read from the database; tell the administrator.") + "</p>";
  }
  const char* heads[] = {v.T("Tên", "Name"),        v.T("Biểu mẫu", "Form"), v.T("Xã", "Commune"),
                         v.T("Thôn, bản", "Village"), v.T("Tuổi", "Age"),   v.T("Giới tính", "Sex"),
                         v.T("Cán bộ lập", "Made by"), v.T("Tạo lúc", "Created"), v.T("Trạng thái", "Status")};
  b += "<div class=\"records-box\"><table class=\"list records\" id=\"records\"><thead><tr>";
  for (const char* h : heads) b += std::string("<th>") + h + "</th>";
  b += "</tr></thead><tbody>";
  for (const ListRow& row : hits) {
    const RowText t = TextOf(r.app, v, row, today);
    const std::string cells[] = {t.form, t.commune, t.village, t.age, t.sex, t.worker, t.created};
    b += "<tr data-id=\"" + Esc(row.rec.ref.id) + "\"><td data-label=\"" + heads[0] + "\"><a href=\"/records/" +
         Esc(row.rec.ref.id) + "\">" + Esc(t.name) + "</a>";
    if (!t.why.empty()) {
      b += std::string("<span class=\"why\">") + v.T("khớp: ", "matched: ") + Esc(t.why) + "</span>";
    }
    b += "</td>";
    for (size_t c = 0; c < 7; ++c) b += std::string("<td data-label=\"") + heads[c + 1] + "\">" + Esc(cells[c]) + "</td>";
    b += std::string("<td data-label=\"") + heads[8] + "\">" + (row.rec.summary.is_void ? "" : Esc(t.status) + " ") + StatusBadges(v, row.rec.summary) +
         "</td></tr>";
  }
  b += "</tbody></table></div>";
  if (pages > 1) b += PageNav(r, f, page, pages);
  return HtmlResponse(200, Page(v, v.T("Hồ sơ", "Records"), "records", b));
}

HttpResponse RecordPage(WebRequest& r, const std::string& id) {
  const Viewer& v = r.viewer;
  const auto not_found = [&] {
    r.note.error = "not_found";
    return ErrorPage(v, 404,
                     v.T("Không có hồ sơ này trong các xã bạn được xem.", "No such record in the communes you may see."));
  };
  if (v.role == Role::kAdmin) return not_found();
  std::lock_guard<std::mutex> lock(r.app.mu);
  auto got = VisibleRecord(r, id);
  if (!got.ok()) return InternalError(r.note, got.status());
  if (!*got) return not_found();
  const IndexedRecord rec = std::move(**got);
  const Form* form = r.app.forms.Find(rec.ref.form, rec.ref.version);
  auto history = r.app.store->HistoryOf(id);
  if (!history.ok()) return InternalError(r.note, history.status());
  DashboardStore store(*r.app.store);
  auto linked = store.ChildrenOf(id);
  if (!linked.ok()) return InternalError(r.note, linked.status());
  // Children are read within the parent's area: a record of another commune that
  // names this one as its parent is neither shown here nor leaks its name.
  std::vector<RecordRef> children;
  std::vector<std::string> child_ids;
  for (RecordRef& c : *linked) {
    if (c.area != rec.ref.area) continue;
    child_ids.push_back(c.id);
    children.push_back(std::move(c));
  }
  Status audited = Audit(r.app, v.user, "record.view", id, child_ids.empty() ? "" : "children " + RecordsShownDetail(child_ids));
  if (!audited.ok()) return InternalError(r.note, audited);

  const RecordFacts& s = rec.summary;
  std::string b;
  if (r.http.Query("moved") == "1") {
    b += std::string("<p class=\"ok\" role=\"status\" id=\"moved\">") +
         v.T("Đã chuyển xã. Thiết bị của xã nhận sẽ nhận hồ sơ ở lần đồng bộ tới.",
             "Transferred. The receiving commune's devices get the records when they next sync.") +
         "</p>";
  }
  b += DeadlineBanner(v, rec, r.app.env->LocalNowMs());  // a 12-hour deadline running or passed
  b += "<dl class=\"facts\">";
  b += std::string("<dt>") + v.T("Biểu mẫu", "Form") + "</dt><dd>" + Esc(FormTitle(form, rec.ref.form, v.lang)) + " (" +
       Esc(rec.ref.form) + " v" + std::to_string(rec.ref.version) + ")</dd>";
  b += std::string("<dt>") + v.T("Xã", "Commune") + "</dt><dd>" + Esc(AreaName(r.app, rec.ref.area)) + " (" +
       Esc(rec.ref.area) + ")</dd>";
  b += std::string("<dt>") + v.T("Tạo lúc", "Created") + "</dt><dd>" + FormatTime(v, s.created_ms) + "</dd>";
  b += std::string("<dt>") + v.T("Cập nhật", "Updated") + "</dt><dd>" + FormatTime(v, s.updated_ms) + "</dd>";
  b += std::string("<dt>") + v.T("Trạng thái", "Status") + "</dt><dd>" +
       (s.is_void ? v.T("Đã hủy", "Void") : v.T("Đang dùng", "Active")) + " " + StatusBadges(v, s) + "</dd>";
  if (!rec.ref.parent.empty()) {
    b += std::string("<dt>") + v.T("Thuộc hồ sơ", "Part of") + "</dt><dd><a href=\"/records/" + Esc(rec.ref.parent) +
         "\">" + v.T("Mở hồ sơ cha", "Open the parent record") + "</a></dd>";
  }
  b += "</dl>";
  auto merge_notice = MergeNotice(r, rec);  // a duplicate merged into another, or into this one
  if (!merge_notice.ok()) return InternalError(r.note, merge_notice.status());
  b += *merge_notice;
  if (!s.conflicts.empty()) {
    b += "<p class=\"warn\">" + std::to_string(s.conflicts.size()) + " " +
         v.T("câu trả lời đang có các giá trị khác nhau từ nhiều thiết bị.",
             "answers have different values from several devices.") +
         " <a href=\"/conflicts?record=" + Esc(id) + "\">" + v.T("Giải quyết", "Resolve") + "</a></p>";
  }

  // The answers, in form order under their sections, the empty ones marked.
  b += std::string("<h2>") + v.T("Câu trả lời", "Answers") + "</h2>";
  b += AnswersTable(form, s, v, r.app.env->LocalNowMs(), r.app.env->TodayDays(),
                   [&](const std::string& field) { return ShowsField(v, r.app.forms, rec.ref.form, field); });
  auto files = FileLinks(r, form, id, s, [&](const std::string& field) { return ShowsField(v, r.app.forms, rec.ref.form, field); });
  if (!files.ok()) return InternalError(r.note, files.status());
  b += *files;
  auto links = RecordLinksSection(r, rec);  // the child and the records linked to them
  if (!links.ok()) return InternalError(r.note, links.status());
  b += *links;

  // Child records (visits, follow-ups).
  if (!children.empty()) {
    b += std::string("<h2>") + v.T("Lần thăm và hồ sơ con", "Visits and other child records") +
         "</h2><ul class=\"children\" id=\"children\">";
    std::vector<std::pair<int64_t, std::string>> items;
    for (const RecordRef& c : children) {
      auto child = r.app.web->index.One(store, r.app.forms, c.id);
      if (!child.ok()) return InternalError(r.note, child.status());
      if (!*child) continue;
      const Form* cf = r.app.forms.Find(c.form, c.version);
      std::string line = "<li><a href=\"/records/" + Esc(c.id) + "\">" + Esc(RecordName(r.app, **child, v)) +
                         "</a> · " + Esc(FormTitle(cf, c.form, v.lang)) + " · " + FormatTime(v, (*child)->summary.created_ms) +
                         StatusBadges(v, (*child)->summary) + "</li>";
      items.emplace_back((*child)->summary.created_ms, std::move(line));
    }
    std::sort(items.begin(), items.end());
    for (const auto& [when, line] : items) b += line;
    b += "</ul>";
  }

  b += TransferForm(r.app, v, rec);
  b += std::string("<h2>") + v.T("Lịch sử thay đổi", "History") + "</h2>";
  b += HistoryTable(
      *history, form, v, [&](const std::string& field) { return ShowsField(v, r.app.forms, rec.ref.form, field); },
      [&](const std::string& code) { return AreaName(r.app, code); });
  return HtmlResponse(200, Page(v, RecordName(r.app, rec, v), "records", b));
}

}  // namespace sotay::server::web
