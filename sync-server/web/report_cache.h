// The /reports page's computed figures, kept between views (issue 15: a province's
// page in under a second). Computing a year over 100,000 children takes seconds;
// the figures change only when a record of the unit's communes does, so each
// (unit, period, language, day) keeps its YearReport with the fingerprint of what
// it was computed from:
//  - the count and the newest updated_seq of the communes' records (updated_seq is
//    one sequence over the whole store, taken by every change: an edit or a new
//    record raises the newest, a record moved away lowers the count);
//  - the newest move between communes (a record moved out and edited since
//    leaves neither trace in the communes' own records);
//  - the published forms (a new version may change the indicators).
// A different fingerprint recomputes; a few entries are kept, the least recently used
// dropped. A province's figures (161 units, every breakdown: some 380,000 values, 24
// bytes each) take about 10 MiB, so the entries are bounded by their values too:
// under the server's memory limit whatever units and years are asked.
// Taking the fingerprint reads every record's reference (a second for a
// province), so first the store's newest change set is compared: while no set was
// stored since the entry was last confirmed, no record changed anywhere and the
// entry stands without reading any.
//
// Thread-safety: none; used under the store's mutex (AppContext::mu).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "sotay/year_report.h"

namespace sotay::server::web {

struct ReportFingerprint {
  size_t records = 0;
  int64_t newest_seq = 0;
  int64_t newest_move = 0;
  std::string forms;  // "form@version" of each published form, in order
  bool operator==(const ReportFingerprint& o) const {
    return records == o.records && newest_seq == o.newest_seq && newest_move == o.newest_move && forms == o.forms;
  }
};

struct CachedReport {
  ReportFingerprint from;
  int64_t confirmed_at_set = 0;  // the store's newest change set when `from` was last found true
  std::shared_ptr<const YearReport> report;
  int64_t computed_ms = 0;  // when it was computed (the page says so)
  uint64_t used = 0;        // the cache's clock at the last use, to drop the oldest
  size_t values = 0;        // figures held (ReportValues), what its memory grows with
};

// How many figures a report holds: each unit's value of each row, and each category's.
size_t ReportValues(const YearReport& report);

class ReportCache {
 public:
  static constexpr size_t kMaxEntries = 32;
  static constexpr size_t kMaxValues = 500000;  // about 12 MiB; the newest entry is kept whatever its size

  // The report kept for `key` when no change set was stored since it was last
  // confirmed (`newest_set`: the store's newest) and the forms are the same; else nullptr.
  const CachedReport* FindUnchanged(const std::string& key, int64_t newest_set, const std::string& forms);
  // The report kept for `key`, when it was computed from `from`; else nullptr. A hit
  // is confirmed at `newest_set`.
  const CachedReport* Find(const std::string& key, const ReportFingerprint& from, int64_t newest_set);
  // Keeps `report` for `key`, replacing what was there, dropping the least recently
  // used entries while there are more than kMaxEntries or kMaxValues.
  const CachedReport& Put(const std::string& key, ReportFingerprint from, int64_t newest_set, YearReport report,
                          int64_t now_ms);

  size_t size() const { return entries_.size(); }

 private:
  std::map<std::string, CachedReport> entries_;
  uint64_t clock_ = 0;
};

}  // namespace sotay::server::web
