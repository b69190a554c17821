// A valid child profile (schemas/child_profile.json) for tests that need records,
// and the form's text as the notebook installs it.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "sotay/validate.h"

namespace sotay::testing {

inline Answers ChildAnswers(const std::string& name) {
  return {{"full_name", name},       {"sex", "female"},           {"dob", "2015-03-21"},
          {"ethnicity", "tay"},      {"birth_registered", "yes"},
          {"village", "Thôn Đông"},  {"living_with", "both_parents"}, {"caregiver_name", "Hoàng Văn Hải"},
          {"household_poverty", "near_poor"}, {"in_school", "yes"}, {"school_level", "primary"},
          {"health_insurance", "yes"}, {"disability", "no"}};
}

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

inline std::string ChildProfileText() { return ReadText(std::string(SOTAY_SCHEMAS_DIR) + "/child_profile.json"); }

}  // namespace sotay::testing
