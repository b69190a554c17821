// `sotay ui`'s register of children: the core's register list (sotay/register_list.h)
// searched by name as you type (diacritics optional) and filtered by village, age
// band, special group and register status, one page of kPageRows at a time. The
// page works whole without a script (the Find button, the pager's buttons); /ui.js
// only fetches the same page as the worker types and swaps in its results.
//
// A search is POSTed, never put in the address: a child's name in a URL stays in the
// browser's history on a shared commune PC, outside the encrypted notebook. So the
// pager's buttons post the search form again with the page wanted, and a GET shows
// the filters (no names in them) but never a name search.
#include <algorithm>

#include "sotay/lang.h"
#include "sotay/presentation.h"
#include "sotay/register.h"
#include "ui_app.h"
#include "ui_html.h"

namespace sotay::shell::ui {

namespace {

constexpr const char* kChildForm = "child_profile";
constexpr const char* kSpecialField = "special_circumstances";
constexpr size_t kPageRows = 50;

std::string Option(const std::string& value, const std::string& label, const std::string& chosen) {
  return "<option value=\"" + Esc(value) + "\"" + (value == chosen ? " selected" : "") + ">" + Esc(label) +
         "</option>";
}

// A <select> of a choice field's choices, "" (any) first.
std::string ChoiceSelect(const Form* form, const char* field_name, const char* id, const std::string& label,
                         const std::string& any, const std::string& chosen, const std::string& lang) {
  std::string out = "<label>" + Esc(label) + " <select id=\"" + id + "\" name=\"" + id + "\">" + Option("", any, chosen);
  const Field* field = form == nullptr ? nullptr : form->FindField(field_name);
  const std::vector<Choice>* choices = field == nullptr ? nullptr : form->FindList(field->list);
  if (choices != nullptr) {
    for (const Choice& c : *choices) out += Option(c.name, c.label.Get(lang), chosen);
  }
  return out + "</select></label> ";
}

// The register's address with these filters (never the name searched), `page` changed:
// where the language switch leads.
std::string PageLink(const httplib::Request& req, size_t page) {
  std::string out = "/register?";
  for (const char* name : {"village", "age", "special", "status", "all"}) {
    const std::string v = req.get_param_value(name);
    if (!v.empty()) out += std::string(name) + "=" + UrlEncode(v) + "&";
  }
  return out + "page=" + std::to_string(page);
}

void Register(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang) {
  RegisterQuery query;
  query.form = kChildForm;
  if (req.method == "POST") query.query = req.get_param_value("q");
  query.village = req.get_param_value("village");
  query.age = ParseAgeBand(req.get_param_value("age")).value_or(AgeBand::kAny);
  query.special = req.get_param_value("special");
  query.status = req.get_param_value("status");
  query.include_void = req.get_param_value("all") == "1";
  size_t page_no = 1;
  try {
    page_no = std::max<size_t>(1, std::stoul(req.get_param_value("page")));
  } catch (const std::exception&) {
    page_no = 1;  // absent or not a number: the first page
  }
  query.offset = (page_no - 1) * kPageRows;
  query.limit = kPageRows;
  auto form = nb.FindForm(kChildForm);
  auto page = nb.RegisterList(query, lang);
  if (!page.ok()) {
    res.status = 500;
    res.set_content(Page(lang, Pick(lang, "Không thực hiện được", "Could not do it"),
                         "<p class=\"issue\">" + Esc(page.status().message()) + "</p>", true, "/"),
                    "text/html; charset=utf-8");
    return;
  }
  const Form* f = form.ok() ? *form : nullptr;
  std::string body =
      "<form id=\"search\" method=\"post\" action=\"/register\" class=\"group\" data-live=\"results\">"
      "<label class=\"q\" for=\"q\">" +
      std::string(Pick(lang, "Tìm theo tên hoặc số định danh (không cần dấu)",
                       "Find by name or personal number (diacritics optional)")) +
      "</label><input type=\"search\" id=\"q\" name=\"q\" autofocus autocomplete=\"off\" value=\"" + Esc(query.query) +
      "\"><div class=\"filters\"><label>" + Pick(lang, "Thôn/bản", "Village") +
      " <select id=\"village\" name=\"village\">" + Option("", Pick(lang, "tất cả", "all"), query.village);
  for (const std::string& v : page->villages) body += Option(v, v, query.village);
  const std::string age = AgeBandName(query.age);
  body += "</select></label> <label>" + std::string(Pick(lang, "Tuổi", "Age")) + " <select id=\"age\" name=\"age\">" +
          Option("", Pick(lang, "mọi tuổi", "any age"), age) +
          Option("under6", Pick(lang, "dưới 6", "under 6"), age) + Option("6-11", "6–11", age) +
          Option("12-15", "12–15", age) + Option("16+", Pick(lang, "từ 16", "16 and over"), age) +
          "</select></label> ";
  body += ChoiceSelect(f, kSpecialField, "special", Pick(lang, "Nhóm đặc biệt", "Special group"),
                       Pick(lang, "tất cả", "all"), query.special, lang);
  body += ChoiceSelect(f, kRegisterStatusField, "status", Pick(lang, "Trạng thái", "Register status"),
                       Pick(lang, "tất cả", "all"), query.status, lang);
  body += "<label><input type=\"checkbox\" name=\"all\" value=\"1\"" + std::string(query.include_void ? " checked" : "") +
          "> " + Pick(lang, "cả hồ sơ đã hủy", "voided records too") + "</label></div><div class=\"actions\"><button>" +
          Pick(lang, "Tìm", "Find") + "</button></div></form>";

  // What /ui.js swaps in as the worker types: the count, the rows and the pager.
  body += "<div id=\"results\" aria-live=\"polite\"><p id=\"count\">" + std::to_string(page->total) +
          Pick(lang, " trẻ", " children") + "</p>";
  body += "<table id=\"children\"><thead><tr><th>" + std::string(Pick(lang, "Họ tên", "Name")) + "</th><th>" +
          Pick(lang, "Thôn/bản", "Village") + "</th><th>" + Pick(lang, "Tuổi", "Age") + "</th><th class=\"wide\">" +
          Pick(lang, "Cập nhật", "Updated") + "</th><th>" + Pick(lang, "Trạng thái", "Status") + "</th></tr></thead><tbody>";
  const Field* status_field = f == nullptr ? nullptr : f->FindField(kRegisterStatusField);
  for (const RegisterRow& r : page->rows) {
    std::string status;
    if (!r.register_status.empty() && r.register_status != kRegisterActive) {
      status = status_field != nullptr ? AnswerText(*f, *status_field, r.register_status, lang) : r.register_status;
    }
    if (r.is_void) status += std::string(status.empty() ? "" : ", ") + Pick(lang, "đã hủy", "void");
    if (r.in_conflict) status += std::string(status.empty() ? "" : ", ") + Pick(lang, "xung đột", "conflict");
    body += "<tr><td><a href=\"/record/" + Esc(r.id) + "\">" + Esc(r.name.empty() ? ShortId(r.id) : r.name) +
            "</a></td><td>" + Esc(r.village) + "</td><td>" + (r.age_years < 0 ? "" : std::to_string(r.age_years)) +
            "</td><td class=\"wide\">" + Esc(FormatTime(r.updated_ms)) + "</td><td>" + Esc(status) + "</td></tr>";
  }
  body += "</tbody></table>";
  const size_t pages = (page->total + kPageRows - 1) / kPageRows;
  if (pages > 1) {
    body += "<nav class=\"pager actions\" id=\"pager\">";
    // Buttons of the search form (form="search"), so the next page keeps the name
    // searched without putting it in an address.
    auto turn = [&](size_t to, const char* label) {
      return "<button class=\"secondary\" form=\"search\" name=\"page\" value=\"" + std::to_string(to) + "\">" +
             label + "</button>";
    };
    if (page_no > 1) body += turn(page_no - 1, Pick(lang, "← Trang trước", "← Previous"));
    body += "<span>" + std::string(Pick(lang, "Trang ", "Page ")) + std::to_string(page_no) + "/" +
            std::to_string(pages) + "</span>";
    if (page_no < pages) body += turn(page_no + 1, Pick(lang, "Trang sau →", "Next →"));
    body += "</nav>";
  }
  body += "</div>";
  res.set_content(Page(lang, Pick(lang, "Sổ đăng ký trẻ", "Children"), body, true, PageLink(req, page_no)),
                  "text/html; charset=utf-8");
}

}  // namespace

void AddRegisterPage(httplib::Server& svr, App& app) {
  svr.Get("/register", Unlocked(app, Register));
  svr.Post("/register", Unlocked(app, Register));
}

}  // namespace sotay::shell::ui
