// Edits: the only way a record changes (SYNC.md, "Records and edits").
//
// An edit sets one field of one record. It is named forever by its dot (device,
// counter), ordered for display by its hlc, and says in `base` which values of the
// field its author saw when making it: that, not the clock, decides what is
// concurrent. Creating, voiding and restoring a record are edits of the reserved
// field kStatusField.
//
// Thread-safety: plain values; no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "sotay/hlc.h"

namespace sotay {

// (device id, that device's edit counter): names an edit on every replica.
struct Dot {
  DeviceId device;
  uint64_t counter = 0;

  friend bool operator<(const Dot& a, const Dot& b) {
    return std::tie(a.device, a.counter) < std::tie(b.device, b.counter);
  }
  friend bool operator==(const Dot& a, const Dot& b) {
    return a.counter == b.counter && a.device == b.device;
  }
  friend bool operator!=(const Dot& a, const Dot& b) { return !(a == b); }
  std::string ToString() const;  // "device:counter"
};

// The reserved field whose value is the record's lifecycle state.
inline constexpr const char* kStatusField = "_status";
inline constexpr const char* kStatusActive = "active";
inline constexpr const char* kStatusVoid = "void";

struct Edit {
  Dot dot;
  std::string record;       // the record's UUID
  std::string field;        // a form field name, or kStatusField
  std::string value;        // the answer in its canonical text form ("" clears it)
  Hlc hlc;
  std::vector<Dot> base;    // dots of the values the author saw (for a void: every head)
  std::string author;       // the user who made it (a user id, never a person's name)
};

}  // namespace sotay
