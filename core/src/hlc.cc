#include "sotay/hlc.h"

#include <algorithm>
#include <limits>

namespace sotay {

namespace {

constexpr uint32_t kCounterMax = std::numeric_limits<uint32_t>::max();
constexpr int64_t kMsMax = std::numeric_limits<int64_t>::max();

// The stamp just after (ms, counter): the counter, or the millisecond when the
// counter is full. A wrapped counter would put the stamp before the one it follows.
void Advance(int64_t ms, uint32_t counter, Hlc* out) {
  if (counter < kCounterMax) {
    out->ms = ms;
    out->counter = counter + 1;
  } else {
    out->ms = ms < kMsMax ? ms + 1 : ms;
    out->counter = ms < kMsMax ? 0 : kCounterMax;
  }
}

}  // namespace

// The usual HLC rules (Kulkarni et al. 2014): the physical part is the greatest
// physical time seen; the counter orders events within it.
Hlc HlcClock::Tick(int64_t physical_ms) {
  if (last_.ms > physical_ms && last_.ms - physical_ms > kMaxClockLeadMs) {
    // The clock was carried more than the bound ahead by this device's own wrong date
    // (Observe never carries it there): every stamp from it would be refused by the
    // server for as long as the lead lasts. It comes back to the wall clock. The merge
    // orders a device's own edits by their bases, not by these stamps, so nothing
    // this device wrote is reordered; only ties with other devices' concurrent edits
    // are broken by the honest time.
    last_.ms = physical_ms;
    last_.counter = 0;
  } else if (physical_ms > last_.ms) {
    last_.ms = physical_ms;
    last_.counter = 0;
  } else {
    Advance(last_.ms, last_.counter, &last_);  // the wall clock stood still or went back: keep counting
  }
  last_.device = device_;
  return last_;
}

void HlcClock::Observe(const Hlc& remote, int64_t physical_ms) {
  // A stamp further ahead than the bound is a wrong date (or worse): following it
  // would stamp every later edit of this device in that future. It is not seen.
  const bool too_far = remote.ms > physical_ms && remote.ms - physical_ms > kMaxClockLeadMs;
  const int64_t remote_ms = too_far ? std::numeric_limits<int64_t>::min() : remote.ms;
  const int64_t top = std::max({last_.ms, remote_ms, physical_ms});
  if (top == last_.ms && top == remote_ms) {
    Advance(top, std::max(last_.counter, remote.counter), &last_);
  } else if (top == last_.ms) {
    Advance(top, last_.counter, &last_);
  } else if (top == remote_ms) {
    Advance(top, remote.counter, &last_);
  } else {
    last_.ms = top;
    last_.counter = 0;
  }
  last_.device = device_;
}

}  // namespace sotay
