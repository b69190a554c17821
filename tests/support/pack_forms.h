// The form pack (schemas/, SOTAY_SCHEMAS_DIR) as the tests read it: each form loaded
// once, a form that does not load failing the test that asked; and the day a check
// runs on, as the pack's tests give it.
//
// Thread-safety: the forms are kept in a static map; call from one thread at a time.
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <utility>

#include "sotay/form.h"
#include "sotay/validate.h"

namespace sotay::testing {

inline const Form& PackForm(const std::string& id) {
  static std::map<std::string, Form> forms;
  auto it = forms.find(id);
  if (it == forms.end()) {
    auto loaded = LoadFormFile(std::string(SOTAY_SCHEMAS_DIR) + "/" + id + ".json");
    INFO(loaded.status().ToString());
    REQUIRE(loaded.ok());
    it = forms.emplace(id, std::move(loaded).value()).first;
  }
  return it->second;
}

// Checks run on `iso` (YYYY-MM-DD) at `hour` o'clock, read in `lang`.
inline CheckEnv CheckDay(const std::string& iso, const std::string& lang = "vi", int hour = 0) {
  CheckEnv env;
  env.lang = lang;
  env.today_days = static_cast<double>(*ParseIsoDate(iso));
  env.now_ms = static_cast<int64_t>(env.today_days) * 86400000 + int64_t{hour} * 3600000;
  return env;
}

}  // namespace sotay::testing
