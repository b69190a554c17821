// POST /v1/sync refusals: each one leaves the database exactly as it was.
#include "admin/crypto.h"
#include "server_world.h"
#include "sotay/signing.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

struct Armed {
  ServerWorld w;
  TestDevice dev = w.Device("w-a");
  SyncRequest req;
  Armed() {
    req.push = dev.CreateRecord(RecordId(1), "01234", {{"full_name", "Nguyễn Thị Ánh"}, {"sex", "female"}});
    req.forms = {"case_test@1"};
  }
};

void ExpectRefused(ServerWorld& w, const HttpRequest& req, int status, const std::string& code) {
  const std::string before = w.Snap();
  HttpResponse r = w.app().Handle(req);
  INFO(r.body);
  CHECK(r.status == status);
  CHECK(ErrorCode(r) == code);
  CHECK(r.content_type == "application/json");
  CHECK(w.Snap() == before);
  CHECK(w.Count("SELECT count(*) FROM edits") == 0);
}

}  // namespace

TEST_CASE("sync: a signed push is accepted and stored", "[server][auth]") {
  Armed a;
  SyncResponse res = a.w.Sync(a.dev, a.req);
  CHECK(res.accepted.size() == a.req.push.size());
  CHECK(res.rejected.empty());
  CHECK(res.server_time_ms == kStartMs);
  CHECK(a.w.Count("SELECT count(*) FROM edits") == static_cast<int64_t>(a.req.push.size()));
  CHECK(a.w.Count("SELECT count(*) FROM records WHERE area = '01234' AND form = 'case_test' AND version = 1") == 1);
  CHECK(a.w.Count("SELECT count(*) FROM edits WHERE author <> 'w-a'") == 0);  // the enrolled user, not "whoever"
  CHECK(a.w.Count("SELECT count(*) FROM nonces") == 1);
  CHECK(a.w.Count("SELECT count(*) FROM devices WHERE last_seen_ms = " + std::to_string(kStartMs)) == 1);
}

TEST_CASE("sync: the server hashes a body as the device does", "[server][auth]") {
  // The server hashes request bodies with OpenSSL (admin/crypto.h), the device with
  // libsodium: a body signed on one must verify on the other, whatever its length.
  std::string body;
  for (size_t size : {0, 1, 55, 56, 63, 64, 65, 1000, 300 * 1024}) {
    while (body.size() < size) body += static_cast<char>(body.size() * 131 % 251);
    body.resize(size);
    INFO(size << " bytes");
    CHECK(Sha256HexFast(body) == Sha256Hex(body));
  }
  CHECK(Sha256HexFast("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2
}

TEST_CASE("sync: a bad signature is 401 and changes nothing", "[server][auth]") {
  Armed a;
  HttpRequest req = a.w.SignedSync(a.dev, a.req);
  req.body[req.body.size() / 2] ^= 0x01;  // the body no longer matches what was signed
  ExpectRefused(a.w, req, 401, "bad_signature");

  TestDevice impostor = a.dev;  // same id, another key
  crypto_sign_keypair(impostor.pk, impostor.sk);
  ExpectRefused(a.w, a.w.SignedSync(impostor, a.req), 401, "bad_signature");
}

TEST_CASE("sync: a time more than 5 minutes off is 401 stale and changes nothing", "[server][auth]") {
  Armed a;
  const std::string body = EncodeSyncRequest(a.req);
  ExpectRefused(a.w, ServerWorld::Signed(a.dev, body, kStartMs - 5 * 60 * 1000 - 1), 401, "stale");
  ExpectRefused(a.w, ServerWorld::Signed(a.dev, body, kStartMs + 5 * 60 * 1000 + 1), 401, "stale");
  CHECK(a.w.app().Handle(ServerWorld::Signed(a.dev, body, kStartMs + 5 * 60 * 1000)).status == 200);
  // The refusal carries the server's time, so the device can sign again with it.
  HttpResponse stale = a.w.app().Handle(ServerWorld::Signed(a.dev, body, kStartMs - 3600 * 1000));
  INFO(stale.body);
  CHECK(nlohmann::json::parse(stale.body)["server_time_ms"] == a.w.env.now_ms);
}

TEST_CASE("sync: a replayed request is 409 and changes nothing", "[server][auth]") {
  Armed a;
  HttpRequest req = a.w.SignedSync(a.dev, a.req);
  REQUIRE(a.w.app().Handle(req).status == 200);
  const std::string before = a.w.Snap();
  a.w.env.now_ms += 4 * 60 * 1000;  // still fresh for the clock check, nonce still remembered
  HttpRequest replay = ServerWorld::Signed(a.dev, req.body, kStartMs, req.headers["X-Sotay-Nonce"]);
  HttpResponse r = a.w.app().Handle(replay);
  CHECK(r.status == 409);
  CHECK(ErrorCode(r) == "replay");
  CHECK(a.w.Snap() == before);
}

TEST_CASE("sync: a revoked device is 403 from its next request on", "[server][auth]") {
  Armed a;
  REQUIRE(a.w.Sync(a.dev, SyncRequest{}).pull.empty());
  {
    auto store = a.w.OpenStore();
    REQUIRE(store->RevokeDevice(a.dev.id, a.w.env.now_ms).ok());
  }
  ExpectRefused(a.w, a.w.SignedSync(a.dev, a.req), 403, "revoked");
}

TEST_CASE("sync: an unknown device is 401", "[server][auth]") {
  Armed a;
  TestDevice stranger;
  stranger.id = "never-enrolled";
  crypto_sign_keypair(stranger.pk, stranger.sk);
  ExpectRefused(a.w, a.w.SignedSync(stranger, a.req), 401, "unknown_device");
}

TEST_CASE("sync: a body over 4 MiB or over 5000 edits is 413 and changes nothing", "[server][auth]") {
  Armed a;
  HttpRequest big = ServerWorld::Signed(a.dev, std::string(4 * 1024 * 1024 + 1, 'x'), kStartMs);
  ExpectRefused(a.w, big, 413, "too_large");
  HttpRequest cut = a.w.SignedSync(a.dev, a.req);
  cut.body_too_large = true;  // the adapter stopped reading a larger (decompressed) body
  ExpectRefused(a.w, cut, 413, "too_large");

  SyncRequest many;
  for (int i = 0; i < 5001; ++i) many.push.push_back(a.dev.NewEdit(RecordId(1), "notes", "x"));
  ExpectRefused(a.w, a.w.SignedSync(a.dev, many), 413, "too_large");
}

TEST_CASE("sync: a malformed request is 400 and changes nothing", "[server][auth]") {
  Armed a;
  ExpectRefused(a.w, ServerWorld::Signed(a.dev, "not cbor at all", kStartMs), 400, "malformed");
  std::string truncated = EncodeSyncRequest(a.req);
  truncated.resize(truncated.size() / 2);
  ExpectRefused(a.w, ServerWorld::Signed(a.dev, truncated, kStartMs), 400, "malformed");

  HttpRequest no_nonce = a.w.SignedSync(a.dev, a.req);
  no_nonce.headers.erase("X-Sotay-Nonce");
  ExpectRefused(a.w, no_nonce, 400, "malformed");
  HttpRequest bad_time = a.w.SignedSync(a.dev, a.req);
  bad_time.headers["X-Sotay-Time"] = "soon";
  ExpectRefused(a.w, bad_time, 400, "malformed");
  HttpRequest unreadable = a.w.SignedSync(a.dev, a.req);
  unreadable.body_unreadable = true;
  ExpectRefused(a.w, unreadable, 400, "malformed");
}

TEST_CASE("sync: more than 120 requests a minute from a device is 429", "[server][auth]") {
  ServerWorld w;
  TestDevice dev = w.Device("w-a");
  TestDevice other = w.Device("w-b");
  for (int i = 0; i < 120; ++i) REQUIRE(w.app().Handle(w.SignedSync(dev, SyncRequest{})).status == 200);
  SyncRequest push;
  push.push = dev.CreateRecord(RecordId(1), "01234", {});
  const std::string before = w.Snap();
  HttpResponse r = w.app().Handle(w.SignedSync(dev, push));
  CHECK(r.status == 429);
  CHECK(ErrorCode(r) == "rate_limited");
  CHECK(w.Snap() == before);
  CHECK(w.app().Handle(w.SignedSync(other, SyncRequest{})).status == 200);  // per device
  w.env.now_ms += 60 * 1000;
  CHECK(w.app().Handle(w.SignedSync(dev, push)).status == 200);
}

TEST_CASE("sync: two server processes on one database allow a device 120 requests a minute between them",
          "[server][auth]") {
  ServerWorld w;
  TestDevice dev = w.Device("w-a");
  // A second server on the same database, as a second process behind nginx would be.
  auto second = App::Create(w.OpenStore(), &w.env, nullptr, ServerLimits{});
  REQUIRE(second.ok());
  for (int i = 0; i < 120; ++i) {
    App& app = i % 2 == 0 ? w.app() : **second;
    REQUIRE(app.Handle(w.SignedSync(dev, SyncRequest{})).status == 200);
  }
  HttpResponse first = w.app().Handle(w.SignedSync(dev, SyncRequest{}));
  HttpResponse other = (*second)->Handle(w.SignedSync(dev, SyncRequest{}));
  CHECK(first.status == 429);
  CHECK(other.status == 429);
  CHECK(ErrorCode(other) == "rate_limited");
  w.env.now_ms += 60 * 1000 + 1;
  CHECK((*second)->Handle(w.SignedSync(dev, SyncRequest{})).status == 200);
}

TEST_CASE("sync: errors have one JSON shape - unknown routes and methods too", "[server][auth]") {
  ServerWorld w;
  HttpRequest get;
  get.method = "GET";
  get.path = "/v1/sync";
  HttpResponse r = w.app().Handle(get);
  CHECK(r.status == 405);
  CHECK(ErrorCode(r) == "method_not_allowed");
  get.path = "/v1/admin";  // other paths are the dashboard's (web/web.h)
  r = w.app().Handle(get);
  CHECK(r.status == 404);
  auto j = nlohmann::json::parse(r.body);
  CHECK(j.size() == 2);
  CHECK(j.contains("reason"));
  get.path = "/healthz";
  r = w.app().Handle(get);
  CHECK(r.status == 200);
  CHECK(nlohmann::json::parse(r.body) == nlohmann::json{{"ok", true}});
}
