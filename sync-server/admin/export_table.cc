#include "admin/export_table.h"

#include <xlsxwriter.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <sodium.h>

#include "sotay/expr.h"
#include "sotay/read_file.h"
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

std::string ToCsv(const ExportTable& table, const ExportOptions& o) {
  std::string out = "\xEF\xBB\xBF";
  const char sep = o.semicolon ? ';' : ',';
  ExportColumn header_col;  // headers are text
  for (size_t i = 0; i < table.columns.size(); ++i) {
    if (i > 0) out += sep;
    out += CsvCell(header_col, table.columns[i].header, o);
  }
  out += "\r\n";
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size() && i < table.columns.size(); ++i) {
      if (i > 0) out += sep;
      out += CsvCell(table.columns[i], row[i], o);
    }
    out += "\r\n";
  }
  return out;
}

namespace {

// Excel forbids []:*?/\ in sheet names and allows 31 characters.
std::string SheetName(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (std::string("[]:*?/\\").find(c) != std::string::npos) continue;
    out += c;
  }
  if (out.size() > 31) out.resize(31);  // form ids are ASCII
  return out.empty() ? "data" : out;
}

bool ParseDateTime(const std::string& s, lxw_datetime* out) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  double sec = 0;
  const int n = std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%lf", &y, &mo, &d, &h, &mi, &sec);
  if (n < 3 || y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  *out = lxw_datetime{y, mo, d, n >= 5 ? h : 0, n >= 5 ? mi : 0, n >= 6 ? sec : 0};
  return true;
}

}  // namespace

Result<std::string> ToXlsx(const ExportTable& table, const std::string& sheet_name) {
  // A private file name: 128 random bits, created by libxlsxwriter, removed below.
  unsigned char rnd[16];
  randombytes_buf(rnd, sizeof rnd);
  std::string hex;
  for (unsigned char c : rnd) {
    static const char* k = "0123456789abcdef";
    hex += k[c >> 4];
    hex += k[c & 15];
  }
  std::error_code ec;
  const std::filesystem::path path = std::filesystem::temp_directory_path(ec) / ("sotay-export-" + hex + ".xlsx");
  if (ec) return Status::IOError("no temporary directory for the XLSX export");

  // Rows are written in order, so libxlsxwriter may stream them to its temporary
  // files instead of keeping every cell in memory (10,000 records: 65 MiB less).
  const std::string tmpdir = path.parent_path().string();
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = const_cast<char*>(tmpdir.c_str());
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (wb == nullptr) return Status::IOError("the XLSX export could not start a workbook");
  lxw_worksheet* ws = workbook_add_worksheet(wb, SheetName(sheet_name).c_str());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  format_set_text_wrap(bold);
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, Pick(table.lang, "dd/mm/yyyy", "yyyy-mm-dd"));
  lxw_format* datetime = workbook_add_format(wb);
  format_set_num_format(datetime, Pick(table.lang, "dd/mm/yyyy hh:mm", "yyyy-mm-dd hh:mm"));

  for (size_t c = 0; c < table.columns.size(); ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    worksheet_write_string(ws, 0, col, table.columns[c].header.c_str(), bold);
    const Kind k = table.columns[c].kind;
    const double width = k == Kind::kDateTime ? 17 : k == Kind::kDate ? 12 : k == Kind::kText ? 22 : 10;
    worksheet_set_column(ws, col, col, width, nullptr);
  }
  worksheet_freeze_panes(ws, 1, 0);
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (size_t c = 0; c < table.rows[r].size() && c < table.columns.size(); ++c) {
      const std::string& v = table.rows[r][c];
      if (v.empty()) continue;
      const auto col = static_cast<lxw_col_t>(c);
      const Kind k = table.columns[c].kind;
      lxw_datetime dt;
      char* end = nullptr;
      if ((k == Kind::kInteger || k == Kind::kDecimal) && (std::strtod(v.c_str(), &end), *end == '\0')) {
        worksheet_write_number(ws, row, col, std::strtod(v.c_str(), nullptr), nullptr);
      } else if ((k == Kind::kDate || k == Kind::kDateTime) && ParseDateTime(v, &dt)) {
        worksheet_write_datetime(ws, row, col, &dt, k == Kind::kDate ? date : datetime);
      } else {
        worksheet_write_string(ws, row, col, v.c_str(), nullptr);
      }
    }
  }
  if (!table.rows.empty()) {
    worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(table.rows.size()),
                         static_cast<lxw_col_t>(table.columns.size() - 1));
  }
  const lxw_error rc = workbook_close(wb);
  std::string bytes;
  if (rc == LXW_NO_ERROR) {
    auto read = ReadWholeFile(path, "the XLSX export");
    if (read.ok()) bytes = std::move(read).value();
  }
  std::filesystem::remove(path, ec);
  if (rc != LXW_NO_ERROR) return Status::IOError(std::string("the XLSX export failed: ") + lxw_strerror(rc));
  if (bytes.size() < 4) return Status::IOError("the XLSX export could not read back its file");
  return bytes;
}

}  // namespace sotay::server
