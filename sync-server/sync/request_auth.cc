#include "sync/request_auth.h"

#include <charconv>

#include "admin/crypto.h"
#include "sync/edit_checks.h"
#include "sotay/base64.h"
#include "sotay/signing.h"

namespace sotay::server {

namespace {
bool IsLowerHex(const std::string& s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}
}  // namespace

std::optional<ApiError> ParseSignedHeaders(const HttpRequest& req, SignedHeaders* out) {
  auto missing = [](const char* name) {
    return ApiError{400, "malformed", std::string("the request lacks a well-formed ") + name + " header"};
  };
  out->device = req.Header(kDeviceHeader);
  if (!IsWellFormedId(out->device)) return missing(kDeviceHeader);
  const std::string time = req.Header(kTimeHeader);
  const char* end = time.data() + time.size();
  auto [ptr, ec] = std::from_chars(time.data(), end, out->time_ms);
  if (time.empty() || ec != std::errc() || ptr != end) return missing(kTimeHeader);
  out->nonce = req.Header(kNonceHeader);
  if (out->nonce.size() != 32 || !IsLowerHex(out->nonce)) return missing(kNonceHeader);
  auto signature = Base64Decode(req.Header(kSignatureHeader), kSignatureBytes);
  if (!signature) return missing(kSignatureHeader);
  out->signature = std::move(*signature);
  return std::nullopt;
}

std::optional<ApiError> Authenticate(AppContext& ctx, const HttpRequest& req, const SignedHeaders& h,
                                     Principal* who, Status* failure) {
  auto device = ctx.store->FindDevice(h.device);
  if (!device.ok()) {
    *failure = device.status();
    return ApiError{500, "internal", ""};
  }
  if (!*device) return ApiError{401, "unknown_device", "this device is not enrolled on this server"};
  if ((*device)->revoked_ms) return ApiError{403, "revoked", "this device was revoked; ask an administrator"};
  if (!VerifyRequestDigest((*device)->public_key, h.signature, req.method, req.path, Sha256HexFast(req.body),
                           h.time_ms, h.nonce)) {
    return ApiError{401, "bad_signature", "the request signature does not verify"};
  }
  const int64_t now = ctx.env->NowMs();
  if (h.time_ms < now - ctx.limits.max_clock_skew_ms || h.time_ms > now + ctx.limits.max_clock_skew_ms) {
    // Only after the signature checks out: the device may then sign again with the
    // server's time (a phone's clock in a remote village is often wrong).
    return ApiError{401, "stale", "the device clock is more than 5 minutes from the server's", now};
  }
  // The limit counts the device's accepted requests of the last minute in the
  // database (their nonces), so several server processes allow it no more than one
  // does; this process's own count also meets every signed request, accepted or not.
  auto accepted = ctx.store->NoncesSince(h.device, now - 60 * 1000);
  if (!accepted.ok()) {
    *failure = accepted.status();
    return ApiError{500, "internal", ""};
  }
  if (*accepted >= static_cast<int64_t>(ctx.limits.requests_per_minute) || !ctx.device_rate.Allow(h.device, now)) {
    return ApiError{429, "rate_limited", "too many requests from this device; wait a minute"};
  }
  auto user = ctx.store->FindUser((*device)->user);
  if (!user.ok() || !*user) {
    *failure = user.ok() ? Status::Corrupt("a device's user is missing") : user.status();
    return ApiError{500, "internal", ""};
  }
  who->device = h.device;
  who->user = (*user)->id;
  who->role = (*user)->role;
  who->area = (*user)->area;
  return std::nullopt;
}

std::optional<HttpResponse> RefuseUnsignable(const HttpRequest& req, size_t max_body_bytes,
                                             const std::string& too_large_hint, RequestNote& note,
                                             SignedHeaders* headers) {
  if (req.body_too_large || req.body.size() > max_body_bytes) return Refuse(note, 413, "too_large", too_large_hint);
  auto bad = ParseSignedHeaders(req, headers);
  if (req.body_cut) {
    // The link went during the upload (a phone losing signal): logged as such, with
    // the device its headers name (not verified: the body that is signed never came).
    if (!bad) note.device = headers->device;
    return Refuse(note, 400, "cut_upload", "the body ended before all of it arrived: the link was lost; send it again");
  }
  if (req.body_unreadable) return Refuse(note, 400, "malformed", "the body could not be read or decompressed");
  if (bad) return Refuse(note, bad->status, bad->code, bad->reason);
  note.device = headers->device;
  return std::nullopt;
}

std::optional<HttpResponse> RefuseUnauthenticated(AppContext& ctx, const HttpRequest& req,
                                                  const SignedHeaders& headers, RequestNote& note, Principal* who) {
  Status failure;
  if (auto refused = Authenticate(ctx, req, headers, who, &failure)) {
    if (refused->status == 500) return InternalError(note, failure);
    return Refuse(note, refused->status, refused->code, refused->reason, refused->server_time_ms);
  }
  return std::nullopt;
}

}  // namespace sotay::server
