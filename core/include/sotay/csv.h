// CSV as Excel writes it (RFC 4180 quoting), for importing the lists communes keep.
// Takes UTF-8 with or without a byte-order mark, CRLF or LF, and the delimiter
// Excel uses in the locale (',' or, where ',' is the decimal mark as in Vietnam,
// ';'; also tab), detected from the header line.
//
// Thread-safety: pure functions over plain values; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sotay/status.h"

namespace sotay {

struct CsvRow {
  size_t line = 0;                 // the line the row starts on, from 1 (the header is line 1)
  std::vector<std::string> cells;
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;        // blank lines are skipped
  char delimiter = ',';
};

// Errors name the line: an unclosed quote, text that is not UTF-8, no header.
Result<CsvTable> ParseCsv(std::string_view text);

}  // namespace sotay
