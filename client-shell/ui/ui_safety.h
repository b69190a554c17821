// The safety decisions of `sotay ui`, the notebook served to a browser on this
// computer: which requests may reach the notebook at all. Kept pure (no socket, no
// clock) so each rule is tested directly (tests/unit/ui_safety_test.cc); the server
// (ui_server.cc) only gathers a request's facts and obeys the verdict.
//
// The rules: the Host must be 127.0.0.1:PORT or localhost:PORT (a page of another
// site rebound to 127.0.0.1 by DNS sends its own name); a request carries the session
// cookie, or the secret token of the printed URL, which is exchanged for the cookie
// and dropped from the address; a POST must come from the same origin (Origin, or
// Sec-Fetch-Site when a browser sends no Origin), so no other local page can drive it.
//
// Thread-safety: pure functions and values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sotay/web_text.h"

namespace sotay::shell::ui {

// What a request says about itself, as read from its headers.
struct RequestFacts {
  std::string method;          // "GET", "POST"...
  std::string host;            // the Host header
  std::string origin;          // the Origin header, "" when absent
  std::string sec_fetch_site;  // the Sec-Fetch-Site header, "" when absent
  std::string token;           // the `t` query parameter, "" when absent
  std::string cookie_header;   // the Cookie header, "" when absent
};

// The secrets of one `sotay ui` run.
struct Secrets {
  int port = 0;
  std::string token;    // in the printed URL: 64 hex characters (256 random bits)
  std::string session;  // the cookie's value: 64 hex characters, never in a URL
};

enum class Verdict {
  kAllow,           // a session: serve it
  kExchangeToken,   // the right token: set the cookie, redirect to the address without it
  kBadHost,         // 403: not addressed to this server by a loopback name
  kForeignOrigin,   // 403: a POST from another origin (or one that does not say)
  kNoSession,       // 403: neither the cookie nor the right token
};

// The name of the session cookie.
inline constexpr const char* kSessionCookie = "sotay_ui";

Verdict Judge(const RequestFacts& r, const Secrets& s);

// A plain sentence for a refusal, for the 403 page (it names no secret).
const char* RefusalText(Verdict v);

// Whether `host` is exactly 127.0.0.1:PORT or localhost:PORT.
bool HostAllowed(std::string_view host, int port);
// Whether a request of `method` comes from this server's own pages: every method
// but GET and HEAD needs Origin equal to "http://" + host, or, without Origin,
// Sec-Fetch-Site "same-origin".
bool SameOrigin(std::string_view method, std::string_view host, std::string_view origin,
                std::string_view sec_fetch_site);
using sotay::CookieValue;  // sotay/web_text.h: the value of a cookie, "" when absent
// Compares secrets in time that does not depend on where they differ.
bool SecretEquals(std::string_view a, std::string_view b);

// The Set-Cookie value that opens a session: HttpOnly (no script reads it),
// SameSite=Strict (no other site's page sends it), Path=/, and no Max-Age: it ends
// with the browser.
std::string SessionCookie(const Secrets& s);

// The idle clock: the notebook is locked again after `idle_ms` without a request.
class IdleClock {
 public:
  explicit IdleClock(int64_t idle_ms) : idle_ms_(idle_ms) {}
  void Touch(int64_t now_ms) { last_ms_ = now_ms; }
  bool Expired(int64_t now_ms) const { return now_ms - last_ms_ >= idle_ms_; }
  int64_t idle_ms() const { return idle_ms_; }

 private:
  int64_t idle_ms_;
  int64_t last_ms_ = 0;
};

}  // namespace sotay::shell::ui
