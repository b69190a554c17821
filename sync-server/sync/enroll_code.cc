#include "sync/enroll_code.h"

#include <cstdint>
#include <cstring>

#include "admin/crypto.h"

namespace sotay::server {

namespace {
// 32 symbols, so one random byte & 31 picks one uniformly.
constexpr char kAlphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
static_assert(sizeof(kAlphabet) - 1 == 32, "the alphabet has 32 symbols");
}  // namespace

std::string NewEnrollCode(Env* env) {
  uint8_t bytes[kEnrollCodeLength];
  env->RandomBytes(bytes, sizeof bytes);
  std::string out;
  for (size_t i = 0; i < kEnrollCodeLength; ++i) {
    if (i == 4 || i == 8) out += '-';
    out += kAlphabet[bytes[i] & 31];
  }
  return out;
}

std::optional<std::string> NormalizeEnrollCode(std::string_view typed) {
  if (typed.size() > 64) return std::nullopt;
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == '\0' || std::strchr(kAlphabet, c) == nullptr) return std::nullopt;
    out += c;
  }
  if (out.size() != kEnrollCodeLength) return std::nullopt;
  return out;
}

std::string EnrollCodeHash(const std::string& normalized) { return Blake2b(normalized); }

}  // namespace sotay::server
