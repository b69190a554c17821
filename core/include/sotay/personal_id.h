// The 12-digit personal identification number (số định danh cá nhân, the number on
// the căn cước card), checked for its structure and against what the form answered:
//
//   digits 1-3  where the birth was registered: a province code (001 Hà Nội ... 096
//               Cà Mau), or for a birth registered abroad a country code (101-295)
//   digit  4    century and sex: 0/1 = 1900-1999 male/female, 2/3 = 2000-2099,
//               4/5 = 2100-2199, 6/7 = 2200-2299, 8/9 = 2300-2399
//   digits 5-6  the last two digits of the birth year
//   digits 7-12 a random serial, never 000000
//
// (Decree 137/2015/NĐ-CP art. 13; the codes in Circular 07/2016/TT-BCA art. 7 and its
// appendices; the province list and its source are in personal_id.cc.) There is no check digit, so
// a number that passes can still be someone else's: this catches what a worker
// mistypes or makes up, nothing more.
//
// Pure functions over plain values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sotay {

enum class PersonalIdProblem {
  kNotTwelveDigits,   // not exactly 12 ASCII digits
  kUnknownPlace,      // digits 1-3 are neither a province nor a country code
  kPlaceholder,       // one digit repeated, or a serial of 000000
  kSexDisagrees,      // digit 4 says one sex, the answer another
  kBirthDisagrees,    // digits 4-6 say one birth year, the answered birth date another
};

// One thing wrong, in both languages; the messages name digits, never the whole number.
struct PersonalIdIssue {
  PersonalIdProblem problem;
  std::string vi;
  std::string en;
};

// What the form answered about the person, where known.
struct PersonalIdAnswers {
  std::string sex;                  // the form's choice name: "male", "female"; else unchecked
  std::optional<int> birth_year;    // from the answered date of birth
};

// What a structurally valid number says.
struct PersonalIdParts {
  std::string place_code;  // digits 1-3
  bool female = false;
  int birth_year = 0;      // full year, from digits 4-6
};

// Everything wrong with `number` (12 digits, no spaces: callers trim what was typed),
// in the order of the digits; empty when it is valid and agrees with `answered`.
std::vector<PersonalIdIssue> CheckPersonalId(std::string_view number,
                                             const PersonalIdAnswers& answered = {});

// The parts of a number with no structural problem, else nullopt.
std::optional<PersonalIdParts> DecodePersonalId(std::string_view number);

// The Vietnamese name of a province code ("001" -> "Hà Nội") as the code list names it,
// or null for a code that is not a province's.
const char* ProvinceName(std::string_view code);

}  // namespace sotay
