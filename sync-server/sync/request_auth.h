// Authenticating a signed request (SECURITY.md, "On the wire"; the headers are in
// docs/sync-protocol.md; how they are signed in sotay/signing.h): the device is
// known and not revoked, its Ed25519 signature over the request verifies with its
// enrolled key, its time is within 5 minutes of the server's, and it is within its
// request rate. The nonce's freshness is checked by the caller inside its
// transaction, so that a refused request stores nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "admin/access.h"
#include "app_context.h"

namespace sotay::server {

struct SignedHeaders {
  std::string device;
  int64_t time_ms = 0;
  std::string nonce;      // 32 lower-case hex characters
  std::string signature;  // 64 bytes
};

// The X-Sotay-* headers, checked for form only: 400 malformed when one is missing or
// ill formed.
std::optional<ApiError> ParseSignedHeaders(const HttpRequest& req, SignedHeaders* out);

// REQUIRES: ctx.mu held. Fills `who` or returns the refusal: 401 unknown_device,
// 403 revoked, 401 bad_signature, 401 stale, 429 rate_limited; a store failure as
// 500 through `failure`.
std::optional<ApiError> Authenticate(AppContext& ctx, const HttpRequest& req, const SignedHeaders& headers,
                                     Principal* who, Status* failure);

}  // namespace sotay::server
