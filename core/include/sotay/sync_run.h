// RunSync: one whole sync of a device's store (sotay/sync_store.h) with its server,
// over a transport the caller gives (cpp-httplib in `sotay sync` and the bench, the
// platform's HTTP stack in a phone app). It is the request loop of docs/sync-protocol.md around SyncSession:
//
// - Each request is encoded, signed and packed (zstd with the pack's dictionary,
//   sotay/zstd.h; gzip level 1, sotay/gzip.h, once a server refuses zstd), then posted
//   on a thread of its own while the calling thread stores the answer to the previous
//   request and reads the next batch (SyncSession::Apply, Prepare). Only the calling
//   thread touches the store; the transport sees one request at a time, in order.
// - A 401 "stale" answer (the device's clock is wrong) is signed again, once, with
//   the clock corrected by the server's time.
// - Every answer must be signed by the server's key (docs/sync-protocol.md, "Signed
//   answers"): the key pinned at enrollment, or, for a device enrolled before
//   servers signed, the key the first answer names (pinned then: trust on first
//   use). An answer that fails the check stops the run before anything of it is
//   applied: no acknowledgement drops an outbox row, no pulled edit lands.
// - On any failure what earlier answers brought is kept; the next sync resends the
//   rest and pulls from where the stored cursor stands.
// - Sizes follow the link (sotay/link_estimate.h): each exchange is measured in wire
//   bytes and time, the next push and the pull page budget (kPageBytesHeader) are
//   sized to take a few seconds, the transport is told after how long an exchange
//   that moves nothing is stalled, and the estimate is kept in the store for the
//   next run.
//
// Thread-safety: the store must not be used elsewhere during the run.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sotay/link_estimate.h"
#include "sotay/status.h"
#include "sotay/sync_session.h"
#include "sotay/sync_store.h"

namespace sotay {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpReply {
  bool answered = false;  // false: no answer at all (no connection, a timeout)
  int status = 0;
  std::string body;       // with any Content-Encoding undone
  size_t wire_bytes = 0;  // the body as it crossed the network, compressed (0: not known, body.size() is counted)
  std::string failure;    // when not answered: why, in the transport's words
  HttpHeaders headers;    // the answer's headers; at least the two of a signed answer (signing.h)
  // The value of header `name` (case-insensitive), "" when absent.
  std::string Header(const std::string& name) const;
};

// Checks that `reply` is the server's signed answer to the request with this path
// and nonce. `pinned_key` is the device's pinned server key (base64), or "" to
// accept the key the answer names. On success *signer is the key that signed it.
// Tampered, saying why, otherwise.
Status VerifyAnswer(const std::string& path, const std::string& nonce, const HttpReply& reply,
                    const std::string& pinned_key, std::string* signer);

class SyncTransport {
 public:
  virtual ~SyncTransport() = default;
  // POST /v1/sync with these headers and body (already packed: the headers say so).
  // The answer's gzip is the transport's to undo; its zstd RunSync undoes.
  // Called on a thread of RunSync's own, never twice at once.
  virtual HttpReply PostSync(const HttpHeaders& headers, const std::string& body) = 0;
  // How long the next PostSync may go with nothing moving (no byte sent or received)
  // before it gives up as unanswered: computed from the measured rate and the bytes
  // expected, so a silent stall is found well before a fixed 60 s read timeout.
  // Called before each PostSync, on the thread that calls RunSync. A transport that
  // cannot bound its waits may ignore it.
  virtual void SetStallTimeoutMs(int64_t ms) { (void)ms; }
};

// What RunSync needs besides the store and the transport. Tests give a clock.
struct SyncRunOptions {
  // Milliseconds of a monotonic clock; empty: std::chrono::steady_clock. Read on the
  // transport's thread around each PostSync.
  std::function<int64_t()> monotonic_ms;
};

struct SyncRun {
  Status status;             // OK once everything is sent and the pull caught up
  bool unanswered = false;   // stopped because the transport got no answer at all
  int http_status = 0;       // the status of a refusing answer (0: not refused)
  std::string server_error;  // and its stable code: "revoked", "stale", "too_large"...
  size_t bytes_up = 0;       // request bodies as sent (packed: zstd or gzip): wire bytes
  size_t bytes_down = 0;     // answer bodies as received (compressed, when the transport says): wire bytes
  SyncCounts counts;         // stored; the progress callback also has them as of the last answer
  size_t acknowledged = 0;   // pushed edits the server acknowledged, as answers came (stored or not)
  size_t pulled = 0;         // edits pulled, as answers came
  bool pull_more = true;     // the last answer said more waits to be pulled
  LinkEstimate link;         // the link as measured so far (rate, round trip)
  LinkSample last;           // the last exchange
  std::vector<Rejection> rejections;
};

// `progress` is called after each answer is received, with the run so far (counts
// as of that answer: acknowledged, pulled).
SyncRun RunSync(SyncStore& store, SyncTransport& transport,
                const std::function<void(const SyncRun&)>& progress = {}, const SyncRunOptions& options = {});

}  // namespace sotay
