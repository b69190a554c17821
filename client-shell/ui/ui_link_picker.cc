// The link picker of `sotay ui` (ui_link_picker.h).
#include "ui_link_picker.h"

#include "../shell.h"
#include "sotay/lang.h"
#include "sotay/presentation.h"
#include "sotay/text.h"
#include "ui_html.h"

namespace sotay::shell::ui {

namespace {

// At most this many matches are listed: more asks for more of the name.
constexpr size_t kMaxMatches = 20;

}  // namespace

Result<LinkFind> FindLinked(Notebook& nb, const std::string& draft_id, const Field& f, const std::string& query,
                            const std::string& lang) {
  LinkFind out;
  // Posted, like the register's search: a child's name never goes in an address.
  out.search = "<form method=\"post\" action=\"/draft/" + Esc(draft_id) + "\" class=\"find\" role=\"search\">"
               "<label class=\"q\" for=\"find\">" +
               Pick(lang, "Tìm trẻ theo tên hoặc số định danh (không cần dấu)",
                    "Find the child by name or personal number (accents optional)") +
               "</label><input type=\"search\" id=\"find\" name=\"find\" autocomplete=\"off\" value=\"" + Esc(query) +
               "\"> <button class=\"secondary\" name=\"do\" value=\"find\">" + Pick(lang, "Tìm", "Find") +
               "</button></form>";
  if (Trim(query).empty()) return out;
  ListFilter filter;
  filter.form = f.link;
  filter.query = query;
  auto found = nb.List(filter, lang);  // the one search of the notebook, as the shell's picker
  if (!found.ok()) return found.status();
  std::string items;
  size_t n = 0;
  for (const RecordSummary& sum : *found) {
    if (!sum.status.ok()) continue;
    if (n == kMaxMatches) {
      items += "<p class=\"hint\">" + std::string(Pick(lang, "(còn nữa: gõ thêm chữ để thu hẹp)", "(more: type more to narrow it)")) +
               "</p>";
      break;
    }
    auto view = nb.Get(sum.id);
    if (!view.ok()) return view.status();
    auto form = nb.FindForm(view->form, view->version);
    std::string facts;
    for (const char* name : {"dob", "village"}) {
      auto it = view->shown.find(name);
      const Field* fd = form.ok() ? (*form)->FindField(name) : nullptr;
      if (it != view->shown.end() && fd != nullptr) facts += " · " + AnswerText(**form, *fd, it->second, lang);
    }
    items += "<label><input type=\"radio\" name=\"pick\" value=\"" + Esc(sum.id) + "\"" +
             (n == 0 ? " autofocus" : "") + "> " + std::to_string(n + 1) + ". <strong>" + Esc(sum.name) + "</strong>" +
             Esc(facts) + " <span class=\"hint\">" + Esc(ShortId(sum.id)) + "</span></label>";
    ++n;
  }
  out.matches = n == 0 ? "<p id=\"matches\" class=\"hint\">" +
                             std::string(Pick(lang, "Không tìm thấy trẻ nào có tên này.", "No child by that name.")) + "</p>"
                       : "<div class=\"choices\" id=\"matches\" role=\"radiogroup\">" + items + "</div>";
  return out;
}

}  // namespace sotay::shell::ui
