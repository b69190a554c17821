// The version of a form of the pack in schemas/ (SOTAY_SCHEMAS_DIR), so a test that
// writes records of a pack form names the version a device would, and keeps passing
// when the pack moves to a new version. A test's own form (server_test_data.h's
// "case_test", or any form with no file in the pack) is at version 1.
//
// Thread-safety: reads a file; call from one thread at a time.
#pragma once

#include <string>

#include "sotay/form.h"

namespace sotay::testing {

inline int PackVersion(const std::string& form) {
  const std::string top = form.substr(0, form.find('.'));  // a repeat's child form: its parent's file
  auto loaded = LoadFormFile(std::string(SOTAY_SCHEMAS_DIR) + "/" + top + ".json");
  return loaded.ok() ? loaded->version : 1;
}

}  // namespace sotay::testing
