#include "admin/xlsx_workbook.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <utility>

#include <sodium.h>

#include "admin/export_table.h"
#include "sotay/lang.h"
#include "sotay/read_file.h"

namespace sotay::server {

namespace {

using Kind = ExportColumn::Kind;

// Excel forbids []:*?/\ in sheet names and allows 31 characters; a cut falls
// before a UTF-8 continuation byte, never inside a Vietnamese letter.
std::string SheetName(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (std::string("[]:*?/\\").find(c) != std::string::npos) continue;
    out += c;
  }
  if (out.size() > 31) {
    size_t cut = 31;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
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

Result<XlsxWorkbook> XlsxWorkbook::Open(const std::string& what, bool constant_memory) {
  unsigned char rnd[16];
  randombytes_buf(rnd, sizeof rnd);
  std::string hex;
  for (unsigned char c : rnd) {
    static const char* k = "0123456789abcdef";
    hex += k[c >> 4];
    hex += k[c & 15];
  }
  std::error_code ec;
  const std::filesystem::path path = std::filesystem::temp_directory_path(ec) / ("sotay-" + hex + ".xlsx");
  if (ec) return Status::IOError("no temporary directory for " + what);
  XlsxWorkbook book;
  book.what_ = what;
  book.path_ = path.string();
  book.tmpdir_ = path.parent_path().string();
  lxw_workbook_options options{};
  options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
  options.tmpdir = const_cast<char*>(book.tmpdir_.c_str());
  book.wb_ = workbook_new_opt(book.path_.c_str(), &options);
  if (book.wb_ == nullptr) return Status::IOError(what + " could not start a workbook");
  return book;
}

XlsxWorkbook::XlsxWorkbook(XlsxWorkbook&& o) noexcept
    : what_(std::move(o.what_)), path_(std::move(o.path_)), tmpdir_(std::move(o.tmpdir_)),
      wb_(std::exchange(o.wb_, nullptr)) {}

XlsxWorkbook& XlsxWorkbook::operator=(XlsxWorkbook&& o) noexcept {
  if (this != &o) {
    this->~XlsxWorkbook();
    new (this) XlsxWorkbook(std::move(o));
  }
  return *this;
}

XlsxWorkbook::~XlsxWorkbook() {
  if (wb_ == nullptr) return;
  workbook_close(wb_);  // writes the file, which is then removed unread
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

lxw_worksheet* XlsxWorkbook::AddSheet(const std::string& name) {
  return workbook_add_worksheet(wb_, SheetName(name).c_str());
}

Result<std::string> XlsxWorkbook::Finish() {
  if (wb_ == nullptr) return Status::FailedPrecondition(what_ + " was already finished");
  const lxw_error rc = workbook_close(std::exchange(wb_, nullptr));
  std::string bytes;
  if (rc == LXW_NO_ERROR) {
    auto read = ReadWholeFile(path_, what_);
    if (read.ok()) bytes = std::move(read).value();
  }
  std::error_code ec;
  std::filesystem::remove(path_, ec);
  if (rc != LXW_NO_ERROR) return Status::IOError(what_ + " failed: " + lxw_strerror(rc));
  if (bytes.size() < 4) return Status::IOError(what_ + " could not read back its file");
  return bytes;
}

void WriteTableSheet(XlsxWorkbook& book, const ExportTable& table, const std::string& sheet_name) {
  lxw_workbook* wb = book.get();
  lxw_worksheet* ws = book.AddSheet(sheet_name);
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
}

}  // namespace sotay::server
