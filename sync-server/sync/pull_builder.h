// The pull half of an exchange (docs/sync-protocol.md): the edits after the device's
// cursor, for records in the communes its user may see, in sequence order, a page at
// a time. The device's own edits are skipped (it has them) but the cursor still
// moves past them.
//
// Thread-safety: none; call inside the exchange's transaction so the page and the
// cursor come from one snapshot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "admin/access.h"
#include "admin/area_tree.h"
#include "store/server_store.h"

namespace sotay::server {

struct PullLimits {
  size_t max_edits = 5000;  // ~60 KB gzipped: few round trips on a 2G link, little lost if one drops
  size_t max_bytes = 1 << 20;  // approximate encoded size of a page
};

struct PullPage {
  std::vector<Edit> edits;       // for a device that reads edits one by one
  std::vector<std::string> sets;  // or, for one that reads sets, the stored sets as they are
  size_t count = 0;               // edits in the page, either way
  uint64_t cursor = 0;  // the new cursor: the last sequence covered by this page
  bool more = false;    // more visible edits wait after `cursor`
};

Result<PullPage> BuildPull(ServerStore& store, const AreaTree& areas, const Principal& who, uint64_t cursor,
                           bool reads_sets, const PullLimits& limits);

}  // namespace sotay::server
