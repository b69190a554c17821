#include "admin/xlsx_workbook.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "admin/export_table.h"
#include "sotay/lang.h"

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
  auto file = TempFile::Create(what, ".xlsx");
  if (!file.ok()) return file.status();
  XlsxWorkbook book;
  book.what_ = what;
  book.file_ = std::move(file).value();
  lxw_workbook_options options{};
  options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
  options.tmpdir = const_cast<char*>(book.file_->dir().c_str());
  book.wb_ = workbook_new_opt(book.file_->path().c_str(), &options);
  if (book.wb_ == nullptr) return Status::IOError(what + " could not start a workbook");
  return book;
}

XlsxWorkbook::XlsxWorkbook(XlsxWorkbook&& o) noexcept
    : what_(std::move(o.what_)), file_(std::move(o.file_)), wb_(std::exchange(o.wb_, nullptr)) {}

XlsxWorkbook& XlsxWorkbook::operator=(XlsxWorkbook&& o) noexcept {
  if (this != &o) {
    this->~XlsxWorkbook();
    new (this) XlsxWorkbook(std::move(o));
  }
  return *this;
}

XlsxWorkbook::~XlsxWorkbook() {
  if (wb_ != nullptr) workbook_close(wb_);  // writes the file, which file_ then removes unread
}

lxw_worksheet* XlsxWorkbook::AddSheet(const std::string& name) {
  return workbook_add_worksheet(wb_, SheetName(name).c_str());
}

Result<std::shared_ptr<TempFile>> XlsxWorkbook::Close() {
  if (wb_ == nullptr) return Status::FailedPrecondition(what_ + " was already finished");
  const lxw_error rc = workbook_close(std::exchange(wb_, nullptr));
  std::shared_ptr<TempFile> file = std::move(file_);
  if (rc != LXW_NO_ERROR) return Status::IOError(what_ + " failed: " + lxw_strerror(rc));
  auto size = file->Size();
  if (!size.ok() || *size < 4) return Status::IOError(what_ + " could not read back its file");
  return file;
}

Result<std::string> XlsxWorkbook::Finish() {
  auto file = Close();
  if (!file.ok()) return file.status();
  return (*file)->ReadAll();
}

TableSheet::TableSheet(XlsxWorkbook& book, std::vector<ExportColumn> columns, const std::string& lang,
                       const std::string& sheet_name)
    : columns_(std::move(columns)) {
  lxw_workbook* wb = book.get();
  ws_ = book.AddSheet(sheet_name);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  format_set_text_wrap(bold);
  date_ = workbook_add_format(wb);
  format_set_num_format(date_, Pick(lang, "dd/mm/yyyy", "yyyy-mm-dd"));
  datetime_ = workbook_add_format(wb);
  format_set_num_format(datetime_, Pick(lang, "dd/mm/yyyy hh:mm", "yyyy-mm-dd hh:mm"));
  for (size_t c = 0; c < columns_.size(); ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    worksheet_write_string(ws_, 0, col, columns_[c].header.c_str(), bold);
    const Kind k = columns_[c].kind;
    const double width = k == Kind::kDateTime ? 17 : k == Kind::kDate ? 12 : k == Kind::kText ? 22 : 10;
    worksheet_set_column(ws_, col, col, width, nullptr);
  }
  worksheet_freeze_panes(ws_, 1, 0);
}

void TableSheet::Add(const std::vector<std::string>& cells) {
  const lxw_row_t row = ++rows_;
  for (size_t c = 0; c < cells.size() && c < columns_.size(); ++c) {
    const std::string& v = cells[c];
    if (v.empty()) continue;
    const auto col = static_cast<lxw_col_t>(c);
    const Kind k = columns_[c].kind;
    lxw_datetime dt;
    char* end = nullptr;
    if ((k == Kind::kInteger || k == Kind::kDecimal) && (std::strtod(v.c_str(), &end), *end == '\0')) {
      worksheet_write_number(ws_, row, col, std::strtod(v.c_str(), nullptr), nullptr);
    } else if ((k == Kind::kDate || k == Kind::kDateTime) && ParseDateTime(v, &dt)) {
      worksheet_write_datetime(ws_, row, col, &dt, k == Kind::kDate ? date_ : datetime_);
    } else {
      worksheet_write_string(ws_, row, col, v.c_str(), nullptr);
    }
  }
}

void TableSheet::Finish() {
  if (rows_ > 0 && !columns_.empty()) {
    worksheet_autofilter(ws_, 0, 0, rows_, static_cast<lxw_col_t>(columns_.size() - 1));
  }
}

void WriteTableSheet(XlsxWorkbook& book, const ExportTable& table, const std::string& sheet_name) {
  TableSheet sheet(book, table.columns, table.lang, sheet_name);
  for (const auto& row : table.rows) sheet.Add(row);
  sheet.Finish();
}

}  // namespace sotay::server
