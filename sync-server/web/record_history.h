// A record's history as district staff read it (SYNC.md): the edits grouped into
// change sets (what one device saved at one moment), each with who, which device,
// when it was made and when the server got it, and each field's value before and
// after. Two change sets from different devices are marked parallel when neither
// could have seen the other: each was made before the other reached the server.
// Devices learn of others' edits only through the server, so this is exact up to
// the devices' clock error, and it marks parallel work on different fields, which
// the merge joins silently.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sotay/form.h"
#include "web/dashboard_store.h"
#include "web/html.h"

namespace sotay::server::web {

struct FieldChange {
  std::string field;
  std::vector<std::string> before;  // the values it replaced (its base), in base order
  std::string after;
};

struct ChangeSet {
  std::string device, author;
  int64_t made_ms = 0;      // the author's clock (the edits' HLC)
  int64_t received_ms = 0;  // when the server stored the first of them
  std::vector<FieldChange> changes;
  std::vector<size_t> parallel_with;  // indexes of other change sets
};

// REQUIRES: `history` in the order the server received it (seq order).
std::vector<ChangeSet> GroupHistory(const std::vector<HistoryEdit>& history);

// The history as an HTML table, newest first. `form` may be null. `shows` says
// whether the viewer may see a field's values (web/sensitive.h): a change to one it
// may not is listed, its values before and after withheld. `area_name` names a
// commune code (a transfer reads "Xã: A → B"); empty: codes as they are.
std::string HistoryTable(const std::vector<HistoryEdit>& history, const Form* form, const Viewer& v,
                         const std::function<bool(const std::string&)>& shows,
                         const std::function<std::string(const std::string&)>& area_name = {});

}  // namespace sotay::server::web
