// The libsodium calls only the server makes: hex, code hashes, password hashes and
// constant-time comparison; and SHA-256 of request bodies by OpenSSL, which the
// server links anyway for TLS. Nothing hand-rolled. What the device shares with it
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
// Lower-case hex of the SHA-256 of `bytes`, as sotay::Sha256Hex, by OpenSSL: it uses
// the CPU's SHA instructions where libsodium's portable code does not, and a push's
// body (a quarter of a megabyte) took 8% of the push's time to hash.
std::string Sha256HexFast(std::string_view bytes);
// BLAKE2b-256 (crypto_generichash), raw bytes.
std::string Blake2b(std::string_view bytes);

// Staff passwords' Argon2id limits: 12 MiB and 3 passes, one of OWASP's equivalent
// settings (the Password Storage Cheat Sheet: m=12 MiB, t=3, p=1 matches its 19 MiB
// and 2 passes). libsodium's "interactive" 64 MiB made each sign-in the largest
// thing in a server held under 64 MiB; the passes keep the attacker's cost. Staff
// passwords have 12 characters at least, which weighs more than either.
inline constexpr unsigned long long kPasswordOpsLimit = 3;
inline constexpr size_t kPasswordMemLimit = 12u << 20;

// An Argon2id hash string for a staff password (crypto_pwhash_str, the limits above).
Result<std::string> HashPassword(std::string_view password);
// Checks `password` against `hash` with the limits the hash was made with.
bool CheckPassword(const std::string& hash, std::string_view password);
// True for a hash made with other limits (before they changed): it is made again
// from the password at its next good sign-in.
bool PasswordNeedsRehash(const std::string& hash);

// Constant-time comparison of equal-length byte strings.
bool SameBytes(std::string_view a, std::string_view b);

}  // namespace sotay::server
