// Calendar arithmetic behind the public ParseIsoDate / ParseIsoDateTime /
// FormatIsoDate (expr.h): the proleptic Gregorian calendar in UTC, with Howard
// Hinnant's days_from_civil / civil_from_days
// (http://howardhinnant.github.io/date_algorithms.html).
//
// Pure functions; no clock, no time zone database.
#pragma once

#include <cstdint>
#include <string>

#include "sotay/expr.h"

namespace sotay {
namespace expr {

// Days since 1970-01-01 of year/month/day. REQUIRES: 1 <= month <= 12. The one copy:
// Env::LocalNowMs (env_default.cc) uses it too, for the local calendar day.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

// A moment split into calendar fields, to the millisecond.
struct CivilTime {
  int64_t year = 1970;
  unsigned month = 1, day = 1;
  unsigned hour = 0, minute = 0, second = 0, millisecond = 0;
};

// Splits fractional days into calendar fields, rounding to the millisecond.
// False when `days` is not finite or is too far from 1970 to be a calendar date.
bool SplitDays(double days, CivilTime* out);

// The value used as a date: dates and numbers as days, a string that is an ISO
// date or date-time parsed, anything else NaN.
double AsDays(const ExprValue& v);

// "YYYY-MM-DD" for a whole day, else "YYYY-MM-DDTHH:MM:SS" (UTC); "" when the
// value is not a calendar date (see SplitDays).
std::string FormatDays(double days);

}  // namespace expr
}  // namespace sotay
