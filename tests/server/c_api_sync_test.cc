// A phone app through the C API (sotay_c.h) only: it enrolls its key, records
// children, and syncs over its own "HTTP", here a C callback that hands each request
// to the real server's handlers the way the HTTP adapter does.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server_world.h"
#include "sotay/gzip.h"
#include "sotay/sotay_c.h"

using namespace sotay;
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

// The enrollment request of a phone, posted to the real server's handler as the
// app's HTTP stack would; `tamper` changes the answer on the way back.
json EnrollThroughApp(ServerWorld& w, sotay_notebook* nb, const std::string& code, sotay_error* err,
                      const std::function<void(HttpResponse&)>& tamper = {}) {
  char* body = nullptr;
  char* nonce = nullptr;
  REQUIRE(sotay_enroll_begin(nb, code.c_str(), &body, &nonce, err) == 0);
  HttpRequest req;
  req.method = "POST";
  req.path = "/v1/enroll";
  req.remote_addr = "10.0.0.71";
  req.body = Take(body);
  const std::string sent_nonce = Take(nonce);
  req.headers["X-Sotay-Nonce"] = sent_nonce;
  HttpResponse res = w.app().Handle(req);
  if (tamper) tamper(res);
  sotay_reply* reply = sotay_reply_new();
  sotay_reply_set(reply, res.status, res.body.data(), res.body.size());
  for (const auto& [name, value] : res.headers) sotay_reply_set_header(reply, name.c_str(), value.c_str());
  char* enrolled = nullptr;
  const int rc = sotay_enroll_finish(nb, "https://huyen.example", sent_nonce.c_str(), reply, &enrolled, err);
  sotay_reply_free(reply);
  return rc == 0 ? json::parse(Take(enrolled)) : json();
}

// A phone: a notebook made and enrolled through the C API.
struct Phone {
  TempDir dir;
  sotay_notebook* nb = nullptr;

  explicit Phone(ServerWorld& w, const std::string& user = "") {
    sotay_error err{};
    nb = sotay_create(dir.File("phone.db").c_str(), "mật khẩu điện thoại", nullptr, 0, &err);
    REQUIRE(nb != nullptr);
    REQUIRE(sotay_install_form(nb, kTestForm, &err) == 0);
    if (user.empty()) return;
    const json enrolled = EnrollThroughApp(w, nb, w.IssueCode(user), &err);
    INFO(err.message);
    REQUIRE(enrolled["user"] == user);
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
    REQUIRE(sotay_create_record(lan.nb, "case_test", answers.c_str(), nullptr, nullptr, "vi", &result, &err) == 0);
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
  REQUIRE(sotay_create_record(lan.nb, "case_test", R"({"full_name": "Lò Thị Hoa"})", nullptr, nullptr, "vi", &result,
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

TEST_CASE("c api enroll: only an answer signed by the key it names enrolls the phone, and nothing is kept otherwise",
          "[server][enroll][c_api]") {
  ServerWorld w;
  sotay_error err{};
  // Each phone once: the server enrolled its id even when the phone refused the answer.
  auto refused_and_not_enrolled = [&](const std::function<void(HttpResponse&)>& tamper) {
    Phone phone(w);
    CHECK(EnrollThroughApp(w, phone.nb, w.IssueCode("w-a"), &err, tamper).is_null());
    const sotay_code code = err.code;
    char* out = nullptr;
    REQUIRE(sotay_sync_status(phone.nb, &out, &err) == 0);
    CHECK(json::parse(Take(out))["server_url"] == "");
    return code;
  };

  // A changed body: the signature no longer covers it.
  CHECK(refused_and_not_enrolled([](HttpResponse& r) {
          const size_t at = r.body.find("01234");
          REQUIRE(at != std::string::npos);
          r.body.replace(at, 5, "01255");
        }) == SOTAY_TAMPERED);
  // Signed by another key than the one the answer names (a machine in the middle
  // that swapped in its own key but cannot sign with it).
  CHECK(refused_and_not_enrolled([](HttpResponse& r) {
          unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
          crypto_sign_keypair(pk, sk);
          r.headers["X-Sotay-Server-Key"] =
              Base64Encode(std::string_view(reinterpret_cast<const char*>(pk), sizeof pk));
        }) == SOTAY_TAMPERED);
  // Unsigned altogether.
  CHECK(refused_and_not_enrolled([](HttpResponse& r) { r.headers.clear(); }) == SOTAY_TAMPERED);

  // A used code: the server's reason, nothing kept.
  Phone phone(w);
  const std::string code = w.IssueCode("w-a");
  const json first = EnrollThroughApp(w, phone.nb, code, &err);
  REQUIRE(first["area"] == "01234");
  Phone other(w);
  CHECK(EnrollThroughApp(w, other.nb, code, &err).is_null());
  CHECK(err.code == SOTAY_FAILED_PRECONDITION);
  CHECK(std::string(err.message).find("refused") != std::string::npos);

  char* body = nullptr;
  char* nonce = nullptr;
  CHECK(sotay_enroll_begin(phone.nb, "", &body, &nonce, &err) == -1);
  CHECK(err.code == SOTAY_INVALID_ARGUMENT);
  CHECK(sotay_enroll_finish(phone.nb, "https://huyen.example", "n", nullptr, nullptr, &err) == -1);
  CHECK(err.code == SOTAY_INVALID_ARGUMENT);
}

TEST_CASE("c api enroll: a district officer's phone learns its communes and must choose one for a new record",
          "[server][enroll][c_api]") {
  ServerWorld w;
  w.env.now_ms = sotay::Env::Default()->NowMs();
  Line line(&w);
  Phone officer(w);
  sotay_error err{};
  const json enrolled = EnrollThroughApp(w, officer.nb, w.IssueCode("d-1"), &err);
  INFO(err.message);
  CHECK(enrolled["role"] == "district");
  CHECK(enrolled["area"] == "148");
  REQUIRE(enrolled["communes"].size() == 2);

  char* out = nullptr;
  REQUIRE(sotay_communes(officer.nb, &out, &err) == 0);
  const json communes = json::parse(Take(out));
  CHECK(communes["needs_choice"] == true);
  REQUIRE(communes["communes"].size() == 2);
  CHECK(communes["communes"][1]["code"] == "01237");
  CHECK(communes["communes"][1]["name"] == "Xã Vạn Mai");

  const char* answers = R"({"full_name": "Hà Văn Tú"})";
  CHECK(sotay_create_record(officer.nb, "case_test", answers, nullptr, nullptr, "vi", &out, &err) == -1);
  CHECK(err.code == SOTAY_FAILED_PRECONDITION);
  CHECK(sotay_create_record(officer.nb, "case_test", answers, nullptr, "01255", "vi", &out, &err) == -1);
  CHECK(err.code == SOTAY_INVALID_ARGUMENT);  // another district's commune
  REQUIRE(sotay_create_record(officer.nb, "case_test", answers, nullptr, "01237", "vi", &out, &err) == 0);
  const std::string id = json::parse(Take(out))["id"];
  REQUIRE_FALSE(id.empty());

  char* summary = nullptr;
  REQUIRE(sotay_sync(officer.nb, PostThroughApp, &line, &summary, &err) == 0);
  CHECK(json::parse(Take(summary))["rejected"].empty());
  CHECK(w.Count("SELECT count(*) FROM records WHERE area = '01237'") == 1);
}
