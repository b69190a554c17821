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
  uint32_t record = 0;  // a form's records are counted in memory: far fewer than 2^32
  int32_t day = 0;      // days since 1970
};

// The day stock figures count on: the period's end, or today while the period has
// not ended (an open period is "as of today").
int64_t AsOfDay(const ReportPeriod& period, const CheckEnv& env);

// Counts one record, the `index`-th of its form, into `hits` (one list per indicator
// of `form`, in form order). Void records never count. A register's stock indicators
// (register.h) count only the children on the register on AsOfDay, with today() and
// now() meaning that day; every other indicator reads `env` as given.
class FormCounter {
 public:
  FormCounter(const Form& form, const ReportPeriod& period, const CheckEnv& env);
  void Count(const ReportRecord& r, size_t index, std::vector<std::vector<Hit>>& hits) const;

 private:
  const Form& form_;
  const ReportPeriod& period_;
  const CheckEnv& env_;
  bool is_register_;
  int64_t as_of_day_;
  CheckEnv as_of_;
};

// Whom records are about, as small numbers: the same child, the same number. A
// known id's number is its position among them, so a province's register costs its
// ids once, not again in a map.
class ChildNumbers {
 public:
  // `known_ids`: full record ids an 8-character link may name (the profiles'
  // ids, the full links); a prefix names the one of them that begins with it, else
  // stands for itself. With `position_of`, each given id's number (its position
  // among them, sorted and unique) in the order given.
  explicit ChildNumbers(std::vector<std::string> known_ids, std::vector<int>* position_of = nullptr);
  // The number of the child `key` names (a full id or a prefix), a duplicate merged
  // into another being that other child.
  int Of(const std::string& key);
  // The number of the register's record `id` itself, merged or not.
  int OwnOf(const std::string& id);
  // From now on links to `id` (a full id) name the child `survivor` is: a duplicate
  // profile merged into another, so links to either name one child.
  void Alias(const std::string& id, const std::string& survivor);
  // A child of its own (a record that names no one).
  int Fresh() { return next_++; }
  int size() const { return next_; }
  size_t known() const { return known_.size(); }

 private:
  std::string Full(const std::string& key) const;
  int Position(const std::string& id) const;  // -1 when not known
  std::vector<std::string> known_;  // sorted, unique
  std::vector<int> alias_;          // by position: the number a merged duplicate's links take, else -1
  std::unordered_map<std::string, int> others_;  // keys that are no known id
  int next_ = 0;
};

}  // namespace sotay::indicator_count
