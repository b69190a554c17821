// The libsodium calls only the server makes: hex, code hashes, password hashes and
// constant-time comparison. Nothing hand-rolled. What the device shares with it
// (SHA-256 of bodies, Ed25519, base64) is in sotay/signing.h and sotay/base64.h.
//
// Thread-safety: every function is safe from any thread once InitCrypto() returned
// true (libsodium's own guarantee).
#pragma once

#include <string>
#include <string_view>

#include "sotay/status.h"

namespace sotay::server {

// sodium_init(); false when libsodium cannot start (no entropy source).
bool InitCrypto();

std::string ToHex(std::string_view bytes);
// BLAKE2b-256 (crypto_generichash), raw bytes.
std::string Blake2b(std::string_view bytes);

// An Argon2id hash string for a staff password (crypto_pwhash_str, interactive limits).
Result<std::string> HashPassword(std::string_view password);
bool CheckPassword(const std::string& hash, std::string_view password);

// Constant-time comparison of equal-length byte strings.
bool SameBytes(std::string_view a, std::string_view b);

}  // namespace sotay::server
