// CSV and JSON Lines import (sotay/csv.h, sotay/import.h): the lists communes keep,
// as Excel or another program wrote them, mapped onto the child profile form. Any
// bytes: rows with their issues, or an error naming the line, never a crash.
#include "fuzz_support.h"
#include "sotay/csv.h"
#include "sotay/import.h"

using namespace sotay;

namespace {

const Form& ChildProfile() {
  static const Form form = [] {
    auto f = LoadFormFile(std::string(SOTAY_SCHEMAS_DIR) + "/child_profile.json");
    FUZZ_CHECK(f.ok());
    return *f;
  }();
  return form;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in = fuzz::Input(data, size);
  CheckEnv env;
  env.today_days = 20414;  // 2025-11-22
  env.now_ms = 1763769600000;

  if (auto table = ParseCsv(in); table.ok()) {
    for (const CsvRow& row : table->rows) FUZZ_CHECK(row.line >= 2);
  }
  if (auto plan = PlanCsvImport(ChildProfile(), in, env); plan.ok()) {
    for (const ImportRow& row : *plan) FUZZ_CHECK(row.line >= 2);
  }
  if (auto plan = PlanJsonLinesImport(ChildProfile(), in, env); plan.ok()) {
    for (const ImportRow& row : *plan) FUZZ_CHECK(row.line >= 1);
  }
  return 0;
}
