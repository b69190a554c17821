// GET/POST /records: the records of the viewer's communes, filtered, searched
// without diacritics, in pages. GET /records/{id}: one record, its history and its
// child records.
#include <algorithm>
#include <map>
#include <mutex>

#include "sotay/text.h"
#include "sotay/presentation.h"
#include "web/audit_log.h"
#include "web/record_history.h"
#include "web/record_links.h"
#include "web/record_sections.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

constexpr size_t kPageSize = 50;

struct RecordFilter {
  std::string form, area, status, from, to, sort, q;
  size_t page = 0;

  static RecordFilter From(const WebRequest& r) {
    RecordFilter f;
    auto get = [&](const char* name) {
      return r.http.method == "POST" ? FormValue(r.form, name) : r.http.Query(name);
    };
    f.form = get("form");
    f.area = get("area");
    f.status = get("status");
    f.from = get("from");
    f.to = get("to");
    f.sort = get("sort");
    f.q = r.http.method == "POST" ? Trim(get("q")) : "";  // names never travel in a URL
    f.page = static_cast<size_t>(std::max(0L, std::atol(get("page").c_str())));
    return f;
  }

  // The filters as a query string, without the search and page.
  std::string Query() const {
    std::string out;
    auto add = [&](const char* k, const std::string& v) {
      if (!v.empty()) out += std::string(out.empty() ? "" : "&") + k + "=" + UrlEncode(v);
    };
    add("form", form);
    add("area", area);
    add("status", status);
    add("from", from);
    add("to", to);
    add("sort", sort);
    return out;
  }
};

// "YYYY-MM-DD" of a UTC ms time in local time.
std::string LocalDay(const Viewer& v, int64_t utc_ms) {
  Viewer iso = v;
  iso.lang = "en";
  return FormatTime(iso, utc_ms).substr(0, 10);
}

bool Passes(const RecordFilter& f, const IndexedRecord& rec, const Viewer& v) {
  const RecordFacts& s = rec.summary;
  if (!f.form.empty() && rec.ref.form != f.form) return false;
  if (f.form.empty() && !rec.ref.parent.empty()) return false;  // visits are listed under their record
  if (!f.area.empty() && rec.ref.area != f.area) return false;
  if (f.status == "active" && s.is_void) return false;
  if (f.status == "void" && !s.is_void) return false;
  if (f.status == "conflict" && s.conflicts.empty()) return false;
  if (!f.from.empty() || !f.to.empty()) {
    const std::string day = LocalDay(v, s.created_ms);
    if (!f.from.empty() && day < f.from) return false;
    if (!f.to.empty() && day > f.to) return false;
  }
  if (!f.q.empty() && !MatchesSearch(rec.folded, f.q)) return false;
  return true;
}

std::string Option(const std::string& value, const std::string& label, const std::string& selected) {
  return "<option value=\"" + Esc(value) + "\"" + (value == selected ? " selected" : "") + ">" + Esc(label) +
         "</option>";
}

std::string FilterForm(const WebRequest& r, const RecordFilter& f, const std::vector<std::string>& communes) {
  const Viewer& v = r.viewer;
  std::string h = "<form method=\"post\" action=\"/records\" class=\"filters\" id=\"filters\">" + CsrfField(v);
  h += std::string("<label>") + v.T("Tìm theo tên (không cần dấu)", "Search by name (accents optional)") +
       "<input type=\"search\" name=\"q\" id=\"q\" value=\"" + Esc(f.q) + "\"></label>";
  h += std::string("<label>") + v.T("Biểu mẫu", "Form") + "<select name=\"form\">" +
       Option("", v.T("Tất cả", "All"), f.form);
  for (const Form* form : r.app.forms.Latest()) {
    h += Option(form->id, FormTitle(form, form->id, v.lang), f.form);
    for (const Form& child : form->repeats) h += Option(child.id, "— " + FormTitle(&child, child.id, v.lang), f.form);
  }
  h += "</select></label>";
  h += std::string("<label>") + v.T("Xã", "Commune") + "<select name=\"area\">" + Option("", v.T("Tất cả", "All"), f.area);
  for (const std::string& c : communes) h += Option(c, AreaName(r.app, c), f.area);
  h += "</select></label>";
  h += std::string("<label>") + v.T("Trạng thái", "Status") + "<select name=\"status\">" +
       Option("", v.T("Tất cả", "All"), f.status) + Option("active", v.T("Đang dùng", "Active"), f.status) +
       Option("conflict", v.T("Có xung đột", "In conflict"), f.status) +
       Option("void", v.T("Đã hủy", "Void"), f.status) + "</select></label>";
  h += std::string("<label>") + v.T("Tạo từ ngày", "Created from") + "<input type=\"date\" name=\"from\" value=\"" +
       Esc(f.from) + "\"></label>";
  h += std::string("<label>") + v.T("đến ngày", "to") + "<input type=\"date\" name=\"to\" value=\"" + Esc(f.to) +
       "\"></label>";
  h += std::string("<label>") + v.T("Sắp xếp", "Sort") + "<select name=\"sort\">" +
       Option("", v.T("Mới cập nhật trước", "Recently updated first"), f.sort) +
       Option("name", v.T("Theo tên (A–Z tiếng Việt)", "By name (Vietnamese A–Z)"), f.sort) + "</select></label>";
  h += std::string("<button type=\"submit\">") + v.T("Lọc", "Filter") + "</button></form>";
  return h;
}

std::string PageLink(const WebRequest& r, const RecordFilter& f, size_t page, const char* text) {
  if (f.q.empty()) {
    std::string q = f.Query();
    q += std::string(q.empty() ? "" : "&") + "page=" + std::to_string(page);
    return "<a href=\"/records?" + q + "\">" + text + "</a>";
  }
  // With a search the page turns by POST, so the name stays out of the URL.
  std::string h = "<form method=\"post\" action=\"/records\" class=\"inline\">" + CsrfField(r.viewer);
  auto hidden = [&](const char* k, const std::string& val) {
    h += std::string("<input type=\"hidden\" name=\"") + k + "\" value=\"" + Esc(val) + "\">";
  };
  hidden("q", f.q);
  hidden("form", f.form);
  hidden("area", f.area);
  hidden("status", f.status);
  hidden("from", f.from);
  hidden("to", f.to);
  hidden("sort", f.sort);
  hidden("page", std::to_string(page));
  return h + "<button class=\"link\">" + text + "</button></form>";
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

Result<std::vector<const IndexedRecord*>> RecordsIn(WebRequest& r, const std::vector<std::string>& communes) {
  Status s = r.app.RefreshForms();
  if (!s.ok()) return s;
  DashboardStore store(*r.app.store);
  return r.app.web->index.In(store, r.app.forms, communes);
}

Result<std::vector<const IndexedRecord*>> VisibleRecords(WebRequest& r) {
  return RecordsIn(r, VisibleCommunes(r.app.areas, PrincipalOf(r.viewer)));
}

std::string RecordName(const AppContext& ctx, const IndexedRecord& rec, const Viewer& v) {
  if (!rec.title.empty()) return rec.title;
  return FormTitle(ctx.forms.Find(rec.ref.form, rec.ref.version), rec.ref.form, v.lang);
}

HttpResponse RecordsPage(WebRequest& r) {
  const Viewer& v = r.viewer;
  if (v.role == Role::kAdmin) return AdminsSeeNoRecords(v);
  const RecordFilter f = RecordFilter::From(r);
  std::lock_guard<std::mutex> lock(r.app.mu);
  const std::vector<std::string> communes = VisibleCommunes(r.app.areas, PrincipalOf(v));
  auto all = RecordsIn(r, communes);
  if (!all.ok()) return InternalError(r.note, all.status());
  std::vector<const IndexedRecord*> hits;
  for (const IndexedRecord* rec : *all) {
    if (Passes(f, *rec, v)) hits.push_back(rec);
  }
  if (f.sort == "name") {
    std::vector<std::pair<std::string, const IndexedRecord*>> keyed;
    for (const IndexedRecord* rec : hits) keyed.emplace_back(CollationKey(RecordName(r.app, *rec, v)), rec);
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0; i < keyed.size(); ++i) hits[i] = keyed[i].second;
  } else {
    std::sort(hits.begin(), hits.end(), [](const IndexedRecord* a, const IndexedRecord* b) {
      return std::tie(b->summary.updated_ms, b->ref.id) < std::tie(a->summary.updated_ms, a->ref.id);
    });
  }
  const size_t pages = std::max<size_t>(1, (hits.size() + kPageSize - 1) / kPageSize);
  const size_t page = std::min(f.page, pages - 1);
  // SECURITY.md: every read of a record is logged; a list or a search by the ids it
  // showed (the search text stays out: it is a name).
  std::vector<std::string> listed;
  for (size_t i = page * kPageSize; i < hits.size() && i < (page + 1) * kPageSize; ++i) listed.push_back(hits[i]->ref.id);
  Status audited = Audit(r.app, v.user, f.q.empty() ? "record.list" : "record.search", "", RecordsShownDetail(listed));
  if (!audited.ok()) return InternalError(r.note, audited);

  std::string b = FilterForm(r, f, communes);
  b += "<p class=\"count\" id=\"count\">" + std::to_string(hits.size()) + " " + v.T("hồ sơ", "records") + "</p>";
  if (r.app.web->index.unreadable() > 0) {
    b += "<p class=\"error\">" + std::to_string(r.app.web->index.unreadable()) + " " +
         v.T("hồ sơ không đọc được trong cơ sở dữ liệu; hãy báo quản trị viên.",
             "records could not be read from the database; tell the administrator.") + "</p>";
  }
  b += std::string("<table class=\"list\" id=\"records\"><thead><tr><th>") + v.T("Tên", "Name") + "</th><th>" +
       v.T("Biểu mẫu", "Form") + "</th><th>" + v.T("Xã", "Commune") + "</th><th>" + v.T("Tạo lúc", "Created") +
       "</th><th>" + v.T("Cập nhật", "Updated") + "</th><th></th></tr></thead><tbody>";
  for (size_t i = page * kPageSize; i < hits.size() && i < (page + 1) * kPageSize; ++i) {
    const IndexedRecord& rec = *hits[i];
    b += "<tr><td><a href=\"/records/" + Esc(rec.ref.id) + "\">" + Esc(RecordName(r.app, rec, v)) + "</a></td>";
    b += "<td>" + Esc(FormTitle(r.app.forms.Find(rec.ref.form, rec.ref.version), rec.ref.form, v.lang)) + "</td>";
    b += "<td>" + Esc(AreaName(r.app, rec.ref.area)) + "</td>";
    b += "<td>" + FormatTime(v, rec.summary.created_ms) + "</td><td>" + FormatTime(v, rec.summary.updated_ms) + "</td>";
    b += "<td>" + StatusBadges(v, rec.summary) + "</td></tr>";
  }
  b += "</tbody></table>";
  if (pages > 1) {
    b += "<nav class=\"pages\">";
    if (page > 0) b += PageLink(r, f, page - 1, v.T("‹ Trang trước", "‹ Previous"));
    b += "<span>" + std::to_string(page + 1) + " / " + std::to_string(pages) + "</span>";
    if (page + 1 < pages) b += PageLink(r, f, page + 1, v.T("Trang sau ›", "Next ›"));
    b += "</nav>";
  }
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
  Status rs = r.app.RefreshForms();
  if (!rs.ok()) return InternalError(r.note, rs);
  DashboardStore store(*r.app.store);
  auto got = r.app.web->index.One(store, r.app.forms, id);
  if (!got.ok()) return InternalError(r.note, got.status());
  const std::vector<std::string> communes = VisibleCommunes(r.app.areas, PrincipalOf(v));
  if (*got == nullptr || std::find(communes.begin(), communes.end(), (*got)->ref.area) == communes.end()) {
    return not_found();
  }
  const IndexedRecord rec = **got;  // a copy: the index is used again below
  const Form* form = r.app.forms.Find(rec.ref.form, rec.ref.version);
  auto history = r.app.store->HistoryOf(id);
  if (!history.ok()) return InternalError(r.note, history.status());
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
  b += AnswersTable(form, s, v, r.app.env->LocalNowMs(), r.app.env->TodayDays());
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
      if (*child == nullptr) continue;
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
  b += HistoryTable(*history, form, v, [&](const std::string& code) { return AreaName(r.app, code); });
  return HtmlResponse(200, Page(v, RecordName(r.app, rec, v), "records", b));
}

}  // namespace sotay::server::web
