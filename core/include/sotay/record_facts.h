// The facts a record's merged state gives, as every reader shows them: its form, commune,
// parent, shown answers, whether it is void, when it was made and last changed, and
// which fields are in conflict. Pure: the device and the district server read
// records through the same function, so a record looks the same everywhere and the
// server's report counts what the device's report counts.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sotay/indicators.h"
#include "sotay/merge.h"
#include "sotay/validate.h"

namespace sotay {

struct RecordFacts {
  std::string form;
  int version = 0;
  std::string area;     // commune code
  std::string parent;   // parent record id for a repeat entry, else ""
  Answers shown;        // the shown value of every answered form field (no "_" fields)
  bool is_void = false;
  int64_t created_ms = 0;  // the clock stamp of the edit that first set the form
  int64_t updated_ms = 0;  // the newest clock stamp among the values standing
  std::vector<std::string> conflicts;  // fields with an open conflict
};

RecordFacts Summarize(const RecordState& state);

// The record as indicators see it.
ReportRecord ToReportRecord(const std::string& id, const RecordFacts& summary);

}  // namespace sotay
