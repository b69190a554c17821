// Sign-in against guessing (issue 12, findings 6 and 8): back-off per user and
// address instead of a lock anyone can trigger, the same work for unknown user ids,
// and redirects that never leave the server.
#include <sodium.h>

#include <cstring>

#include "admin/crypto.h"
#include "web/dashboard_store.h"
#include "store/login_guard.h"
#include "server_world.h"
#include "web_client.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

const char* kPassword = "mật khẩu dài đủ 12";

struct SignInWorld : ServerWorld {
  SignInWorld() {
    auto store = OpenStore();
    REQUIRE(AddUser(*store, "huyen", Role::kDistrict, "148", std::string(kPassword), &env).ok());
    REQUIRE(AddUser(*store, "xa-vm", Role::kWorker, "01237", std::nullopt, &env).ok());  // no dashboard password
  }

  // One sign-in POST from `addr`, to this world's server or to `other`.
  HttpResponse SignIn(const std::string& user, const std::string& password, const std::string& addr,
                      App* other = nullptr) {
    HttpRequest req;
    req.method = "POST";
    req.path = "/login";
    req.remote_addr = addr;
    req.headers["Host"] = "dashboard.test";
    req.headers["Content-Type"] = "application/x-www-form-urlencoded";
    req.body = "user=" + web::UrlEncode(user) + "&password=" + web::UrlEncode(password) + "&next=%2Frecords";
    return (other != nullptr ? *other : app()).Handle(req);
  }
};

}  // namespace

TEST_CASE("sign-in: wrong passwords from one address do not lock the right one out from another", "[web][sign-in]") {
  SignInWorld w;
  int refused = 0;
  for (int i = 0; i < 10; ++i) {
    const int status = w.SignIn("huyen", "wrong password " + std::to_string(i), "10.0.0.66").status;
    CHECK((status == 401 || status == 429));
    refused += status == 429;
  }
  CHECK(refused > 0);  // the guesser is slowed down
  HttpResponse own = w.SignIn("huyen", kPassword, "10.0.0.1");
  CHECK(own.status == 303);
  CHECK(own.headers["Location"] == "/records");
}

TEST_CASE("sign-in: each further wrong password waits longer - the right one works once the wait is over",
          "[web][sign-in]") {
  SignInWorld w;
  for (int i = 0; i < kFreeFailures; ++i) CHECK(w.SignIn("huyen", "wrong", "10.0.0.5").status == 401);
  HttpResponse wait = w.SignIn("huyen", kPassword, "10.0.0.5");  // even the right password waits
  CHECK(wait.status == 429);
  CHECK(wait.headers["Retry-After"] == "1");
  CHECK(wait.body.find("Hãy đợi 1 giây") != std::string::npos);
  w.env.now_ms += 1000;
  CHECK(w.SignIn("huyen", "wrong", "10.0.0.5").status == 401);
  HttpResponse longer = w.SignIn("huyen", "wrong", "10.0.0.5");
  CHECK(longer.status == 429);
  CHECK(longer.headers["Retry-After"] == "2");
  w.env.now_ms += 2000;
  CHECK(w.SignIn("huyen", kPassword, "10.0.0.5").status == 303);
  // A success clears the count.
  CHECK(w.SignIn("huyen", "wrong", "10.0.0.5").status == 401);
}

TEST_CASE("sign-in: an unknown user id costs the same password check as a known one", "[web][sign-in]") {
  SignInWorld w;
  const uint64_t before = w.app().metrics().password_checks();
  CHECK(w.SignIn("huyen", "wrong", "10.0.0.7").status == 401);
  CHECK(w.app().metrics().password_checks() == before + 1);
  CHECK(w.SignIn("nobody", kPassword, "10.0.0.7").status == 401);
  CHECK(w.app().metrics().password_checks() == before + 2);
  CHECK(w.SignIn("xa-vm", kPassword, "10.0.0.7").status == 401);  // a user without a password
  CHECK(w.app().metrics().password_checks() == before + 3);
}

TEST_CASE("sign-in: the language switch and the sign-in send the browser only to this server's pages",
          "[web][sign-in]") {
  SignInWorld w;
  WebClient c(w.app());
  for (const char* away : {"/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\\evil.example",
                           "//evil.example", "/ /evil.example", "https://evil.example", "evil.example",
                           "/\x7f/evil.example", "/caf\xc3\xa9"}) {
    INFO(away);
    HttpResponse lang = c.Get("/lang/en", {{"next", away}});
    CHECK(lang.status == 303);
    CHECK(lang.headers["Location"] == "/");
    HttpResponse login = c.Get("/login", {{"next", away}});
    CHECK(login.body.find("name=\"next\" value=\"/\"") != std::string::npos);
  }
  HttpResponse own = c.Get("/lang/vi", {{"next", "/records?form=case_test&page=2"}});
  CHECK(own.headers["Location"] == "/records?form=case_test&page=2");
}

TEST_CASE("sign-in: two server processes on one database count the same attempts", "[web][sign-in]") {
  SignInWorld w;
  // A second server on the same database, with memory of its own, as a second
  // process behind nginx would be.
  auto second = App::Create(w.OpenStore(), &w.env, nullptr, ServerLimits{});
  REQUIRE(second.ok());
  // Wrong passwords alternate between the two: the back-off counts them all.
  for (int i = 0; i < kFreeFailures; ++i) {
    CHECK(w.SignIn("huyen", "wrong", "10.0.0.7", i % 2 == 0 ? nullptr : second->get()).status == 401);
  }
  CHECK(w.SignIn("huyen", kPassword, "10.0.0.7").status == 429);
  CHECK(w.SignIn("huyen", kPassword, "10.0.0.7", second->get()).status == 429);
  // And the attempts per address: ten a minute between them, not ten each.
  int answered = 0;
  for (int i = 0; i < 20; ++i) {
    answered += w.SignIn("u" + std::to_string(i), "wrong", "10.0.0.8", i % 2 == 0 ? nullptr : second->get()).status == 401;
  }
  CHECK(answered == kAttemptsPerWindow);
}

TEST_CASE("sign-in: the guard keeps a long user id as a short key, and forgets attempts older than the longest wait",
          "[web][sign-in]") {
  SignInWorld w;
  // A 100,000-character "user id" is keyed as one short key, and still waits.
  const std::string huge(100000, 'a');
  for (int i = 0; i < kFreeFailures; ++i) CHECK(w.SignIn(huge, "wrong", "203.0.113.9").status == 401);
  CHECK(w.SignIn(huge, "wrong", "203.0.113.9").status == 429);
  CHECK(w.Count("SELECT max(length(key)) FROM login_guard") < 300);
  // Addresses without end (an IPv6 block): each leaves rows, which go once their
  // waits are long over.
  for (int i = 0; i < 30; ++i) w.SignIn("u" + std::to_string(i), "wrong", "2001:db8::" + std::to_string(i));
  CHECK(w.Count("SELECT count(*) FROM login_guard") >= 30);
  w.env.now_ms += kMaxBackoffMs + 2 * kAttemptWindowMs;
  CHECK(w.SignIn("huyen", "wrong", "10.0.0.9").status == 401);
  CHECK(w.Count("SELECT count(*) FROM login_guard") == 2);  // this attempt's: its address, its failure
}

TEST_CASE("sign-in: a password hashed with the old 64 MiB limits still signs in, and is hashed again with 12 MiB",
          "[web][sign-in]") {
  SignInWorld w;
  char old_hash[crypto_pwhash_STRBYTES];
  REQUIRE(crypto_pwhash_str(old_hash, kPassword, std::strlen(kPassword), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0);
  {
    auto store = w.OpenStore();
    REQUIRE(store->SetPasswordHash("huyen", std::string(old_hash)).ok());
  }
  auto stored = [&] {
    auto store = w.OpenStore();
    auto h = web::DashboardStore(*store).PasswordHash("huyen");
    REQUIRE(h.ok());
    REQUIRE(h->has_value());
    return **h;
  };
  REQUIRE(PasswordNeedsRehash(stored()));
  // A wrong password leaves the old hash alone.
  CHECK(w.SignIn("huyen", "wrong", "10.0.0.9").status == 401);
  CHECK(stored() == old_hash);
  CHECK(w.SignIn("huyen", kPassword, "10.0.0.9").status == 303);
  const std::string fresh = stored();
  CHECK(fresh != old_hash);
  CHECK(fresh.find("$argon2id$v=19$m=12288,t=3,p=1$") == 0);
  CHECK_FALSE(PasswordNeedsRehash(fresh));
  // The same password, under the new hash.
  CHECK(w.SignIn("huyen", kPassword, "10.0.0.9").status == 303);
  CHECK(w.SignIn("huyen", "wrong", "10.0.0.9").status == 401);
  CHECK(stored() == fresh);
}
