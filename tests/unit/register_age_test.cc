// Ages as of a date (register_age.h): what the register answers for "who was a
// child on 31/12/2025", whenever it is asked.
#include <catch2/catch.hpp>

#include <string>

#include "sotay/expr.h"
#include "sotay/register_age.h"

using namespace sotay;

namespace {

int64_t D(const std::string& iso) { return *ParseIsoDate(iso); }

}  // namespace

TEST_CASE("register age: a year of age is completed on the birthday, not after 365.25 days", "[register_age]") {
  CHECK(AgeYears(D("2010-06-15"), D("2026-06-14")) == 15);
  CHECK(AgeYears(D("2010-06-15"), D("2026-06-15")) == 16);
  CHECK(AgeYears(D("2010-06-15"), D("2010-06-15")) == 0);
  CHECK(AgeYears(D("2010-06-15"), D("2010-06-14")) == -1);
  CHECK(AgeYears(D("2010-01-01"), D("2025-12-31")) == 15);
  CHECK(AgeYears(D("2011-03-01"), D("2027-02-28")) == 15);
  CHECK(AgeYears(D("2011-03-01"), D("2027-03-01")) == 16);
  // 365 days after a birth in a leap year is the first birthday; 365.25 would say 0.
  CHECK(AgeYears(D("2012-06-15"), D("2013-06-15")) == 1);
  // Sixteen years hold four 29 Februaries until 2100, which has none: 5,844 days is
  // sixteen years for children born now, not for one born in 2090.
  CHECK(TurnsSixteenOn(D("2010-06-15")) - D("2010-06-15") == 5844);
  CHECK(TurnsSixteenOn(D("2090-06-15")) - D("2090-06-15") == 5843);
}

TEST_CASE("register age: a child born on 29 February has a birthday every year", "[register_age]") {
  const int64_t leap = D("2012-02-29");
  CHECK(AgeYears(leap, D("2013-02-27")) == 0);
  CHECK(AgeYears(leap, D("2013-02-28")) == 1);  // the last day of February
  CHECK(AgeYears(leap, D("2016-02-28")) == 3);
  CHECK(AgeYears(leap, D("2016-02-29")) == 4);
  CHECK(AnniversaryDay(leap, 1) == D("2013-02-28"));
  CHECK(TurnsSixteenOn(leap) == D("2028-02-29"));
  CHECK(TurnsSixteenOn(D("2084-02-29")) == D("2100-02-28"));  // 2100 is not a leap year
}

TEST_CASE("register age: who was a child on 31/12/2025 has one answer", "[register_age]") {
  const int64_t on = D("2025-12-31");
  CHECK(IsChildOn(D("2010-01-01"), on));
  CHECK_FALSE(IsChildOn(D("2009-12-31"), on));  // sixteen that very day
  CHECK(TurnsSixteenOn(D("2009-12-31")) == on);
  CHECK(IsChildOn(D("2025-12-31"), on));         // born that day
  CHECK_FALSE(IsChildOn(D("2026-01-01"), on));   // not yet born
}
