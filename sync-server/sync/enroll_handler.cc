// POST /v1/enroll: a device trades a one-time code for the right to sync as the
// code's user, leaves its Ed25519 public key and takes the server's (docs/sync-protocol.md).
#include "app_context.h"
#include "store/login_guard.h"
#include "sync/edit_checks.h"
#include "sync/enroll_code.h"
#include "sotay/base64.h"
#include "sotay/signing.h"

namespace sotay::server {

namespace {
const char* kBadCode = "the code is unknown, used or expired";

// What an enrolled device learns: who it syncs as, the communes that user may edit
// (a district officer's device asks which one a new record belongs to, instead of
// saving it in the district, where nobody keeps it) and the server's key.
HttpResponse EnrolledAnswer(AppContext& ctx, const std::string& device_id, const UserRow& user, int64_t now) {
  const CommuneList communes = EditableCommunes(ctx.areas, Principal{device_id, user.id, user.role, user.area});
  nlohmann::json listed = nlohmann::json::array();
  for (const Commune& c : communes.communes) listed.push_back({{"code", c.code}, {"name", c.name}});
  return JsonResponse(200, {{"device_id", device_id},
                            {"user", user.id},
                            {"area", user.area},
                            {"role", RoleName(user.role)},
                            {"communes", listed},
                            {"communes_tag", communes.tag},
                            {"server_key", ctx.server_key->public_key_base64()},
                            {"server_time_ms", now}});
}
}  // namespace

HttpResponse HandleEnroll(AppContext& ctx, const HttpRequest& req, RequestNote& note) {
  if (req.body_too_large || req.body.size() > 4096) {
    return Refuse(note, 413, "too_large", "an enrollment request is a few hundred bytes");
  }
  if (req.body_unreadable) return Refuse(note, 400, "malformed", "the body could not be read or decompressed");
  const int64_t now = ctx.env->NowMs();
  // This process's count first (no database write for a flood), then the one every
  // server process on the database shares (store/login_guard.h), committed whatever
  // the code turns out to be: two processes behind nginx give a guesser no second
  // set of tries.
  if (!ctx.enroll_rate.Allow(req.remote_addr, now)) {
    return Refuse(note, 429, "rate_limited", "too many enrollment attempts; wait a minute");
  }
  {
    std::lock_guard<std::mutex> lock(ctx.mu);
    ServerStore::Transaction txn(*ctx.store);
    if (!txn.status().ok()) return InternalError(note, txn.status());
    auto allowed = AllowAttempt(ctx.store->db(), "enroll:" + req.remote_addr, now,
                                static_cast<int64_t>(ctx.limits.enrollments_per_minute));
    if (!allowed.ok()) return InternalError(note, allowed.status());
    if (!*allowed) return Refuse(note, 429, "rate_limited", "too many enrollment attempts; wait a minute");
    Status counted = txn.Commit();
    if (!counted.ok()) return InternalError(note, counted);
  }
  auto body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("code") || !body["code"].is_string() || !body.contains("device_id") ||
      !body["device_id"].is_string() || !body.contains("public_key") || !body["public_key"].is_string()) {
    return Refuse(note, 400, "malformed", "expected JSON {\"code\", \"device_id\", \"public_key\"}");
  }
  const std::string device_id = body["device_id"].get<std::string>();
  if (!IsWellFormedId(device_id)) {
    return Refuse(note, 400, "malformed", "device_id must be 1-64 letters, digits, '-', '_' or '.'");
  }
  if (device_id.rfind("web-", 0) == 0) {
    // The dashboard's own edits use ids of this form (web/dashboard_editor.h).
    return Refuse(note, 400, "malformed", "device_id must not start with 'web-'");
  }
  note.device = device_id;
  auto public_key = Base64Decode(body["public_key"].get<std::string>(), kPublicKeyBytes);
  if (!public_key) return Refuse(note, 400, "malformed", "public_key must be 32 bytes of Ed25519 key in base64");
  auto code = NormalizeEnrollCode(body["code"].get<std::string>());
  if (!code) return Refuse(note, 403, "bad_code", kBadCode);
  const std::string hash = EnrollCodeHash(*code);

  std::lock_guard<std::mutex> lock(ctx.mu);
  ServerStore& store = *ctx.store;
  ServerStore::Transaction txn(store);
  if (!txn.status().ok()) return InternalError(note, txn.status());
  auto row = store.FindEnrollCode(hash);
  if (!row.ok()) return InternalError(note, row.status());
  if (!*row || (*row)->expires_ms <= now) return Refuse(note, 403, "bad_code", kBadCode);
  auto user = store.FindUser((*row)->user);
  if (!user.ok()) return InternalError(note, user.status());
  if (!*user) return InternalError(note, Status::Corrupt("an enrollment code's user is missing"));
  auto existing = store.FindDevice(device_id);
  if (!existing.ok()) return InternalError(note, existing.status());
  if ((*row)->used_ms) {
    // The same device asking again with the code it used and the key it left: its
    // first answer was lost on the way (a 2G link dropping after the server
    // committed). It gets the answer again, so it can finish enrolling instead of
    // being stuck as "already enrolled". Until the code would have expired, and
    // never for a revoked device or another key.
    const bool same_device = (*row)->device == device_id && *existing && !(*existing)->revoked_ms &&
                             (*existing)->public_key == *public_key;
    if (!same_device) return Refuse(note, 403, "bad_code", kBadCode);
    return EnrolledAnswer(ctx, device_id, **user, now);
  }
  if (*existing) return Refuse(note, 409, "device_exists", "a device with this id is already enrolled");

  Status s = store.MarkEnrollCodeUsed(hash, device_id, now);
  if (s.code() == Status::Code::kFailedPrecondition) return Refuse(note, 403, "bad_code", kBadCode);
  if (s.ok()) s = store.InsertDevice(DeviceRow{device_id, (*user)->id, *public_key, now, std::nullopt, std::nullopt});
  if (s.code() == Status::Code::kAlreadyExists) {
    return Refuse(note, 409, "device_exists", "a device with this id is already enrolled");
  }
  if (s.ok()) s = txn.Commit();
  if (!s.ok()) return InternalError(note, s);
  return EnrolledAnswer(ctx, device_id, **user, now);
}

}  // namespace sotay::server
