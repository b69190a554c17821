// An injury report and a photo for it, shared by the files tests (the shell's and
// `sotay ui`'s): the answers of a valid `injury_incident`, and bytes a JPEG reader
// would take for a photo (the signature, then noise, so nothing compresses it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>

namespace sotay::testing {

inline const char* kInjuryAnswers = R"({"child_name": "Hờ A Chứ", "child_sex": "male", "child_dob": "2018-05-01",
  "village": "Bản Sả Séng", "incident_date": "2025-06-01", "injury_type": "fall", "incident_place": "home",
  "hospitalised": "no", "outcome": "recovered"})";

inline std::string FakeJpeg(size_t kb, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(kb * 1024, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  s.replace(0, 4, "\xFF\xD8\xFF\xE0");
  return s;
}

}  // namespace sotay::testing
