// The sync wire format (docs/sync-protocol.md): what a device and the server send
// each other in one exchange, encoded as CBOR. Pure, no I/O: the device's sync
// session and the server both call it. Decoding never trusts its input: anything
// malformed is InvalidArgument with a reason, never a crash.
//
// Thread-safety: pure functions over plain values; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sotay/edit.h"
#include "sotay/status.h"

namespace sotay {

// A commune the device's user may edit, as the server's area tree names it.
struct Commune {
  std::string code;  // administrative code, e.g. "01234"
  std::string name;  // e.g. "Xã Bản Phố"
  bool operator==(const Commune& o) const { return code == o.code && name == o.name; }
};

// The communes a user may edit and the tag the server gives that list: a device
// names the tag it holds and the server sends the list only when it changed.
struct CommuneList {
  std::string tag;
  std::vector<Commune> communes;
};

// The edit layouts of the wire (docs/sync-protocol.md, "Edit layouts"): 1, edits as
// arrays of 9 ("e") pushed and as stored change sets ("s") pulled, which every device
// and server reads; 2, the compact layout ("E"), which a side sends only once the
// other has said (its "w") that it reads it. The newest this build reads and writes:
inline constexpr uint32_t kWireLayout = 2;

// Device -> server.
struct SyncRequest {
  uint64_t cursor = 0;              // the last server sequence number the device has applied
  std::vector<Edit> push;           // outbox edits, oldest first (author is ignored: the server sets it)
  std::vector<std::string> forms;   // "form@version" the device already has
  bool reads_sets = false;          // "g": the server may send its stored change sets as they are
  // "k": the tag of the commune list the device holds ("" for none). Encoded always;
  // decoded as nullopt from a device that does not send it (it reads no list).
  std::optional<std::string> communes_tag;
  // "w": the newest edit layout the device reads, so the server answers in it; 1
  // (not sent) as devices before layouts. `sotay` sends kWireLayout.
  uint32_t reads_layout = 1;
  // How `push` travels: kWireLayout ("E") only to a server that said it reads it,
  // else 1 ("e"). Decoding says which the body used.
  uint32_t push_layout = 1;
};

struct Rejection {
  Dot dot;
  std::string reason;  // for a person: which rule, never the value
};

// Server -> device.
struct SyncResponse {
  // Stored (or already known): drop from the outbox. A set: its order and repeats
  // carry nothing (to a device that reads layout 2 it travels sorted, as runs).
  std::vector<Dot> accepted;
  std::vector<Rejection> rejected;  // kept aside on the server for review: drop too, and show the worker
  // The edits after the cursor, for the areas this user may see. They travel as
  // change sets ("s", EncodeEditGroup blobs): the encoder writes these as one set a
  // run of edits to one record, before `pull_sets`; decoding puts every set's edits
  // here, in order, and leaves `pull_sets` empty.
  std::vector<Edit> pull;
  // Pulled edits as the server stores them, sent as they are to a device that
  // reads_sets: no decoding and encoding again.
  std::vector<std::string> pull_sets;
  uint64_t cursor = 0;              // where the device stands after applying `pull`
  bool more = false;                // more edits wait after `cursor`: ask again
  std::vector<std::string> forms;   // form definitions (JSON text) the device lacks
  int64_t server_time_ms = 0;
  std::optional<CommuneList> communes;  // "k": only when the device's tag is not the list's
  // "o": records transferred out of the device's communes up to `cursor`: the device
  // forgets them (docs/sync-protocol.md, "Transfers"). Absent when empty.
  std::vector<std::string> gone;
  // "w": the newest edit layout the server reads pushes in (1, not sent: servers
  // before layouts). A device pushes in it from its next request.
  uint32_t reads_layout = 1;
  // How `pull` travels: kWireLayout ("E") to a device that reads it, else as sets.
  // Decoding says which the body used.
  uint32_t pull_layout = 1;
  // "z", with layout 2 only: the bytes of the page's stored sets, which the server
  // counts against the device's page budget (X-Sotay-Page-Bytes) and which the
  // smaller layout-2 body no longer shows; the device measures its ratio with it.
  uint64_t page_set_bytes = 0;
};

std::string EncodeSyncRequest(const SyncRequest& r);
// EncodeSyncRequest in two parts, head + tail: the head holds the pushed edits, the
// tail what the last answer decides (cursor, forms), so the head can be made while
// that answer is still on its way.
// `push_layout` and `reads_layout` as in SyncRequest; head and tail must agree on
// `reads_layout` and `reads_sets`.
std::string EncodeSyncRequestHead(const std::vector<Edit>& push, bool reads_sets, uint32_t push_layout = 1,
                                  uint32_t reads_layout = 1);
std::string EncodeSyncRequestTail(uint64_t cursor, const std::vector<std::string>& forms, bool reads_sets,
                                  const std::string& communes_tag = "", uint32_t reads_layout = 1);
Result<SyncRequest> DecodeSyncRequest(std::string_view bytes);
std::string EncodeSyncResponse(const SyncResponse& r);
Result<SyncResponse> DecodeSyncResponse(std::string_view bytes);

}  // namespace sotay
