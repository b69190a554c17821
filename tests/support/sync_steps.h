// The steps of a sync as the device really takes them, for tests that drive a
// SyncStore (a Notebook, or MemorySyncStore) or a SyncSession by hand: the outbox
// read as SyncSession reads it, an exchange stored as RecordExchange stores it, an
// answer received then applied as RunSync does when nothing overlaps.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "sotay/sync_session.h"
#include "sotay/sync_store.h"

namespace sotay::testing {

// The oldest outbox edits, at most `max_edits`: the batch a session starts with.
inline Result<std::vector<Edit>> WaitingEdits(SyncStore& nb, size_t max_edits) {
  auto slice = nb.OutboxAfter("", max_edits);
  if (!slice.ok()) return slice.status();
  return std::move(slice->edits);
}

// An exchange that pulled nothing and acknowledged `dots`; the cursor stays.
inline Status Acknowledge(SyncStore& nb, const std::vector<Dot>& dots) {
  auto state = nb.GetSyncState();
  if (!state.ok()) return state.status();
  return nb.RecordExchange({}, state->cursor, dots, std::nullopt).status();
}

// An exchange that pulled `edits` and acknowledged nothing; the cursor stays.
inline Result<SyncStore::ExchangeOutcome> Pull(SyncStore& nb, const std::vector<Edit>& edits) {
  auto state = nb.GetSyncState();
  if (!state.ok()) return state.status();
  return nb.RecordExchange(edits, state->cursor, {}, std::nullopt);
}

// The answer to the last request, received and applied; the first failure of the
// two is reported, but what was received is applied either way.
inline Status ReceiveAndApply(SyncSession& session, SyncResponse response, int64_t round_trip_ms = 0) {
  Status received = session.Receive(std::move(response), round_trip_ms);
  Status applied = session.Apply();
  return !applied.ok() ? applied : received;
}

}  // namespace sotay::testing
