// The HTML frame and stylesheet of `sotay ui` (ui_html.h).
#include "ui_html.h"

#include "sotay/lang.h"
#include "sotay/web_text.h"

namespace sotay::shell::ui {

std::string Esc(std::string_view text) { return HtmlEscape(text); }

std::string Page(const std::string& lang, const std::string& title, const std::string& body, bool unlocked,
                 const std::string& path) {
  const bool en = IsEnglish(lang);
  std::string nav;
  if (unlocked) {
    nav = std::string("<nav><a href=\"/\">") + Pick(lang, "Trang đầu", "Home") + "</a><a href=\"/register\">" +
          Pick(lang, "Sổ đăng ký trẻ", "Children") + "</a><a href=\"/sync\">" + Pick(lang, "Đồng bộ", "Sync") +
          "</a><a href=\"/conflicts\">" + Pick(lang, "Xung đột", "Conflicts") + "</a><a href=\"/reports\">" +
          Pick(lang, "Báo cáo", "Reports") +
          "</a><form method=\"post\" action=\"/lock\"><button>" + Pick(lang, "Khóa sổ", "Lock") +
          "</button></form></nav>";
  }
  const std::string sep = path.find('?') == std::string::npos ? "?" : "&";
  return std::string("<!doctype html><html lang=\"") + (en ? "en" : "vi") +
         "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>" + Esc(title) + " · Sotay</title><link rel=\"stylesheet\" href=\"/ui.css\"><script src=\"/ui.js\" defer></script></head><body><header>"
         "<span class=\"brand\">Sotay</span>" + nav + "<a class=\"lang\" href=\"" + Esc(path + sep) + "lang=" +
         (en ? "vi\">Tiếng Việt" : "en\">English") + "</a></header><main><h1>" + Esc(title) + "</h1>" + body +
         "</main></body></html>";
}

const char* StyleSheet() {
  return R"(*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1b;background:#f6f6f3}
header{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem;padding:.5rem 1rem;background:#24527a;color:#fff}
header a,header button{color:#fff;text-decoration:none;font:inherit}
header nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;flex:1}
header form{display:inline;margin:0}
header button{background:none;border:1px solid #fff;border-radius:4px;padding:.1rem .5rem;cursor:pointer}
.brand{font-weight:700;margin-right:1rem}
.lang{margin-left:auto}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.25rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem;border-bottom:1px solid #ccc}
section.group{background:#fff;border:1px solid #ccd;border-radius:6px;padding:1rem;margin:0 0 1rem}
section.group>h2{margin-top:0}
label.q{display:block;font-weight:600;margin-bottom:.4rem}
.hint{color:#555;font-size:.9rem;margin:.2rem 0 .5rem}
.issue{color:#a00000;font-weight:600;margin:.4rem 0}
.ok{color:#1d6b1d}
input[type=text],input[type=password],input[type=search],textarea,select{font:inherit;padding:.45rem;width:100%;max-width:32rem;border:1px solid #888;border-radius:4px}
input[aria-invalid=true]{border:2px solid #a00000}
.choices label{display:block;padding:.3rem 0}
button,.button{font:inherit;padding:.45rem 1rem;border-radius:4px;border:1px solid #24527a;background:#24527a;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:#24527a}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:1rem}
.actions form{margin:0}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.4rem;border-bottom:1px solid #ddd;vertical-align:top}
dl.answers{display:grid;grid-template-columns:minmax(10rem,1fr) 2fr;gap:.2rem 1rem;background:#fff;padding:1rem;border:1px solid #ccd}
dl.answers dt{color:#444}
dl.answers dd{margin:0;font-weight:600}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.side{background:#fff;border:1px solid #ccd;padding:.75rem;display:block}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin-top:.6rem}
.filters select{width:auto}
.pager{align-items:center}
.status{background:#fff;border-left:4px solid #24527a;padding:.5rem 1rem;margin:0 0 1rem}
progress{width:100%;max-width:32rem;height:1.2rem}
.typed{margin-top:.75rem}
form.find{margin-bottom:1rem}
@media (max-width:600px){main{padding:.5rem}dl.answers,.sides{grid-template-columns:1fr}th.wide,td.wide{display:none}}
@media print{header,.actions,nav,.noprint{display:none}body{background:#fff}dl.answers{border:0}main{max-width:none}}
)";
}

}  // namespace sotay::shell::ui
