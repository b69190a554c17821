// Env: the seam through which the core reaches the clock and randomness, so tests
// can fix time and ids (LevelDB's Env). The pure logic never calls it; the store
// and the notebook take one.
//
// Thread-safety: Default() is safe to use from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace sotay {

class Env {
 public:
  virtual ~Env() = default;
  virtual int64_t NowMs() = 0;                            // wall clock, ms since the epoch
  virtual void RandomBytes(uint8_t* out, size_t n) = 0;   // cryptographically secure
  // The local wall-clock time as if it were UTC, in ms: what a worker means by a
  // date-time typed without a zone ("2025-06-01T14:30" in Vietnam), and so what
  // now() means in forms.
  virtual int64_t LocalNowMs();
  // The local civil date as days since 1970-01-01 (for today() in forms).
  virtual int64_t TodayDays();

  // The real clock and libsodium's randombytes. Never null; lives forever.
  static Env* Default();
};

// A new UUID, lower-case hex with dashes: RFC 9562 version 7, the clock's ms then
// 74 random bits, so ids sort by when they were made.
std::string NewUuid(Env* env);
// `n` random bytes as lower-case hex.
std::string RandomHex(Env* env, size_t n);

}  // namespace sotay
