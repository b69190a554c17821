#include "sotay/csv.h"

#include "sotay/text.h"

namespace sotay {

namespace {

char DetectDelimiter(std::string_view text) {
  size_t end = text.find('\n');
  std::string_view first = text.substr(0, end);
  size_t commas = 0, semicolons = 0, tabs = 0;
  bool quoted = false;
  for (char c : first) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    commas += c == ',';
    semicolons += c == ';';
    tabs += c == '\t';
  }
  if (tabs > commas && tabs > semicolons) return '\t';
  return semicolons > commas ? ';' : ',';
}

bool Blank(const std::vector<std::string>& cells) {
  for (const std::string& c : cells) {
    if (!Trim(c).empty()) return false;
  }
  return true;
}

}  // namespace

Result<CsvTable> ParseCsv(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  CsvTable table;
  table.delimiter = DetectDelimiter(text);
  std::vector<std::string> cells;
  std::string cell;
  size_t line = 1, row_start = 1;
  bool quoted = false, any = false;
  auto end_row = [&]() {
    cells.push_back(std::move(cell));
    cell.clear();
    if (table.header.empty() && !Blank(cells)) {
      table.header = std::move(cells);
    } else if (!Blank(cells)) {
      table.rows.push_back(CsvRow{row_start, std::move(cells)});
    }
    cells.clear();
    any = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      continue;
    }
    if (!any) row_start = line;
    any = true;
    if (c == '"' && Trim(cell).empty()) {
      cell.clear();
      quoted = true;
    } else if (c == table.delimiter) {
      cells.push_back(std::move(cell));
      cell.clear();
    } else if (c == '\n') {
      if (!cell.empty() && cell.back() == '\r') cell.pop_back();
      end_row();
      ++line;
    } else {
      cell += c;
    }
  }
  if (quoted) {
    return Status::InvalidArgument("line " + std::to_string(row_start) + ": a quoted cell is never closed");
  }
  if (any) {
    if (!cell.empty() && cell.back() == '\r') cell.pop_back();
    end_row();
  }
  if (table.header.empty()) return Status::InvalidArgument("the file has no header line");
  for (const CsvRow& r : table.rows) {
    for (const std::string& c : r.cells) {
      if (!IsValidUtf8(c)) {
        return Status::InvalidArgument("line " + std::to_string(r.line) +
                                       ": the text is not UTF-8 (save the file as \"CSV UTF-8\")");
      }
    }
  }
  for (std::string& h : table.header) h = Trim(h);
  return table;
}

}  // namespace sotay
