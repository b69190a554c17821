// The pull half of an exchange (docs/sync-protocol.md): the change sets after the
// device's cursor, for records in the communes its user may see, in sequence order,
// a page at a time, as they are stored. The device's own sets are skipped (it has
// them) but the cursor still moves past them.
//
// Transfers ("Transfers" in the protocol): a record that moved INTO the device's
// communes from outside them arrives whole: when the page reaches it, every set of
// its history up to the cursor goes first, in the same page as the set that brought
// it (a page never ends inside such a catch-up; one larger than the limits makes
// a page of its own). A record that moved OUT of them is named in `gone`, for the
// device to forget.
//
// Sensitive answers (sensitive_edits.h) reach only the devices of the user who
// wrote them: other devices get the set without those edits, or not at all.
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
#include "store/form_catalog.h"
#include "store/server_store.h"

namespace sotay::server {

struct PullLimits {
  size_t max_edits = 5000;  // ~60 KB gzipped: few round trips on a 2G link, little lost if one drops
  size_t max_bytes = 1 << 20;  // approximate encoded size of a page
};

// The limits for a device that asks for pages of at most `asked_bytes` (the
// X-Sotay-Page-Bytes header, decimal): the server's own limits with max_bytes
// lowered to what was asked, never under kSmallestAskedPageBytes. A device that
// asks nothing, or something that is not a number, gets the server's limits: the
// pages of before devices asked.
inline constexpr size_t kSmallestAskedPageBytes = 1024;
PullLimits PullLimitsAsked(const PullLimits& server, const std::string& asked_bytes);

struct PullPage {
  std::vector<std::string> sets;  // the stored sets as they are (EncodeEditGroup)
  std::vector<std::string> gone;  // records that moved out of the device's communes
  size_t count = 0;               // edits in the page
  uint64_t cursor = 0;  // the new cursor: the last sequence covered by this page
  bool more = false;    // more visible edits wait after `cursor`
};

Result<PullPage> BuildPull(ServerStore& store, const AreaTree& areas, const FormCatalog& forms, const Principal& who,
                           uint64_t cursor, const PullLimits& limits);

}  // namespace sotay::server
