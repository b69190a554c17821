// Reads an XLSX file back for a test with an independent reader (Python's standard
// library: tests/support/xlsx_cells.py), so a test checks what Excel would find in
// the cells, not what our writer meant to put there.
#pragma once

#include <cstdio>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#ifndef SOTAY_TEST_SUPPORT_DIR
#error "SOTAY_TEST_SUPPORT_DIR must name tests/support"
#endif

namespace sotay::testing {

struct XlsxCell {
  bool number = false;
  double value = 0;
  std::string text;
};

// sheet name -> cell reference ("B7") -> cell. Empty when the file does not read.
inline std::map<std::string, std::map<std::string, XlsxCell>> ReadXlsxCells(const std::string& path) {
  std::map<std::string, std::map<std::string, XlsxCell>> out;
  const std::string cmd = "python3 " + std::string(SOTAY_TEST_SUPPORT_DIR) + "/xlsx_cells.py '" + path + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  if (pclose(p) != 0) return out;
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (auto& [sheet, cells] : j.items()) {
    for (auto& [ref, cell] : cells.items()) {
      XlsxCell c;
      c.number = cell[0] == "n";
      if (c.number) {
        c.value = cell[1].get<double>();
      } else {
        c.text = cell[1].is_string() ? cell[1].get<std::string>() : "";
      }
      out[sheet][ref] = c;
    }
  }
  return out;
}

}  // namespace sotay::testing
