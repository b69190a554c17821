// A sync server for one test: a real SQLite file in a temp directory (or a schema of
// its own on PostgreSQL: test_database.h), created with
// the admin functions, areas of two districts, a small test form, users of every
// role, a fixed clock, and helpers that enroll devices with real Ed25519 keys and
// sign requests the way a device does. Handlers are called without sockets.
#pragma once

#include <sodium.h>

#include "support/edits_view.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "admin/admin_ops.h"
#include "sqlite_db.h"
#include "app.h"
#include "admin/crypto.h"
#include "sotay/base64.h"
#include "sotay/signing.h"
#include "sotay/wire.h"
#include "support/pack_version.h"
#include "support/server_test_data.h"
#include "support/temp_dir.h"
#include "test_database.h"

namespace sotay::server::testing {

using sotay::testing::kTestAreas;
using sotay::testing::kTestForm;

inline constexpr int64_t kStartMs = 1790000000000;  // 2026-09-21

class FakeEnv : public Env {
 public:
  int64_t NowMs() override { return now_ms; }
  int64_t LocalNowMs() override { return now_ms + 7 * 3600 * 1000; }  // Vietnam, whatever the machine's zone
  void RandomBytes(uint8_t* out, size_t n) override { randombytes_buf(out, n); }
  int64_t now_ms = kStartMs;
};

// A device: its id, its Ed25519 keys and its edit counter and clock.
struct TestDevice {
  std::string id;
  std::string user;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  uint64_t counter = 0;
  int64_t clock_ms = kStartMs;

  std::string PublicKeyBase64() const {
    return Base64Encode(std::string_view(reinterpret_cast<const char*>(pk), sizeof pk));
  }

  Edit NewEdit(const std::string& record, const std::string& field, const std::string& value,
               std::vector<Dot> base = {}) {
    ++clock_ms;
    return Edit{Dot{id, ++counter}, record, field, value, Hlc{clock_ms, 0, id}, std::move(base), "whoever"};
  }

  // The edits that create a record the way the notebook does.
  std::vector<Edit> CreateRecord(const std::string& record, const std::string& area,
                                 const std::vector<std::pair<std::string, std::string>>& fields,
                                 const std::string& form = "case_test", const std::string& parent = "") {
    std::vector<Edit> out = {NewEdit(record, "_status", "active"), NewEdit(record, "_form", form),
                             NewEdit(record, "_version", std::to_string(sotay::testing::PackVersion(form))),
                             NewEdit(record, "_area", area)};
    if (!parent.empty()) out.push_back(NewEdit(record, "_parent", parent));
    for (const auto& [f, v] : fields) out.push_back(NewEdit(record, f, v));
    return out;
  }
};

inline std::string RecordId(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
  return buf;
}

// An id whose first 8 characters are `prefix` (8 hex digits): links may name a
// profile by its prefix, so tests of links give each record a distinct one.
inline std::string PrefixedId(const char* prefix, int n) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.8s-0000-4000-8000-%012d", prefix, n);
  return buf;
}

inline std::string RandomNonce() {
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  return ToHex(std::string_view(reinterpret_cast<const char*>(b), sizeof b));
}

// Every row of every table, as text: equal snapshots mean an unchanged database.
// But the attempts counted against guessing (login_guard): every sign-in and every
// enrollment, refused or not, is counted there, and is no record of anyone's.
inline bool CountsAttempts(const std::string& table) { return table == "login_guard"; }

inline std::string Snapshot(const std::string& db) {
  std::string out;
  if (sql::IsPostgresTarget(db)) {
    auto h = sql::Db::OpenPostgres(db);
    REQUIRE(h.ok());
    std::vector<std::string> tables;
    auto names = h->Prepare("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename");
    REQUIRE(names.ok());
    REQUIRE(sql::ForEachRow(*names, [&] { tables.push_back(names->Text(0)); }).ok());
    for (const std::string& t : tables) {
      if (CountsAttempts(t)) continue;
      out += "[" + t + "]\n";
      // Names from pg_tables, not from data; a row as its text, in one order.
      auto rows = h->PrepareUncached("SELECT CAST(x AS text) FROM \"" + t + "\" x ORDER BY 1");
      REQUIRE(rows.ok());
      REQUIRE(sql::ForEachRow(*rows, [&] { out += rows->Text(0) + "\n"; }).ok());
    }
    return out;
  }
  auto h = sqlite::Db::Open(db, sqlite::Db::Mode::kReadOnly);
  REQUIRE(h.ok());
  std::vector<std::string> tables;
  auto names = h->Prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  REQUIRE(names.ok());
  REQUIRE(sqlite::ForEachRow(*names, [&] { tables.push_back(names->Text(0)); }).ok());
  for (const std::string& t : tables) {
    if (CountsAttempts(t)) continue;
    out += "[" + t + "]\n";
    // Names from sqlite_master, not from data.
    auto rows = h->PrepareUncached("SELECT * FROM \"" + t + "\"");
    REQUIRE(rows.ok());
    REQUIRE(sqlite::ForEachRow(*rows, [&] {
              for (int c = 0; c < rows->columns(); ++c) out += (rows->IsNull(c) ? "NULL" : rows->Blob(c)) + "|";
              out += "\n";
            }).ok());
  }
  return out;
}

// Asks ServerWorld for a SQLite file even in the PostgreSQL run.
struct SqliteFile {};

class ServerWorld {
 public:
  explicit ServerWorld(ServerLimits limits = {}) { Setup(limits); }
  explicit ServerWorld(SqliteFile, ServerLimits limits = {}) : database(dir.File("server.db"), true) { Setup(limits); }

  void Setup(const ServerLimits& limits) {
    REQUIRE(InitCrypto());
    std::ofstream(dir.File("areas.csv")) << kTestAreas;
    std::filesystem::create_directories(dir.File("forms"));
    std::ofstream(dir.File("forms/case_test.json")) << kTestForm;
    auto init = InitServer(db, dir.File("areas.csv"), dir.File("forms"), &env);
    INFO(init.status().ToString());
    REQUIRE(init.ok());
    {
      auto store = OpenStore();
      REQUIRE(AddUser(*store, "w-a", Role::kWorker, "01234", std::nullopt, &env).ok());
      REQUIRE(AddUser(*store, "w-b", Role::kWorker, "01234", std::nullopt, &env).ok());
      REQUIRE(AddUser(*store, "w-c", Role::kWorker, "01237", std::nullopt, &env).ok());
      REQUIRE(AddUser(*store, "w-x", Role::kWorker, "01255", std::nullopt, &env).ok());
      REQUIRE(AddUser(*store, "d-1", Role::kDistrict, "148", std::nullopt, &env).ok());
      REQUIRE(AddUser(*store, "adm", Role::kAdmin, "", std::nullopt, &env).ok());
    }
    auto app = App::Create(OpenStore(), &env, nullptr, limits);
    INFO(app.status().ToString());
    REQUIRE(app.ok());
    app_ = std::move(app).value();
  }

  std::unique_ptr<ServerStore> OpenStore() {
    auto store = ServerStore::Open(db, ServerStore::Mode::kOpen);
    INFO(store.status().ToString());
    REQUIRE(store.ok());
    (*store)->SetFilesFolder(FilesFolder());
    return std::move(store).value();
  }

  // Where the server keeps files' bytes: beside the SQLite file, or the folder a
  // server on PostgreSQL is given (--files).
  std::string FilesFolder() const { return database.postgres() ? dir.File("files") : db + ".files"; }

  App& app() { return *app_; }

  std::string IssueCode(const std::string& user, int hours = 72) {
    auto store = OpenStore();
    auto code = IssueEnrollCode(*store, user, hours, &env);
    REQUIRE(code.ok());
    return code->code;
  }

  HttpResponse Enroll(const std::string& code, const std::string& device_id, const std::string& public_key,
                      const std::string& remote = "10.0.0.1") {
    HttpRequest req;
    req.method = "POST";
    req.path = "/v1/enroll";
    req.remote_addr = remote;
    req.body = nlohmann::json{{"code", code}, {"device_id", device_id}, {"public_key", public_key}}.dump();
    return app_->Handle(req);
  }

  // A new device with fresh keys, enrolled for `user`.
  TestDevice Device(const std::string& user) {
    TestDevice d;
    d.user = user;
    d.id = "dev-" + user + "-" + std::to_string(++devices_);
    crypto_sign_keypair(d.pk, d.sk);
    HttpResponse r = Enroll(IssueCode(user), d.id, d.PublicKeyBase64(), "10.0.0." + std::to_string(devices_));
    INFO(r.body);
    REQUIRE(r.status == 200);
    return d;
  }

  // A request signed by `d` over `body` (already CBOR), at `time_ms`.
  static HttpRequest Signed(const TestDevice& d, const std::string& body, int64_t time_ms,
                            const std::string& nonce = RandomNonce()) {
    HttpRequest req;
    req.method = "POST";
    req.path = "/v1/sync";
    req.remote_addr = "10.0.0.99";
    req.body = body;
    const std::string msg = RequestSigningString("POST", "/v1/sync", Sha256Hex(body), time_ms, nonce);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), d.sk);
    req.headers["Content-Type"] = "application/cbor";
    req.headers["X-Sotay-Device"] = d.id;
    req.headers["X-Sotay-Time"] = std::to_string(time_ms);
    req.headers["X-Sotay-Nonce"] = nonce;
    req.headers["X-Sotay-Signature"] = Base64Encode(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
    return req;
  }

  HttpRequest SignedSync(const TestDevice& d, const SyncRequest& r) {
    return Signed(d, EncodeSyncRequest(r), env.now_ms);
  }

  // One exchange that must succeed.
  SyncResponse Sync(const TestDevice& d, const SyncRequest& r) {
    HttpResponse res = app_->Handle(SignedSync(d, r));
    INFO(res.body);
    REQUIRE(res.status == 200);
    auto decoded = DecodeSyncResponse(res.body);
    REQUIRE(decoded.ok());
    return std::move(decoded).value();
  }

  SyncResponse Push(const TestDevice& d, const std::vector<Edit>& edits, uint64_t cursor = 0) {
    SyncRequest r;
    r.cursor = cursor;
    r.push = edits;
    r.forms = {"case_test@1"};
    return Sync(d, r);
  }

  // Pulls every page from `cursor`, returning the edits.
  std::vector<Edit> PullAll(const TestDevice& d, uint64_t cursor = 0) {
    std::vector<Edit> out;
    for (int page = 0; page < 100; ++page) {
      SyncRequest r;
      r.cursor = cursor;
      r.forms = {"case_test@1"};
      SyncResponse res = Sync(d, r);
      out.insert(out.end(), res.pull.begin(), res.pull.end());
      cursor = res.cursor;
      if (!res.more) break;
    }
    return out;
  }

  int64_t Count(const std::string& sql) { return CountRows(db, sql); }
  std::string Snap() { return Snapshot(db); }

  sotay::testing::TempDir dir;
  TestDatabase database{dir.File("server.db")};
  std::string db = database.target();
  FakeEnv env;

 private:
  std::unique_ptr<App> app_;
  int devices_ = 0;
};

inline bool HasDot(const std::vector<Dot>& dots, const Dot& d) {
  return std::find(dots.begin(), dots.end(), d) != dots.end();
}

inline std::string ErrorCode(const HttpResponse& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : std::string("(no error field)");
}

}  // namespace sotay::server::testing
