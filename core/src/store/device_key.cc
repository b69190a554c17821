// DeviceKey: the signing key's one sealed row, and signing with it.
#include "store/device_key.h"

#include "sotay/signing.h"

namespace sotay {

namespace {
constexpr const char* kSigningKey = "signing_key";  // in Table::kSecrets
}  // namespace

Result<std::string> DeviceKey::PublicKeyBase64() {
  auto secret = store_.Get(Table::kSecrets, kSigningKey);
  if (secret.status().code() == Status::Code::kNotFound) {
    const SigningKey made = SigningKey::Generate();
    Status s = store_.Put(Table::kSecrets, kSigningKey, "", env_.NowMs(), made.secret());
    if (!s.ok()) return s;
    secret = store_.Get(Table::kSecrets, kSigningKey);
  }
  if (!secret.ok()) return secret.status();
  auto key = SigningKey::FromBytes(std::move(secret).value(), "the device's signing key");
  if (!key.ok()) return key.status();
  return key->PublicKeyBase64();
}

Result<SyncStore::RequestSignature> DeviceKey::SignRequestDigest(const std::string& method, const std::string& path,
                                                                 const std::string& body_sha256_hex,
                                                                 int64_t clock_offset_ms) {
  if (body_sha256_hex.size() != kSha256HexChars) {
    return Status::InvalidArgument("a request body's SHA-256 must be 64 hex characters");
  }
  auto secret = store_.Get(Table::kSecrets, kSigningKey);
  if (!secret.ok()) {
    return secret.status().code() == Status::Code::kNotFound
               ? Status::FailedPrecondition("this device is not enrolled: run sotay enroll first")
               : secret.status();
  }
  auto key = SigningKey::FromBytes(std::move(secret).value(), "the device's signing key");
  if (!key.ok()) return key.status();
  SyncStore::RequestSignature sig;
  const int64_t now = env_.NowMs() + clock_offset_ms;
  sig.time = std::to_string(now);
  sig.nonce = RandomHex(&env_, 16);
  sig.signature = key->SignRequest(method, path, body_sha256_hex, now, sig.nonce);
  return sig;
}

}  // namespace sotay
