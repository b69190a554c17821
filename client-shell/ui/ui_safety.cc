// The safety decisions of `sotay ui` (ui_safety.h).
#include "ui_safety.h"

namespace sotay::shell::ui {

bool HostAllowed(std::string_view host, int port) {
  const std::string p = ":" + std::to_string(port);
  return host == "127.0.0.1" + p || host == "localhost" + p;
}

bool SameOrigin(std::string_view method, std::string_view host, std::string_view origin,
                std::string_view sec_fetch_site) {
  if (method == "GET" || method == "HEAD") return true;
  if (!origin.empty()) return origin == "http://" + std::string(host);
  return sec_fetch_site == "same-origin";
}

bool SecretEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

Verdict Judge(const RequestFacts& r, const Secrets& s) {
  // Host first: a rebound name never learns whether its token or cookie was right.
  if (!HostAllowed(r.host, s.port)) return Verdict::kBadHost;
  if (!SameOrigin(r.method, r.host, r.origin, r.sec_fetch_site)) return Verdict::kForeignOrigin;
  if (SecretEquals(CookieValue(r.cookie_header, kSessionCookie), s.session)) return Verdict::kAllow;
  // The token only opens a session from a plain GET (the link printed and opened).
  if (r.method == "GET" && SecretEquals(r.token, s.token)) return Verdict::kExchangeToken;
  return Verdict::kNoSession;
}

const char* RefusalText(Verdict v) {
  switch (v) {
    case Verdict::kBadHost:
      return "Forbidden: this address is not the notebook's (open the link sotay ui printed).\n"
             "Bị từ chối: đây không phải địa chỉ của sổ tay (mở đường dẫn sotay ui đã in ra).\n";
    case Verdict::kForeignOrigin:
      return "Forbidden: the request came from another page than the notebook's own.\n"
             "Bị từ chối: yêu cầu đến từ một trang khác, không phải trang của sổ tay.\n";
    case Verdict::kNoSession:
      return "Forbidden: no session; open the link sotay ui printed (its token is missing or wrong).\n"
             "Bị từ chối: chưa có phiên; hãy mở đường dẫn sotay ui đã in ra (thiếu mã hoặc mã sai).\n";
    case Verdict::kAllow:
    case Verdict::kExchangeToken: break;
  }
  return "";
}

std::string SessionCookie(const Secrets& s) {
  return std::string(kSessionCookie) + "=" + s.session + "; Path=/; HttpOnly; SameSite=Strict";
}

}  // namespace sotay::shell::ui
