// GET /reports: the form pack's indicators per commune and in total for a period,
// computed by the core's ComputeIndicators over the same record summaries a device
// uses, so the district sees the figures a commune's `sotay report` prints. Tables
// and bar charts (inline SVG, no script), laid out to print.
#include <algorithm>
#include <cmath>
#include <mutex>

#include "sotay/expr.h"
#include "sotay/indicators.h"
#include "sotay/links.h"
#include "sotay/presentation.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

std::string ValueText(const Viewer& v, const IndicatorValue& value) { return FormatIndicatorValue(value, v.lang); }

// Horizontal bars, one per commune, scaled to the largest.
std::string Chart(const Viewer& v, const AppContext& ctx, const IndicatorResult& res,
                  const std::vector<std::string>& communes) {
  double max = 0;
  for (const std::string& c : communes) {
    auto it = res.by_area.find(c);
    if (it == res.by_area.end()) continue;
    const double x = it->second.is_share() ? it->second.share().value_or(0) : static_cast<double>(it->second.count);
    max = std::max(max, x);
  }
  if (max <= 0 || communes.empty()) return "";
  const int row = 22, label_w = 180, bar_w = 300;
  const int height = row * static_cast<int>(communes.size()) + 4;
  std::string svg = "<svg class=\"chart\" role=\"img\" width=\"" + std::to_string(label_w + bar_w + 90) +
                    "\" height=\"" + std::to_string(height) + "\" aria-label=\"" +
                    Esc(res.indicator->label.Get(v.lang)) + "\">";
  int y = 2;
  for (const std::string& c : communes) {
    auto it = res.by_area.find(c);
    IndicatorValue value = it == res.by_area.end() ? IndicatorValue{} : it->second;
    const double x = value.is_share() ? value.share().value_or(0) : static_cast<double>(value.count);
    const int w = static_cast<int>(std::lround(x / max * bar_w));
    svg += "<text x=\"0\" y=\"" + std::to_string(y + 15) + "\">" + Esc(AreaName(ctx, c)) + "</text>";
    svg += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
           std::to_string(w) + "\" height=\"15\"></rect>";
    svg += "<text x=\"" + std::to_string(label_w + w + 6) + "\" y=\"" + std::to_string(y + 15) + "\">" +
           Esc(ValueText(v, value)) + "</text>";
    y += row;
  }
  return svg + "</svg>";
}

bool ParseDayParam(const std::string& text, std::optional<int64_t>& out) {
  if (text.empty()) return true;
  auto d = ParseIsoDate(text);
  if (!d) return false;
  out = *d;
  return true;
}

}  // namespace

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
  const std::string only_area = r.http.Query("area");

  std::lock_guard<std::mutex> lock(r.app.mu);
  std::vector<std::string> communes = VisibleCommunes(r.app.areas, PrincipalOf(v));
  const std::vector<std::string> all_communes = communes;
  if (!only_area.empty()) {
    if (std::find(communes.begin(), communes.end(), only_area) == communes.end()) {
      return ErrorPage(v, 404, v.T("Không có xã này trong khu vực của bạn.", "No such commune in your area."));
    }
    communes = {only_area};
  }
  auto all = RecordsIn(r, communes);
  if (!all.ok()) return InternalError(r.note, all.status());

  CheckEnv env;
  env.lang = v.lang;
  env.now_ms = r.app.env->LocalNowMs();
  env.today_days = static_cast<double>(r.app.env->TodayDays());

  std::string b = "<form method=\"get\" action=\"/reports\" class=\"filters noprint\">";
  b += std::string("<label>") + v.T("Năm", "Year") + "<input name=\"year\" id=\"year\" size=\"4\" value=\"" + Esc(year) +
       "\"></label>";
  b += std::string("<label>") + v.T("hoặc từ ngày", "or from") + "<input type=\"date\" name=\"from\" value=\"" +
       Esc(from) + "\"></label>";
  b += std::string("<label>") + v.T("đến ngày", "to") + "<input type=\"date\" name=\"to\" value=\"" + Esc(to) +
       "\"></label>";
  b += std::string("<label>") + v.T("Xã", "Commune") + "<select name=\"area\"><option value=\"\">" +
       v.T("Tất cả các xã", "All communes") + "</option>";
  for (const std::string& c : all_communes) {
    b += "<option value=\"" + Esc(c) + "\"" + (c == only_area ? " selected" : "") + ">" + Esc(AreaName(r.app, c)) +
         "</option>";
  }
  b += std::string("</select></label><button>") + v.T("Xem", "Show") + "</button>";
  b += std::string("<button type=\"button\" data-print>") + v.T("In báo cáo", "Print") + "</button></form>";
  b += "<p class=\"period\">" + std::string(v.T("Kỳ báo cáo: ", "Period: ")) +
       (period.from_day ? FormatDate(v, FormatIsoDate(*period.from_day)) : "…") + " – " +
       (period.to_day ? FormatDate(v, FormatIsoDate(*period.to_day)) : v.T("nay", "now")) + ". " +
       v.T("Tính lúc ", "Computed at ") + FormatTime(v, r.app.env->NowMs()) + "</p>";

  for (const Form* form : r.app.forms.Latest()) {
    if (form->indicators.empty()) continue;
    std::vector<ReportRecord> records;
    for (const IndexedRecord* rec : *all) {
      if (rec->ref.form == form->id) records.push_back(ToReportRecord(rec->ref.id, rec->summary));
    }
    const std::vector<IndicatorResult> results = ComputeIndicators(*form, records, period, env);
    b += "<section class=\"report\" data-form=\"" + Esc(form->id) + "\"><h2>" + Esc(FormTitle(form, form->id, v.lang)) +
         "</h2>";
    if (SubjectLink(*form) != nullptr) {  // indicators.h: a form about a child counts children
      b += std::string("<p class=\"unit\">") +
           v.T("Số trẻ em (mỗi trẻ tính một lần, theo hồ sơ trẻ em được liên kết); số hồ sơ ghi bên cạnh khi khác.",
               "Children (each counted once, by the linked child profile); the number of records beside it where it "
               "differs.") +
           "</p>";
    }
    b += std::string("<table class=\"list report-table\"><thead><tr><th>") + v.T("Chỉ số", "Indicator") + "</th>";
    for (const std::string& c : communes) b += "<th>" + Esc(AreaName(r.app, c)) + "</th>";
    b += std::string("<th>") + v.T("Tổng", "Total") + "</th></tr></thead><tbody>";
    for (const IndicatorResult& res : results) {
      b += "<tr data-indicator=\"" + Esc(res.indicator->name) + "\"><th title=\"" +
           Esc(res.indicator->definition.Get(v.lang)) + "\">" + Esc(res.indicator->label.Get(v.lang)) + "</th>";
      for (const std::string& c : communes) {
        auto it = res.by_area.find(c);
        b += "<td data-area=\"" + Esc(c) + "\">" + (it == res.by_area.end() ? "0" : Esc(ValueText(v, it->second))) +
             "</td>";
      }
      b += "<td data-area=\"total\">" + Esc(ValueText(v, res.total)) + "</td></tr>";
    }
    b += "</tbody></table>";
    // Charts for the figures that are not all zero, side by side; then the
    // definitions, short, so the printed report says what each number counts.
    if (communes.size() > 1) {
      std::string charts;
      for (const IndicatorResult& res : results) {
        if (res.total.count == 0) continue;
        charts += "<figure><figcaption>" + Esc(res.indicator->label.Get(v.lang)) + "</figcaption>" +
                  Chart(v, r.app, res, communes) + "</figure>";
      }
      if (!charts.empty()) b += "<div class=\"charts\">" + charts + "</div>";
    }
    b += "<ol class=\"defs\">";
    for (const IndicatorResult& res : results) {
      b += "<li><b>" + Esc(res.indicator->label.Get(v.lang)) + "</b>: " + Esc(res.indicator->definition.Get(v.lang)) +
           "</li>";
    }
    b += "</ol></section>";
  }
  return HtmlResponse(200, Page(v, v.T("Báo cáo chỉ số", "Indicator report"), "reports", b));
}

}  // namespace sotay::server::web
