// Hybrid logical clock (SYNC.md, "Records and edits").
//
// A stamp is (physical milliseconds, counter, device id), totally ordered in that
// order. A clock never goes backwards on one device even when the wall clock does,
// and it moves past every stamp it has received. The physical time is always passed
// in by the caller: nothing here reads a clock, so the logic is testable and pure.
//
// Thread-safety: HlcClock is not thread-safe; one per device, guarded by its owner.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>

#include "sotay/device_id.h"

namespace sotay {

struct Hlc {
  int64_t ms = 0;         // physical milliseconds since the Unix epoch
  uint32_t counter = 0;   // orders stamps within the same millisecond
  DeviceId device;        // the device that issued the stamp; breaks the last tie

  friend bool operator<(const Hlc& a, const Hlc& b) {
    return std::tie(a.ms, a.counter, a.device) < std::tie(b.ms, b.counter, b.device);
  }
  friend bool operator==(const Hlc& a, const Hlc& b) {
    return a.ms == b.ms && a.counter == b.counter && a.device == b.device;
  }
  friend bool operator!=(const Hlc& a, const Hlc& b) { return !(a == b); }
};

// How far ahead of the receiver's own clock a stamp may be (docs/sync-protocol.md,
// "Rules"). One day: a phone whose date is a few hours off, or set in another
// time zone, still syncs; a stamp years ahead is a wrong date or an attack, and
// taking it would carry every clock that sees it into that future for good.
inline constexpr int64_t kMaxClockLeadMs = 24LL * 3600 * 1000;

class HlcClock {
 public:
  HlcClock(DeviceId device, Hlc last = {}) : device_(std::move(device)), last_(std::move(last)) {}

  // A new stamp for a local event, greater than every stamp issued or observed so far,
  // except after this device's own date was wrong by more than kMaxClockLeadMs: a
  // clock that far ahead of `physical_ms` comes back to it.
  Hlc Tick(int64_t physical_ms);

  // Moves the clock past a stamp received from elsewhere (an edit pulled by sync),
  // unless that stamp is more than kMaxClockLeadMs ahead of `physical_ms`: such a
  // stamp is ignored. When the counter is full the millisecond moves on instead.
  void Observe(const Hlc& remote, int64_t physical_ms);

  const Hlc& last() const { return last_; }
  const DeviceId& device() const { return device_; }

 private:
  DeviceId device_;
  Hlc last_;
};

}  // namespace sotay
