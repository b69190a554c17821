// Who is on the children's register on a given day: the rule the register's
// indicators count by, so "children on the register on 31/12/2025" has one answer
// whenever it is asked. A child is on it from the day the profile was made until the
// day they leave (turned sixteen, moved, died, other: `register_status` and
// `register_left_date`) or turn sixteen, whichever comes first. A profile merged
// into another as a duplicate (`merged`, with `merged_into`) was never a child of
// its own: it is on no register on any day, so the pair counts once.
//
// A form is a register when it has a `register_status` field; its birth date is
// `dob`. Pure functions over plain values; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "sotay/form.h"

namespace sotay {

inline constexpr char kRegisterStatusField[] = "register_status";
inline constexpr char kRegisterLeftDateField[] = "register_left_date";
inline constexpr char kRegisterBirthField[] = "dob";
inline constexpr char kRegisterActive[] = "active";  // as is an empty status
inline constexpr char kRegisterMerged[] = "merged";  // a duplicate, merged on the dashboard
inline constexpr char kRegisterMergedIntoField[] = "merged_into";  // the surviving profile's id

// What the rule needs of one profile. Days count from 1970-01-01.
struct RegisterFacts {
  int64_t created_day = 0;               // the day the profile was made
  std::optional<int64_t> birth_day;      // none when the date of birth is not a date
  bool left = false;                     // a status other than active (or empty)
  std::optional<int64_t> left_day;       // the day they left, when known
  bool merged = false;                   // a duplicate merged into another profile
};

// Whether `form` keeps a register (has a `register_status` field).
bool IsRegisterForm(const Form& form);

// Reads the facts from a profile's shown answers and creation time.
RegisterFacts RegisterFactsOf(const std::map<std::string, std::string>& answers, int64_t created_ms);

// On the register on `day`: made on or before it, not left on or before it, and
// under sixteen on it (IsChildOn); never when merged. Without a birth date the age cannot take a child
// off, and a status without a date takes no one off: a past report must not change
// because an answer is missing.
bool OnRegister(const RegisterFacts& facts, int64_t day);

}  // namespace sotay
