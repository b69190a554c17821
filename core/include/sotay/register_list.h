// The register as a list a person pages through: the children of a register form,
// found by the core's name search (diacritics optional) and narrowed by village, age
// band, special group and register status, sorted by name, one page at a time.
// Notebook::RegisterList answers it from the sealed search summaries (one small row
// per child), never from the records: the register of 5,000 children is one page,
// not 5,000 record states opened (docs/store-format.md, "summaries").
//
// Plain values and a pure function; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sotay {

// Age bands of the register's filter, in completed years today (register_age.h).
enum class AgeBand { kAny, kUnder6, k6To11, k12To15, k16Plus };
// "under6", "6-11", "12-15", "16+"; "" for kAny. Parse: nullopt for an unknown name.
const char* AgeBandName(AgeBand band);
std::optional<AgeBand> ParseAgeBand(const std::string& name);
// Whether `age_years` (-1: no birth date) is in `band`; kAny takes everyone.
bool InAgeBand(AgeBand band, int age_years);

struct RegisterQuery {
  std::string form = "child_profile";  // a form with identity facts (full_name, dob)
  std::string query;                   // words of the name or a text answer
  std::string village;                 // as answered, compared without case or diacritics; "" any
  AgeBand age = AgeBand::kAny;
  std::string special;                 // a choice of special_circumstances; "" any
  std::string status;                  // a register_status choice ("active" takes empty); "" any
  bool include_void = false;
  size_t offset = 0;                   // rows skipped, for the next page
  size_t limit = 50;                   // rows at most
};

struct RegisterRow {
  std::string id;
  std::string name;            // the instance name, as `list` shows it
  std::string village;
  std::string birth_date;      // as answered
  int age_years = -1;          // today; -1 without a birth date
  std::string register_status; // as answered ("" is active)
  bool is_void = false;
  bool in_conflict = false;
  int64_t updated_ms = 0;
};

struct RegisterPage {
  size_t total = 0;                   // rows matching, over every page
  std::vector<RegisterRow> rows;      // this page, by name
  std::vector<std::string> villages;  // every village of the form's records, for the filter, sorted
};

}  // namespace sotay
