// SyncSession: one sync of a device with its server, as a state machine with no
// network in it (STYLE.md). The caller asks Next() for the request to send, sends
// it however it can, hands the answer to Receive() and stores it with Apply(); it
// repeats until Next() says there is nothing left. Interrupted anywhere, a new
// session resends at most the batches in flight: edits leave the outbox only once
// the server acknowledged them, and the cursor moves only after the pulled edits are
// stored.
//
// A transport that can wait for the network on another thread may overlap the
// device's work with it: between sending a request and receiving its answer the
// caller may Apply() the previous answer and Prepare() the next batch. The server
// then works while the device writes, instead of each waiting for the other:
//
//   auto next = session.Next();
//   while (next has a request) {
//     start sending it;                       // the network, on another thread
//     session.Apply(); session.Prepare();     // the device, meanwhile
//     session.Receive(answer, round_trip_ms);
//     next = session.Next();
//   }
//
// Requests still go one at a time, in order: the server sees the same exchanges.
// RunSync (sotay/sync_run.h) is this loop with signing, gzip and the clock
// correction, over a transport the caller gives; use it rather than writing another.
//
// The session sees the device only through SyncStore (sotay/sync_store.h): the
// Notebook on a device, an in-memory store in tests.
//
// Thread-safety: not thread-safe; REQUIRES: the store outlives the session.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sotay/link_estimate.h"
#include "sotay/sync_store.h"
#include "sotay/wire.h"

namespace sotay {

struct SyncCounts {
  size_t exchanges = 0;
  size_t sent = 0;           // edits pushed and acknowledged
  size_t rejected = 0;       // of which the server refused (kept aside there for review)
  size_t received = 0;       // new edits pulled and applied
  size_t new_conflicts = 0;  // fields that came into conflict
  size_t forms = 0;          // form definitions installed
  size_t outbox_total = 0;   // what was waiting when the session started
};

// Request sizes follow the link (sotay/link_estimate.h): an exchange measured in
// wire bytes (Receive with a LinkSample, as RunSync does) sizes the next push and
// the pull page budget so an exchange takes a few seconds, and the estimate is
// remembered in the store between runs (SaveLink), so a retry after a cut does not
// start small again. Measured by its round trip alone, the older rule holds:
// requests start at kFirstBatch edits and double after every exchange that came back
// within kQuickRoundTripMs, up to `max_edits_per_request` (the server's limit);
// one slower than kSlowRoundTripMs halves them.
class SyncSession {
 public:
  static constexpr size_t kFirstBatch = LinkEstimate::kFirstPushEdits;
  static constexpr size_t kSmallestBatch = LinkEstimate::kSmallestPushEdits;
  static constexpr int64_t kQuickRoundTripMs = 2000;
  static constexpr int64_t kSlowRoundTripMs = 8000;

  explicit SyncSession(SyncStore& store, size_t max_edits_per_request = 5000);

  // The next request, or nullopt when everything is sent and the pull caught up (and
  // every answer received is applied).
  Result<std::optional<SyncRequest>> Next();
  // The server's answer to the last request from Next(), in two steps. Receive()
  // keeps the answer and learns from it what the next request needs (cursor, batch
  // size, whether to pull more) without writing to the store; `round_trip_ms` is how
  // long the exchange took (0 if the transport does not know: counted as quick).
  // Apply() stores every answer received, in order, one transaction each.
  Status Receive(SyncResponse response, int64_t round_trip_ms = 0);
  // The same with the exchange as it crossed the network: its bytes size what follows.
  Status Receive(SyncResponse response, const LinkSample& measured);
  Status Apply();
  // Reads the next batch from the outbox ahead of Next(). Optional: it only moves
  // work to a moment when the device would otherwise wait.
  Status Prepare();
  // The last request from Next() was refused before the server read it (a device
  // clock the server calls stale): the next call to Next() builds it again.
  void Resend();
  // A caller that stops early (an error, a lost link) calls Apply() to keep what it
  // received; what it does not keep, a later session sends and pulls again.

  // The edits Prepare() read for the next request, if it read any and they still
  // stand; the request Next() builds may differ (an answer asked to read again).
  const std::vector<Edit>* prepared_push() const {
    return prepared_ && !reread_ ? &prepared_->edits : nullptr;
  }

  const SyncCounts& counts() const { return counts_; }
  const std::vector<Rejection>& rejections() const { return rejections_; }
  size_t batch_size() const { return batch_; }  // edits the next request may carry
  // The pull page budget for the next request (bytes as encoded, X-Sotay-Page-Bytes).
  size_t page_bytes() const { return link_.PageBytes(); }
  const LinkEstimate& link() const { return link_; }
  // Edits acknowledged and pulled as answers are received (counts() has them once stored).
  size_t acknowledged() const { return acknowledged_; }
  size_t pulled() const { return pulled_; }
  bool pull_more() const { return pull_more_; }
  // The edit layout the next request pushes in: what the server's last answer said
  // it reads (wire.h, kWireLayout), remembered between runs with the link; 1 at first.
  uint32_t push_layout() const { return push_layout_; }
  // The server refused a push in a newer layout (it was rolled back): layout 1 from
  // now on, until an answer says otherwise.
  void PushLayoutOne() { push_layout_ = 1; }
  // Remembers the link estimate in the store for the next run. Best effort: a store
  // that fails to keep it only costs a few exchanges of measuring again.
  void SaveLink();

 private:
  struct Received {
    SyncResponse response;
    std::vector<Dot> done;  // accepted and rejected
    bool stuck = false;     // nothing of a non-empty push acknowledged
  };
  Status Start();

  SyncStore& store_;
  size_t max_edits_;
  size_t batch_;
  LinkEstimate link_;
  size_t acknowledged_ = 0, pulled_ = 0;
  bool started_ = false;
  bool pull_more_ = true;
  uint64_t cursor_ = 0;  // as of the last answer received, applied or not
  std::string communes_tag_;  // likewise: the tag of the newest commune list received
  uint32_t push_layout_ = 1;  // the server's "w", as its last answer (or the link memory) said
  // The outbox rows up to sent_through_ went out in requests whose answers are not
  // applied yet; the next batch starts after them. Empty: from the first row.
  std::string sent_through_;
  bool reread_ = false;    // edits sent are still in the outbox: apply, then read from the first row
  bool awaiting_ = false;  // a request is out and its answer not received
  std::optional<SyncStore::OutboxSlice> prepared_;
  size_t prepared_for_ = 0;  // the batch size prepared_ was read with
  size_t in_flight_ = 0;
  std::vector<Received> received_;
  SyncCounts counts_;
  std::vector<Rejection> rejections_;
};

}  // namespace sotay
