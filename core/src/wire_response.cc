// The response, server to device (docs/sync-protocol.md): which pushed edits were
// accepted or rejected, the pulled edits as change sets (EncodeEditGroup blobs; the
// stored ones sent as they are), the new cursor, and the forms and commune list the
// device lacks.
#include <algorithm>
#include <cstdint>

#include "sotay/codec.h"
#include "sotay/edit_rules.h"
#include "wire_body.h"
#include "wire_edits.h"

namespace sotay {

using cbor::Reader;
using cbor::Writer;

namespace {
// The most dots one answer acknowledges: more than any request pushes (its body is
// bounded), so a forged run cannot make a device allocate without end.
constexpr uint64_t kMaxAckRun = 1000000;
}  // namespace

std::string EncodeSyncResponse(const SyncResponse& r) {
  wire::DeviceTable devices;
  // Acknowledgements: to a device that reads layout 2, as runs of consecutive
  // counters ("r": device, first counter, how many), since a push's dots are mostly
  // one device's counters one after another; one pair a dot ("a") cost as many bytes
  // down as the edits took up. "a" stays, empty, for the decoders that need it.
  const bool ranges = r.pull_layout >= 2;
  std::string acks, runs;
  Writer a(&acks);
  if (ranges) {
    std::vector<std::pair<uint64_t, uint64_t>> dots;  // (device index, counter)
    dots.reserve(r.accepted.size());
    for (const Dot& d : r.accepted) dots.emplace_back(devices.Index(d.device), d.counter);
    if (!std::is_sorted(dots.begin(), dots.end())) std::sort(dots.begin(), dots.end());  // mostly in order already
    dots.erase(std::unique(dots.begin(), dots.end()), dots.end());
    std::vector<uint64_t> flat;
    for (size_t i = 0; i < dots.size();) {
      size_t j = i + 1;
      while (j < dots.size() && dots[j].first == dots[i].first && dots[j].second == dots[j - 1].second + 1) ++j;
      flat.insert(flat.end(), {dots[i].first, dots[i].second, static_cast<uint64_t>(j - i)});
      i = j;
    }
    Writer w(&runs);
    w.Array(flat.size());
    for (uint64_t v : flat) w.Uint(v);
    a.Array(0);
  } else {
    a.Array(2 * r.accepted.size());
    for (const Dot& d : r.accepted) {
      a.Uint(devices.Index(d.device));
      a.Uint(d.counter);
    }
  }
  std::string rejected;
  Writer x(&rejected);
  x.Array(r.rejected.size());
  for (const Rejection& j : r.rejected) {
    x.Array(3);
    x.Uint(devices.Index(j.dot.device));
    x.Uint(j.dot.counter);
    x.Text(j.reason);
  }
  // In layout 2 the edits handed over one by one travel compact ("E", with tables
  // of their own and the devices' shared with the acknowledgements), before any
  // stored sets; in layout 1 as sets too, one a run of edits to one record, before
  // the stored sets: a device from before layout 2 reads one pull encoding.
  const bool compact = r.pull_layout >= 2 && !r.pull.empty();
  wire::Tables tables;
  std::string compact_edits;
  if (compact) {
    tables.devices = devices;
    compact_edits = wire::EncodeCompactEdits(r.pull, tables);
    devices = tables.devices;
  }
  std::vector<std::string> grouped;
  for (size_t begin = 0, i = 1; !compact && begin < r.pull.size(); ++i) {
    if (i < r.pull.size() && r.pull[i].record == r.pull[begin].record) continue;
    std::vector<const Edit*> run;
    for (size_t k = begin; k < i; ++k) run.push_back(&r.pull[k]);
    grouped.push_back(EncodeEditGroup(run));
    begin = i;
  }
  const size_t sets = grouped.size() + r.pull_sets.size();
  size_t sets_bytes = 0;
  for (const std::string& set : grouped) sets_bytes += set.size() + 5;
  for (const std::string& set : r.pull_sets) sets_bytes += set.size() + 5;
  std::string out;
  out.reserve(acks.size() + runs.size() + rejected.size() + sets_bytes + compact_edits.size() +
              64 * (devices.values().size() + 4) + (compact ? 18 * tables.records.values().size() : 0));
  Writer w(&out);
  // "o" is a key of its own: a device from before transfers skips keys it does not
  // know ("g" would not do: such a device reads "g" as the request's flag).
  w.Map(8 + ranges + (sets > 0) + r.communes.has_value() + !r.gone.empty() + (r.reads_layout >= 2) + 4 * compact +
        (r.page_set_bytes > 0));
  if (compact) {
    wire::PutAuthors(w, tables);
    tables.devices = devices;
    wire::PutTables(w, tables);  // "D", "F", "R"
    w.Text("E");
    out.append(compact_edits);
  } else {
    w.Text("D");
    wire::PutStrings(w, devices.values());
  }
  w.Text("a");
  out.append(acks);
  w.Text("c");
  w.Uint(r.cursor);
  w.Text("f");
  wire::PutStrings(w, r.forms);
  if (r.communes) {
    w.Text("k");
    w.Array(2);
    w.Text(r.communes->tag);
    w.Array(2 * r.communes->communes.size());
    for (const Commune& c : r.communes->communes) {
      w.Text(c.code);
      w.Text(c.name);
    }
  }
  w.Text("m");
  w.Bool(r.more);
  if (!r.gone.empty()) {
    w.Text("o");
    wire::PutStrings(w, r.gone);
  }
  if (ranges) {
    w.Text("r");
    out.append(runs);
  }
  if (sets > 0) {
    w.Text("s");
    w.Array(sets);
    for (const std::string& set : grouped) w.Bytes(set);
    for (const std::string& set : r.pull_sets) w.Bytes(set);
  }
  w.Text("t");
  w.Int(r.server_time_ms);
  w.Text("v");
  w.Uint(wire::kVersion);
  if (r.reads_layout >= 2) {
    w.Text("w");
    w.Uint(r.reads_layout);
  }
  w.Text("x");
  out.append(rejected);
  if (r.page_set_bytes > 0) {
    w.Text("z");
    w.Uint(r.page_set_bytes);
  }
  return out;
}

Result<SyncResponse> DecodeSyncResponse(std::string_view bytes) {
  try {
    wire::Body b = wire::ParseBody(bytes);
    SyncResponse r;
    r.cursor = wire::Need(b.cursor, "c");
    r.more = wire::Need(b.more, "m");
    r.server_time_ms = b.time.value_or(0);
    // Pulled edits come only as sets ("s"); "e" in an answer is the flat encoding
    // servers sent before, which this version no longer reads: better refused than
    // dropped while the cursor moves past them.
    if (b.edits && b.edits->Array() != 0) throw cbor::Error("pulled edits come as 'e', which is no longer read");
    // Compact edits first, then stored sets: the order they were written in.
    if (b.compact) {
      r.pull = wire::DecodeCompactEdits(*b.compact, b.tables);
      r.pull_layout = 2;
    }
    r.reads_layout = static_cast<uint32_t>(std::min<uint64_t>(b.layout, UINT32_MAX));
    r.page_set_bytes = b.set_bytes;
    if (b.sets) {
      const size_t n = b.sets->Array();
      for (size_t i = 0; i < n; ++i) {
        auto set = DecodeEditGroup(b.sets->Bytes());
        if (!set.ok()) throw cbor::Error("a pulled set does not decode: " + set.status().message());
        for (Edit& e : *set) {
          if (auto why = CheckEditIdentity(e)) throw cbor::Error(*why);
          // An edit is stamped by the device that made it (a pushed edit cannot
          // even say otherwise), and the merge's tie-break reads the stamp's device.
          if (e.hlc.device != e.dot.device) throw cbor::Error("an edit's clock names another device than its dot");
          r.pull.push_back(std::move(e));
        }
      }
    }
    Reader a = wire::Need(b.accepted, "a");
    const size_t n = a.Array();
    if (n % 2 != 0) throw cbor::Error("'a' is malformed");
    for (size_t i = 0; i < n; i += 2) {
      const DeviceId& device = wire::At(b.tables.devices, a, "device");
      r.accepted.push_back(Dot{device, a.Uint()});
    }
    if (b.ack_runs) {
      Reader& runs = *b.ack_runs;
      const size_t m = runs.Array();
      if (m % 3 != 0) throw cbor::Error("'r' is malformed");
      for (size_t i = 0; i < m; i += 3) {
        const DeviceId& device = wire::At(b.tables.devices, runs, "device");
        const uint64_t first = runs.Uint(), count = runs.Uint();
        // A run acknowledges what was pushed: never more dots than one request holds.
        if (count == 0 || count > kMaxAckRun || first > UINT64_MAX - count) throw cbor::Error("a run in 'r' is malformed");
        if (r.accepted.size() + count > kMaxAckRun) throw cbor::Error("'r' acknowledges more than a request can push");
        for (uint64_t k = 0; k < count; ++k) r.accepted.push_back(Dot{device, first + k});
      }
    }
    Reader x = wire::Need(b.rejected, "x");
    const size_t count = x.Array();
    for (size_t i = 0; i < count; ++i) {
      if (x.Array() != 3) throw cbor::Error("a rejection is malformed");
      const DeviceId& device = wire::At(b.tables.devices, x, "device");
      const uint64_t counter = x.Uint();
      r.rejected.push_back(Rejection{Dot{device, counter}, std::string(x.Text())});
    }
    r.forms = std::move(b.forms);
    r.communes = std::move(b.communes);
    r.gone = std::move(b.gone);
    for (const std::string& id : r.gone) {
      if (!IsWellFormedId(id)) throw cbor::Error("a transferred record's id in 'o' is malformed");
    }
    return r;
  } catch (const cbor::Error& e) {
    return Status::InvalidArgument(std::string("sync response does not decode: ") + e.what());
  }
}

}  // namespace sotay
