#include "web/report_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sotay::server::web {

namespace {

// Chart geometry, in the SVG's own units (px at full size): name column, bars,
// and a value column wide enough for "1 234 / 5 678 (21,7 %; 1 300 hồ sơ)".
constexpr int kRow = 22, kNameW = 170, kBarW = 210, kGap = 8, kValueW = 230;
constexpr size_t kNameChars = 24;

// A name cut to fit its column, whole UTF-8 characters, with "…".
std::string Shorten(const std::string& s) {
  size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++chars > kNameChars) break;
  }
  return i >= s.size() ? s : s.substr(0, i) + "…";
}

double Plotted(const IndicatorValue& value) {
  return value.is_share() ? value.share().value_or(0) : static_cast<double>(value.count);
}

}  // namespace

std::string Decimal(const Viewer& v, double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  std::string out = buf;
  if (!v.en()) std::replace(out.begin(), out.end(), '.', ',');
  return out;
}

std::string BarChart(const Viewer& v, const std::string& caption, const std::vector<Bar>& bars) {
  if (bars.empty()) return "";
  const bool shares = bars.front().value.is_share();
  double max = 0;
  for (const Bar& b : bars) max = std::max(max, Plotted(b.value));
  if (shares) max = 1.0;  // a share is drawn against the whole
  if (max <= 0) return "";
  const int width = kNameW + kBarW + kGap + kValueW;
  const int height = kRow * static_cast<int>(bars.size()) + 4;
  const std::string w = std::to_string(width), h = std::to_string(height);
  std::string svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 " + w + " " + h + "\" width=\"" + w +
                    "\" height=\"" + h + "\" preserveAspectRatio=\"xMinYMin meet\" aria-label=\"" + Esc(caption) +
                    "\" data-scale=\"" + (shares ? "100%" : "largest") + "\">";
  if (shares) {  // the 100 % line, so a short bar reads as small
    svg += "<line class=\"full\" x1=\"" + std::to_string(kNameW + kBarW) + "\" x2=\"" + std::to_string(kNameW + kBarW) +
           "\" y1=\"0\" y2=\"" + h + "\"></line>";
  }
  int y = 2;
  for (const Bar& b : bars) {
    const int bar = static_cast<int>(std::lround(std::min(1.0, Plotted(b.value) / max) * kBarW));
    svg += "<text x=\"0\" y=\"" + std::to_string(y + 15) + "\"><title>" + Esc(b.label) + "</title>" +
           Esc(Shorten(b.label)) + "</text>";
    svg += "<rect x=\"" + std::to_string(kNameW) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
           std::to_string(bar) + "\" height=\"15\"></rect>";
    svg += "<text class=\"value\" x=\"" + std::to_string(kNameW + kBarW + kGap) + "\" y=\"" + std::to_string(y + 15) +
           "\">" + Esc(FormatIndicatorValue(b.value, v.lang)) + "</text>";
    y += kRow;
  }
  return svg + "</svg>";
}

std::string BreakdownTables(const Viewer& v, const YearReport& report, const std::string& form,
                            const std::string& unit) {
  std::vector<const YearReportRow*> rows;
  for (const YearReportRow& r : report.rows) {
    if (r.form == form) rows.push_back(&r);
  }
  if (rows.empty()) return "";
  std::string out;
  for (const Breakdown& b : report.breakdowns) {
    // The categories some child of this form is in (all of sex and age: a table
    // reads better whole), "unknown" last.
    std::vector<size_t> shown;  // positions in b.categories
    for (size_t i = 0; i < b.categories.size(); ++i) {
      bool any = b.name != "ethnicity" || b.categories[i].name == "unknown";
      for (const YearReportRow* r : rows) {
        if (any) break;
        any = r->breakdowns.at(b.name).at(unit).at(i).count > 0;
      }
      if (any) shown.push_back(i);
    }
    out += "<table class=\"list report-table breakdown\" data-breakdown=\"" + Esc(b.name) + "\"><caption>" +
           Esc(b.label.Get(v.lang)) + "</caption><thead><tr><th>" + v.T("Chỉ số", "Indicator") + "</th>";
    for (size_t i : shown) {
      const Breakdown::Category& c = b.categories[i];
      out += "<th>" + Esc(c.label.Get(v.lang)) + (c.code.empty() ? "" : " <span class=\"muted\">(" + Esc(c.code) + ")</span>") + "</th>";
    }
    out += "</tr></thead><tbody>";
    for (const YearReportRow* r : rows) {
      out += "<tr data-indicator=\"" + Esc(r->indicator->name) + "\"><th>" + Esc(r->indicator->label.Get(v.lang)) +
             "</th>";
      const auto& cats = r->breakdowns.at(b.name).at(unit);
      for (size_t i : shown) {
        out += "<td data-category=\"" + Esc(b.categories[i].name) + "\">" +
               Esc(FormatIndicatorValue(cats.at(i), v.lang)) + "</td>";
      }
      out += "</tr>";
    }
    out += "</tbody></table>";
  }
  return out;
}

std::string PrintHeading(const Viewer& v, const std::string& unit_name, const std::string& period) {
  return std::string("<div class=\"print-head print-only\"><p class=\"unit-name\">") + Esc(unit_name) +
         "</p><p class=\"national\">" +
         v.T("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc",
             "SOCIALIST REPUBLIC OF VIET NAM<br>Independence - Freedom - Happiness") +
         "</p><h1>" + v.T("BÁO CÁO CHỈ SỐ VỀ TRẺ EM", "REPORT OF CHILDREN'S INDICATORS") + "</h1><p>" + Esc(period) +
         "</p></div>";
}

std::string SignatureBlock(const Viewer& v) {
  return std::string("<div class=\"signatures print-only\"><p class=\"place-date\">") +
         v.T("……………, ngày …… tháng …… năm ……", "……………, date …… / …… / ……") +
         "</p><div class=\"signers\"><div><b>" + v.T("Người lập biểu", "Prepared by") + "</b><br><i>" +
         v.T("(Ký, ghi rõ họ tên)", "(Signature, full name)") + "</i></div><div><b>" +
         v.T("Thủ trưởng đơn vị", "Head of unit") + "</b><br><i>" +
         v.T("(Ký, ghi rõ họ tên, đóng dấu)", "(Signature, full name, seal)") + "</i></div></div></div>";
}

}  // namespace sotay::server::web
