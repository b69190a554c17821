// A sync server for the HTTP fuzz targets, made once per process (and again every
// few thousand runs, so the database stays small): a SQLite file in a temp
// directory with the areas of the server tests and their test form
// (tests/support/server_test_data.h), two workers with
// enrolled devices whose private keys the target holds, a district user and an
// administrator signed in to the dashboard, and records with an open conflict, so
// that the pages have something to show. Built with App::Handle only, as the
// server tests do (tests/server/server_world.h), without Catch.
#pragma once

#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "admin/admin_ops.h"
#include "app.h"
#include "admin/crypto.h"
#include "fuzz_support.h"
#include "sotay/base64.h"
#include "sotay/signing.h"
#include "sotay/wire.h"
#include "support/server_test_data.h"
#include "web/form_body.h"

namespace sotay::fuzz {

inline constexpr const char* kPassword = "mật khẩu dài đủ 12";
inline constexpr int64_t kStartMs = 1790000000000;  // 2026-09-21
// The devices' ids are fixed, so the seeds in fuzz/corpus/http_sync name them.
inline constexpr const char* kDeviceA = "dev-fuzz-a";  // worker w-a, commune 01234
inline constexpr const char* kDeviceB = "dev-fuzz-b";  // worker w-b, commune 01234

class FixedEnv : public Env {
 public:
  int64_t NowMs() override { return now_ms; }
  int64_t LocalNowMs() override { return now_ms + 7 * 3600 * 1000; }
  void RandomBytes(uint8_t* out, size_t n) override { randombytes_buf(out, n); }
  int64_t now_ms = kStartMs;
};

struct Device {
  std::string id;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
};

// A signed POST /v1/sync of `body` by `d`, as a device sends it.
inline server::HttpRequest SignedSync(const Device& d, std::string body, int64_t time_ms, const std::string& nonce) {
  server::HttpRequest req;
  req.method = "POST";
  req.path = "/v1/sync";
  req.remote_addr = "10.0.0.9";
  const std::string msg = RequestSigningString("POST", "/v1/sync", Sha256Hex(body), time_ms, nonce);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), d.sk);
  req.body = std::move(body);
  req.headers["Content-Type"] = "application/cbor";
  req.headers["X-Sotay-Device"] = d.id;
  req.headers["X-Sotay-Time"] = std::to_string(time_ms);
  req.headers["X-Sotay-Nonce"] = nonce;
  req.headers["X-Sotay-Signature"] =
      Base64Encode(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
  return req;
}

class ServerFixture {
 public:
  ServerFixture() {
    FUZZ_CHECK(server::InitCrypto());
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("sotay-fuzz-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_ / "forms");
    std::ofstream(dir_ / "areas.csv") << testing::kTestAreas;
    std::ofstream(dir_ / "forms" / "case_test.json") << testing::kTestForm;
    const std::string db = (dir_ / "server.db").string();
    FUZZ_CHECK(server::InitServer(db, (dir_ / "areas.csv").string(), (dir_ / "forms").string(), &env).ok());
    {
      auto store = server::ServerStore::Open(db, server::ServerStore::Mode::kOpen);
      FUZZ_CHECK(store.ok());
      using server::Role;
      FUZZ_CHECK(server::AddUser(**store, "w-a", Role::kWorker, "01234", std::nullopt, &env).ok());
      FUZZ_CHECK(server::AddUser(**store, "w-b", Role::kWorker, "01234", std::nullopt, &env).ok());
      FUZZ_CHECK(server::AddUser(**store, "huyen", Role::kDistrict, "148", std::string(kPassword), &env).ok());
      FUZZ_CHECK(server::AddUser(**store, "quantri", Role::kAdmin, "", std::string(kPassword), &env).ok());
    }
    auto store = server::ServerStore::Open(db, server::ServerStore::Mode::kOpen);
    FUZZ_CHECK(store.ok());
    server::ServerLimits limits;
    limits.requests_per_minute = 1u << 30;  // the fuzzer sends thousands a second
    limits.enrollments_per_minute = 1u << 30;
    // SOTAY_FUZZ_LOG=1 shows the server's log lines, with what failed inside a 500.
    static server::JsonLog log(std::getenv("SOTAY_FUZZ_LOG") != nullptr ? &std::cerr : nullptr);
    auto app = server::App::Create(std::move(store).value(), &env, &log, limits);
    FUZZ_CHECK(app.ok());
    app_ = std::move(app).value();
    a = Enroll(kDeviceA, "w-a");
    b = Enroll(kDeviceB, "w-b");
  }
  ~ServerFixture() {
    app_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  ServerFixture(const ServerFixture&) = delete;
  ServerFixture& operator=(const ServerFixture&) = delete;

  server::App& app() { return *app_; }

  std::string NextNonce() {
    char buf[33];
    std::snprintf(buf, sizeof buf, "%032llx", static_cast<unsigned long long>(++nonces_));
    return buf;
  }

  // Pushes `edits` from `d`; the exchange must succeed.
  void Push(const Device& d, std::vector<Edit> edits) {
    SyncRequest r;
    r.push = std::move(edits);
    r.forms = {"case_test@1"};
    const server::HttpResponse res = app_->Handle(SignedSync(d, EncodeSyncRequest(r), env.now_ms, NextNonce()));
    FUZZ_CHECK(res.status == 200);
  }

  // Two records of commune 01234, one of them with an open conflict on "age".
  void AddRecords() {
    const std::string one = "00000000-0000-4000-8000-000000000001";
    const std::string two = "00000000-0000-4000-8000-000000000002";
    uint64_t ca = 0, cb = 0;
    auto edit = [&](const Device& d, uint64_t* counter, const std::string& record, const std::string& field,
                    const std::string& value, std::vector<Dot> base) {
      ++*counter;
      return Edit{Dot{d.id, *counter}, record, field, value, Hlc{env.now_ms, static_cast<uint32_t>(*counter), d.id},
                  std::move(base), "whoever"};
    };
    std::vector<Edit> created;
    for (const auto& [record, name] : {std::pair{one, "Lò Văn Páo"}, std::pair{two, "Vàng Thị Mỷ"}}) {
      for (const auto& [f, v] : std::vector<std::pair<std::string, std::string>>{
               {"_status", "active"}, {"_form", "case_test"}, {"_version", "1"}, {"_area", "01234"},
               {"full_name", name}, {"sex", "female"}, {"age", "9"}, {"dob", "2016-02-29"}}) {
        created.push_back(edit(a, &ca, record, f, v, {}));
      }
    }
    Push(a, created);
    const Dot age{a.id, 7};
    Push(b, {edit(b, &cb, one, "age", "10", {age})});
    Push(a, {edit(a, &ca, one, "age", "11", {age})});
  }

  // Signs `user` in to the dashboard; the session cookie and its CSRF token.
  std::pair<std::string, std::string> SignIn(const std::string& user) {
    server::HttpRequest req;
    req.method = "POST";
    req.path = "/login";
    req.remote_addr = "10.1.0.1";
    req.headers["Host"] = "dashboard.test";
    req.headers["Content-Type"] = "application/x-www-form-urlencoded";
    req.body = "user=" + user + "&password=" + server::web::UrlEncode(kPassword) + "&next=%2Frecords";
    const server::HttpResponse res = app_->Handle(req);
    FUZZ_CHECK(res.status == 303);
    const std::string& set = res.headers.at("Set-Cookie");
    const std::string cookie = set.substr(0, set.find(';'));
    req.method = "GET";
    req.path = "/records";
    req.body.clear();
    req.headers["Cookie"] = cookie;
    const server::HttpResponse page = app_->Handle(req);
    const std::string marker = "name=\"csrf\" value=\"";
    const size_t at = page.body.find(marker);
    FUZZ_CHECK(at != std::string::npos);
    return {cookie, page.body.substr(at + marker.size(), 64)};
  }

  FixedEnv env;
  Device a, b;

 private:
  Device Enroll(const std::string& id, const std::string& user) {
    Device d;
    d.id = id;
    crypto_sign_keypair(d.pk, d.sk);
    auto store = server::ServerStore::Open((dir_ / "server.db").string(), server::ServerStore::Mode::kOpen);
    FUZZ_CHECK(store.ok());
    auto code = server::IssueEnrollCode(**store, user, 72, &env);
    FUZZ_CHECK(code.ok());
    server::HttpRequest req;
    req.method = "POST";
    req.path = "/v1/enroll";
    req.remote_addr = "10.0.0.1";
    const std::string pk =
        Base64Encode(std::string_view(reinterpret_cast<const char*>(d.pk), sizeof d.pk));
    req.body = nlohmann::json{{"code", code->code}, {"device_id", id}, {"public_key", pk}}.dump();
    FUZZ_CHECK(app_->Handle(req).status == 200);
    return d;
  }

  std::filesystem::path dir_;
  std::unique_ptr<server::App> app_;
  uint64_t nonces_ = 0;
};

}  // namespace sotay::fuzz
