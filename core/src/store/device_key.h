// DeviceKey: this device's Ed25519 signing key, made on first use and kept sealed
// in the store's secrets table; it never leaves the store. The Notebook signs sync
// requests with it (SyncStore::SignRequestDigest) and shows its public half at
// enrollment.
//
// Thread-safety: not thread-safe; it shares its SealedStore's thread.
#pragma once

#include <string>

#include "sotay/env.h"
#include "sotay/sealed_store.h"
#include "sotay/sync_store.h"

namespace sotay {

class DeviceKey {
 public:
  // `store` and `env` must outlive this.
  DeviceKey(SealedStore& store, Env& env) : store_(store), env_(env) {}

  // The public key, base64; the key pair is made and sealed on the first call.
  Result<std::string> PublicKeyBase64();
  // As SyncStore::SignRequestDigest: FailedPrecondition before the key was made
  // (the device is not enrolled).
  Result<SyncStore::RequestSignature> SignRequestDigest(const std::string& method, const std::string& path,
                                                        const std::string& body_sha256_hex, int64_t clock_offset_ms);

 private:
  SealedStore& store_;
  Env& env_;
};

}  // namespace sotay
