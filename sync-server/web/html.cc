#include "web/html.h"

#include <cstdio>

#include "sotay/presentation.h"
#include "sotay/web_text.h"

namespace sotay::server::web {

std::string Esc(std::string_view text) { return HtmlEscape(text); }

std::string CsrfField(const Viewer& v) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + Esc(v.csrf) + "\">";
}

namespace {

struct NavItem {
  const char* key;
  const char* href;
  const char* vi;
  const char* en;
  bool staff;  // for workers and district staff (records); else for administrators
};

const NavItem kNav[] = {
    {"records", "/records", "Hồ sơ", "Records", true},
    {"conflicts", "/conflicts", "Xung đột", "Conflicts", true},
    {"duplicates", "/duplicates", "Có thể trùng", "Possible duplicates", true},
    {"cases", "/cases", "Việc cần làm", "To act on", true},
    {"reports", "/reports", "Báo cáo", "Reports", true},
    {"export", "/export", "Xuất dữ liệu", "Export", true},
    {"users", "/admin/users", "Người dùng", "Users", false},
    {"devices", "/admin/devices", "Thiết bị", "Devices", false},
    {"audit", "/audit", "Nhật ký truy cập", "Audit log", false},
};

}  // namespace

std::string Page(const Viewer& v, const std::string& title, const std::string& active, const std::string& body) {
  std::string h;
  h.reserve(body.size() + 2048);
  h += "<!doctype html>\n<html lang=\"";
  h += v.en() ? "en" : "vi";
  h += "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  h += "<title>" + Esc(title) + " · Sotay</title>";
  h += "<link rel=\"stylesheet\" href=\"/static/sotay.css\"><script src=\"/static/sotay.js\" defer></script>";
  h += "</head><body><header class=\"top\"><a class=\"brand\" href=\"/\">Sổ tay</a>";
  // The navigation and the account links are written twice: in a row for a wide
  // screen and in a <details> menu for a phone (360 px), which opens without a
  // script. CSS shows one of the two.
  std::string nav, who;
  if (v.signed_in()) {
    for (const NavItem& n : kNav) {
      const bool for_admin = v.role == Role::kAdmin;
      if (n.staff == for_admin) continue;
      nav += "<a href=\"";
      nav += n.href;
      nav += "\"";
      if (active == n.key) nav += " class=\"on\" aria-current=\"page\"";
      nav += ">";
      nav += v.T(n.vi, n.en);
      nav += "</a>";
    }
    // The user's name leads to their own account (the password change).
    who += "<a href=\"/account/password\" title=\"";
    who += v.T("Đổi mật khẩu", "Change password");
    who += "\">" + Esc(v.user) + "</a>";
    who += "<form method=\"post\" action=\"/logout\">" + CsrfField(v) + "<button class=\"link\">";
    who += v.T("Đăng xuất", "Sign out");
    who += "</button></form>";
  }
  who += v.en() ? "<a href=\"/lang/vi\">Tiếng Việt</a>" : "<a href=\"/lang/en\">English</a>";
  if (v.signed_in()) {
    h += "<nav class=\"wide\">" + nav + "</nav><div class=\"who wide\">" + who + "</div>";
    h += std::string("<details class=\"menu\"><summary>") + v.T("Menu", "Menu") + "</summary><div class=\"drop\"><nav>" +
         nav + "</nav><div class=\"who\">" + who + "</div></div></details>";
  } else {
    h += "<div class=\"who\">" + who + "</div>";  // the language only: no menu needed
  }
  h += "</header><main><h1>" + Esc(title) + "</h1>\n";
  h += body;
  h += "\n</main></body></html>\n";
  return h;
}


std::string FormatTime(const Viewer& v, int64_t utc_ms) { return TimeText(utc_ms, v.utc_offset_ms, v.lang); }

std::string FormatDate(const Viewer& v, const std::string& iso) { return DateText(iso, v.lang); }

std::string FormatNumber(const Viewer& v, double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return DecimalText(buf, v.lang);
}

HttpResponse HtmlResponse(int status, std::string html) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(html);
  r.headers["Cache-Control"] = "no-store";
  r.headers["Content-Security-Policy"] =
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
      "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  r.headers["X-Content-Type-Options"] = "nosniff";
  r.headers["X-Frame-Options"] = "DENY";
  // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on
  // form posts, and the CSRF check needs the real origin.
  r.headers["Referrer-Policy"] = "same-origin";
  return r;
}

HttpResponse Redirect(const std::string& location) {
  HttpResponse r = HtmlResponse(303, "");
  r.headers["Location"] = location;
  return r;
}

HttpResponse ErrorPage(const Viewer& v, int status, const std::string& message) {
  std::string title = status == 403   ? v.T("Không được phép", "Not allowed")
                      : status == 404 ? v.T("Không tìm thấy", "Not found")
                                      : v.T("Yêu cầu không hợp lệ", "Bad request");
  if (status >= 500) title = v.T("Lỗi máy chủ", "Server error");
  std::string body = "<p class=\"error\">" + Esc(message) + "</p><p><a href=\"/\">" +
                     v.T("Về trang chính", "Back to the start") + "</a></p>";
  return HtmlResponse(status, Page(v, title, "", body));
}

}  // namespace sotay::server::web
