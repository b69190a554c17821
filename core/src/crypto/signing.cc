#include "sotay/signing.h"

#include <sodium.h>

#include "sotay/base64.h"

namespace sotay {

namespace {

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();  // the terminating NUL
  return out;
}

bool VerifyDetached(std::string_view signature, std::string_view message, std::string_view public_key) {
  if (signature.size() != crypto_sign_BYTES || public_key.size() != crypto_sign_PUBLICKEYBYTES) return false;
  return crypto_sign_verify_detached(U(signature), U(message), message.size(), U(public_key)) == 0;
}

}  // namespace

std::string RequestSigningString(std::string_view method, std::string_view path, std::string_view body_sha256_hex,
                                 int64_t time_ms, std::string_view nonce) {
  std::string s;
  s.append(method).append("\n").append(path).append("\n").append(body_sha256_hex).append("\n");
  s.append(std::to_string(time_ms)).append("\n").append(nonce);
  return s;
}

std::string AnswerSigningString(std::string_view path, std::string_view nonce, int status,
                                std::string_view body_sha256_hex) {
  std::string s = "sotay-answer/1\n";
  s.append(path).append("\n").append(nonce).append("\n").append(std::to_string(status)).append("\n");
  s.append(body_sha256_hex);
  return s;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, U(bytes), bytes.size());
  return Hex(digest, sizeof digest);
}

struct BodyHasher::State {
  crypto_hash_sha256_state sha;
};

BodyHasher::BodyHasher() : state_(std::make_unique<State>()) { crypto_hash_sha256_init(&state_->sha); }
BodyHasher::~BodyHasher() = default;
BodyHasher::BodyHasher(BodyHasher&&) noexcept = default;
BodyHasher& BodyHasher::operator=(BodyHasher&&) noexcept = default;

void BodyHasher::Update(std::string_view part) { crypto_hash_sha256_update(&state_->sha, U(part), part.size()); }

std::string BodyHasher::FinishHex() {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state_->sha, digest);
  return Hex(digest, sizeof digest);
}

SigningKey SigningKey::Generate() {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  std::string sk(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_keypair(pk, reinterpret_cast<unsigned char*>(sk.data()));
  return SigningKey(std::move(sk));
}

Result<SigningKey> SigningKey::FromBytes(std::string secret, std::string_view what) {
  if (secret.size() != crypto_sign_SECRETKEYBYTES) {
    sodium_memzero(secret.data(), secret.size());
    return Status::Corrupt(std::string(what) + " is malformed");
  }
  return SigningKey(std::move(secret));
}

SigningKey::~SigningKey() { sodium_memzero(secret_.data(), secret_.size()); }

std::string SigningKey::PublicKey() const {
  // An Ed25519 secret key carries its public key in its second half.
  return secret_.substr(crypto_sign_SEEDBYTES, crypto_sign_PUBLICKEYBYTES);
}

std::string SigningKey::PublicKeyBase64() const { return Base64Encode(PublicKey()); }

std::string SigningKey::Sign(std::string_view message) const {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, U(message), message.size(), U(secret_));
  return std::string(reinterpret_cast<const char*>(sig), sizeof sig);
}

std::string SigningKey::SignRequest(std::string_view method, std::string_view path, std::string_view body_sha256_hex,
                                    int64_t time_ms, std::string_view nonce) const {
  return Base64Encode(Sign(RequestSigningString(method, path, body_sha256_hex, time_ms, nonce)));
}

std::string SigningKey::SignAnswer(std::string_view path, std::string_view nonce, int status,
                                   std::string_view body) const {
  return Base64Encode(Sign(AnswerSigningString(path, nonce, status, Sha256Hex(body))));
}

bool VerifyRequest(std::string_view public_key, std::string_view signature, std::string_view method,
                   std::string_view path, std::string_view body, int64_t time_ms, std::string_view nonce) {
  return VerifyRequestDigest(public_key, signature, method, path, Sha256Hex(body), time_ms, nonce);
}

bool VerifyRequestDigest(std::string_view public_key, std::string_view signature, std::string_view method,
                         std::string_view path, std::string_view body_sha256_hex, int64_t time_ms,
                         std::string_view nonce) {
  return VerifyDetached(signature, RequestSigningString(method, path, body_sha256_hex, time_ms, nonce), public_key);
}

Status VerifyAnswerSignature(std::string_view path, std::string_view nonce, const SignedAnswer& answer,
                             const std::string& pinned_key, std::string* signer) {
  const std::string_view key_b64 = pinned_key.empty() ? answer.key : std::string_view(pinned_key);
  if (answer.signature.empty() || key_b64.empty()) {
    return Status::Tampered("the answer (HTTP " + std::to_string(answer.status) + ") is not signed by a Sotay server");
  }
  const auto key = Base64Decode(key_b64, crypto_sign_PUBLICKEYBYTES);
  if (!key) {
    return Status::Tampered(pinned_key.empty() ? "the answer names a malformed server key"
                                               : "the pinned server key is malformed");
  }
  const auto sig = Base64Decode(answer.signature, crypto_sign_BYTES);
  if (!sig) return Status::Tampered("the answer's signature is malformed");
  if (!VerifyDetached(*sig, AnswerSigningString(path, nonce, answer.status, Sha256Hex(answer.body)), *key)) {
    return Status::Tampered(pinned_key.empty()
                                ? "the answer's signature does not check out"
                                : "the answer is not signed by the server this device enrolled with "
                                  "(its key differs from the one pinned at enrollment)");
  }
  *signer = std::string(key_b64);
  return Status::OK();
}

bool IsPublicKeyBase64(std::string_view b64) { return Base64Decode(b64, crypto_sign_PUBLICKEYBYTES).has_value(); }

}  // namespace sotay

static_assert(sotay::kPublicKeyBytes == crypto_sign_PUBLICKEYBYTES, "Ed25519 public key size");
static_assert(sotay::kSecretKeyBytes == crypto_sign_SECRETKEYBYTES, "Ed25519 secret key size");
static_assert(sotay::kSignatureBytes == crypto_sign_BYTES, "Ed25519 signature size");
static_assert(sotay::kSha256HexChars == crypto_hash_sha256_BYTES * 2, "SHA-256 hex size");
