// The request, device to server (docs/sync-protocol.md): the pushed edits, in
// layout 1 as arrays of 9 whose strings are indexes into the body's tables and
// whose clock stamps are deltas, or in layout 2 compact (wire_edits.h) once the
// server said it reads it; then the cursor, the forms held, the commune list's tag
// and the newest layout the device reads.
#include <algorithm>
#include <cstdint>

#include "sotay/codec.h"
#include "sotay/edit_rules.h"
#include "wire_body.h"
#include "wire_edits.h"

namespace sotay {

namespace {

using cbor::Reader;
using cbor::Writer;
using wire::At;
using wire::Decoded;
using wire::kVersion;
using wire::Tables;

// The edits as arrays of 9, their strings replaced by table indexes, written to a
// scratch buffer first: the tables they fill are written before them.
// REQUIRES: every stamp within kMaxStampMs (what the decoders let in), so that the
// deltas do not overflow.
std::string EncodeEdits(const std::vector<Edit>& edits, Tables& t) {
  std::string out;
  out.reserve(edits.size() * 40);
  Writer w(&out);
  w.Array(edits.size());
  int64_t last_ms = 0;
  for (const Edit& e : edits) {
    w.Array(9);
    w.Uint(t.records.Index(e.record));
    w.Uint(t.fields.Index(e.field));
    w.Text(e.value);
    w.Uint(t.devices.Index(e.dot.device));
    w.Uint(e.dot.counter);
    w.Int(e.hlc.ms - last_ms);
    w.Uint(e.hlc.counter);
    w.Array(2 * e.base.size());
    for (const Dot& d : e.base) {
      w.Uint(t.devices.Index(d.device));
      w.Uint(d.counter);
    }
    w.Text(e.author);
    last_ms = e.hlc.ms;
  }
  return out;
}

std::vector<Edit> DecodeEdits(Reader& r, const Decoded& t) {
  const size_t n = r.Array();
  std::vector<Edit> out;
  out.reserve(n);
  int64_t last_ms = 0;
  for (size_t k = 0; k < n; ++k) {
    if (r.Array() != 9) throw cbor::Error("an edit is not an array of 9");
    Edit e;
    e.record = At(t.records, r, "record");
    e.field = At(t.fields, r, "field");
    e.value = std::string(r.Text());
    e.dot.device = At(t.devices, r, "device");
    e.dot.counter = r.Uint();
    const int64_t delta = r.Int();
    // A hostile delta must not overflow (undefined behaviour): stamps stay in range.
    if ((delta > 0 && last_ms > kMaxStampMs - delta) || (delta < 0 && last_ms < -kMaxStampMs - delta)) {
      throw cbor::Error("a clock stamp is out of range");
    }
    last_ms += delta;
    const uint64_t counter = r.Uint();
    if (counter > UINT32_MAX) throw cbor::Error("a clock counter is out of range");
    e.hlc = Hlc{last_ms, static_cast<uint32_t>(counter), e.dot.device};
    const size_t base = r.Array();
    if (base % 2 != 0) throw cbor::Error("a base is malformed");
    for (size_t i = 0; i < base; i += 2) {
      const DeviceId& device = At(t.devices, r, "device");
      e.base.push_back(Dot{device, r.Uint()});
    }
    e.author = std::string(r.Text());
    if (auto why = CheckEditIdentity(e)) throw cbor::Error(*why);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

std::string EncodeSyncRequestHead(const std::vector<Edit>& push, bool reads_sets, uint32_t push_layout,
                                  uint32_t reads_layout) {
  Tables t;
  const bool compact = push_layout >= 2;
  const std::string edits = compact ? wire::EncodeCompactEdits(push, t) : EncodeEdits(push, t);
  std::string out;
  out.reserve(edits.size() + 64 * (t.records.values().size() + 4));
  Writer w(&out);
  // The pushed edits first, everything that depends on the last answer after them:
  // a device can encode, hash and compress the head while the previous request is
  // still out (sync_run.h). Readers take the keys in any order.
  w.Map(8 + reads_sets + compact + (reads_layout >= 2));
  if (compact) wire::PutAuthors(w, t);
  wire::PutTables(w, t);
  w.Text(compact ? "E" : "e");
  out.append(edits);
  return out;
}

std::string EncodeSyncRequestTail(uint64_t cursor, const std::vector<std::string>& forms, bool reads_sets,
                                  const std::string& communes_tag, uint32_t reads_layout) {
  std::string out;
  Writer w(&out);
  w.Text("c");
  w.Uint(cursor);
  w.Text("f");
  wire::PutStrings(w, forms);
  if (reads_sets) {
    w.Text("g");
    w.Bool(true);
  }
  w.Text("k");
  w.Text(communes_tag);
  w.Text("v");
  w.Uint(kVersion);
  if (reads_layout >= 2) {
    w.Text("w");
    w.Uint(reads_layout);
  }
  return out;
}

std::string EncodeSyncRequest(const SyncRequest& r) {
  return EncodeSyncRequestHead(r.push, r.reads_sets, r.push_layout, r.reads_layout) +
         EncodeSyncRequestTail(r.cursor, r.forms, r.reads_sets, r.communes_tag.value_or(""), r.reads_layout);
}

Result<SyncRequest> DecodeSyncRequest(std::string_view bytes) {
  try {
    wire::Body b = wire::ParseBody(bytes);
    SyncRequest r;
    r.cursor = wire::Need(b.cursor, "c");
    if (b.edits && b.compact) throw cbor::Error("pushed edits come both as 'e' and as 'E'");
    if (b.compact) {
      r.push = wire::DecodeCompactEdits(*b.compact, b.tables);
      r.push_layout = 2;
    } else {
      Reader edits = wire::Need(b.edits, "e");
      r.push = DecodeEdits(edits, b.tables);
    }
    r.reads_layout = static_cast<uint32_t>(std::min<uint64_t>(b.layout, UINT32_MAX));
    r.forms = std::move(b.forms);
    r.reads_sets = b.reads_sets;
    r.communes_tag = std::move(b.communes_tag);
    return r;
  } catch (const cbor::Error& e) {
    return Status::InvalidArgument(std::string("sync request does not decode: ") + e.what());
  }
}

}  // namespace sotay
