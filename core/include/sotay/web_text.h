// The text of web pages and requests, written and read alike by the server's
// dashboard (sync-server/web/) and the notebook's own pages (`sotay ui`): HTML
// escaping, percent-encoding, a cookie's value. Pure functions.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace sotay {

// Text safe in an HTML element's content or a quoted attribute (& < > " ').
std::string HtmlEscape(std::string_view text);

// Percent-encodes everything but unreserved characters (RFC 3986), for a query
// string or a form value.
std::string UrlEncode(std::string_view text);

// The value of cookie `name` in a Cookie header, "" when absent.
std::string CookieValue(std::string_view cookie_header, std::string_view name);

}  // namespace sotay
