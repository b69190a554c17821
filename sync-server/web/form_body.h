// The pieces of a browser's request the dashboard reads: an HTML form's body
// (application/x-www-form-urlencoded) and the Cookie header; and percent-encoding
// for the links it writes.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "sotay/web_text.h"

namespace sotay::server::web {

using FormValues = std::multimap<std::string, std::string>;

// Decodes "a=1&b=x+y%C3%A1". Malformed escapes are kept as written (a browser never
// sends them; a forged request gets a value that matches nothing).
FormValues ParseFormBody(std::string_view body);
std::string FormValue(const FormValues& form, const std::string& name);

using sotay::CookieValue;  // sotay/web_text.h
using sotay::UrlEncode;

}  // namespace sotay::server::web
