// One-time enrollment codes (docs/sync-protocol.md, "Enrollment"): 10 characters from
// an alphabet without look-alikes (no 0/O, 1/I), shown as XXXX-XXXX-XX. 50 random
// bits; the server keeps only the BLAKE2b hash of the normalised code.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sotay/env.h"

namespace sotay::server {

inline constexpr size_t kEnrollCodeLength = 10;

// A new random code, formatted for reading aloud: "K7Q2-M9XT-4H".
std::string NewEnrollCode(Env* env);

// What a person typed, upper-cased with dashes and spaces removed; nullopt when it
// cannot be a code (wrong length or a character outside the alphabet).
std::optional<std::string> NormalizeEnrollCode(std::string_view typed);

// The stored form of a normalised code.
std::string EnrollCodeHash(const std::string& normalized);

}  // namespace sotay::server
