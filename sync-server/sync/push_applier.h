// Applying a device's pushed edits (docs/sync-protocol.md, "Rules"): each edit is
// checked, merged into its record by the one apply path the device uses too
// (sotay/apply_batch.h, with the server's rules: known forms only, values checked,
// areas the sender may edit), and appended to the history; a refused edit is kept
// aside with its reason and the rest of the batch still lands. This file is the
// storage edge: it reads each record, calls ApplyBatch, and writes what changed.
//
// Every edit of the batch ends up in exactly one of three lists:
//  - accepted: stored now, or already known (a resent dot is accepted again);
//  - rejected: refused with a reason, kept in the `rejected` table;
//  - deferred: neither, so the device sends it again. Only the edits of a new record
//    that lacks its _area/_form/_version, when that record's edits end the batch:
//    the device cut its batch inside the record's creation, and the rest arrives
//    first thing in the next request; and the edits that link a record to such a
//    record (its _parent), which wait with it. Never the whole batch, so a device's
//    queue always moves.
//
// A record's _parent must name a record that exists (stored, or pushed earlier in
// the same batch: records are applied parents first) in an area the user may edit.
// A new record whose link is refused is refused whole.
//
// Transfers (docs/sync-protocol.md, "Transfers"): an _area edit on a stored record
// moves it and is indexed in the `moves` table. Edits to a record that moved out of
// the sender's communes are still accepted while the sender had not seen the move
// (its request's cursor is before the move's set, or the edit was stamped before
// the server received the move): a worker offline in the village keeps writing and
// nothing is lost. After that they are refused with a reason naming the transfer.
//
// Thread-safety: none; REQUIRES: called inside a ServerStore transaction that the
// caller commits, so the batch lands whole or not at all.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "admin/access.h"
#include "admin/area_tree.h"
#include "store/form_catalog.h"
#include "store/server_store.h"
#include "sotay/wire.h"

namespace sotay::server {

struct PushOutcome {
  std::vector<Dot> accepted;
  std::vector<Rejection> rejected;
  size_t stored = 0;            // new edits appended to the history
  size_t deferred = 0;          // left out of both lists, for the next request
  size_t conflicts_opened = 0;  // fields that came into conflict
};

// `seen_through`: the pull cursor of the sender's request, nullopt for a sender
// that has seen everything (the dashboard).
Result<PushOutcome> ApplyPush(ServerStore& store, const AreaTree& areas, const FormCatalog& forms,
                              const Principal& who, std::vector<Edit> edits, int64_t now_ms,
                              std::optional<uint64_t> seen_through = std::nullopt);

}  // namespace sotay::server
