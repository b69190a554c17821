// The libsodium calls the server makes, in one place: digests, Ed25519 signature
// checks, base64, code hashes and password hashes. Nothing hand-rolled.
//
// Thread-safety: every function is safe from any thread once InitCrypto() returned
// true (libsodium's own guarantee).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sotay/status.h"

namespace sotay::server {

inline constexpr size_t kPublicKeyBytes = 32;  // Ed25519
inline constexpr size_t kSignatureBytes = 64;

// sodium_init(); false when libsodium cannot start (no entropy source).
bool InitCrypto();

std::string ToHex(std::string_view bytes);
// Lower-case hex of SHA-256 (crypto_hash_sha256).
std::string Sha256Hex(std::string_view bytes);
// BLAKE2b-256 (crypto_generichash), raw bytes.
std::string Blake2b(std::string_view bytes);

// Standard base64 with padding. nullopt if `text` is not base64 or does not decode
// to exactly `want_bytes` bytes.
std::optional<std::string> Base64Decode(std::string_view text, size_t want_bytes);
std::string Base64Encode(std::string_view bytes);

// crypto_sign_verify_detached. REQUIRES: sizes kSignatureBytes and kPublicKeyBytes.
bool VerifyEd25519(std::string_view signature, std::string_view message, std::string_view public_key);

// An Argon2id hash string for a staff password (crypto_pwhash_str, interactive limits).
Result<std::string> HashPassword(std::string_view password);
bool CheckPassword(const std::string& hash, std::string_view password);

// Constant-time comparison of equal-length byte strings.
bool SameBytes(std::string_view a, std::string_view b);

}  // namespace sotay::server
