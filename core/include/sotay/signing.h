// Signed requests and signed answers: the one place that knows how a sync or
// enrollment exchange is authenticated (SECURITY.md, "On the wire";
// docs/sync-protocol.md, "Signed answers"). It owns the header names, the exact bytes
// that are signed, the SHA-256 of bodies, and Ed25519 signing and checking; the
// device (Notebook, RunSync, enrollment) and the server (request_auth, ServerKey)
// both call it, so the two sides cannot drift apart.
//
// - A device signs each request: method, path, SHA-256 of the body, time, nonce.
// - The server signs each answer: a label, the request's path and nonce, the HTTP
//   status and the SHA-256 of the body, so an answer cannot be replayed to another
//   request nor its status forged.
//
// Thread-safety: the free functions are pure and safe from any thread; a SigningKey
// is immutable after construction and may be shared between threads. Everything here
// needs libsodium started (sodium_init: the store's Open and the server's InitCrypto
// do it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "sotay/status.h"

namespace sotay {

// Headers of a signed request: the device, the time (ms since the epoch, decimal),
// a nonce (32 lower-case hex digits) and the signature (base64).
inline constexpr const char* kDeviceHeader = "X-Sotay-Device";
inline constexpr const char* kTimeHeader = "X-Sotay-Time";
inline constexpr const char* kNonceHeader = "X-Sotay-Nonce";
inline constexpr const char* kSignatureHeader = "X-Sotay-Signature";
// Headers of a signed answer: the signature and the key that made it (both base64).
inline constexpr const char* kServerSignatureHeader = "X-Sotay-Server-Signature";
inline constexpr const char* kServerKeyHeader = "X-Sotay-Server-Key";

inline constexpr size_t kPublicKeyBytes = 32;  // Ed25519
inline constexpr size_t kSecretKeyBytes = 64;  // the seed, then the public key
inline constexpr size_t kSignatureBytes = 64;
inline constexpr size_t kSha256HexChars = 64;

// The bytes a device signs for a request: method, path, the SHA-256 of the body as
// hex, the time in ms and the nonce, one per line.
std::string RequestSigningString(std::string_view method, std::string_view path, std::string_view body_sha256_hex,
                                 int64_t time_ms, std::string_view nonce);
// The bytes the server signs for its answer: "sotay-answer/1", the request's path and
// nonce, the answer's HTTP status and the SHA-256 (hex) of its body before any
// Content-Encoding, one per line.
std::string AnswerSigningString(std::string_view path, std::string_view nonce, int status,
                                std::string_view body_sha256_hex);

// Lower-case hex of the SHA-256 of `bytes`: how a body enters a signature.
std::string Sha256Hex(std::string_view bytes);

// SHA-256 of a body made in parts (RunSync hashes a request's head while the previous
// answer is still out). Not copyable; one Finish per hasher.
class BodyHasher {
 public:
  BodyHasher();
  ~BodyHasher();
  BodyHasher(BodyHasher&&) noexcept;
  BodyHasher& operator=(BodyHasher&&) noexcept;
  void Update(std::string_view part);
  // Lower-case hex of the SHA-256 of every part so far, in order.
  std::string FinishHex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// An Ed25519 secret key (kSecretKeyBytes), wiped from memory when it goes. The device
// keeps its own sealed in the store, the server its own in server_keys.
class SigningKey {
 public:
  static SigningKey Generate();
  // Corrupt, naming `what`, when `secret` is not kSecretKeyBytes long.
  static Result<SigningKey> FromBytes(std::string secret, std::string_view what);
  ~SigningKey();
  SigningKey(SigningKey&&) noexcept = default;
  SigningKey& operator=(SigningKey&&) noexcept = default;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;

  const std::string& secret() const { return secret_; }  // to store it; never to log
  std::string PublicKey() const;                          // kPublicKeyBytes, raw
  std::string PublicKeyBase64() const;

  // The base64 signature a device sends as X-Sotay-Signature.
  std::string SignRequest(std::string_view method, std::string_view path, std::string_view body_sha256_hex,
                          int64_t time_ms, std::string_view nonce) const;
  // The base64 signature the server sends as X-Sotay-Server-Signature.
  std::string SignAnswer(std::string_view path, std::string_view nonce, int status, std::string_view body) const;

 private:
  explicit SigningKey(std::string secret) : secret_(std::move(secret)) {}
  std::string Sign(std::string_view message) const;  // raw kSignatureBytes
  std::string secret_;
};

// Whether `signature` (raw kSignatureBytes) is `public_key`'s (raw kPublicKeyBytes)
// over this request with this body. False for wrong sizes too.
bool VerifyRequest(std::string_view public_key, std::string_view signature, std::string_view method,
                   std::string_view path, std::string_view body, int64_t time_ms, std::string_view nonce);
// The same, for a caller that hashed the body itself (the server, with the CPU's
// SHA instructions: a push's body is a quarter of a megabyte).
bool VerifyRequestDigest(std::string_view public_key, std::string_view signature, std::string_view method,
                         std::string_view path, std::string_view body_sha256_hex, int64_t time_ms,
                         std::string_view nonce);

// What a device received: the answer and its two signature headers, as sent.
struct SignedAnswer {
  int status = 0;
  std::string_view body;       // with any Content-Encoding undone
  std::string_view signature;  // X-Sotay-Server-Signature, base64
  std::string_view key;        // X-Sotay-Server-Key, base64
};
// Checks that `answer` is signed for the request with this path and nonce, by
// `pinned_key` (base64) or, when that is "", by the key the answer names. On success
// *signer is the key that signed it (base64). Tampered, saying why, otherwise.
Status VerifyAnswerSignature(std::string_view path, std::string_view nonce, const SignedAnswer& answer,
                             const std::string& pinned_key, std::string* signer);

// Whether `b64` is an Ed25519 public key in base64.
bool IsPublicKeyBase64(std::string_view b64);

}  // namespace sotay
