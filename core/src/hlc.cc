#include "sotay/hlc.h"

#include <algorithm>

namespace sotay {

// The usual HLC rules (Kulkarni et al. 2014): the physical part is the greatest
// physical time seen; the counter orders events within it.
Hlc HlcClock::Tick(int64_t physical_ms) {
  if (physical_ms > last_.ms) {
    last_.ms = physical_ms;
    last_.counter = 0;
  } else {
    ++last_.counter;  // the wall clock stood still or went back: keep counting
  }
  last_.device = device_;
  return last_;
}

void HlcClock::Observe(const Hlc& remote, int64_t physical_ms) {
  const int64_t top = std::max({last_.ms, remote.ms, physical_ms});
  uint32_t counter = 0;
  if (top == last_.ms && top == remote.ms) {
    counter = std::max(last_.counter, remote.counter) + 1;
  } else if (top == last_.ms) {
    counter = last_.counter + 1;
  } else if (top == remote.ms) {
    counter = remote.counter + 1;
  }
  last_.ms = top;
  last_.counter = counter;
  last_.device = device_;
}

}  // namespace sotay
