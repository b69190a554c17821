// The store's cryptography, all libsodium (format in docs/store-format.md):
//  - SecretBytes: a key in sodium_malloc'd (guarded, locked) memory, wiped on free.
//  - DeriveKek: passphrase (+ optional platform secret) -> key-encryption key, Argon2id.
//  - SealDataKey / OpenDataKey: the data key sealed under the KEK.
//  - SealRow / OpenRow: one row's payload under the data key, bound to its identity,
//    with nonces from a NonceSource.
//
// Thread-safety: the functions are; SecretBytes and NonceSource are plain owned
// state for one thread (one store).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sotay/status.h"

namespace sotay::store {

constexpr uint8_t kSealFormat = 1;   // first byte of every sealed blob
constexpr size_t kKeyBytes = 32;
constexpr size_t kSaltBytes = 16;
constexpr size_t kNonceBytes = 24;
constexpr size_t kTagBytes = 16;
constexpr size_t kSealOverhead = 1 + kNonceBytes + kTagBytes;

// Initialises libsodium (idempotent, thread-safe).
Status InitSodium();

// Owns `size` bytes of sodium_malloc'd memory; sodium_free wipes them.
class SecretBytes {
 public:
  SecretBytes() = default;
  ~SecretBytes();
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  // Allocates (contents unspecified). IOError if locked memory is unavailable.
  Status Allocate(size_t size);
  // After this the bytes are read-only until freed (sodium_mprotect_readonly).
  void MakeReadOnly();

  bool empty() const { return data_ == nullptr; }
  size_t size() const { return size_; }
  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Argon2id13 limits accepted from a caller or a file: at least libsodium's
// minimum, at most what a phone can run (1 GiB, 64 passes) so a doctored file
// cannot hang or exhaust the device.
bool KdfLimitsAcceptable(uint64_t opslimit, size_t memlimit);

// KEK = Argon2id(passphrase, salt, limits), then if `extra_secret` is not empty,
// KEK = BLAKE2b-256(key = that output, message = extra_secret).
Status DeriveKek(std::string_view passphrase, std::string_view extra_secret,
                 std::string_view salt, uint64_t opslimit, size_t memlimit, SecretBytes* kek);

// A fresh random data key, read-only.
Status NewDataKey(SecretBytes* key);

// format || nonce || XChaCha20-Poly1305(data key), AD "sotay<store_format>/datakey".
// The store format is in the AD so that a file's `store.format` cannot be turned
// back (to 1, whose settings were in clear) without the passphrase.
// REQUIRES: store_format is 1 or 2.
std::string SealDataKey(const SecretBytes& kek, const SecretBytes& data_key, int store_format);
// False if `sealed` does not open under `kek` (wrong passphrase or damaged).
bool OpenDataKey(const SecretBytes& kek, std::string_view sealed, int store_format, SecretBytes* data_key);

// Fresh random nonces for row seals, drawn from randombytes_buf in batches: one
// system call per 32 rows instead of one per row. Each nonce is handed out once.
// Like the SQLite connection it serves, it must not be shared across fork().
class NonceSource {
 public:
  void Next(uint8_t out[kNonceBytes]);

 private:
  static constexpr size_t kBatch = 32;
  uint8_t pool_[kNonceBytes * kBatch] = {};
  size_t used_ = sizeof(pool_);
};

// Seals one row into *out (reusing its capacity): format || nonce || ciphertext+tag,
// with AD "sotay1" 0 table 0 key 0 index. `ad` is scratch space, also reused.
// REQUIRES: key and index contain no NUL byte (the AD would be ambiguous).
void SealRow(const SecretBytes& data_key, NonceSource* nonces, std::string_view table,
             std::string_view key, std::string_view index, std::string_view plaintext,
             std::string* ad, std::string* out);
// Opens a row sealed by SealRow under the same identity. False (and *out cleared)
// if it does not authenticate: never partial or garbage plaintext.
bool OpenRow(const SecretBytes& data_key, std::string_view table, std::string_view key,
             std::string_view index, std::string_view sealed, std::string* ad, std::string* out);

// `n` random bytes.
std::string RandomBytes(size_t n);

}  // namespace sotay::store
