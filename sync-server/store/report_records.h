// The records a period's report counts, as they stood at the period's end (issue 15,
// "figures that never move"): the /reports page and `sotay-server report` both read
// their records here, so a report of 2025 printed in March 2026 shows what one
// printed on 31/12/2025 showed, however the records were edited since.
//
// Most records were not edited after the period: they are taken as they stand. The
// few whose history goes on past the period's end (one query on the records' last
// change) are replayed from their edit history up to that moment, each edit by the
// time it was made (its HLC); a record made after the period's end is left out, and
// a record's commune is its commune at that moment, so a child moved away in 2026
// still counts where they were in 2025. One correction reaches back: a profile
// merged into another as a duplicate (register.h) stays merged, since it was never
// a child of its own.
//
// Thread-safety: none; call under the store's mutex (AppContext::mu).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "admin/area_tree.h"
#include "sotay/env.h"
#include "sotay/indicators.h"
#include "sotay/status.h"
#include "sotay/year_report.h"
#include "store/form_catalog.h"
#include "store/server_store.h"

namespace sotay::server {

// The last moment of local day `day` (days since 1970-01-01, the server's local
// calendar, Env::TodayDays) as UTC ms since the epoch, the clock edits are stamped by.
int64_t EndOfLocalDayMs(int64_t day, Env& env);

// The records of `communes` (of every form) as they stood at the end of
// `period.to_day` in the server's local time; with no end, as they stand now. Each
// ReportRecord names its form. Reads every record of the communes from the store.
Result<std::vector<ReportRecord>> ReportRecordsAsOf(ServerStore& store, const FormCatalog& forms,
                                                    const std::vector<std::string>& communes,
                                                    const ReportPeriod& period, Env& env);

// The same, starting from `current`: the records of `communes` as they stand now
// (the dashboard reads them from its index: web/record_index.h), so that only the records
// edited after the period are read from the store.
Result<std::vector<ReportRecord>> ReportRecordsAsOf(ServerStore& store, const FormCatalog& forms,
                                                    const std::vector<std::string>& communes,
                                                    const ReportPeriod& period, Env& env,
                                                    std::vector<ReportRecord> current);

// The same as a source (sotay/year_report.h) that reads `current` (the records of
// `communes` as they stand now) when it is read, in place of the ones changed after
// the period: those are replayed here, once. Reads `stamps` once itself: the same
// records, of which only the id and updated_ms are read (answers may be left out).
Result<RecordSource> ReportSourceAsOf(ServerStore& store, const FormCatalog& forms,
                                      const std::vector<std::string>& communes, const ReportPeriod& period,
                                      Env& env, RecordSource current, const RecordSource& stamps);

// Which answers a report reads (year_report.h): those its indicators' expressions
// mention, the links (children are counted once by them), and those the register
// and the breakdowns read by name. The rest of a record (names, notes, places: its
// bulk) no figure counts, and a province's records whole would not fit in memory.
class ReportAnswers {
 public:
  explicit ReportAnswers(const FormCatalog& forms);
  void Prune(Answers& answers) const;

 private:
  std::set<std::string> read_;
};

// The records of `communes` as they stand now, read from the store a commune and 500
// records at a time, each with only the answers a report reads.
RecordSource StoredRecords(ServerStore& store, const FormCatalog& forms, const std::vector<std::string>& communes);

// The report's units for a viewer whose area is `top` (a province, district or
// commune code): `top` and every area under it, depth first, by code; `top` has no
// parent in the report.
std::vector<ReportUnit> ReportUnitsUnder(const AreaTree& areas, const std::string& top);

}  // namespace sotay::server
