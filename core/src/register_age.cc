// Ages as of a date (register_age.h), on the calendar of expr_calendar.h.

#include "sotay/register_age.h"

#include "expr_calendar.h"

namespace sotay {

namespace {

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

expr::CivilTime Civil(int64_t days) {
  expr::CivilTime t;
  // Whole days from a date answer are always splittable; a failure leaves 1970-01-01,
  // which only a date beyond the calendar's range (millions of years) could cause.
  (void)expr::SplitDays(static_cast<double>(days), &t);
  return t;
}

}  // namespace

int64_t AnniversaryDay(int64_t birth_days, int years) {
  const expr::CivilTime b = Civil(birth_days);
  const int64_t year = b.year + years;
  unsigned day = b.day;
  if (b.month == 2 && b.day == 29 && !IsLeap(year)) day = 28;
  return expr::DaysFromCivil(year, b.month, day);
}

int AgeYears(int64_t birth_days, int64_t on_days) {
  if (on_days < birth_days) return -1;
  int age = static_cast<int>(Civil(on_days).year - Civil(birth_days).year);
  if (AnniversaryDay(birth_days, age) > on_days) --age;
  return age;
}

int64_t TurnsSixteenOn(int64_t birth_days) { return AnniversaryDay(birth_days, kChildUntilAge); }

bool IsChildOn(int64_t birth_days, int64_t on_days) {
  return on_days >= birth_days && on_days < TurnsSixteenOn(birth_days);
}

}  // namespace sotay
