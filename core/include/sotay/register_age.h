// A child's age as of any date, for the register: who was under sixteen on
// 31/12/2025 has one answer whenever it is asked, unlike `today() - dob`. Dates are
// days since 1970-01-01 (as sotay/expr.h parses them), calendar-correct: an age in
// years is completed on the anniversary of the birth date, not after 365.25 days.
//
// A child born on 29 February has their anniversary on 28 February in a common year:
// the Civil Code 2015 (art. 148(3)) ends a period whose last month has no matching
// day on that month's last day, and 28 February is still February.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>

namespace sotay {

// A person under this age is a child (Law on Children 2016, art. 1).
inline constexpr int kChildUntilAge = 16;

// The day a person born on `birth_days` completes `years` years of age.
// REQUIRES: years >= 0.
int64_t AnniversaryDay(int64_t birth_days, int years);

// Completed years of age on `on_days`; -1 when `on_days` is before the birth.
int AgeYears(int64_t birth_days, int64_t on_days);

// The day a child turns sixteen: the first day they are no longer a child.
int64_t TurnsSixteenOn(int64_t birth_days);

// Born on or before `on_days` and not yet sixteen on that day.
bool IsChildOn(int64_t birth_days, int64_t on_days);

}  // namespace sotay
