// A commune's child as a worker records one (schemas/child_profile.json): about 20
// answers and notes of a few sentences of Vietnamese, varied from child to child so
// that compression sees what it would see in the field (issue 16: such a child
// costs about 259 bytes up and 266 down). For the 2G bench and the cut-link test.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdio>
#include <string>

#include "sotay/validate.h"

namespace sotay::testing {

// Child `i` of a commune; the same i gives the same answers.
inline Answers RealisticChild(int i) {
  static const char* family[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vàng", "Lò", "Sùng", "Hà", "Đinh"};
  static const char* middle[] = {"Thị", "Văn", "Minh", "Ngọc", "Đức", "Thu"};
  static const char* given[] = {"An", "Bình", "Chi", "Dung", "Hải", "Lan", "Mai", "Nam", "Phúc", "Quyên", "Sơn", "Tú"};
  static const char* villages[] = {"Bản Phố", "Thôn Đông", "Nà Hang", "Khuổi Cuồng", "Bản Dền", "Thôn Tân Lập"};
  static const char* ethnicities[] = {"tay", "mong", "dao", "kinh", "nung", "thai"};
  static const char* living[] = {"both_parents", "one_parent", "relatives", "both_parents"};
  static const char* away[] = {"none", "father", "mother", "both"};
  static const char* carers[] = {"other_parent", "grandparents", "relatives", "grandparents"};
  static const char* poverty[] = {"poor", "near_poor", "neither"};
  static const char* circumstances[] = {"", "h", "a", "", "dd", ""};
  static const char* sentences[] = {
      "Gia đình có ba con, bố đi làm ăn xa ở Bình Dương từ năm ngoái.",
      "Cháu đi học đều, cô giáo chủ nhiệm nhận xét cháu ngoan nhưng hay mệt.",
      "Nhà ở xa trường khoảng 7 km, đường đất, mùa mưa cháu thường nghỉ học.",
      "Bà ngoại chăm sóc cháu, bà đã ngoài 70 tuổi và sức khỏe yếu.",
      "Hộ được hỗ trợ gạo và tiền điện theo chính sách hộ nghèo của xã.",
      "Cháu chưa có thẻ bảo hiểm y tế vì giấy khai sinh bị mất, đã hướng dẫn gia đình làm lại.",
      "Mẹ cháu bị bệnh, không làm được việc nặng; anh trai 15 tuổi đã bỏ học đi làm thuê.",
      "Cán bộ đã đến thăm hai lần, lần sau sẽ cùng trưởng bản đến gặp gia đình.",
  };
  const bool male = i % 2 == 0;
  const int year = 2012 + i % 9;  // 5 to 14 years old in 2026-2027: school and work questions apply
  const int month = 1 + i % 12, day = 1 + i % 28;
  char dob[32], serial[16];  // room for any int: -O2 checks snprintf against the types
  std::snprintf(dob, sizeof dob, "%04d-%02d-%02d", year, month, day);
  std::snprintf(serial, sizeof serial, "%06d", 100001 + (i * 7919) % 899998);
  const std::string pid = std::string("008") + (male ? "2" : "3") + std::to_string(year % 100 / 10) +
                          std::to_string(year % 10) + serial;
  const std::string away_how = away[i % 4];
  Answers a = {
      {"full_name", std::string(family[i % 10]) + " " + middle[i % 6] + " " + given[(i / 3) % 12]},
      {"sex", male ? "male" : "female"},
      {"dob", dob},
      {"ethnicity", ethnicities[i % 6]},
      {"birth_registered", "yes"},
      {"personal_id", pid},
      {"village", villages[i % 6]},
      {"nationality", "vietnamese"},
      {"living_with", living[i % 4]},
      {"caregiver_name", std::string(family[(i + 3) % 10]) + " Văn " + given[(i + 5) % 12]},
      {"caregiver_phone", "09" + std::to_string(12000000 + (i * 104729) % 87999999)},
      {"parents_working_away", away_how},
      {"household_poverty", poverty[i % 3]},
      {"in_school", "yes"},
      {"school_level", year >= 2016 ? "primary" : "lower_secondary"},
      {"child_works", "no"},
      {"health_insurance", i % 5 == 0 ? "no" : "yes"},
      {"disability", "no"},
      {"disaster_affected", "no"},
      {"notes", std::string(sentences[i % 8]) + " " + sentences[(i / 8 + 3) % 8] + " " + sentences[(i / 64 + 5) % 8]},
  };
  if (away_how != "none") {
    a["parents_away_since"] = std::to_string(year + 1) + "-06-01";
    a["left_behind_carer"] = carers[i % 4];
  }
  if (*circumstances[i % 6] != '\0') a["special_circumstances"] = circumstances[i % 6];
  return a;
}

}  // namespace sotay::testing
