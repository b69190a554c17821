// Indicators (FORMS.md): the counts and shares the annual report asks for, computed
// from a set of records per commune and in total, for a period. Pure: the shell
// computes them over the device's records, the server over a district's, with the
// same code and so the same figures.
//
// Thread-safety: pure functions over plain values; safe from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sotay/form.h"
#include "sotay/validate.h"

namespace sotay {

// A record as the report sees it: shown answers, commune, creation date.
struct ReportRecord {
  std::string id;
  std::string form;     // the form's id (ComputeYearReport sorts records by it)
  std::string area;     // commune code ("" when unknown)
  Answers answers;
  int64_t created_ms = 0;
  // The newest clock stamp in its history (RecordFacts::updated_ms): a report as of a
  // moment at or after it takes the record as it stands, with no replay.
  int64_t updated_ms = 0;
  bool is_void = false;  // voided records never count
};

// Inclusive dates, as days since 1970-01-01; an open end is unbounded.
struct ReportPeriod {
  std::optional<int64_t> from_day, to_day;
};

struct IndicatorValue {
  // Over a form about a child (one with a SubjectLink, links.h): distinct children,
  // the linked profile's id, a record with no link its own child; else records.
  int64_t count = 0;
  int64_t of = -1;  // the denominator for a share (in its own unit); -1 for a plain count
  int64_t records = -1;  // records counted when `count` is of children; -1 otherwise
  bool is_share() const { return of >= 0; }
  // count / of, or nullopt when this is not a share or the denominator is 0.
  std::optional<double> share() const;
};

// A value as reports print it: "12", or for a share "3 / 12 (25,0 %)" (decimal comma
// in Vietnamese, point in English), so every report reads alike; children with the
// records beside them where they differ: "1 (2 hồ sơ)", "1 / 2 (50,0 %; 3 records)".
std::string FormatIndicatorValue(const IndicatorValue& value, const std::string& lang);

struct IndicatorResult {
  const Indicator* indicator = nullptr;
  std::map<std::string, IndicatorValue> by_area;  // every area that has records of the form
  IndicatorValue total;
};

// Computes every indicator of `form` over `records`. Over a form about a child it
// counts distinct children (see IndicatorValue); an 8-character link names the one
// full id among the records' links that begins with it, else stands for itself.
// Records of other forms are the
// caller's to leave out. `env.today_days` and `env.now_ms` are what today() and
// now() mean in the definitions ("as of when the report is made"), except in a
// register's stock indicators (register.h): those count only the children on the
// register on the period's end (today while the period has not ended), and today()
// and now() there mean that day, so a past period's figures never change with the
// day they are asked.
std::vector<IndicatorResult> ComputeIndicators(const Form& form, const std::vector<ReportRecord>& records,
                                               const ReportPeriod& period, const CheckEnv& env);

}  // namespace sotay
