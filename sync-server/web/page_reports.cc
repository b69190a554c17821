// GET /reports: the year report (year_report.h) of the viewer's area for a period:
// the indicators of the unit shown (the viewer's district or province, or a unit
// under it: ?unit=CODE) by the units directly under it, with its subtotal and its
// rate per 1,000 children, its breakdowns by sex, age band and ethnicity, and bar
// charts. Records count as they stood at the period's end (store/report_records.h),
// so a past year's figures do not move; the engine is the one under the device's
// `sotay report` and the workbook. Laid out to print as an administrative report.
#include <algorithm>
#include <set>
#include <mutex>

#include "sotay/expr.h"
#include "sotay/links.h"
#include "sotay/presentation.h"
#include "sotay/record_facts.h"
#include "sotay/register.h"
#include "sotay/year_report.h"
#include "store/report_records.h"
#include "web/release_memory.h"
#include "web/report_view.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

bool ParseDayParam(const std::string& text, std::optional<int64_t>& out) {
  if (text.empty()) return true;
  auto d = ParseIsoDate(text);
  if (!d) return false;
  out = *d;
  return true;
}

// What a form's figures count, for the "Đơn vị tính" line.
std::string UnitOfMeasure(const Viewer& v, const Form& form) {
  if (IsRegisterForm(form)) return v.T("Đơn vị tính: trẻ em.", "Unit: children.");
  if (SubjectLink(form) != nullptr) {  // indicators.h: a form about a child counts children
    return v.T("Đơn vị tính: trẻ em (mỗi trẻ tính một lần, theo hồ sơ trẻ em được liên kết); số hồ sơ ghi bên "
               "cạnh khi khác.",
               "Unit: children (each counted once, by the linked child profile); the number of records beside it "
               "where it differs.");
  }
  return v.T("Đơn vị tính: hồ sơ.", "Unit: records.");
}

struct Shown {
  const ReportUnit* unit = nullptr;          // the unit whose figures are the total
  std::vector<const ReportUnit*> columns;   // the units directly under it
};

Shown ShownUnits(const YearReport& report, const std::string& code) {
  Shown s;
  for (const ReportUnit& u : report.units) {
    if (u.code == code) s.unit = &u;
    if (u.parent == code && !code.empty()) s.columns.push_back(&u);
  }
  return s;
}

std::string RateText(const Viewer& v, const std::optional<double>& rate) { return rate ? Decimal(v, *rate) : "–"; }

std::string FormSection(const Viewer& v, const Form& form, const YearReport& report, const Shown& shown,
                        const std::string& keep_query) {
  std::vector<const YearReportRow*> rows;
  for (const YearReportRow& r : report.rows) {
    if (r.form == form.id) rows.push_back(&r);
  }
  const std::string& total = shown.unit->code;
  std::string b = "<section class=\"report\" data-form=\"" + Esc(form.id) + "\"><h2>" +
                  Esc(FormTitle(&form, form.id, v.lang)) + "</h2><p class=\"unit\">" + UnitOfMeasure(v, form) + "</p>";
  b += std::string("<div class=\"table-wrap\"><table class=\"list report-table\"><thead><tr><th>") +
       v.T("Chỉ số", "Indicator") + "</th>";
  for (const ReportUnit* c : shown.columns) {
    const bool has_under = std::any_of(report.units.begin(), report.units.end(),
                                       [&](const ReportUnit& u) { return u.parent == c->code; });
    b += "<th>" + (has_under ? "<a href=\"/reports?unit=" + Esc(c->code) + keep_query + "\">" + Esc(c->name) + "</a>"
                             : Esc(c->name)) +
         "</th>";
  }
  b += "<th>" + std::string(v.T("Tổng", "Total")) + (shown.columns.empty() ? "" : " (" + Esc(shown.unit->name) + ")") +
       "</th><th title=\"" + v.T("Trên 1.000 trẻ em trong sổ", "Per 1,000 children on the register") + "\">" +
       v.T("‰ trẻ em", "per 1,000 children") + "</th></tr></thead><tbody>";
  for (const YearReportRow* r : rows) {
    b += "<tr data-indicator=\"" + Esc(r->indicator->name) + "\"><th title=\"" +
         Esc(r->indicator->definition.Get(v.lang)) + "\">" + Esc(r->indicator->label.Get(v.lang)) + "</th>";
    for (const ReportUnit* c : shown.columns) {
      b += "<td data-area=\"" + Esc(c->code) + "\">" + Esc(FormatIndicatorValue(r->by_unit.at(c->code), v.lang)) +
           "</td>";
    }
    b += "<td data-area=\"total\">" + Esc(FormatIndicatorValue(r->by_unit.at(total), v.lang)) + "</td>";
    b += "<td class=\"rate\">" + RateText(v, r->rate_per_1000.at(total)) + "</td></tr>";
  }
  b += "</tbody></table></div>";
  // Charts for the figures that are not all zero, one bar per unit under the one shown.
  if (shown.columns.size() > 1) {
    std::string charts;
    for (const YearReportRow* r : rows) {
      if (r->by_unit.at(total).count == 0) continue;
      std::vector<Bar> bars;
      for (const ReportUnit* c : shown.columns) bars.push_back({c->name, r->by_unit.at(c->code)});
      const std::string caption = r->indicator->label.Get(v.lang);
      charts += "<figure><figcaption>" + Esc(caption) + "</figcaption>" + BarChart(v, caption, bars) + "</figure>";
    }
    if (!charts.empty()) b += "<div class=\"charts\">" + charts + "</div>";
  }
  b += "<h3>" + std::string(v.T("Phân tổ", "Breakdowns")) + " (" + Esc(shown.unit->name) + ")</h3>" +
       "<div class=\"breakdowns\">" + BreakdownTables(v, report, form.id, total) + "</div>";
  // The definitions, short, so the printed report says what each number counts.
  b += "<ol class=\"defs\">";
  for (const YearReportRow* r : rows) {
    b += "<li><b>" + Esc(r->indicator->label.Get(v.lang)) + "</b>: " + Esc(r->indicator->definition.Get(v.lang)) +
         "</li>";
  }
  return b + "</ol></section>";
}

}  // namespace

Result<const CachedReport*> UnitFigures(WebRequest& r, const std::string& unit, const ReportPeriod& period) {
  const std::vector<std::string> communes = r.app.areas.CommunesUnder(unit);
  const std::vector<const Form*> forms = r.app.forms.Latest();
  DashboardStore db(*r.app.store);
  auto newest_set = db.NewestSetSeq();
  if (!newest_set.ok()) return newest_set.status();
  std::string form_versions;
  for (const Form* form : forms) form_versions += form->id + "@" + std::to_string(form->version) + " ";
  const int64_t today = r.app.env->TodayDays();
  const std::string key = unit + "|" + (period.from_day ? std::to_string(*period.from_day) : "") + "|" +
                          (period.to_day ? std::to_string(*period.to_day) : "") + "|" + r.viewer.lang + "|" +
                          std::to_string(today);
  ReportCache& cache = r.app.web->reports;
  if (const CachedReport* kept = cache.FindUnchanged(key, *newest_set, form_versions)) return kept;

  auto index = FreshIndex(r);
  if (!index.ok()) return index.status();
  RecordQuery q;
  q.communes = communes;
  ReportFingerprint from;
  auto count = (*index)->Count(db, q);
  if (!count.ok()) return count.status();
  auto newest = (*index)->NewestSeq(db, q);
  if (!newest.ok()) return newest.status();
  from.records = *count;
  from.newest_seq = *newest;
  auto newest_move = db.NewestMoveSeq();
  if (!newest_move.ok()) return newest_move.status();
  from.newest_move = *newest_move;
  from.forms = std::move(form_versions);
  if (const CachedReport* kept = cache.Find(key, from, *newest_set)) return kept;

  // Every record of the unit, read from the index a slice at a time, each with only
  // the answers a report reads; the engine keeps a few numbers per record.
  const ReportAnswers fields(r.app.forms);
  const RecordSource now = [&](const std::function<Status(const ReportRecord&)>& each) {
    return (*index)->ForEach(db, q, [&](IndexedRecord& rec) {
      ReportRecord record;
      record.id = std::move(rec.ref.id);
      record.form = std::move(rec.ref.form);
      record.area = std::move(rec.ref.area);
      record.answers = std::move(rec.summary.shown);
      fields.Prune(record.answers);
      record.created_ms = rec.summary.created_ms;
      record.updated_ms = rec.summary.updated_ms;
      record.is_void = rec.summary.is_void;
      return each(record);
    });
  };
  // Which records stand as they did at the period's end: their ids and last change only.
  RecordQuery bare = q;
  bare.with_answers = false;
  const RecordSource stamps = [&](const std::function<Status(const ReportRecord&)>& each) {
    ReportRecord record;
    return (*index)->ForEach(db, bare, [&](IndexedRecord& rec) {
      record.id = std::move(rec.ref.id);
      record.updated_ms = rec.summary.updated_ms;
      return each(record);
    });
  };
  auto then = ReportSourceAsOf(*r.app.store, r.app.forms, communes, period, *r.app.env, now, stamps);
  if (!then.ok()) return then.status();
  CheckEnv env;
  env.lang = r.viewer.lang;
  env.now_ms = r.app.env->LocalNowMs();
  env.today_days = static_cast<double>(today);
  auto report = ComputeYearReport(forms, *then, ReportUnitsUnder(r.app.areas, unit), period, env);
  if (!report.ok()) return report.status();
  ReleaseFreedMemory();
  return &cache.Put(key, std::move(from), *newest_set, std::move(report).value(), r.app.env->NowMs());
}

HttpResponse ReportsPage(WebRequest& r) {
  const Viewer& v = r.viewer;
  if (v.role == Role::kAdmin) return AdminsSeeNoRecords(v);
  // The period: a year (default this year), or from/to dates.
  ReportPeriod period;
  std::string year = r.http.Query("year");
  const std::string from = r.http.Query("from"), to = r.http.Query("to");
  if (!ParseDayParam(from, period.from_day) || !ParseDayParam(to, period.to_day)) {
    return ErrorPage(v, 400, v.T("Ngày phải có dạng NNNN-TT-NN.", "Dates are YYYY-MM-DD."));
  }
  if (from.empty() && to.empty()) {
    if (year.empty()) year = FormatIsoDate(r.app.env->TodayDays()).substr(0, 4);
    if (year != "all") {
      if (year.size() != 4 || !ParseDayParam(year + "-01-01", period.from_day) ||
          !ParseDayParam(year + "-12-31", period.to_day)) {
        return ErrorPage(v, 400, v.T("Năm phải có 4 chữ số, ví dụ 2025.", "A year has 4 digits, e.g. 2025."));
      }
    }
  } else {
    year.clear();
  }
  // The unit shown: the viewer's area or one under it (`area` is its older name).
  std::string unit = r.http.Query("unit");
  if (unit.empty()) unit = r.http.Query("area");
  if (unit.empty()) unit = v.area;
  if (r.app.areas.Find(unit) == nullptr || !r.app.areas.Within(unit, v.area)) {
    return ErrorPage(v, 404, v.T("Không có đơn vị này trong khu vực của bạn.", "No such unit in your area."));
  }
  const std::string keep_query = !year.empty() ? "&amp;year=" + Esc(year)
                                               : "&amp;from=" + Esc(from) + "&amp;to=" + Esc(to);

  std::lock_guard<std::mutex> lock(r.app.mu);
  Status refreshed = r.app.RefreshForms();  // a version published by `admin publish-form` since
  if (!refreshed.ok()) return InternalError(r.note, refreshed);
  const std::vector<const Form*> forms = r.app.forms.Latest();
  auto figures = UnitFigures(r, unit, period);
  if (!figures.ok()) return InternalError(r.note, figures.status());
  const YearReport& report = *(*figures)->report;
  const Shown shown = ShownUnits(report, unit);
  if (shown.unit == nullptr) return ErrorPage(v, 404, v.T("Không có đơn vị này.", "No such unit."));

  const std::string period_text =
      std::string(v.T("Kỳ báo cáo: ", "Period: ")) +
      (period.from_day ? FormatDate(v, FormatIsoDate(*period.from_day)) : "…") + " – " +
      (period.to_day ? FormatDate(v, FormatIsoDate(*period.to_day)) : v.T("nay", "now"));
  std::string b = PrintHeading(v, shown.unit->name, period_text);
  b += "<form method=\"get\" action=\"/reports\" class=\"filters noprint\">";
  b += std::string("<label>") + v.T("Năm", "Year") + "<input name=\"year\" id=\"year\" size=\"4\" value=\"" + Esc(year) +
       "\"></label>";
  b += std::string("<label>") + v.T("hoặc từ ngày", "or from") + "<input type=\"date\" name=\"from\" value=\"" +
       Esc(from) + "\"></label>";
  b += std::string("<label>") + v.T("đến ngày", "to") + "<input type=\"date\" name=\"to\" value=\"" + Esc(to) +
       "\"></label>";
  b += std::string("<label>") + v.T("Đơn vị", "Unit") + "<select name=\"unit\">";
  for (const Area& u : r.app.areas.areas()) {
    if (!r.app.areas.Within(u.code, v.area)) continue;
    if (u.level == kLevelCommune && u.code != unit && u.parent != unit) continue;  // communes of the unit shown
    b += "<option value=\"" + Esc(u.code) + "\"" + (u.code == unit ? " selected" : "") + ">" + Esc(u.name) +
         "</option>";
  }
  b += std::string("</select></label><button>") + v.T("Xem", "Show") + "</button>";
  b += std::string("<button type=\"button\" data-print>") + v.T("In báo cáo", "Print") + "</button></form>";
  // The year's workbook for the province, made as `sotay-server report` makes it.
  if (year.size() == 4) {
    const std::string file = "/reports/file?year=" + Esc(year) + "&amp;area=" + Esc(unit);
    b += std::string("<p class=\"noprint downloads\">") + v.T("Tải báo cáo năm: ", "Download the year's report: ") +
         "<a data-report-file=\"xlsx\" href=\"" + file + "&amp;format=xlsx\">Excel (XLSX)</a> · " +
         "<a data-report-file=\"csv\" href=\"" + file + "&amp;format=csv\">CSV</a> · <a data-report-file=\"csv-semicolon\" href=\"" +
         file + "&amp;format=csv&amp;sep=semicolon\">" + v.T("CSV (dấu ; cho Excel tiếng Việt)", "CSV (; for a Vietnamese Excel)") +
         "</a></p>";
  }
  if (unit != v.area) {  // the way back up
    const Area* parent = r.app.areas.Find(r.app.areas.Find(unit)->parent);
    if (parent != nullptr && r.app.areas.Within(parent->code, v.area)) {
      b += "<p class=\"noprint up\"><a href=\"/reports?unit=" + Esc(parent->code) + keep_query + "\">↑ " +
           Esc(parent->name) + "</a></p>";
    }
  }
  b += "<p class=\"period\"><b>" + Esc(shown.unit->name) + "</b>. " + Esc(period_text) + ". " +
       v.T("Số liệu tính theo hồ sơ như đã có đến hết ngày cuối kỳ. Tính lúc ",
           "Figures count the records as they stood at the end of the period's last day. Computed at ") +
       FormatTime(v, (*figures)->computed_ms) + "</p>";
  b += "<p class=\"population\">" +
       std::string(v.T("Số trẻ em trong sổ theo dõi ngày ", "Children on the register on ")) +
       FormatDate(v, FormatIsoDate(report.as_of_day)) + ": <b data-population=\"" + Esc(unit) + "\">" +
       std::to_string(report.child_population.at(unit)) + "</b> (" +
       v.T("mẫu số của tỷ suất trên 1.000 trẻ em", "the base of the rates per 1,000 children") + ")</p>";

  for (const Form* form : forms) {
    if (form->indicators.empty()) continue;
    b += FormSection(v, *form, report, shown, keep_query);
  }
  b += SignatureBlock(v);
  return HtmlResponse(200, Page(v, v.T("Báo cáo chỉ số", "Indicator report"), "reports", b));
}

}  // namespace sotay::server::web
