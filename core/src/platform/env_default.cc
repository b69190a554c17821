// The real Env (system clock, libsodium's randombytes) and the helpers built on any
// Env: today's local date, UUIDs, random hex.
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <vector>

#include "expr_calendar.h"
#include "sotay/env.h"

namespace sotay {

namespace {

class DefaultEnv final : public Env {
 public:
  int64_t NowMs() override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
  void RandomBytes(uint8_t* out, size_t n) override { randombytes_buf(out, n); }
};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

constexpr char kHex[] = "0123456789abcdef";

void AppendHex(uint8_t byte, std::string* out) {
  out->push_back(kHex[byte >> 4]);
  out->push_back(kHex[byte & 0x0f]);
}

}  // namespace

Env* Env::Default() {
  // Leaked on purpose: usable from other static destructors, never null.
  static Env* const env = [] {
    // sodium_init fails only without a source of randomness; randombytes_buf then
    // aborts (sodium_misuse) rather than hand out predictable bytes.
    [[maybe_unused]] const int rc = sodium_init();
    return new DefaultEnv();
  }();
  return env;
}

int64_t Env::LocalNowMs() {
  const int64_t ms = NowMs();
  const std::time_t secs = static_cast<std::time_t>(FloorDiv(ms, 1000));
  std::tm local{};
#ifdef _WIN32
  const bool ok = localtime_s(&local, &secs) == 0;
#else
  const bool ok = localtime_r(&secs, &local) != nullptr;
#endif
  if (!ok) return ms;  // no time zone data: UTC
  const int64_t local_secs =
      expr::DaysFromCivil(int64_t{local.tm_year} + 1900, static_cast<unsigned>(local.tm_mon + 1),
                          static_cast<unsigned>(local.tm_mday)) * 86400 +
      int64_t{local.tm_hour} * 3600 + int64_t{local.tm_min} * 60 + local.tm_sec;
  return local_secs * 1000 + (ms - FloorDiv(ms, 1000) * 1000);
}

int64_t Env::TodayDays() { return FloorDiv(LocalNowMs(), 86400000); }

std::string NewUuid(Env* env) {
  uint8_t b[16];
  env->RandomBytes(b, sizeof(b));
  // The first 48 bits are the wall clock in ms (RFC 9562 version 7), so ids made one
  // after another sort together: new records land at the end of the id indexes on
  // the device and the server instead of on a random page each. A wrong clock only
  // costs that locality; the 74 random bits keep ids apart.
  const uint64_t ms = static_cast<uint64_t>(std::max<int64_t>(0, env->NowMs()));
  for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(ms >> (40 - 8 * i));
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x70);  // version 7
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    AppendHex(b[i], &out);
  }
  return out;
}

std::string RandomHex(Env* env, size_t n) {
  std::vector<uint8_t> bytes(n);
  if (n > 0) env->RandomBytes(bytes.data(), n);
  std::string out;
  out.reserve(2 * n);
  for (uint8_t byte : bytes) AppendHex(byte, &out);
  return out;
}

}  // namespace sotay
