// An XLSX workbook written by libxlsxwriter and handed back as bytes. libxlsxwriter
// 1.1 writes only to files, so the workbook lives in a private temporary file
// (128 random bits in its name) that Finish reads back and removes; a workbook
// dropped without Finish removes it too. The per-form export and the yearly report
// both write through it.
//
// Thread-safety: one workbook per thread; distinct workbooks are independent.
#pragma once

#include <xlsxwriter.h>

#include <memory>
#include <string>

#include "sotay/status.h"

namespace sotay::server {

struct ExportTable;

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

  // Closes the workbook and returns its bytes; the workbook is spent after.
  Result<std::string> Finish();

 private:
  XlsxWorkbook() = default;
  std::string what_, path_, tmpdir_;
  lxw_workbook* wb_ = nullptr;
};

// Writes `table` into a new sheet: bold wrapped headers in row 0, frozen; numbers as
// numbers, dates as dates (dd/mm/yyyy in Vietnamese), text as text; an autofilter.
void WriteTableSheet(XlsxWorkbook& book, const ExportTable& table, const std::string& sheet_name);

}  // namespace sotay::server
