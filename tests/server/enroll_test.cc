// POST /v1/enroll: a one-time code for a user, traded once for a device's key.
#include "server_world.h"
#include "sotay/sync_run.h"
#include "sotay/wire.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {
std::string NewKey() {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(pk), sizeof pk));
}
}  // namespace

TEST_CASE("enroll: a good code enrolls the device for the code's user", "[server][enroll]") {
  ServerWorld w;
  const std::string code = w.IssueCode("w-a");
  HttpResponse r = w.Enroll(code, "a572a117a754297e", NewKey());
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto j = nlohmann::json::parse(r.body);
  CHECK(j["device_id"] == "a572a117a754297e");
  CHECK(j["user"] == "w-a");
  CHECK(j["area"] == "01234");
  CHECK(j["role"] == "worker");
  CHECK(j["server_time_ms"] == kStartMs);
  CHECK(w.Count("SELECT count(*) FROM devices WHERE id = 'a572a117a754297e' AND \"user\" = 'w-a'") == 1);
}

TEST_CASE("enroll: the code is accepted however it is typed", "[server][enroll]") {
  ServerWorld w;
  std::string code = w.IssueCode("w-a");
  for (char& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  code.erase(std::remove(code.begin(), code.end(), '-'), code.end());
  CHECK(w.Enroll(" " + code.substr(0, 5) + " " + code.substr(5), "dev1", NewKey()).status == 200);
}

TEST_CASE("enroll: a used code is refused and changes nothing", "[server][enroll]") {
  ServerWorld w;
  const std::string code = w.IssueCode("w-a");
  REQUIRE(w.Enroll(code, "dev1", NewKey()).status == 200);
  const std::string before = w.Snap();
  HttpResponse again = w.Enroll(code, "dev2", NewKey());
  CHECK(again.status == 403);
  CHECK(ErrorCode(again) == "bad_code");
  CHECK(w.Snap() == before);
}

TEST_CASE("enroll: a device whose answer was lost asks again with its code and key and is answered",
          "[server][enroll]") {
  ServerWorld w;
  const std::string code = w.IssueCode("w-a");
  const std::string key = NewKey();
  HttpResponse first = w.Enroll(code, "dev1", key);
  REQUIRE(first.status == 200);
  const std::string before = w.Snap();
  // The answer never reached the phone; it sends the same request again.
  w.env.now_ms += 60 * 1000;
  HttpResponse again = w.Enroll(code, "dev1", key);
  INFO(again.body);
  REQUIRE(again.status == 200);
  auto a = nlohmann::json::parse(first.body), b = nlohmann::json::parse(again.body);
  CHECK(b["user"] == a["user"]);
  CHECK(b["server_key"] == a["server_key"]);
  CHECK(b["communes"] == a["communes"]);
  CHECK(w.Snap() == before);  // nothing enrolled twice
  // Not for another key under the same id (someone who saw the code), nor another id.
  CHECK(ErrorCode(w.Enroll(code, "dev1", NewKey())) == "bad_code");
  CHECK(ErrorCode(w.Enroll(code, "dev2", key)) == "bad_code");
  // Not after the code would have expired.
  w.env.now_ms += 72LL * 3600 * 1000;
  CHECK(ErrorCode(w.Enroll(code, "dev1", key)) == "bad_code");
  CHECK(w.Snap() == before);
}

TEST_CASE("enroll: an expired code is refused and changes nothing", "[server][enroll]") {
  ServerWorld w;
  const std::string code = w.IssueCode("w-a", 72);
  w.env.now_ms += 72LL * 3600 * 1000;  // exactly at expiry: no longer valid
  const std::string before = w.Snap();
  HttpResponse r = w.Enroll(code, "dev1", NewKey());
  CHECK(r.status == 403);
  CHECK(ErrorCode(r) == "bad_code");
  CHECK(w.Snap() == before);
}

TEST_CASE("enroll: an unknown code, a known device id and malformed bodies are refused", "[server][enroll]") {
  ServerWorld w;
  REQUIRE(w.Enroll(w.IssueCode("w-a"), "dev1", NewKey()).status == 200);
  const std::string fresh = w.IssueCode("w-b");
  const std::string before = w.Snap();
  CHECK(ErrorCode(w.Enroll("2345-6789-AB", "dev9", NewKey())) == "bad_code");
  CHECK(ErrorCode(w.Enroll("not a code at all", "dev9", NewKey())) == "bad_code");
  // The same device id again, with a good code: 409, and the code stays unused.
  HttpResponse dup = w.Enroll(fresh, "dev1", NewKey());
  CHECK(dup.status == 409);
  CHECK(ErrorCode(dup) == "device_exists");
  CHECK(w.Enroll(fresh, "bad id with spaces", NewKey()).status == 400);
  CHECK(w.Enroll(fresh, "dev3", "c2hvcnQ=").status == 400);  // not 32 bytes
  HttpRequest junk;
  junk.method = "POST";
  junk.path = "/v1/enroll";
  junk.body = "{\"code\": 12";
  HttpResponse r = w.app().Handle(junk);
  CHECK(r.status == 400);
  CHECK(ErrorCode(r) == "malformed");
  CHECK(w.Snap() == before);
  CHECK(w.Enroll(fresh, "dev2", NewKey()).status == 200);
}

TEST_CASE("enroll: guessing codes from one address is slowed down", "[server][enroll]") {
  ServerWorld w;
  int limited = 0;
  for (int i = 0; i < 15; ++i) limited += w.Enroll("2345-6789-AB", "dev1", NewKey(), "192.0.2.7").status == 429;
  CHECK(limited == 5);
  CHECK(w.Enroll(w.IssueCode("w-a"), "dev1", NewKey(), "192.0.2.8").status == 200);
  w.env.now_ms += 61 * 1000;
  CHECK(w.Enroll("2345-6789-AB", "dev2", NewKey(), "192.0.2.7").status == 403);
}

TEST_CASE("enroll: two server processes on one database allow one address the same guesses between them",
          "[server][enroll]") {
  ServerWorld w;
  auto second = App::Create(w.OpenStore(), &w.env, nullptr, ServerLimits{});
  REQUIRE(second.ok());
  auto enroll_on = [&](App& app, const std::string& device) {
    HttpRequest req;
    req.method = "POST";
    req.path = "/v1/enroll";
    req.remote_addr = "192.0.2.9";
    req.body = nlohmann::json{{"code", "2345-6789-AB"}, {"device_id", device}, {"public_key", NewKey()}}.dump();
    return app.Handle(req).status;
  };
  // Alternately through each, as nginx would send them: 10 a minute in all, not 20.
  int refused = 0, limited = 0;
  for (int i = 0; i < 20; ++i) {
    const int status = enroll_on(i % 2 ? **second : w.app(), "dev" + std::to_string(i));
    refused += status == 403;
    limited += status == 429;
  }
  CHECK(refused == 10);
  CHECK(limited == 10);
  w.env.now_ms += 61 * 1000;
  CHECK(enroll_on(**second, "dev-later") == 403);  // a new minute: guessing again, refused as a wrong code
}

TEST_CASE("enroll: the answer names the server's key and is signed with it over the device's nonce",
          "[server][enroll][security]") {
  ServerWorld w;
  HttpRequest req;
  req.method = "POST";
  req.path = "/v1/enroll";
  req.remote_addr = "10.0.0.1";
  req.headers["X-Sotay-Nonce"] = "00112233445566778899aabbccddeeff";
  req.body = nlohmann::json{{"code", w.IssueCode("w-a")}, {"device_id", "a572a117a754297e"}, {"public_key", NewKey()}}
                 .dump();
  HttpResponse r = w.app().Handle(req);
  INFO(r.body);
  REQUIRE(r.status == 200);
  const std::string key = nlohmann::json::parse(r.body)["server_key"].get<std::string>();
  REQUIRE(Base64Decode(key, kPublicKeyBytes));
  CHECK(r.headers[kServerKeyHeader] == key);
  HttpReply reply;
  reply.answered = true;
  reply.status = r.status;
  reply.body = r.body;
  for (const auto& [name, value] : r.headers) reply.headers.emplace_back(name, value);
  std::string signer;
  CHECK(VerifyAnswer("/v1/enroll", "00112233445566778899aabbccddeeff", reply, key, &signer).ok());
  CHECK_FALSE(VerifyAnswer("/v1/enroll", "ffeeddccbbaa99887766554433221100", reply, key, &signer).ok());
  // One key pair, kept in the database.
  CHECK(w.Count("SELECT count(*) FROM server_keys") == 1);
}
