// The device side of the server tests that run RunSync in process: a real notebook
// enrolled with a ServerWorld, on a clock of its own, and the two conversions the
// HTTP adapter makes between a device's POST /v1/sync and App::Handle.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <utility>

#include "server_world.h"
#include "sotay/gzip.h"
#include "sotay/notebook.h"
#include "sotay/sync_run.h"

namespace sotay::server::testing {

// The device's clock: its own time, which may be wrong. Each reading moves it on.
class DeviceEnv : public Env {
 public:
  explicit DeviceEnv(int64_t now_ms = kStartMs) : now(now_ms) {}
  int64_t NowMs() override { return now += 10; }
  void RandomBytes(uint8_t* out, size_t n) override { randombytes_buf(out, n); }
  int64_t LocalNowMs() override { return now; }
  int64_t now;
};

struct PhoneOptions {
  std::string area = "01234";
  int64_t clock_ms = kStartMs;  // the phone's clock (DeviceEnv)
  bool real_clock = false;      // the system's clock instead, for a served server's
  std::string url = "http://district.example";
};

// A notebook with the test form, enrolled as `user`, its server key pinned.
struct EnrolledPhone {
  sotay::testing::TempDir dir;
  DeviceEnv env;
  std::unique_ptr<Notebook> nb;
  std::string server_key;  // as the enrollment answer gave it

  EnrolledPhone(ServerWorld& w, const std::string& user, const PhoneOptions& options = {}) : env(options.clock_ms) {
    NotebookOptions o;
    o.kdf = KdfLimits::Fast();
    if (!options.real_clock) o.env = &env;
    auto created = Notebook::Create(dir.File("notebook.db"), "mật khẩu thiết bị", o);
    REQUIRE(created.ok());
    nb = std::move(created).value();
    REQUIRE(nb->InstallForm(kTestForm, "case_test.json").ok());
    auto key = nb->PublicKeyBase64();
    REQUIRE(key.ok());
    HttpResponse enrolled = w.Enroll(w.IssueCode(user), nb->device_id(), *key, "10.0.0.60");
    INFO(enrolled.body);
    REQUIRE(enrolled.status == 200);
    server_key = nlohmann::json::parse(enrolled.body)["server_key"].get<std::string>();
    REQUIRE(nb->SetEnrollment(Notebook::Enrollment{options.url, user, options.area, "worker", server_key, {}}).ok());
  }

  // `n` children of the test form: "Lò Thị Mai 0", "Lò Thị Mai 1"...
  void MakeChildren(int n) {
    for (int i = 0; i < n; ++i) {
      auto made = nb->CreateRecord(
          "case_test", {{"full_name", "Lò Thị Mai " + std::to_string(i)}, {"sex", i % 2 ? "male" : "female"}}, "",
          "vi");
      REQUIRE(made.ok());
      REQUIRE(made->ok());
    }
  }
  size_t Records() { return nb->List({}, "vi")->size(); }
};

// A device's POST /v1/sync as App::Handle gets it: the headers as sent, but those
// `keep` refuses, and the body's gzip undone.
template <typename Keep>
HttpRequest SyncRequestFrom(const HttpHeaders& headers, const std::string& body, Keep keep) {
  HttpRequest req;
  req.method = "POST";
  req.path = "/v1/sync";
  req.remote_addr = "10.0.0.50";
  for (const auto& [name, value] : headers) {
    if (keep(name)) req.headers[name] = value;
  }
  req.body = body;
  if (req.Header("Content-Encoding") == "gzip") {
    auto plain = Gunzip(body, 16u << 20);
    REQUIRE(plain);
    req.body = std::move(*plain);
  }
  return req;
}
inline HttpRequest SyncRequestFrom(const HttpHeaders& headers, const std::string& body) {
  return SyncRequestFrom(headers, body, [](const std::string&) { return true; });
}

// App's answer as a device's transport hands it to RunSync.
inline HttpReply ReplyFrom(HttpResponse res) {
  HttpReply reply;
  reply.answered = true;
  reply.status = res.status;
  reply.body = std::move(res.body);
  for (const auto& [name, value] : res.headers) reply.headers.emplace_back(name, value);
  return reply;
}

}  // namespace sotay::server::testing
