// `sotay ui`'s pages over the notebook: home (forms to fill, drafts to resume, what
// waits to be sent) and a record (its answers by section, linked records, its
// history, and what may be done to it). The register is ui_register.cc.
#include <algorithm>
#include <map>

#include "sotay/lang.h"
#include "sotay/presentation.h"
#include "ui_app.h"
#include "ui_html.h"

namespace sotay::shell::ui {

namespace {

std::string Html(const std::string& lang, const std::string& title, const std::string& body,
                 const httplib::Request& req) {
  return Page(lang, title, body, true, req.path);
}

void Error(httplib::Response& res, const std::string& lang, const Status& s) {
  res.status = s.code() == Status::Code::kNotFound ? 404 : 500;
  res.set_content(Page(lang, Pick(lang, "Không thực hiện được", "Could not do it"),
                       "<p class=\"issue\">" + Esc(s.message()) + "</p>", true, "/"),
                  "text/html; charset=utf-8");
}

std::string Button(const std::string& action, const std::string& label, const std::string& hidden = "",
                   const char* cls = "") {
  return "<form method=\"post\" action=\"" + Esc(action) + "\">" + hidden + "<button class=\"" + cls + "\">" +
         Esc(label) + "</button></form>";
}

std::string Hidden(const std::string& name, const std::string& value) {
  return "<input type=\"hidden\" name=\"" + Esc(name) + "\" value=\"" + Esc(value) + "\">";
}

void Home(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang) {
  std::string body = "<section class=\"group\"><h2>" + std::string(Pick(lang, "Điền biểu mẫu mới", "Fill a new form")) +
                     "</h2><div class=\"actions\" id=\"forms\">";
  for (const FormInfo& f : nb.Forms()) {
    body += Button("/new", f.title.Get(lang), Hidden("form", f.id));
  }
  body += "</div></section>";
  auto drafts = nb.drafts().List();
  if (!drafts.ok()) return Error(res, lang, drafts.status());
  body += "<section class=\"group\" id=\"drafts\"><h2>" + std::string(Pick(lang, "Bản nháp chưa xong", "Unfinished drafts")) + "</h2>";
  if (drafts->empty()) body += "<p>" + std::string(Pick(lang, "Không có bản nháp.", "No drafts.")) + "</p>";
  else body += "<ul>";
  for (const Draft& d : *drafts) {
    auto form = nb.FindForm(d.form, d.version);
    const std::string title = FormTitle(form.ok() ? *form : nullptr, d.form, lang);
    body += "<li><a href=\"/draft/" + Esc(d.id) + "\">" + Esc(title) + "</a> · " + Esc(FormatTime(d.updated_ms)) +
            " · " + std::to_string(d.answers.size()) + Pick(lang, " câu đã trả lời", " answers") +
            (d.record.empty() ? "" : Pick(lang, " (sửa hồ sơ)", " (editing a record)")) + "</li>";
  }
  if (!drafts->empty()) body += "</ul>";
  body += "</section>";
  res.set_content(Html(lang, Pick(lang, "Sổ tay", "Notebook"), body, req), "text/html; charset=utf-8");
}

std::string Answers(const Form* form, const RecordView& v, const std::string& lang) {
  if (form == nullptr) {
    std::string out = "<dl class=\"answers\">";
    for (const auto& [k, val] : v.shown) out += "<dt>" + Esc(k) + "</dt><dd>" + Esc(val) + "</dd>";
    return out + "</dl>";
  }
  std::string out, group = "\x01";
  for (const Field& f : form->fields) {
    auto it = v.shown.find(f.name);
    if (!f.HoldsValue() || it == v.shown.end() || it->second.empty()) continue;
    const std::string g = f.groups.empty() ? "" : f.groups.back();
    if (g != group) {
      if (group != "\x01") out += "</dl>";
      auto gi = form->groups.find(g);
      if (gi != form->groups.end()) out += "<h2>" + Esc(gi->second.label.Get(lang)) + "</h2>";
      out += "<dl class=\"answers\">";
      group = g;
    }
    out += "<dt>" + Esc(f.label.Get(lang)) + "</dt><dd data-field=\"" + Esc(f.name) + "\">" +
           Esc(AnswerText(*form, f, it->second, lang)) + "</dd>";
  }
  return out + (group == "\x01" ? "" : "</dl>");
}

std::string History(Notebook& nb, const Form* form, const std::string& id, const std::string& lang, Status& s) {
  auto edits = nb.History(id);
  if (!edits.ok()) {
    s = edits.status();
    return "";
  }
  std::string out = "<table id=\"history\"><thead><tr><th>" + std::string(Pick(lang, "Lúc", "When")) + "</th><th>" +
                    Pick(lang, "Ai", "Who") + "</th><th>" + Pick(lang, "Thay đổi", "Change") + "</th></tr></thead><tbody>";
  const auto text = [&](const std::string& t) { return t.empty() ? std::string(Pick(lang, "(trống)", "(empty)")) : t; };
  for (const HistoryLine& line : DescribeHistory(form, *edits, lang)) {
    const Edit& e = *line.edit;
    const ChangeText& t = line.change;
    std::string from;
    for (const std::string& b : t.before) from += (from.empty() ? "" : " | ") + text(b);
    out += "<tr><td>" + Esc(FormatTime(e.hlc.ms)) + "</td><td>" + Esc(e.author.empty() ? "-" : e.author) + "</td><td>" +
           Esc(t.label) + ": " + Esc(from.empty() ? text("") : from) + " → " + Esc(text(t.after)) +
           (t.settles_conflict() ? Pick(lang, " (giải quyết xung đột)", " (resolves a conflict)") : "") + "</td></tr>";
  }
  return out + "</tbody></table>";
}

void Record(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang) {
  auto id = nb.ResolveId(req.matches[1]);
  if (!id.ok()) return Error(res, lang, id.status());
  auto v = nb.Get(*id);
  if (!v.ok()) return Error(res, lang, v.status());
  auto found = nb.FindForm(v->form, v->version);
  const Form* form = found.ok() ? *found : nullptr;
  std::string title = FormTitle(form, v->form, lang);
  if (auto name = v->shown.find("full_name"); name != v->shown.end()) title = name->second;
  std::string body = "<p>" + Esc(FormTitle(form, v->form, lang)) + " · " + Esc(ShortId(v->id)) + " · " +
                     Esc(FormatTime(v->updated_ms)) + (v->is_void() ? std::string(" · ") + Pick(lang, "ĐÃ HỦY", "VOID") : "") +
                     "</p><div class=\"actions noprint\">";
  if (!v->is_void()) body += Button("/record/" + v->id + "/edit", Pick(lang, "Sửa", "Edit"));
  if (form != nullptr && std::any_of(form->fields.begin(), form->fields.end(), [](const Field& f) {
        return f.type == FieldType::kImage || f.type == FieldType::kFile;
      })) {
    body += "<a class=\"button secondary\" href=\"/record/" + Esc(v->id) + "/files\">" + Pick(lang, "Tệp", "Files") + "</a>";
  }
  body += Button("/record/" + v->id + (v->is_void() ? "/restore" : "/void"),
                 v->is_void() ? Pick(lang, "Khôi phục", "Restore") : Pick(lang, "Hủy hồ sơ", "Void"), "", "secondary");
  // A record of its own (a child's profile) may move to another commune; what goes
  // with another moves with it (transfer_plan.h).
  const auto link = v->shown.find("child_record_id");
  if (!v->is_void() && v->parent.empty() && (link == v->shown.end() || link->second.empty())) {
    body += "<a class=\"button secondary\" id=\"transfer\" href=\"/record/" + Esc(v->id) + "/transfer\">" +
            Pick(lang, "Chuyển xã", "Transfer") + "</a>";
  }
  if (!v->parent.empty()) body += "<a class=\"button secondary\" href=\"/record/" + Esc(v->parent) + "\">" +
                                  Pick(lang, "Hồ sơ cha", "Parent record") + "</a>";
  body += "</div><div id=\"answers\">" + Answers(form, *v, lang) + "</div>";

  // Linked records: the entries of its repeats (home visits...), added and removed
  // here, and the records whose link field names it (a case about the child), found
  // through the link index, so only they are opened.
  auto linked = nb.LinkedTo(v->id);
  if (!linked.ok()) return Error(res, lang, linked.status());
  body += "<h2>" + std::string(Pick(lang, "Hồ sơ liên quan", "Linked records")) + "</h2><ul id=\"linked\">";
  for (const std::string& cid : *linked) {
    auto c = nb.Get(cid);
    if (!c.ok()) return Error(res, lang, c.status());
    if (c->is_void()) continue;
    auto cf = nb.FindForm(c->form, c->version);
    const Form* cform = cf.ok() ? *cf : nullptr;
    std::string what = FormTitle(cform, c->form, lang);
    for (const char* date : {"visit_date", "incident_date", "date"}) {
      if (auto d = c->shown.find(date); d != c->shown.end()) {
        what += " · " + DateText(d->second, lang);
        break;
      }
    }
    body += "<li><a href=\"/record/" + Esc(cid) + "\">" + Esc(what) + "</a> ";
    if (c->parent == v->id) {
      body += Button("/record/" + cid + "/void", Pick(lang, "Xóa mục này", "Remove this entry"),
                     Hidden("back", "/record/" + v->id), "secondary");
    }
    body += "</li>";
  }
  body += "</ul><div class=\"actions noprint\">";
  if (form != nullptr && !v->is_void()) {
    for (const Field& f : form->fields) {
      if (f.type != FieldType::kRepeat) continue;
      body += Button("/new", std::string(Pick(lang, "Thêm: ", "Add: ")) + f.label.Get(lang),
                     Hidden("form", f.repeat_form) + Hidden("parent", v->id));
    }
  }
  body += "</div><h2>" + std::string(Pick(lang, "Lịch sử", "History")) + "</h2>";
  Status s;
  body += History(nb, form, v->id, lang, s);
  if (!s.ok()) return Error(res, lang, s);
  res.set_content(Html(lang, title, body, req), "text/html; charset=utf-8");
}

void VoidOrRestore(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang,
                   bool restore) {
  auto id = nb.ResolveId(req.matches[1]);
  if (!id.ok()) return Error(res, lang, id.status());
  Status s = restore ? nb.Restore(*id) : nb.Void(*id);
  if (!s.ok()) return Error(res, lang, s);
  const std::string back = req.get_param_value("back");
  SeeOther(res, back.empty() ? "/record/" + *id : back);
}

}  // namespace

void AddPages(httplib::Server& svr, App& app) {
  svr.Get("/", Unlocked(app, Home));
  svr.Get(R"(/record/([0-9a-f-]+))", Unlocked(app, Record));
  svr.Post(R"(/record/([0-9a-f-]+)/void)", Unlocked(app, [](auto& req, auto& res, Notebook& nb, const std::string& lang) {
             VoidOrRestore(req, res, nb, lang, false);
           }));
  svr.Post(R"(/record/([0-9a-f-]+)/restore)", Unlocked(app, [](auto& req, auto& res, Notebook& nb, const std::string& lang) {
             VoidOrRestore(req, res, nb, lang, true);
           }));
}

}  // namespace sotay::shell::ui
