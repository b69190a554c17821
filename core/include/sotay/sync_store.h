// SyncStore: what one sync exchange needs of the device's store, and nothing else
// (docs/sync-protocol.md). SyncSession and RunSync see the device only through it, so
// they can be tested over an in-memory store and the Notebook's other parts (records,
// drafts, reports, import) can change without touching the sync loop. The Notebook
// (sotay/notebook.h) is the real one.
//
// An implementation keeps what it is told durably and in the order told: the outbox
// in the order edits were made, one exchange stored whole or not at all, pulled edits
// merged with ApplyBatch under the device's rules (DeviceApplyRules below).
//
// Thread-safety: not thread-safe. One thread at a time; RunSync uses it only from
// the thread that called it, and nothing else may use it during a run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sotay/apply_batch.h"
#include "sotay/edit.h"
#include "sotay/status.h"
#include "sotay/wire.h"

namespace sotay {

class SyncStore {
 public:
  virtual ~SyncStore() = default;

  // Who this device is: the id in every dot it makes and in the X-Sotay-Device header.
  virtual const std::string& device_id() const = 0;

  // The outbox. The oldest edits after the row keyed `after_key` (empty: from the
  // first), at most `max_edits`, in the order they were made, so a sync may read the
  // next batch before the last one is acknowledged. A record's edits from one save
  // are not split across batches unless they alone are more than `max_edits`.
  // `last_key` is the last row taken; `cut` says that row did not fit whole (its rest
  // stays under the same key).
  struct OutboxSlice {
    std::vector<Edit> edits;
    std::string last_key;
    bool cut = false;
  };
  virtual Result<OutboxSlice> OutboxAfter(const std::string& after_key, size_t max_edits) = 0;
  // Edits waiting to be sent.
  virtual Result<int64_t> OutboxCount() = 0;

  // Where the sync stands: the server, the pull cursor (the last server sequence
  // number applied) and the time of the last successful sync.
  struct SyncState {
    std::string server_url;
    uint64_t cursor = 0;
    int64_t last_sync_ms = 0;  // 0: never
  };
  virtual Result<SyncState> GetSyncState() = 0;

  // What one exchange brought, stored in one transaction (one write to disk): the
  // pulled edits merged, the cursor moved past them, the acknowledged dots (`done`,
  // accepted and refused) dropped from the outbox, the `rejected` among them kept
  // aside with the server's reasons (Notebook::Rejected), and, when given, the time
  // of this successful sync. InvalidArgument, storing nothing, for a pulled edit
  // whose identity is malformed (CheckEditIdentity). `gone`: records transferred
  // out of this device's communes, forgotten in the same transaction (their
  // records, history, drafts on them and refusals), after the pulled edits are
  // merged; their edits still in the outbox stay and are sent.
  struct ExchangeOutcome {
    size_t applied = 0;        // pulled edits that were new
    size_t new_conflicts = 0;  // fields that came into conflict (a record's "_status" is one)
  };
  virtual Result<ExchangeOutcome> RecordExchange(const std::vector<Edit>& pulled, uint64_t cursor,
                                                 const std::vector<Dot>& done, std::optional<int64_t> synced_at_ms,
                                                 const std::vector<Rejection>& rejected = {},
                                                 const std::vector<std::string>& gone = {}) = 0;

  // What the device measured of its link (sotay/link_estimate.h, LinkEstimate::Encode),
  // kept between syncs so a new run starts at the sizes the last one reached rather
  // than measuring again; "" when none. Numbers only, nothing sensitive. A store
  // that cannot keep it may leave these two as they are: sizes are then measured
  // again at each sync.
  virtual Result<std::string> LinkMemory() { return std::string(); }
  virtual Status SetLinkMemory(const std::string& text) {
    (void)text;
    return Status::OK();
  }

  // Forms: the "form@version" of every one installed (a request lists them so the
  // server sends only the missing), and one the server sent (JSON text), installed
  // before the pulled records that need its merge policies. The same text again is
  // a no-op; another text under an installed version is refused.
  virtual std::vector<std::string> InstalledForms() const = 0;
  virtual Status InstallServerForm(std::string_view json_text) = 0;

  // The communes this device's user may edit, as the server last said: the tag a
  // request names, and a new list from an answer.
  virtual const std::string& communes_tag() const = 0;
  virtual Status SetCommunes(const CommuneList& list) = 0;

  // The server's Ed25519 public key (base64) pinned at enrollment, "" if none yet;
  // Tampered when the pin was removed outside sotay. Only answers it signed are used.
  virtual Result<std::string> ServerKey() = 0;
  // Pins `key_b64` (trust on first use, for a device enrolled before answers were
  // signed); InvalidArgument if it is not a 32-byte Ed25519 key in base64.
  virtual Status PinServerKey(const std::string& key_b64) = 0;

  // Signs a request with the device's Ed25519 key (SECURITY.md, sotay/signing.h):
  // the X-Sotay-Time, -Nonce and -Signature header values for a body whose SHA-256
  // (lower-case hex) the caller computed as it made the body in parts.
  // `clock_offset_ms` corrects a wrong device clock with the server's (a stale
  // refusal says the server's time). FailedPrecondition when the device has no key
  // (not enrolled); InvalidArgument when the digest is not 64 hex characters.
  struct RequestSignature {
    std::string time, nonce, signature;
  };
  virtual Result<RequestSignature> SignRequestDigest(const std::string& method, const std::string& path,
                                                     const std::string& body_sha256_hex,
                                                     int64_t clock_offset_ms = 0) = 0;
};

// The rules a device merges edits with (sotay/apply_batch.h), `find_form` aside:
// what was made with a form version the device has not received yet is kept (the
// form comes with a later sync), and a pulled edit of a reserved field this version
// does not know is kept too (the server checked it; a newer one may know it).
// `local`: the device's own edits, which must pass every rule.
inline ApplyRules DeviceApplyRules(bool local) {
  ApplyRules rules;
  rules.unknown_form = UnknownForm::kKeep;
  rules.keep_unknown_reserved = !local;
  return rules;
}

}  // namespace sotay
