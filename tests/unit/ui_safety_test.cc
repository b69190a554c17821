// `sotay ui`'s safety decisions (client-shell/ui/ui_safety.h): who may reach the
// notebook served on loopback. The browser test (tests/browser/notebook_ui.test.mjs)
// checks the same refusals over real HTTP.
#include <catch2/catch.hpp>

#include "ui_safety.h"

using namespace sotay::shell::ui;

namespace {

Secrets TestSecrets() {
  Secrets s;
  s.port = 41234;
  s.token = std::string(64, 'a');
  s.session = std::string(64, 'b');
  return s;
}

RequestFacts Get(const std::string& host = "127.0.0.1:41234") {
  RequestFacts r;
  r.method = "GET";
  r.host = host;
  return r;
}

}  // namespace

TEST_CASE("ui: only this port on a loopback name is served", "[ui]") {
  CHECK(HostAllowed("127.0.0.1:41234", 41234));
  CHECK(HostAllowed("localhost:41234", 41234));
  CHECK_FALSE(HostAllowed("evil.example:41234", 41234));  // DNS rebinding
  CHECK_FALSE(HostAllowed("127.0.0.1:41235", 41234));
  CHECK_FALSE(HostAllowed("127.0.0.1", 41234));
  CHECK_FALSE(HostAllowed("127.0.0.1:41234.evil.example", 41234));
  CHECK_FALSE(HostAllowed("", 41234));
  RequestFacts r = Get("evil.example:41234");
  r.token = TestSecrets().token;  // even with the right token
  CHECK(Judge(r, TestSecrets()) == Verdict::kBadHost);
}

TEST_CASE("ui: the token opens a session once exchanged for the cookie", "[ui]") {
  const Secrets s = TestSecrets();
  RequestFacts r = Get();
  CHECK(Judge(r, s) == Verdict::kNoSession);
  r.token = std::string(64, 'c');
  CHECK(Judge(r, s) == Verdict::kNoSession);
  r.token = s.token.substr(0, 63);
  CHECK(Judge(r, s) == Verdict::kNoSession);
  r.token = s.token;
  CHECK(Judge(r, s) == Verdict::kExchangeToken);

  const std::string cookie = SessionCookie(s);
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  CHECK(cookie.find("SameSite=Strict") != std::string::npos);
  CHECK(cookie.find(s.token) == std::string::npos);  // the cookie is not the URL's secret
  RequestFacts with_cookie = Get();
  with_cookie.cookie_header = "sotay_lang=en; " + cookie.substr(0, cookie.find(';'));
  CHECK(Judge(with_cookie, s) == Verdict::kAllow);
  with_cookie.cookie_header = "sotay_ui=" + std::string(64, 'x');
  CHECK(Judge(with_cookie, s) == Verdict::kNoSession);
  // The token in a POST does not open a session: only the link opened does.
  RequestFacts post = Get();
  post.method = "POST";
  post.origin = "http://127.0.0.1:41234";
  post.token = s.token;
  CHECK(Judge(post, s) == Verdict::kNoSession);
}

TEST_CASE("ui: a POST must come from the notebook's own pages", "[ui]") {
  const Secrets s = TestSecrets();
  RequestFacts r = Get();
  r.method = "POST";
  r.cookie_header = "sotay_ui=" + s.session;
  r.origin = "http://127.0.0.1:41234";
  CHECK(Judge(r, s) == Verdict::kAllow);
  r.origin = "http://evil.example";
  CHECK(Judge(r, s) == Verdict::kForeignOrigin);
  r.origin = "http://localhost:41234";  // the other loopback name is another origin
  CHECK(Judge(r, s) == Verdict::kForeignOrigin);
  r.origin = "null";
  CHECK(Judge(r, s) == Verdict::kForeignOrigin);
  r.origin = "";
  CHECK(Judge(r, s) == Verdict::kForeignOrigin);  // says nothing: refused
  r.sec_fetch_site = "same-origin";
  CHECK(Judge(r, s) == Verdict::kAllow);
  r.sec_fetch_site = "same-site";
  CHECK(Judge(r, s) == Verdict::kForeignOrigin);
  CHECK(std::string(RefusalText(Verdict::kForeignOrigin)).find(s.session) == std::string::npos);
}

TEST_CASE("ui: cookies are read by exact name", "[ui]") {
  CHECK(CookieValue("a=1; sotay_ui=xyz; b=2", "sotay_ui") == "xyz");
  CHECK(CookieValue("not_sotay_ui=xyz", "sotay_ui").empty());
  CHECK(CookieValue("", "sotay_ui").empty());
  CHECK_FALSE(SecretEquals("", ""));
}

TEST_CASE("ui: the notebook locks after the idle time without a request", "[ui]") {
  IdleClock clock(15 * 60 * 1000);
  clock.Touch(1000);
  CHECK_FALSE(clock.Expired(1000 + 15 * 60 * 1000 - 1));
  CHECK(clock.Expired(1000 + 15 * 60 * 1000));
  clock.Touch(1000 + 10 * 60 * 1000);  // a request restarts the wait
  CHECK_FALSE(clock.Expired(1000 + 15 * 60 * 1000));
}
