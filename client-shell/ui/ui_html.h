// The HTML of `sotay ui`: escaping and the frame every page shares (its CSS is
// served from the binary as /ui.css, its one script as /ui.js). Pages are rendered on the
// server, as the dashboard's are.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "sotay/web_text.h"

namespace sotay::shell::ui {

// Text for an HTML element's content or a quoted attribute.
std::string Esc(std::string_view text);
using sotay::UrlEncode;  // sotay/web_text.h

// A whole page: head, the navigation (when `unlocked`), a language switch back to
// `path`, and `body` inside <main>.
std::string Page(const std::string& lang, const std::string& title, const std::string& body, bool unlocked,
                 const std::string& path);

// The stylesheet at /ui.css: 1366×768 and 360 px wide, and print.
const char* StyleSheet();

// The script at /ui.js (ui_script.cc): the register's search as you type. Every page
// works without it.
const char* Script();

}  // namespace sotay::shell::ui
