// The one counting rule of the indicators (FORMS.md), under both ComputeIndicators
// (a device's report, by commune and in total) and ComputeYearReport (units with
// subtotals and breakdowns): which records an indicator counts, the day each counts
// on, and whom each is about. Each record is evaluated once per indicator; callers
// only add up.
//
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "sotay/indicators.h"

namespace sotay::indicator_count {

// A record an indicator counts (an index into the records given) and its day: the
// event's day for a flow indicator, the day the stock is counted on for a stock one.
struct Hit {
  size_t record = 0;
  int64_t day = 0;
};

// The day stock figures count on: the period's end, or today while the period has
// not ended (an open period is "as of today").
int64_t AsOfDay(const ReportPeriod& period, const CheckEnv& env);

// For each indicator of `form`, in form order, the records it counts. Void records
// never count. A register's stock indicators (register.h) count only the children on
// the register on AsOfDay, with today() and now() meaning that day; every other
// indicator reads `env` as given.
std::vector<std::vector<Hit>> CountForm(const Form& form, const std::vector<const ReportRecord*>& records,
                                        const ReportPeriod& period, const CheckEnv& env);

// Whom records are about, as small numbers: the same child, the same number.
class ChildNumbers {
 public:
  // `known_ids`: full record ids an 8-character link may name (the profiles'
  // ids, the full links); a prefix names the one of them that begins with it, else
  // stands for itself.
  explicit ChildNumbers(std::vector<std::string> known_ids);
  // The number of the child `key` names (a full id or a prefix).
  int Of(const std::string& key);
  // From now on `id` (a full id) is the child `survivor` is: a duplicate profile
  // merged into another, so links to either name one child.
  void Alias(const std::string& id, const std::string& survivor) { numbers_[id] = Of(survivor); }
  // A child of its own (a record that names no one).
  int Fresh() { return next_++; }
  int size() const { return next_; }

 private:
  std::vector<std::string> known_;  // sorted
  std::unordered_map<std::string, int> numbers_;
  int next_ = 0;
};

// The full ids the subject links of `records` name (longer than a prefix).
std::vector<std::string> FullLinks(const Field& link, const std::vector<const ReportRecord*>& records);

// The child each record is about: the profile its subject link `link` names (a
// prefix resolved by `numbers`), else a child of its own. With `link` null (a
// register, whose records are its children; or a form about no child) each record
// is its own: a register record by its id.
std::vector<int> ChildOfEach(const Field* link, const std::vector<const ReportRecord*>& records,
                             ChildNumbers& numbers, bool by_id);

}  // namespace sotay::indicator_count
