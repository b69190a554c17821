// The sync wire (sotay/wire.h): what the server decodes from any enrolled device,
// and what a device decodes from whatever answers it. Any bytes: a value or an
// InvalidArgument status, never a crash; what decodes encodes and decodes the same,
// in the same edit layout (1: "e" and sets; 2: compact "E", wire_edits.h).
#include "fuzz_support.h"
#include "sotay/wire.h"

using namespace sotay;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in = fuzz::Input(data, size);

  if (auto req = DecodeSyncRequest(in); req.ok()) {
    auto again = DecodeSyncRequest(EncodeSyncRequest(*req));
    if (!again.ok()) std::fprintf(stderr, "request again: %s\n", again.status().ToString().c_str());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->cursor == req->cursor && again->forms == req->forms && again->reads_sets == req->reads_sets);
    FUZZ_CHECK(again->push_layout == req->push_layout && again->reads_layout == req->reads_layout);
    FUZZ_CHECK(fuzz::SameEdits(again->push, req->push));
  }
  if (auto res = DecodeSyncResponse(in); res.ok()) {
    // Decoding puts the sets' edits in `pull`; encode them again from there.
    SyncResponse plain = *res;
    plain.pull_sets.clear();
    auto again = DecodeSyncResponse(EncodeSyncResponse(plain));
    if (!again.ok()) std::fprintf(stderr, "response again: %s\n", again.status().ToString().c_str());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->cursor == res->cursor && again->more == res->more && again->forms == res->forms);
    // The acknowledged dots are a set: layout 2 sends them sorted, as runs.
    FUZZ_CHECK(fuzz::SameDots(again->accepted, res->accepted) && again->server_time_ms == res->server_time_ms);
    FUZZ_CHECK(again->rejected.size() == res->rejected.size());
    FUZZ_CHECK(fuzz::SameEdits(again->pull, res->pull));
    FUZZ_CHECK(again->reads_layout == res->reads_layout && again->page_set_bytes == res->page_set_bytes);
    FUZZ_CHECK(res->pull.empty() || again->pull_layout == res->pull_layout);
  }
  return 0;
}
