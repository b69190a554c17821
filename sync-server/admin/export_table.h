// Records of one form as a table for Excel (issue 5, "Export"): the header a person
// reads and a program can map back ("Họ và tên (full_name)"), one row per record,
// choice labels or codes; written as CSV (UTF-8 with a byte-order mark, so Excel
// shows Vietnamese) or as XLSX (libxlsxwriter, with real numbers and dates).
// Pure but for ToXlsx, which needs a private temporary file (libxlsxwriter 1.1
// writes only to files).
//
// Thread-safety: pure functions; ToXlsx uses its own temporary file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sotay/form.h"
#include "sotay/status.h"
#include "sotay/validate.h"

namespace sotay::server {

struct ExportRecord {
  std::string id;
  std::string parent_id;  // for a repeat entry (a visit): its record
  std::string area_code, area_name;
  int64_t created_ms = 0, updated_ms = 0;  // UTC
  bool is_void = false;
  bool has_conflict = false;
  Answers answers;  // shown values by field name
};

struct ExportOptions {
  std::string lang = "vi";
  bool choice_labels = true;  // labels in `lang`, or the codes
  int64_t utc_offset_ms = 0;  // times are written as local time
  // CSV for Excel in a Vietnamese regional setting, whose list separator is ';' and
  // decimal mark ','. Otherwise RFC 4180: ',' and '.'.
  bool semicolon = false;
  // The columns of fields marked sensitive (an abuse report's reporter): left out
  // unless an allowed user asked for them (web/page_export.cc, schemas/README.md).
  bool with_sensitive = false;
};

struct ExportColumn {
  enum class Kind { kText, kInteger, kDecimal, kDate, kDateTime };
  std::string header;
  Kind kind = Kind::kText;
};

struct ExportTable {
  std::vector<ExportColumn> columns;
  std::vector<std::vector<std::string>> rows;  // canonical text: numbers with '.', dates ISO
  std::string lang = "vi";
};

ExportTable BuildExportTable(const Form& form, const std::vector<ExportRecord>& records, const ExportOptions& options);

// A text cell that Excel would take for a formula (= + - @, or a tab or carriage
// return first) gets a leading apostrophe; a text cell of digits only (a code, a
// phone number) is written ="01234" so Excel keeps it as text; numbers are never
// touched.
std::string ToCsv(const ExportTable& table, const ExportOptions& options);
// ToCsv a line at a time, for a table too big to hold: the byte-order mark and the
// header line, then each row's line (with its CRLF).
std::string CsvHeader(const std::vector<ExportColumn>& columns, const ExportOptions& options);
std::string CsvLine(const std::vector<ExportColumn>& columns, const std::vector<std::string>& row,
                    const ExportOptions& options);

Result<std::string> ToXlsx(const ExportTable& table, const std::string& sheet_name);

}  // namespace sotay::server
