// `sotay ui`'s reports: the form pack's indicators over the notebook's records for a
// year (or all time), by the core's one engine (ComputeIndicators, as `sotay report`
// and the dashboard's figures are), with each commune's value when the notebook
// holds several. Printable: the page's frame, the year form and the buttons are left
// off paper by the stylesheet.
#include <string>

#include "sotay/expr.h"
#include "sotay/indicators.h"
#include "sotay/lang.h"
#include "sotay/text.h"
#include "ui_app.h"
#include "ui_html.h"

namespace sotay::shell::ui {

namespace {

const char* kHtml = "text/html; charset=utf-8";

// "2025", or "" for all time; anything else is not a year.
bool ParseYear(const std::string& y, ReportPeriod& period) {
  if (y.empty()) return true;
  if (y.size() != 4 || y.find_first_not_of("0123456789") != std::string::npos) return false;
  period.from_day = ParseIsoDate(y + "-01-01");
  period.to_day = ParseIsoDate(y + "-12-31");
  return period.from_day && period.to_day;
}

void Reports(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang) {
  const std::string year = Trim(req.get_param_value("year"));
  ReportPeriod period;
  std::string body = "<form method=\"get\" action=\"/reports\" class=\"noprint\"><label class=\"q\" for=\"year\">" +
                     std::string(Pick(lang, "Năm (để trống: từ trước đến nay)", "Year (empty: all time)")) +
                     "</label><input type=\"text\" id=\"year\" name=\"year\" inputmode=\"numeric\" value=\"" +
                     Esc(year) + "\"";
  if (!ParseYear(year, period)) {
    res.status = 422;
    body += " aria-invalid=\"true\" aria-describedby=\"year-issue\"><p class=\"issue\" id=\"year-issue\">" +
            std::string(Pick(lang, "Năm gồm 4 chữ số, ví dụ 2025.", "A year is 4 digits, e.g. 2025.")) + "</p>";
    period = ReportPeriod{};
  } else {
    body += ">";
  }
  body += "<div class=\"actions\"><button>" + std::string(Pick(lang, "Xem báo cáo", "Show the report")) +
          "</button></div></form><p class=\"hint noprint\">" +
          Pick(lang, "In trang này bằng Ctrl+P.", "Print this page with Ctrl+P.") + "</p><p id=\"period\">" +
          Pick(lang, "Kỳ báo cáo: ", "Period: ") + (period.from_day ? FormatIsoDate(*period.from_day) : "…") + " – " +
          (period.to_day ? FormatIsoDate(*period.to_day) : Pick(lang, "nay", "now")) + "</p>";
  const CheckEnv env = nb.MakeEnv(lang);
  bool any = false;
  for (const FormInfo& info : nb.Forms()) {
    auto form = nb.FindForm(info.id);
    if (!form.ok() || (*form)->indicators.empty()) continue;
    auto records = nb.ReportRecords(info.id);
    if (!records.ok()) {
      res.status = 500;
      body += "<p class=\"issue\">" + Esc(records.status().message()) + "</p>";
      continue;
    }
    any = true;
    const std::vector<IndicatorResult> results = ComputeIndicators(**form, *records, period, env);
    body += "<section class=\"group report\" data-form=\"" + Esc(info.id) + "\"><h2>" + Esc(info.title.Get(lang)) +
            "</h2><table><thead><tr><th>" + Pick(lang, "Chỉ số", "Indicator") + "</th><th>" +
            Pick(lang, "Tổng", "Total") + "</th><th class=\"wide\">" + Pick(lang, "Theo xã", "By commune") +
            "</th></tr></thead><tbody>";
    for (const IndicatorResult& r : results) {
      std::string by_area;
      if (r.by_area.size() > 1) {
        for (const auto& [area, value] : r.by_area) {
          by_area += (by_area.empty() ? "" : "; ") + std::string(Pick(lang, "xã ", "commune ")) +
                     (area.empty() ? "?" : area) + ": " + FormatIndicatorValue(value, lang);
        }
      }
      body += "<tr data-indicator=\"" + Esc(r.indicator->name) + "\"><td>" + Esc(r.indicator->label.Get(lang)) +
              "<br><span class=\"hint\">" + Esc(r.indicator->definition.Get(lang)) + "</span></td><td class=\"total\">" +
              Esc(FormatIndicatorValue(r.total, lang)) + "</td><td class=\"wide\">" + Esc(by_area) + "</td></tr>";
    }
    body += "</tbody></table></section>";
  }
  if (!any) {
    body += "<p>" + std::string(Pick(lang, "Không có biểu mẫu nào khai báo chỉ số.", "No form declares indicators.")) +
            "</p>";
  }
  const std::string path = year.empty() ? "/reports" : "/reports?year=" + UrlEncode(year);
  res.set_content(Page(lang, Pick(lang, "Báo cáo chỉ số", "Indicator report"), body, true, path), kHtml);
}

}  // namespace

void AddReportPages(httplib::Server& svr, App& app) { svr.Get("/reports", Unlocked(app, Reports)); }

}  // namespace sotay::shell::ui
