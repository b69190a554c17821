#include "admin/export_table.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "admin/xlsx_workbook.h"
#include "sotay/expr.h"
#include "sotay/presentation.h"
#include "sotay/lang.h"

namespace sotay::server {

namespace {

using Kind = ExportColumn::Kind;


// "YYYY-MM-DDTHH:MM" local time.
std::string LocalTime(int64_t utc_ms, int64_t offset_ms) {
  if (utc_ms <= 0) return "";
  const int64_t local = utc_ms + offset_ms;
  const int64_t days = static_cast<int64_t>(std::floor(static_cast<double>(local) / 86400000.0));
  const int64_t minutes = (local - days * 86400000) / 60000;
  char clock[16];
  std::snprintf(clock, sizeof clock, "T%02d:%02d", static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  return FormatIsoDate(days) + clock;
}

Kind KindOf(FieldType t) {
  switch (t) {
    case FieldType::kInteger: return Kind::kInteger;
    case FieldType::kDecimal: return Kind::kDecimal;
    case FieldType::kDate: return Kind::kDate;
    case FieldType::kDateTime: return Kind::kDateTime;
    default: return Kind::kText;
  }
}

std::string Header(const std::string& label, const std::string& name) {
  return label.empty() || label == name ? name : label + " (" + name + ")";
}

}  // namespace

ExportTable BuildExportTable(const Form& form, const std::vector<ExportRecord>& records, const ExportOptions& o) {
  ExportTable t;
  t.lang = o.lang;
  const std::string& l = o.lang;
  const bool child = !form.parent_form.empty();
  t.columns.push_back({Header(Pick(l, "Mã hồ sơ", "Record id"), "record_id"), Kind::kText});
  if (child) t.columns.push_back({Header(Pick(l, "Hồ sơ cha", "Parent record"), "parent_id"), Kind::kText});
  t.columns.push_back({Header(Pick(l, "Mã xã", "Commune code"), "commune_code"), Kind::kText});
  t.columns.push_back({Header(Pick(l, "Xã", "Commune"), "commune"), Kind::kText});
  t.columns.push_back({Header(Pick(l, "Tạo lúc", "Created"), "created"), Kind::kDateTime});
  t.columns.push_back({Header(Pick(l, "Cập nhật", "Updated"), "updated"), Kind::kDateTime});
  t.columns.push_back({Header(Pick(l, "Trạng thái", "Status"), "status"), Kind::kText});
  t.columns.push_back({Header(Pick(l, "Xung đột", "Conflict"), "conflict"), Kind::kText});
  std::vector<const Field*> fields;
  for (const Field& f : form.fields) {
    if (!f.HoldsValue()) continue;
    // Forms before version 2 asked the commune too: the record's area is its commune,
    // shown once in the columns above, whatever an old answer said.
    if (f.name == "commune_code") continue;
    if (f.sensitive && !o.with_sensitive) continue;
    fields.push_back(&f);
    t.columns.push_back({Header(f.label.Get(l), f.name), KindOf(f.type)});
  }
  for (const ExportRecord& r : records) {
    std::vector<std::string> row;
    row.reserve(t.columns.size());
    row.push_back(r.id);
    if (child) row.push_back(r.parent_id);
    row.push_back(r.area_code);
    row.push_back(r.area_name);
    row.push_back(LocalTime(r.created_ms, o.utc_offset_ms));
    row.push_back(LocalTime(r.updated_ms, o.utc_offset_ms));
    row.push_back(r.is_void ? Pick(l, "đã hủy", "void") : Pick(l, "đang dùng", "active"));
    row.push_back(r.has_conflict ? Pick(l, "có", "yes") : "");
    for (const Field* f : fields) {
      auto it = r.answers.find(f->name);
      if (it == r.answers.end()) {
        row.emplace_back();
      } else if (f->type == FieldType::kSelectOne || f->type == FieldType::kSelectMultiple) {
        row.push_back(o.choice_labels ? ChoiceLabels(form, *f, it->second, o.lang) : it->second);
      } else {
        row.push_back(it->second);
      }
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

namespace {

bool LooksLikeFormula(const std::string& s) {
  return !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
}

std::string CsvCell(const ExportColumn& col, std::string value, const ExportOptions& o) {
  if (col.kind == Kind::kDecimal && o.semicolon) {
    for (char& c : value) {
      if (c == '.') c = ',';
    }
  }
  if (col.kind == Kind::kDateTime) {
    const size_t t = value.find('T');
    if (t != std::string::npos) value[t] = ' ';
  }
  if (col.kind == Kind::kText && LooksLikeFormula(value)) value = "'" + value;
  // Digits in a text column (commune codes "01234", phones "0912…", personal numbers
  // of 12 digits) as the formula ="01234": Excel would read a bare 01234 as the number
  // 1234 and a long one as 1.2E+11. A value of digits only can carry no formula.
  if (col.kind == Kind::kText && !value.empty() && value.find_first_not_of("0123456789") == std::string::npos) {
    value = "=\"" + value + "\"";
  }
  const char sep = o.semicolon ? ';' : ',';
  if (value.find_first_of(std::string("\"\r\n") + sep) == std::string::npos) return value;
  std::string q = "\"";
  for (char c : value) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

}  // namespace

std::string CsvHeader(const std::vector<ExportColumn>& columns, const ExportOptions& o) {
  std::string out = "\xEF\xBB\xBF";
  const char sep = o.semicolon ? ';' : ',';
  ExportColumn header_col;  // headers are text
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += sep;
    out += CsvCell(header_col, columns[i].header, o);
  }
  return out + "\r\n";
}

std::string CsvLine(const std::vector<ExportColumn>& columns, const std::vector<std::string>& row,
                    const ExportOptions& o) {
  std::string out;
  const char sep = o.semicolon ? ';' : ',';
  for (size_t i = 0; i < row.size() && i < columns.size(); ++i) {
    if (i > 0) out += sep;
    out += CsvCell(columns[i], row[i], o);
  }
  return out + "\r\n";
}

std::string ToCsv(const ExportTable& table, const ExportOptions& o) {
  std::string out = CsvHeader(table.columns, o);
  for (const auto& row : table.rows) out += CsvLine(table.columns, row, o);
  return out;
}

Result<std::string> ToXlsx(const ExportTable& table, const std::string& sheet_name) {
  auto book = XlsxWorkbook::Open("the XLSX export", /*constant_memory=*/true);
  if (!book.ok()) return book.status();
  WriteTableSheet(*book, table, sheet_name);
  return book->Finish();
}

}  // namespace sotay::server
