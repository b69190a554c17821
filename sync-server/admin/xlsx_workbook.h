// An XLSX workbook written by libxlsxwriter. libxlsxwriter 1.1 writes only to files,
// so the workbook lives in a private temporary file (admin/temp_file.h), handed back
// as that file (Close) or as bytes (Finish); a workbook dropped unclosed removes it.
// The per-form export and the yearly report both write through it.
//
// Thread-safety: one workbook per thread; distinct workbooks are independent.
#pragma once

#include <xlsxwriter.h>

#include <memory>
#include <string>
#include <vector>

#include "admin/temp_file.h"
#include "sotay/status.h"

namespace sotay::server {

struct ExportTable;
struct ExportColumn;

class XlsxWorkbook {
 public:
  // constant_memory: rows must then be written in order, and libxlsxwriter streams
  // them to its temporary files instead of keeping every cell in memory (a 10,000-row
  // export: 65 MiB less). `what` names the workbook in errors ("the XLSX export").
  static Result<XlsxWorkbook> Open(const std::string& what, bool constant_memory);

  XlsxWorkbook(XlsxWorkbook&&) noexcept;
  XlsxWorkbook& operator=(XlsxWorkbook&&) noexcept;
  ~XlsxWorkbook();

  lxw_workbook* get() const { return wb_; }
  // A sheet with `name` made acceptable to Excel (no []:*?/\, 31 bytes at most,
  // not cut inside a UTF-8 character).
  lxw_worksheet* AddSheet(const std::string& name);

  // Closes the workbook and returns its file, for one too big to hold; the workbook
  // is spent after.
  Result<std::shared_ptr<TempFile>> Close();
  // Closes the workbook and returns its bytes; the workbook is spent after.
  Result<std::string> Finish();

 private:
  XlsxWorkbook() = default;
  std::string what_;
  std::shared_ptr<TempFile> file_;
  lxw_workbook* wb_ = nullptr;
};

// A table written into a new sheet a row at a time (so a constant-memory workbook
// never holds it): bold wrapped headers in row 0, frozen; numbers as numbers, dates
// as dates (dd/mm/yyyy in Vietnamese), text as text; an autofilter over the rows
// once Finish is called.
class TableSheet {
 public:
  TableSheet(XlsxWorkbook& book, std::vector<ExportColumn> columns, const std::string& lang,
             const std::string& sheet_name);
  // Cells in canonical text (numbers with '.', dates ISO), one per column.
  void Add(const std::vector<std::string>& row);
  void Finish();

 private:
  std::vector<ExportColumn> columns_;
  lxw_worksheet* ws_ = nullptr;
  lxw_format *date_ = nullptr, *datetime_ = nullptr;
  lxw_row_t rows_ = 0;
};

// `table` whole as a TableSheet.
void WriteTableSheet(XlsxWorkbook& book, const ExportTable& table, const std::string& sheet_name);

}  // namespace sotay::server
