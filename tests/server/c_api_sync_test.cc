// A phone app through the C API (sotay_c.h) only: it enrolls its key, records
// children, and syncs over its own "HTTP", here a C callback that hands each request
// to the real server's handlers the way the HTTP adapter does.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server_world.h"
#include "sotay/gzip.h"
#include "sotay/sotay_c.h"

using namespace sotay::server;
using namespace sotay::server::testing;
using nlohmann::json;
using sotay::testing::TempDir;

namespace {

struct Line {
  explicit Line(ServerWorld* w) : world(w) {}
  ServerWorld* world;
  bool down = false;  // no signal: the callback leaves the reply unset
  std::vector<int> statuses;
};

extern "C" void PostThroughApp(void* user_data, const char* const* names, const char* const* values, size_t n,
                               const void* body, size_t body_len, sotay_reply* reply) {
  auto* line = static_cast<Line*>(user_data);
  if (line->down) return;
  HttpRequest req;
  req.method = "POST";
  req.path = "/v1/sync";
  req.remote_addr = "10.0.0.70";
  for (size_t i = 0; i < n; ++i) req.headers[names[i]] = values[i];
  req.body.assign(static_cast<const char*>(body), body_len);
  if (req.Header("Content-Encoding") == "gzip") {
    auto plain = sotay::Gunzip(req.body, 16u << 20);
    if (!plain) return sotay_reply_fail(reply, "the body is not gzip");
    req.body = std::move(*plain);
  }
  HttpResponse res = line->world->app().Handle(req);
  line->statuses.push_back(res.status);
  sotay_reply_set(reply, res.status, res.body.data(), res.body.size());
  for (const auto& [name, value] : res.headers) sotay_reply_set_header(reply, name.c_str(), value.c_str());
}

std::string Take(char* s) {
  std::string out = s != nullptr ? s : "";
  sotay_free_string(s);
  return out;
}

// A phone: a notebook made and enrolled through the C API.
struct Phone {
  TempDir dir;
  sotay_notebook* nb = nullptr;

  Phone(ServerWorld& w, const std::string& user) {
    sotay_error err{};
    nb = sotay_create(dir.File("phone.db").c_str(), "mật khẩu điện thoại", nullptr, 0, &err);
    REQUIRE(nb != nullptr);
    REQUIRE(sotay_install_form(nb, kTestForm, &err) == 0);
    char* identity = nullptr;
    REQUIRE(sotay_device_identity(nb, &identity, &err) == 0);
    const json id = json::parse(Take(identity));
    HttpResponse enrolled = w.Enroll(w.IssueCode(user), id["device_id"], id["public_key"], "10.0.0.71");
    INFO(enrolled.body);
    REQUIRE(enrolled.status == 200);
    const json answer = json::parse(enrolled.body);
    REQUIRE(sotay_set_enrollment(nb, "https://huyen.example", answer["user"].get<std::string>().c_str(),
                                 answer["area"].get<std::string>().c_str(), &err) == 0);    REQUIRE(sotay_pin_server_key(nb, answer["server_key"].get<std::string>().c_str(), &err) == 0);
  }
  ~Phone() { sotay_close(nb); }

  json Status() {
    sotay_error err{};
    char* out = nullptr;
    REQUIRE(sotay_sync_status(nb, &out, &err) == 0);
    return json::parse(Take(out));
  }
};

}  // namespace

TEST_CASE("c api sync: a phone enrolls, syncs its children, and a second phone receives them",
          "[server][sync][c_api]") {
  ServerWorld w;
  w.env.now_ms = sotay::Env::Default()->NowMs();  // the phones keep real time: the server too
  Line line(&w);
  Phone lan(w, "w-a");
  sotay_error err{};
  for (const char* name : {"Lò Thị Hoa", "Sùng A Páo"}) {
    char* result = nullptr;
    const std::string answers = json{{"full_name", name}, {"sex", "female"}}.dump();
    REQUIRE(sotay_create_record(lan.nb, "case_test", answers.c_str(), nullptr, "vi", &result, &err) == 0);
    Take(result);
  }
  const json before = lan.Status();
  CHECK(before["server_url"] == "https://huyen.example");
  CHECK(before["last_sync_ms"] == 0);
  const int64_t waiting = before["outbox"];
  REQUIRE(waiting > 0);

  char* summary = nullptr;
  REQUIRE(sotay_sync(lan.nb, PostThroughApp, &line, &summary, &err) == 0);
  const json sent = json::parse(Take(summary));
  CHECK(sent["sent"] == waiting);
  CHECK(sent["http_status"] == 0);
  CHECK(sent["bytes_up"].get<int64_t>() > 0);
  CHECK(w.Count("SELECT count(*) FROM records") == 2);
  CHECK(line.statuses == std::vector<int>(line.statuses.size(), 200));
  const json after = lan.Status();
  CHECK(after["outbox"] == 0);
  CHECK(after["last_sync_ms"].get<int64_t>() > 0);

  Phone hung(w, "w-b");  // the same commune
  REQUIRE(sotay_sync(hung.nb, PostThroughApp, &line, &summary, &err) == 0);
  CHECK(json::parse(Take(summary))["received"] == waiting);
  char* list = nullptr;
  REQUIRE(sotay_list_records(hung.nb, nullptr, "sung a pao", "vi", &list, &err) == 0);
  const json found = json::parse(Take(list));
  REQUIRE(found.size() == 1);
  CHECK(found[0]["name"] == "Sùng A Páo");
}

TEST_CASE("c api sync: no signal, and a revoked phone, stop the sync with a reason and keep the outbox",
          "[server][sync][c_api]") {
  ServerWorld w;
  Line line(&w);
  Phone lan(w, "w-a");
  sotay_error err{};
  char* result = nullptr;
  REQUIRE(sotay_create_record(lan.nb, "case_test", R"({"full_name": "Lò Thị Hoa"})", nullptr, "vi", &result,
                              &err) == 0);
  Take(result);
  const int64_t waiting = lan.Status()["outbox"];

  line.down = true;
  char* summary = nullptr;
  CHECK(sotay_sync(lan.nb, PostThroughApp, &line, &summary, &err) == -1);
  CHECK(err.code == SOTAY_IO_ERROR);
  CHECK(json::parse(Take(summary))["unanswered"] == true);
  CHECK(lan.Status()["outbox"] == waiting);

  line.down = false;
  {
    auto store = w.OpenStore();
    char* identity = nullptr;
    REQUIRE(sotay_device_identity(lan.nb, &identity, &err) == 0);
    const std::string device = json::parse(Take(identity))["device_id"];
    REQUIRE(store->RevokeDevice(device, w.env.now_ms).ok());
  }
  CHECK(sotay_sync(lan.nb, PostThroughApp, &line, &summary, &err) == -1);
  CHECK(err.code == SOTAY_FAILED_PRECONDITION);
  CHECK(std::string(err.message).find("revoked") != std::string::npos);
  const json refused = json::parse(Take(summary));
  CHECK(refused["http_status"] == 403);
  CHECK(refused["server_error"] == "revoked");
  CHECK(lan.Status()["outbox"] == waiting);
  CHECK(w.Count("SELECT count(*) FROM records") == 0);

  CHECK(sotay_sync(lan.nb, nullptr, &line, nullptr, &err) == -1);
  CHECK(err.code == SOTAY_INVALID_ARGUMENT);
}
