// When `sotay sync --watch` (or a phone app's loop) tries again after a sync, by
// what the last attempt did (issue 16). Progress is progress: an attempt that got
// any push acknowledged or any pull page stored before the link was cut resets
// the failure count and retries soon, since the signal is evidently there; only
// attempts that moved nothing back off, exponentially, up to the interval. Pure
// logic: the caller adds jitter and sleeps.
//
// Thread-safety: a plain value.
#pragma once

#include <cstdint>

namespace sotay {

class SyncRetry {
 public:
  static constexpr int kAfterProgressS = 2;  // a cut after progress: the signal comes and goes
  static constexpr int kMaxFailures = 8;

  explicit SyncRetry(int interval_s) : interval_s_(interval_s < 1 ? 1 : interval_s) {}

  // Seconds to wait before the next attempt, given how the last one ended.
  // `succeeded`: the whole sync went through; `progressed`: some exchange of it was
  // acknowledged and stored.
  int After(bool succeeded, bool progressed);
  int failures() const { return failures_; }

 private:
  int interval_s_;
  int failures_ = 0;
};

}  // namespace sotay
