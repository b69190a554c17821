// What the year report breaks children down by (year_report.h): the categories of
// sex, age band and ethnicity, and each record's child's answers to them. Private to
// sotay_logic. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sotay/year_report.h"

namespace sotay::year_report {

// The three breakdowns, in this order, each ending with "unknown".
enum BreakdownKind { kSex = 0, kAgeBand = 1, kEthnicity = 2, kBreakdownCount = 3 };

struct Categories {
  std::vector<Breakdown> breakdowns;                 // kSex, kAgeBand, kEthnicity
  std::unordered_map<std::string, int> sex, ethnicity;  // choice name -> category index
};

// The categories, from the register's `sex` and `ethnicity` lists (else the first
// form that asks them). An ethnicity choice's official code is its "code" key.
Categories MakeCategories(const std::vector<const Form*>& forms);

// A child's answers, as category indexes (the last, "unknown", when not answered or
// not in the list) and a birth date.
struct ChildFacts {
  int sex = 0, ethnicity = 0;
  std::optional<int64_t> birth_day;
};

// From the record's own answers (`child_sex`/`sex`, `child_dob`/`dob`, `ethnicity`),
// each missing one from the child's profile when there is one.
ChildFacts FactsOf(const Categories& c, const Answers& own, const Answers* profile);
// The same with the profile's facts already taken from it (FactsOf with no answers
// of its own), so a report reading records one at a time keeps a profile's three
// facts rather than its answers.
ChildFacts FactsOf(const Categories& c, const Answers& own, const ChildFacts* profile);

// The age band category of a child born on `birth_day`, on `day`.
int AgeBandOn(const Categories& c, const std::optional<int64_t>& birth_day, int64_t day);

}  // namespace sotay::year_report
