// The compact edit layout (wire_edits.h): one flat CBOR array of runs, a run being
// the consecutive edits of one record:
//
//   record, n, then n times: field, value, flags, [device] [counter] [ms] [clock]
//   [base] [author]
//
// `record` is the difference of the record's index in "R" from the previous run's
// index plus one (0 for records in table order); `field` an index into "F"; `flags`
// says which of the bracketed parts follow, each only when the edit does not have
// the default the previous edits give it (see kDevice ... kAuthor below).
#include "wire_edits.h"

#include <algorithm>
#include <cstdint>

#include "sotay/codec.h"
#include "sotay/edit_rules.h"

namespace sotay::wire {

namespace {

using cbor::Reader;
using cbor::Writer;

// Each flag: what follows when an edit differs from its default.
enum : uint64_t {
  kDevice = 1,    // the dot's device (index into "D"); default: the previous edit's
  kCounter = 2,   // the dot's counter; default: the device's last counter plus one
  kMs = 4,        // the stamp's ms, as the difference from the device's last stamp's; default: the same ms
  kClock = 8,     // the stamp's counter; default: the device's last plus one in the same ms, else 0 (HlcClock::Tick)
  kBase = 16,     // the base: count, then (device, counter) pairs; default: empty
  kAuthor = 32,   // the author (index into "A"); default: the previous edit's ("" at first)
  kAllFlags = 63,
};

// Where a device stood at its last edit in the body. A device's first edit is
// measured from the body's previous stamp, which is seldom far from its own.
struct Last {
  bool seen = false;
  uint64_t counter = 0;
  int64_t ms = 0;
  uint32_t clock = 0;
};

uint32_t DefaultClock(const Last& l, bool same_ms) { return same_ms ? l.clock + 1 : 0; }

const std::string kNoAuthor;

constexpr size_t kReserveEdits = 20000;

}  // namespace

std::string EncodeCompactEdits(const std::vector<Edit>& edits, Tables& t) {
  std::string items_bytes;
  items_bytes.reserve(edits.size() * 12);
  Writer w(&items_bytes);
  size_t items = 0;
  auto put = [&](uint64_t v) { w.Uint(v), ++items; };
  std::vector<Last> last;  // by device index
  size_t device = 0;
  int64_t previous_ms = 0;
  int64_t previous_record = -1;
  const std::string* author = &kNoAuthor;
  for (size_t begin = 0; begin < edits.size();) {
    size_t end = begin + 1;
    while (end < edits.size() && edits[end].record == edits[begin].record) ++end;
    const auto record = static_cast<int64_t>(t.records.Index(edits[begin].record));
    w.Int(record - (previous_record + 1)), ++items;
    previous_record = record;
    put(end - begin);
    for (size_t i = begin; i < end; ++i) {
      const Edit& e = edits[i];
      const size_t d = t.devices.Index(e.dot.device);
      if (d >= last.size()) last.resize(d + 1);
      Last l = last[d];
      if (!l.seen) l.seen = true, l.ms = previous_ms;
      const bool same_ms = e.hlc.ms == l.ms;
      uint64_t flags = 0;
      if (d != device) flags |= kDevice;
      if (e.dot.counter != l.counter + 1) flags |= kCounter;
      if (!same_ms) flags |= kMs;
      if (e.hlc.counter != DefaultClock(l, same_ms)) flags |= kClock;
      if (!e.base.empty()) flags |= kBase;
      if (e.author != *author) flags |= kAuthor;
      put(t.fields.Index(e.field));
      w.Text(e.value), ++items;
      put(flags);
      if (flags & kDevice) put(d);
      if (flags & kCounter) put(e.dot.counter);
      if (flags & kMs) w.Int(e.hlc.ms - l.ms), ++items;
      if (flags & kClock) put(e.hlc.counter);
      if (flags & kBase) {
        put(e.base.size());
        for (const Dot& b : e.base) put(t.devices.Index(b.device)), put(b.counter);
      }
      if (flags & kAuthor) put(t.authors.Index(e.author)), author = &e.author;
      last[d] = Last{true, e.dot.counter, e.hlc.ms, e.hlc.counter};
      device = d;
      previous_ms = e.hlc.ms;
    }
    begin = end;
  }
  std::string out;
  out.reserve(items_bytes.size() + 9);
  Writer head(&out);
  head.Array(items);
  out.append(items_bytes);
  return out;
}

std::vector<Edit> DecodeCompactEdits(Reader& r, const Decoded& t) {
  size_t items = r.Array();
  // Every read takes one item of the array: a run claiming more than is left is cut.
  auto take = [&]() -> Reader& {
    if (items == 0) throw cbor::Error("an edit run is cut short");
    --items;
    return r;
  };
  std::vector<Edit> out;
  // An edit takes at least three items: room for all of them at once, as moving
  // thousands of edits while the vector grows cost a tenth of a push's time. The
  // count is the sender's word, so what is reserved on it is bounded.
  out.reserve(std::min<size_t>(items / 3, kReserveEdits));
  std::vector<Last> last(t.devices.size());
  size_t device = 0;
  int64_t previous_ms = 0;
  int64_t previous_record = -1;
  const std::string* author = &kNoAuthor;
  while (items > 0) {
    const int64_t step = take().Int();
    const auto records = static_cast<int64_t>(t.records.size());
    if (step < -(previous_record + 1) || step >= records - (previous_record + 1)) {
      throw cbor::Error("an edit names a record that is not in the table");
    }
    previous_record += 1 + step;
    const uint64_t n = take().Uint();
    if (n == 0) throw cbor::Error("an edit run is empty");
    for (uint64_t k = 0; k < n; ++k) {
      Edit e;
      e.record = t.records[static_cast<size_t>(previous_record)];
      e.field = At(t.fields, take(), "field");
      e.value = std::string(take().Text());
      const uint64_t flags = take().Uint();
      if (flags > kAllFlags) throw cbor::Error("an edit's flags are unknown");
      if (flags & kDevice) device = static_cast<size_t>(take().Uint());
      if (device >= t.devices.size()) throw cbor::Error("an edit names a device that is not in the table");
      Last& l = last[device];
      if (!l.seen) l.seen = true, l.ms = previous_ms;
      e.dot.device = t.devices[device];
      e.dot.counter = (flags & kCounter) ? take().Uint() : l.counter + 1;
      int64_t ms = l.ms;
      if (flags & kMs) {
        const int64_t delta = take().Int();
        // A hostile delta must not overflow (undefined behaviour): stamps stay in range.
        if ((delta > 0 && ms > kMaxStampMs - delta) || (delta < 0 && ms < -kMaxStampMs - delta)) {
          throw cbor::Error("a clock stamp is out of range");
        }
        ms += delta;
      }
      uint32_t clock = DefaultClock(l, ms == l.ms);
      if (flags & kClock) {
        const uint64_t c = take().Uint();
        if (c > UINT32_MAX) throw cbor::Error("a clock counter is out of range");
        clock = static_cast<uint32_t>(c);
      }
      if (flags & kBase) {
        const uint64_t count = take().Uint();
        for (uint64_t b = 0; b < count; ++b) {
          const DeviceId& d = At(t.devices, take(), "device");
          e.base.push_back(Dot{d, take().Uint()});
        }
      }
      if (flags & kAuthor) author = &At(t.authors, take(), "author");
      e.author = *author;
      e.hlc = Hlc{ms, clock, e.dot.device};
      if (auto why = CheckEditIdentity(e)) throw cbor::Error(*why);
      l = Last{true, e.dot.counter, ms, clock};
      previous_ms = ms;
      out.push_back(std::move(e));
    }
  }
  return out;
}

}  // namespace sotay::wire
