// Writing the dashboard's HTML: escaping, the page frame with its navigation, and
// the responses every page sends (security headers, no caching of personal data).
// Pages are plain server-rendered HTML: they work on an old office PC, print, and
// need nothing from the internet (one stylesheet and one small script, both served
// by the binary).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "admin/access.h"
#include "sotay/lang.h"
#include "http/http_message.h"

namespace sotay::server::web {

// Who is looking, in which language, and what a page needs to write its forms.
struct Viewer {
  std::string user;
  Role role = Role::kWorker;
  std::string area;
  std::string lang = "vi";  // "vi" or "en"
  std::string csrf;         // the session's token, for every form that changes something
  int64_t utc_offset_ms = 0;  // local time minus UTC, for showing times
  bool sees_sensitive = false;  // `admin grant-sensitive` (web/sensitive.h decides)
  bool signed_in() const { return !user.empty(); }
  bool en() const { return IsEnglish(lang); }
  const char* T(const char* vi, const char* en_text) const { return Pick(lang, vi, en_text); }
};

// Text and attribute escaping (& < > " ').
std::string Esc(std::string_view text);

// The hidden input that carries the CSRF token.
std::string CsrfField(const Viewer& v);

// A whole page: head, navigation for the viewer's role, the title as <h1>, body.
// `active` is the navigation entry to mark ("records", "conflicts", ...).
std::string Page(const Viewer& v, const std::string& title, const std::string& active, const std::string& body);

// The viewer's adapters of sotay/presentation.h (TimeText, DateText, DecimalText).
// A UTC time in ms as the viewer's local "22/11/2026 14:05" (en: "2026-11-22 14:05").
std::string FormatTime(const Viewer& v, int64_t utc_ms);
// A date "YYYY-MM-DD" as the viewer reads it ("22/11/2026" in vi).
std::string FormatDate(const Viewer& v, const std::string& iso_date);
// A number with the viewer's decimal mark.
std::string FormatNumber(const Viewer& v, double value, int decimals);

HttpResponse HtmlResponse(int status, std::string html);
HttpResponse Redirect(const std::string& location);
// A page that says what went wrong, with the status.
HttpResponse ErrorPage(const Viewer& v, int status, const std::string& message);

}  // namespace sotay::server::web
