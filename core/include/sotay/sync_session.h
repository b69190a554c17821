// SyncSession: one sync of a device with its server, as a state machine with no
// network in it (STYLE.md). The caller asks Next() for the request to send, sends
// it however it can, and hands the answer to OnResponse(); it repeats until Next()
// says there is nothing left. Interrupted anywhere, a new session resends at most the
// batch in flight: edits leave the outbox only once the server acknowledged them,
// and the cursor moves only after the pulled edits are stored.
//
// Thread-safety: not thread-safe; REQUIRES: the Notebook outlives the session.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sotay/notebook.h"
#include "sotay/wire.h"

namespace sotay {

struct SyncCounts {
  size_t exchanges = 0;
  size_t sent = 0;           // edits pushed and acknowledged
  size_t rejected = 0;       // of which the server refused (kept aside there for review)
  size_t received = 0;       // new edits pulled and applied
  size_t new_conflicts = 0;  // records that came into conflict
  size_t forms = 0;          // form definitions installed
  size_t outbox_total = 0;   // what was waiting when the session started
};

// Requests start at kFirstBatch edits and double after every exchange that came
// back within kQuickRoundTripMs, up to `max_edits_per_request` (the server's limit);
// one slower than kSlowRoundTripMs halves them. So a phone on 2G with twenty
// seconds of signal finishes small exchanges, and a good link needs few round trips.
class SyncSession {
 public:
  static constexpr size_t kFirstBatch = 500;  // ~18 new children, ~4 KB gzipped
  static constexpr size_t kSmallestBatch = 50;
  static constexpr int64_t kQuickRoundTripMs = 2000;
  static constexpr int64_t kSlowRoundTripMs = 8000;

  explicit SyncSession(Notebook& nb, size_t max_edits_per_request = 5000);

  // The next request, or nullopt when everything is sent and the pull caught up.
  Result<std::optional<SyncRequest>> Next();
  // Applies the server's answer to the last request from Next(); `round_trip_ms` is
  // how long the exchange took (0 if the transport does not know: counted as quick).
  Status OnResponse(const SyncResponse& response, int64_t round_trip_ms = 0);

  const SyncCounts& counts() const { return counts_; }
  const std::vector<Rejection>& rejections() const { return rejections_; }
  size_t batch_size() const { return batch_; }  // edits the next request may carry

 private:
  Notebook& nb_;
  size_t max_edits_;
  size_t batch_;
  bool started_ = false;
  bool pull_more_ = true;
  size_t in_flight_ = 0;
  SyncCounts counts_;
  std::vector<Rejection> rejections_;
};

}  // namespace sotay
