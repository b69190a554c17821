// The signed-request module (sotay/signing.h): the exact bytes signed, and that what
// one side signs the other side checks.
#include <sodium.h>

#include <catch2/catch.hpp>

#include "sotay/base64.h"
#include "sotay/signing.h"

namespace sotay {
namespace {

TEST_CASE("signing: the request signing string is method, path, body hash, time and nonce", "[signing]") {
  CHECK(RequestSigningString("POST", "/v1/sync", "ab12", 1795000000000, "00ff") ==
        "POST\n/v1/sync\nab12\n1795000000000\n00ff");
}

TEST_CASE("signing: the answer signing string is a label, path, nonce, status and body hash", "[signing]") {
  CHECK(AnswerSigningString("/v1/sync", "00ff", 401, "ab12") == "sotay-answer/1\n/v1/sync\n00ff\n401\nab12");
}

TEST_CASE("signing: a body hashed in parts has the SHA-256 of the whole", "[signing]") {
  // FIPS 180-2's "abc".
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BodyHasher h;
  h.Update("a");
  h.Update("");
  h.Update("bc");
  CHECK(h.FinishHex() == Sha256Hex("abc"));
}

TEST_CASE("signing: a request signed with a key checks out with its public key, and nothing else does",
          "[signing]") {
  REQUIRE(sodium_init() >= 0);
  const SigningKey key = SigningKey::Generate();
  const std::string body = "the body";
  const std::string sig_b64 = key.SignRequest("POST", "/v1/sync", Sha256Hex(body), 1795000000000, "00ff");
  const auto sig = Base64Decode(sig_b64, kSignatureBytes);
  REQUIRE(sig);
  CHECK(VerifyRequest(key.PublicKey(), *sig, "POST", "/v1/sync", body, 1795000000000, "00ff"));
  CHECK_FALSE(VerifyRequest(key.PublicKey(), *sig, "POST", "/v1/sync", body, 1795000000001, "00ff"));
  CHECK_FALSE(VerifyRequest(key.PublicKey(), *sig, "POST", "/v1/sync", "another body", 1795000000000, "00ff"));
  CHECK_FALSE(VerifyRequest(SigningKey::Generate().PublicKey(), *sig, "POST", "/v1/sync", body, 1795000000000,
                            "00ff"));
  CHECK_FALSE(VerifyRequest(key.PublicKey(), "short", "POST", "/v1/sync", body, 1795000000000, "00ff"));
}

TEST_CASE("signing: an answer checks out for its request only, and by the pinned key only", "[signing]") {
  REQUIRE(sodium_init() >= 0);
  const SigningKey server = SigningKey::Generate();
  const std::string body = "{}";
  const std::string sig = server.SignAnswer("/v1/sync", "00ff", 200, body);
  const std::string key = server.PublicKeyBase64();
  std::string signer;
  CHECK(VerifyAnswerSignature("/v1/sync", "00ff", SignedAnswer{200, body, sig, key}, "", &signer).ok());
  CHECK(signer == key);
  CHECK(VerifyAnswerSignature("/v1/sync", "00ff", SignedAnswer{200, body, sig, ""}, key, &signer).ok());
  CHECK(VerifyAnswerSignature("/v1/sync", "ff00", SignedAnswer{200, body, sig, key}, "", &signer).code() ==
        Status::Code::kTampered);
  CHECK(VerifyAnswerSignature("/v1/sync", "00ff", SignedAnswer{403, body, sig, key}, "", &signer).code() ==
        Status::Code::kTampered);
  const std::string other = SigningKey::Generate().PublicKeyBase64();
  CHECK(VerifyAnswerSignature("/v1/sync", "00ff", SignedAnswer{200, body, sig, key}, other, &signer).code() ==
        Status::Code::kTampered);
  CHECK(IsPublicKeyBase64(key));
  CHECK_FALSE(IsPublicKeyBase64(sig));
}

TEST_CASE("signing: a stored secret key of the wrong size is refused, naming it", "[signing]") {
  auto key = SigningKey::FromBytes(std::string(10, 'x'), "the device's signing key");
  REQUIRE_FALSE(key.ok());
  CHECK(key.status().message() == "the device's signing key is malformed");
}

}  // namespace
}  // namespace sotay
