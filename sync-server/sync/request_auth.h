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

// What every signed endpoint checks before it takes the lock: the body within
// `max_body_bytes` (413 with `too_large_hint`), not cut by a lost link (400
// cut_upload, logged with the device its headers name), readable, and the signed
// headers well formed. Fills `headers` and note.device, or returns the refusal.
std::optional<HttpResponse> RefuseUnsignable(const HttpRequest& req, size_t max_body_bytes,
                                             const std::string& too_large_hint, RequestNote& note,
                                             SignedHeaders* headers);

// ctx.mu held: Authenticate, its refusal (or a store failure) as the answer.
std::optional<HttpResponse> RefuseUnauthenticated(AppContext& ctx, const HttpRequest& req,
                                                  const SignedHeaders& headers, RequestNote& note, Principal* who);

// REQUIRES: ctx.mu held. Fills `who` or returns the refusal: 401 unknown_device,
// 403 revoked, 401 bad_signature, 401 stale, 429 rate_limited; a store failure as
// 500 through `failure`.
std::optional<ApiError> Authenticate(AppContext& ctx, const HttpRequest& req, const SignedHeaders& headers,
                                     Principal* who, Status* failure);

}  // namespace sotay::server
