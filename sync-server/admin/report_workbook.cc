// Over 400 lines: the workbook's six sheets, one function each, share its formats, its
// unit walk and its value cells; split, each file would repeat them.
#include "admin/report_workbook.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "admin/xlsx_workbook.h"
#include "sotay/expr.h"
#include "sotay/lang.h"
#include "sotay/links.h"
#include "sotay/presentation.h"
#include "sotay/register.h"

namespace sotay::server {

namespace {

using Kind = ExportColumn::Kind;

const Form* FindForm(const std::vector<const Form*>& forms, const std::string& id) {
  for (const Form* f : forms) {
    if (f->id == id) return f;
  }
  return nullptr;
}

// dd/mm/yyyy in Vietnamese, yyyy-mm-dd in English.
std::string DayText(int64_t day, const std::string& lang) {
  const std::string iso = FormatIsoDate(day);
  if (IsEnglish(lang)) return iso;
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

std::string Number(double x, int decimals) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

const ReportUnit* TopUnit(const YearReport& report) {
  return report.units.empty() ? nullptr : &report.units.front();
}

// The units right under the top one: the columns of the printed table.
std::vector<const ReportUnit*> ChildUnits(const YearReport& report) {
  std::vector<const ReportUnit*> out;
  const ReportUnit* top = TopUnit(report);
  if (top == nullptr) return out;
  for (const ReportUnit& u : report.units) {
    if (u.parent == top->code) out.push_back(&u);
  }
  return out;
}

int Depth(const YearReport& report, const ReportUnit& unit) {
  int depth = 0;
  std::string parent = unit.parent;
  while (!parent.empty() && depth < 8) {
    ++depth;
    std::string next;
    for (const ReportUnit& u : report.units) {
      if (u.code == parent) next = u.parent;
    }
    parent = next;
  }
  return depth;
}

IndicatorValue ValueIn(const YearReportRow& row, const std::string& unit) {
  auto it = row.by_unit.find(unit);
  return it == row.by_unit.end() ? IndicatorValue{} : it->second;
}

struct Formats {
  lxw_format *title, *bold, *center_bold, *head, *cell, *count, *percent, *text, *italic, *unit_bold, *indent[4];
};

Formats MakeFormats(lxw_workbook* wb) {
  Formats f{};
  auto make = [&]() { return workbook_add_format(wb); };
  f.title = make();
  format_set_bold(f.title);
  format_set_font_size(f.title, 13);
  format_set_align(f.title, LXW_ALIGN_CENTER);
  f.bold = make();
  format_set_bold(f.bold);
  f.center_bold = make();
  format_set_bold(f.center_bold);
  format_set_align(f.center_bold, LXW_ALIGN_CENTER);
  f.head = make();
  format_set_bold(f.head);
  format_set_text_wrap(f.head);
  format_set_border(f.head, LXW_BORDER_THIN);
  format_set_align(f.head, LXW_ALIGN_CENTER);
  format_set_align(f.head, LXW_ALIGN_VERTICAL_CENTER);
  format_set_bg_color(f.head, 0xE8EEF4);
  f.cell = make();
  format_set_border(f.cell, LXW_BORDER_THIN);
  format_set_text_wrap(f.cell);
  format_set_align(f.cell, LXW_ALIGN_VERTICAL_TOP);
  f.count = make();
  format_set_border(f.count, LXW_BORDER_THIN);
  format_set_num_format(f.count, "#,##0");
  f.percent = make();
  format_set_border(f.percent, LXW_BORDER_THIN);
  format_set_num_format(f.percent, "0.0%");
  f.text = make();
  format_set_text_wrap(f.text);
  format_set_align(f.text, LXW_ALIGN_VERTICAL_TOP);
  f.italic = make();
  format_set_italic(f.italic);
  format_set_align(f.italic, LXW_ALIGN_CENTER);
  f.unit_bold = make();
  format_set_bold(f.unit_bold);
  format_set_border(f.unit_bold, LXW_BORDER_THIN);
  format_set_bg_color(f.unit_bold, 0xF3F3F3);
  for (int i = 0; i < 4; ++i) {
    f.indent[i] = make();
    format_set_border(f.indent[i], LXW_BORDER_THIN);
    format_set_indent(f.indent[i], static_cast<uint8_t>(i));
    if (i == 0) format_set_bold(f.indent[i]);
  }
  return f;
}

void WriteValue(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const IndicatorValue& v, const Formats& f) {
  worksheet_write_number(ws, r, c, static_cast<double>(v.count), f.count);
}

void WriteShare(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const IndicatorValue& v, const Formats& f) {
  if (auto share = v.share()) {
    worksheet_write_number(ws, r, c, *share, f.percent);
  } else {
    worksheet_write_blank(ws, r, c, f.percent);
  }
}

// The report as printed: the national heading, the title, the period, one row per
// indicator (a share has a second row, its percentage) and one column per unit
// under the top one and the top's total, then the signature block.
void ReportSheet(XlsxWorkbook& book, const Formats& f, const YearReport& report, const std::vector<const Form*>& forms,
                 const ReportWorkbookInfo& info) {
  const std::string& l = info.lang;
  lxw_worksheet* ws = book.AddSheet(Pick(l, "Báo cáo", "Report"));
  const ReportUnit* top = TopUnit(report);
  const std::vector<const ReportUnit*> units = ChildUnits(report);
  const auto last_col = static_cast<lxw_col_t>(3 + units.size());
  worksheet_set_landscape(ws);
  worksheet_set_paper(ws, 9);  // A4
  worksheet_fit_to_pages(ws, 1, 0);
  worksheet_set_column(ws, 0, 0, 5, nullptr);
  worksheet_set_column(ws, 1, 1, 48, nullptr);
  worksheet_set_column(ws, 2, 2, 10, nullptr);
  worksheet_set_column(ws, 3, last_col, 13, nullptr);

  const std::string area = top != nullptr ? top->name : "";
  worksheet_write_string(ws, 0, 0, (Pick(l, "Đơn vị báo cáo: ", "Reporting unit: ") + area).c_str(), f.bold);
  worksheet_merge_range(ws, 0, 3, 0, last_col,
                        Pick(l, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"), f.center_bold);
  worksheet_merge_range(ws, 1, 3, 1, last_col, Pick(l, "Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
                        f.center_bold);
  const std::string title = Pick(l, "BÁO CÁO KẾT QUẢ CÔNG TÁC BẢO VỆ TRẺ EM ", "CHILD PROTECTION REPORT ") +
                            PeriodText(report.period, l);
  worksheet_merge_range(ws, 3, 0, 3, last_col, title.c_str(), f.title);
  const std::string period_line =
      Pick(l, "Số trẻ em trong sổ tính đến ngày ", "Children on the register counted as of ") +
      DayText(report.as_of_day, l) + Pick(l, "; số vụ việc, sự việc tính theo ngày xảy ra, tiếp nhận trong kỳ.",
                                          "; cases and events by the day they happened or were reported.");
  worksheet_merge_range(ws, 4, 0, 4, last_col, period_line.c_str(), f.italic);

  lxw_row_t r = 6;
  worksheet_write_string(ws, r, 0, Pick(l, "STT", "No."), f.head);
  worksheet_write_string(ws, r, 1, Pick(l, "Chỉ số", "Indicator"), f.head);
  worksheet_write_string(ws, r, 2, Pick(l, "Đơn vị tính", "Unit"), f.head);
  lxw_col_t c = 3;
  for (const ReportUnit* u : units) worksheet_write_string(ws, r, c++, u->name.c_str(), f.head);
  worksheet_write_string(ws, r, c, (Pick(l, "Tổng cộng ", "Total ") + area).c_str(), f.head);
  worksheet_set_row(ws, r, 45, nullptr);
  worksheet_repeat_rows(ws, r, r);
  worksheet_freeze_panes(ws, r + 1, 2);
  ++r;

  // Children on the register on the day the stock is counted: the rates' base.
  worksheet_write_blank(ws, r, 0, f.cell);
  worksheet_write_string(ws, r, 1, Pick(l, "Dân số trẻ em (trẻ em trong sổ theo dõi)", "Child population (children on the register)"), f.unit_bold);
  worksheet_write_string(ws, r, 2, Pick(l, "trẻ em", "children"), f.cell);
  c = 3;
  auto population = [&](const std::string& code) {
    auto it = report.child_population.find(code);
    return static_cast<double>(it == report.child_population.end() ? 0 : it->second);
  };
  for (const ReportUnit* u : units) worksheet_write_number(ws, r, c++, population(u->code), f.count);
  worksheet_write_number(ws, r, c, top != nullptr ? population(top->code) : 0, f.count);
  ++r;

  int number = 0;
  std::string form_shown;
  for (const YearReportRow& row : report.rows) {
    const Form* form = FindForm(forms, row.form);
    if (row.form != form_shown) {
      form_shown = row.form;
      worksheet_merge_range(ws, r, 0, r, last_col, FormTitle(form, row.form, l).c_str(), f.unit_bold);
      ++r;
    }
    worksheet_write_number(ws, r, 0, ++number, f.cell);
    worksheet_write_string(ws, r, 1, row.indicator->label.Get(l).c_str(), f.cell);
    worksheet_write_string(ws, r, 2, UnitOfMeasure(form, l).c_str(), f.cell);
    c = 3;
    for (const ReportUnit* u : units) WriteValue(ws, r, c++, ValueIn(row, u->code), f);
    if (top != nullptr) WriteValue(ws, r, c, ValueIn(row, top->code), f);
    ++r;
    if (!row.indicator->of.empty()) {
      worksheet_write_blank(ws, r, 0, f.cell);
      worksheet_write_string(ws, r, 1, (Pick(l, "    Tỷ lệ so với: ", "    Share of: ") + [&] {
        const Indicator* base = form != nullptr ? form->FindIndicator(row.indicator->of) : nullptr;
        return base != nullptr ? base->label.Get(l) : row.indicator->of;
      }()).c_str(), f.cell);
      worksheet_write_string(ws, r, 2, "%", f.cell);
      c = 3;
      for (const ReportUnit* u : units) WriteShare(ws, r, c++, ValueIn(row, u->code), f);
      if (top != nullptr) WriteShare(ws, r, c, ValueIn(row, top->code), f);
      ++r;
    }
  }

  // The signature block, as Vietnamese administrative reports end.
  r += 2;
  const auto mid = static_cast<lxw_col_t>(last_col > 4 ? last_col - 2 : 3);
  worksheet_merge_range(ws, r, mid, r, last_col,
                        Pick(l, "……, ngày … tháng … năm ……", "……, date ……………"), f.italic);
  ++r;
  worksheet_merge_range(ws, r, 0, r, 2, Pick(l, "NGƯỜI LẬP BIỂU", "PREPARED BY"), f.center_bold);
  worksheet_merge_range(ws, r, mid, r, last_col, Pick(l, "THỦ TRƯỞNG ĐƠN VỊ", "HEAD OF THE UNIT"), f.center_bold);
  ++r;
  worksheet_merge_range(ws, r, 0, r, 2, Pick(l, "(Ký, ghi rõ họ tên)", "(signature and full name)"), f.italic);
  worksheet_merge_range(ws, r, mid, r, last_col, Pick(l, "(Ký tên, đóng dấu)", "(signature and seal)"), f.italic);
  worksheet_print_area(ws, 0, 0, r + 4, last_col);
}

// Every unit as a row (depth first, names indented, subtotals bold), every
// indicator as a column: a province's districts and communes in one table.
void UnitsSheet(XlsxWorkbook& book, const Formats& f, const YearReport& report, const std::string& l) {
  lxw_worksheet* ws = book.AddSheet(Pick(l, "Theo đơn vị", "By unit"));
  worksheet_set_column(ws, 0, 0, 10, nullptr);
  worksheet_set_column(ws, 1, 1, 30, nullptr);
  worksheet_write_string(ws, 0, 0, Pick(l, "Mã", "Code"), f.head);
  worksheet_write_string(ws, 0, 1, Pick(l, "Đơn vị", "Unit"), f.head);
  worksheet_write_string(ws, 0, 2, Pick(l, "Dân số trẻ em", "Child population"), f.head);
  lxw_col_t c = 3;
  for (const YearReportRow& row : report.rows) {
    worksheet_write_string(ws, 0, c++, row.indicator->label.Get(l).c_str(), f.head);
    if (!row.indicator->of.empty()) {
      worksheet_write_string(ws, 0, c++, (row.indicator->label.Get(l) + " (%)").c_str(), f.head);
    }
  }
  worksheet_set_column(ws, 2, c, 14, nullptr);
  worksheet_set_row(ws, 0, 90, nullptr);
  worksheet_freeze_panes(ws, 1, 2);
  lxw_row_t r = 1;
  for (const ReportUnit& u : report.units) {
    const int depth = std::min(Depth(report, u), 3);
    const bool leaf = u.level == "commune";
    worksheet_write_string(ws, r, 0, u.code.c_str(), f.cell);
    worksheet_write_string(ws, r, 1, u.name.c_str(), leaf ? f.indent[std::max(depth, 1)] : f.indent[0]);
    auto pop = report.child_population.find(u.code);
    worksheet_write_number(ws, r, 2, pop == report.child_population.end() ? 0 : static_cast<double>(pop->second), f.count);
    c = 3;
    for (const YearReportRow& row : report.rows) {
      const IndicatorValue v = ValueIn(row, u.code);
      WriteValue(ws, r, c++, v, f);
      if (!row.indicator->of.empty()) WriteShare(ws, r, c++, v, f);
    }
    ++r;
  }
  if (r > 1) worksheet_autofilter(ws, 0, 0, r - 1, static_cast<lxw_col_t>(c - 1));
}

// One breakdown: a row per unit and indicator, a column per category, and the total.
void BreakdownSheet(XlsxWorkbook& book, const Formats& f, const YearReport& report, const Breakdown& breakdown,
                    const std::string& l) {
  lxw_worksheet* ws = book.AddSheet(Pick(l, "Theo ", "By ") + breakdown.label.Get(l));
  worksheet_set_column(ws, 0, 0, 24, nullptr);
  worksheet_set_column(ws, 1, 1, 44, nullptr);
  worksheet_write_string(ws, 0, 0, Pick(l, "Đơn vị", "Unit"), f.head);
  worksheet_write_string(ws, 0, 1, Pick(l, "Chỉ số", "Indicator"), f.head);
  lxw_col_t c = 2;
  for (const Breakdown::Category& cat : breakdown.categories) {
    const std::string head = cat.code.empty() ? cat.label.Get(l) : cat.code + " " + cat.label.Get(l);
    worksheet_write_string(ws, 0, c++, head.c_str(), f.head);
  }
  worksheet_write_string(ws, 0, c, Pick(l, "Tổng", "Total"), f.head);
  worksheet_set_column(ws, 2, c, 11, nullptr);
  worksheet_set_row(ws, 0, 48, nullptr);
  worksheet_freeze_panes(ws, 1, 2);
  lxw_row_t r = 1;
  for (const ReportUnit& u : report.units) {
    for (const YearReportRow& row : report.rows) {
      if (!row.indicator->of.empty()) continue;  // a share breaks down as its count does
      auto by = row.breakdowns.find(breakdown.name);
      if (by == row.breakdowns.end()) continue;
      auto in_unit = by->second.find(u.code);
      worksheet_write_string(ws, r, 0, u.name.c_str(), u.level == "commune" ? f.cell : f.unit_bold);
      worksheet_write_string(ws, r, 1, row.indicator->label.Get(l).c_str(), f.cell);
      c = 2;
      for (size_t i = 0; i < breakdown.categories.size(); ++i) {
        const bool counted = in_unit != by->second.end() && i < in_unit->second.size();
        WriteValue(ws, r, c++, counted ? in_unit->second[i] : IndicatorValue{}, f);
      }
      WriteValue(ws, r, c, ValueIn(row, u.code), f);
      ++r;
    }
  }
  if (r > 1) worksheet_autofilter(ws, 0, 0, r - 1, c);
}

void DefinitionsSheet(XlsxWorkbook& book, const Formats& f, const YearReport& report,
                      const std::vector<const Form*>& forms, const std::string& l) {
  lxw_worksheet* ws = book.AddSheet(Pick(l, "Định nghĩa", "Definitions"));
  const char* heads[] = {Pick(l, "STT", "No."), Pick(l, "Mã chỉ số", "Code"), Pick(l, "Chỉ số", "Indicator"),
                         Pick(l, "Biểu mẫu", "Form"), Pick(l, "Cách tính", "Counted"),
                         Pick(l, "Đơn vị tính", "Unit"), Pick(l, "Định nghĩa", "Definition")};
  const double widths[] = {5, 22, 40, 24, 26, 10, 90};
  for (lxw_col_t c = 0; c < 7; ++c) {
    worksheet_write_string(ws, 0, c, heads[c], f.head);
    worksheet_set_column(ws, c, c, widths[c], nullptr);
  }
  worksheet_freeze_panes(ws, 1, 0);
  lxw_row_t r = 1;
  for (const YearReportRow& row : report.rows) {
    const Form* form = FindForm(forms, row.form);
    const bool stock = row.indicator->period == Indicator::Period::kStock;
    worksheet_write_number(ws, r, 0, r, f.cell);
    worksheet_write_string(ws, r, 1, row.indicator->name.c_str(), f.cell);
    worksheet_write_string(ws, r, 2, row.indicator->label.Get(l).c_str(), f.cell);
    worksheet_write_string(ws, r, 3, FormTitle(form, row.form, l).c_str(), f.cell);
    worksheet_write_string(ws, r, 4,
                           stock ? Pick(l, "tồn: tính đến ngày cuối kỳ", "stock: as of the period's last day")
                                 : Pick(l, "phát sinh: theo ngày của sự việc trong kỳ", "flow: by the event's day in the period"),
                           f.cell);
    worksheet_write_string(ws, r, 5, (row.indicator->of.empty() ? UnitOfMeasure(form, l) : std::string("%")).c_str(), f.cell);
    worksheet_write_string(ws, r, 6, row.indicator->definition.Get(l).c_str(), f.cell);
    ++r;
  }
}

void AboutSheet(XlsxWorkbook& book, const Formats& f, const YearReport& report, const std::vector<const Form*>& forms,
                const ReportWorkbookInfo& info) {
  const std::string& l = info.lang;
  lxw_worksheet* ws = book.AddSheet(Pick(l, "Thông tin", "About"));
  worksheet_set_column(ws, 0, 0, 34, nullptr);
  worksheet_set_column(ws, 1, 1, 90, nullptr);
  const ReportUnit* top = TopUnit(report);
  const int64_t local = info.prepared_at_ms + info.utc_offset_ms;
  const int64_t day = static_cast<int64_t>(std::floor(static_cast<double>(local) / 86400000.0));
  const int64_t minutes = (local - day * 86400000) / 60000;
  char clock[8];
  std::snprintf(clock, sizeof clock, "%02d:%02d", static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  std::string versions;
  for (const Form* form : forms) {
    versions += (versions.empty() ? "" : ", ") + form->id + " v" + std::to_string(form->version);
  }
  const std::vector<std::pair<std::string, std::string>> rows = {
      {Pick(l, "Đơn vị báo cáo", "Reporting unit"), top != nullptr ? top->name + " (" + top->code + ")" : ""},
      {Pick(l, "Kỳ báo cáo", "Period"), PeriodText(report.period, l)},
      {Pick(l, "Số liệu tồn tính đến ngày", "Stock figures as of"), DayText(report.as_of_day, l)},
      {Pick(l, "Lập lúc", "Made at"), std::string(clock) + " " + DayText(day, l)},
      {Pick(l, "Người lập", "Made by"), info.prepared_by},
      {Pick(l, "Biểu mẫu và phiên bản", "Forms and versions"), versions},
      {Pick(l, "Mã băm đầu chuỗi nhật ký kiểm toán", "Audit chain head hash"), info.audit_head},
      {Pick(l, "Số mục nhật ký kiểm toán", "Audit log entries"), std::to_string(info.audit_entries)},
      {Pick(l, "Cách kiểm tra", "How to check"),
       Pick(l, "Lệnh `sotay-server admin verify-audit` trên máy chủ in mã băm đầu chuỗi; báo cáo này được ghi vào "
               "nhật ký, nên chuỗi về sau vẫn chứa mục có mã băm trên nếu nhật ký còn nguyên vẹn.",
            "`sotay-server admin verify-audit` on the server prints the chain's head; this report was logged, so a "
            "later chain still holds the entry with the hash above when the log is intact.")},
      {Pick(l, "Phần mềm", "Software"), "Sotay"},
  };
  lxw_row_t r = 0;
  for (const auto& [k, v] : rows) {
    worksheet_write_string(ws, r, 0, k.c_str(), f.bold);
    worksheet_write_string(ws, r, 1, v.c_str(), f.text);
    ++r;
  }
}

}  // namespace

std::string UnitOfMeasure(const Form* form, const std::string& lang) {
  const bool children = form != nullptr && (IsRegisterForm(*form) || SubjectLink(*form) != nullptr);
  return children ? Pick(lang, "trẻ em", "children") : Pick(lang, "hồ sơ", "records");
}

std::string PeriodText(const ReportPeriod& p, const std::string& lang) {
  if (p.from_day && p.to_day) {
    const std::string from = FormatIsoDate(*p.from_day), to = FormatIsoDate(*p.to_day);
    if (from.substr(5) == "01-01" && to.substr(5) == "12-31" && from.substr(0, 4) == to.substr(0, 4)) {
      return Pick(lang, "năm ", "year ") + from.substr(0, 4);
    }
  }
  const std::string from = p.from_day ? DayText(*p.from_day, lang) : "…";
  const std::string to = p.to_day ? DayText(*p.to_day, lang) : Pick(lang, "nay", "now");
  return Pick(lang, "từ ", "from ") + from + Pick(lang, " đến ", " to ") + to;
}

std::vector<ExportColumn> YearReportColumns(const std::string& l) {
  return {{Pick(l, "Biểu mẫu (form)", "Form (form)"), Kind::kText},
          {Pick(l, "Mã chỉ số (indicator)", "Indicator code (indicator)"), Kind::kText},
          {Pick(l, "Chỉ số", "Indicator"), Kind::kText},
          {Pick(l, "Đơn vị tính", "Unit of measure"), Kind::kText},
          {Pick(l, "Cấp (level)", "Level (level)"), Kind::kText},
          {Pick(l, "Mã đơn vị (unit_code)", "Unit code (unit_code)"), Kind::kText},
          {Pick(l, "Đơn vị", "Unit"), Kind::kText},
          {Pick(l, "Phân tổ (breakdown)", "Breakdown (breakdown)"), Kind::kText},
          {Pick(l, "Mã nhóm (category)", "Category code (category)"), Kind::kText},
          {Pick(l, "Nhóm", "Category"), Kind::kText},
          {Pick(l, "Số lượng (count)", "Count (count)"), Kind::kInteger},
          {Pick(l, "Mẫu số (of)", "Denominator (of)"), Kind::kInteger},
          {Pick(l, "Tỷ lệ % (percent)", "Percent (percent)"), Kind::kDecimal},
          {Pick(l, "Số hồ sơ (records)", "Records (records)"), Kind::kInteger},
          {Pick(l, "Trên 1.000 trẻ em (per_1000)", "Per 1,000 children (per_1000)"), Kind::kDecimal}};
}

bool ForEachYearReportLine(const YearReport& report, const std::vector<const Form*>& forms, const std::string& l,
                           const std::function<bool(const std::vector<std::string>&)>& each) {
  std::vector<std::string> cells;
  for (const YearReportRow& row : report.rows) {
    const Form* form = FindForm(forms, row.form);
    const std::string unit_of_measure = UnitOfMeasure(form, l);
    for (const ReportUnit& u : report.units) {
      auto line = [&](const std::string& breakdown, const std::string& code, const std::string& label,
                      const IndicatorValue& v, std::optional<double> rate) {
        cells = {row.form, row.indicator->name, row.indicator->label.Get(l), unit_of_measure,
                 u.level, u.code, u.name, breakdown, code, label,
                 std::to_string(v.count)};
        cells.push_back(v.is_share() ? std::to_string(v.of) : "");
        auto share = v.share();
        cells.push_back(share ? Number(*share * 100.0, 1) : "");
        cells.push_back(v.records >= 0 ? std::to_string(v.records) : "");
        cells.push_back(rate ? Number(*rate, 2) : "");
        return each(cells);
      };
      auto rate = row.rate_per_1000.find(u.code);
      if (!line("", "", "", ValueIn(row, u.code), rate == row.rate_per_1000.end() ? std::nullopt : rate->second)) {
        return false;
      }
      if (!row.indicator->of.empty()) continue;
      for (const Breakdown& b : report.breakdowns) {
        auto by = row.breakdowns.find(b.name);
        if (by == row.breakdowns.end()) continue;
        auto in_unit = by->second.find(u.code);
        for (size_t i = 0; i < b.categories.size(); ++i) {
          const Breakdown::Category& cat = b.categories[i];
          const bool counted = in_unit != by->second.end() && i < in_unit->second.size();
          if (!line(b.name, cat.code.empty() ? cat.name : cat.code, cat.label.Get(l),
                    counted ? in_unit->second[i] : IndicatorValue{}, std::nullopt)) {
            return false;
          }
        }
      }
    }
  }
  return true;
}

Result<std::shared_ptr<TempFile>> YearReportXlsx(const YearReport& report, const std::vector<const Form*>& forms,
                                                 const ReportWorkbookInfo& info) {
  // Constant memory: every sheet below writes its rows top to bottom, as it requires.
  auto book = XlsxWorkbook::Open("the report workbook", /*constant_memory=*/true);
  if (!book.ok()) return book.status();
  const Formats f = MakeFormats(book->get());
  ReportSheet(*book, f, report, forms, info);
  UnitsSheet(*book, f, report, info.lang);
  for (const Breakdown& b : report.breakdowns) BreakdownSheet(*book, f, report, b, info.lang);
  TableSheet data(*book, YearReportColumns(info.lang), info.lang, Pick(info.lang, "Số liệu", "Data"));
  ForEachYearReportLine(report, forms, info.lang, [&](const std::vector<std::string>& cells) {
    data.Add(cells);
    return true;
  });
  data.Finish();
  DefinitionsSheet(*book, f, report, forms, info.lang);
  AboutSheet(*book, f, report, forms, info);
  return book->Close();
}

Status WriteYearReportCsv(const YearReport& report, const std::vector<const Form*>& forms,
                          const ReportWorkbookInfo& info, bool semicolon, const ByteSink& write) {
  ExportOptions o;
  o.lang = info.lang;
  o.semicolon = semicolon;
  const std::vector<ExportColumn> columns = YearReportColumns(info.lang);
  // Lines gathered to about 64 KiB, so a file or a socket takes few large writes.
  std::string buffer = CsvHeader(columns, o);
  const bool whole = ForEachYearReportLine(report, forms, info.lang, [&](const std::vector<std::string>& cells) {
    buffer += CsvLine(columns, cells, o);
    if (buffer.size() < 64 * 1024) return true;
    const bool taken = write(buffer);
    buffer.clear();
    return taken;
  });
  if (!whole || (!buffer.empty() && !write(buffer))) {
    return Status::FailedPrecondition("the report's CSV was not taken whole");
  }
  return Status::OK();
}

}  // namespace sotay::server
