// `sotay ui`'s forms: any form of the pack walked one step at a time by the core's
// Interview, exactly as `sotay new` walks it, so relevance, constraints,
// calculations, required and choice filters have one judge. A step is a page: the
// question with its section, its choices and the answer it holds; the answer posted
// goes to Interview::Answer, and a refusal comes back next to the field in the
// worker's language. Page per step (not the whole form at once) because only the
// Interview knows which question is next: a whole form would have to re-decide
// relevance in the page. The draft (drafts.h) is saved after every step, so a closed
// window resumes where it stopped. Editing a saved record walks the same pages with
// a draft naming the record, as `sotay edit` asks every question again. A link to
// another record (a case's child) is chosen from the register by name: a search
// (the notebook's one name search, diacritics optional, as `sotay new` offers it)
// lists the matching children to pick, and the id can still be typed. A district
// device names each new record's commune on the review page, from the communes its
// user may record for (as `sotay new` asks); kept in the page, not the draft.
#include <algorithm>
#include <optional>
#include <sstream>

#include "../duplicate_warning.h"
#include "../interview_steps.h"
#include "sotay/interview.h"
#include "sotay/lang.h"
#include "sotay/presentation.h"
#include "sotay/text.h"
#include "ui_app.h"
#include "ui_html.h"
#include "ui_link_picker.h"

namespace sotay::shell::ui {

namespace {

const char* kHtml = "text/html; charset=utf-8";

// A draft's interview with what it refers to (the parent's answers, or the record
// an edit starts from), kept alive beside it.
struct Walk {
  Draft draft;
  const Form* form = nullptr;
  RecordView parent, before;
  std::optional<Interview> iv;
  std::vector<Commune> communes;  // to choose from on the review page: a district's new record
  std::string commune, commune_issue;  // the one chosen, and why it was not taken
};

Status Load(Notebook& nb, const std::string& draft_id, const std::string& lang, Walk& w) {
  auto d = nb.drafts().Get(draft_id);
  if (!d.ok()) return d.status();
  w.draft = std::move(d).value();
  auto form = nb.FindForm(w.draft.form, w.draft.version);
  if (!form.ok()) return form.status();
  w.form = *form;
  CheckEnv env = nb.MakeEnv(lang);
  if (!w.draft.parent.empty()) {
    auto p = nb.Get(w.draft.parent);
    if (!p.ok()) return p.status();
    w.parent = std::move(p).value();
    auto pf = nb.FindForm(w.parent.form, w.parent.version);
    if (!pf.ok()) return pf.status();
    env.parent_form = *pf;
    env.parent_answers = &w.parent.shown;
  }
  if (!w.draft.record.empty()) {
    auto b = nb.Get(w.draft.record);
    if (!b.ok()) return b.status();
    w.before = std::move(b).value();
    env.before = &w.before.shown;  // constraints check only what the edit changes (issue 14)
  }
  if (w.draft.parent.empty() && w.draft.record.empty() && nb.NeedsCommuneChoice()) w.communes = nb.communes();
  w.iv.emplace(*w.form, w.draft.answers, env);
  if (!w.draft.trail.empty()) w.iv->Restore(w.draft.trail);
  return Status::OK();
}

// Moves past what asks nothing of a person (a repeat's place, a read-only field), as
// the shell does; a note is shown and passed by its own button.
void Settle(Walk& w) {
  while (const Field* f = w.iv->Current()) {
    if (f->type != FieldType::kRepeat && !(f->read_only && f->type != FieldType::kNote)) break;
    (void)w.iv->Answer("");
  }
}

Status Keep(Notebook& nb, Walk& w) {
  w.draft.answers = w.iv->answers();
  w.draft.trail = w.iv->trail();
  return nb.drafts().Save(w.draft);
}

void Fail(httplib::Response& res, const std::string& lang, const Status& s) {
  res.status = s.code() == Status::Code::kNotFound ? 404 : 500;
  res.set_content(Page(lang, Pick(lang, "Không thực hiện được", "Could not do it"),
                       "<p class=\"issue\">" + Esc(s.message()) + "</p>", true, "/"), kHtml);
}

std::string Input(const Walk& w, const Field& f, const std::string& value, const std::string& lang, bool invalid) {
  const std::string aria = invalid ? " aria-invalid=\"true\" aria-describedby=\"issue\"" : "";
  if (f.type == FieldType::kSelectOne || f.type == FieldType::kSelectMultiple) {
    const bool multiple = f.type == FieldType::kSelectMultiple;
    std::vector<const Choice*> offered = AvailableChoices(*w.form, f, w.iv->answers(), w.iv->env());
    std::istringstream words(value);
    std::vector<std::string> chosen;
    for (std::string word; words >> word;) chosen.push_back(word);
    std::string out = "<div class=\"choices\" role=\"" + std::string(multiple ? "group" : "radiogroup") + "\">";
    for (size_t i = 0; i < offered.size(); ++i) {
      const bool on = std::find(chosen.begin(), chosen.end(), offered[i]->name) != chosen.end();
      out += "<label><input type=\"" + std::string(multiple ? "checkbox" : "radio") + "\" name=\"a\" value=\"" +
             Esc(offered[i]->name) + "\"" + (on ? " checked" : "") + (i == 0 ? " autofocus" + aria : "") + "> " +
             std::to_string(i + 1) + ". " + Esc(offered[i]->label.Get(lang)) + "</label>";
    }
    return out + "</div>";
  }
  std::string shown = value, extra;
  if (f.type == FieldType::kDate) {
    shown = DateText(value, "vi");  // typed as the shell takes it: DD/MM/YYYY
    extra = " placeholder=\"DD/MM/YYYY\" inputmode=\"numeric\"";
  } else if (f.type == FieldType::kInteger) {
    extra = " inputmode=\"numeric\"";
  } else if (f.type == FieldType::kDecimal) {
    extra = " inputmode=\"decimal\"";
  } else if (f.type == FieldType::kPhone) {
    extra = " inputmode=\"tel\"";
  }
  return "<input type=\"text\" id=\"a\" name=\"a\" autofocus autocomplete=\"off\" value=\"" + Esc(shown) + "\"" + extra +
         aria + ">";
}

std::string Sections(const Form& form, const Field& f, const std::string& lang) {
  std::string out;
  for (const std::string& g : f.groups) {
    auto it = form.groups.find(g);
    const std::string label = it != form.groups.end() ? it->second.label.Get(lang) : g;
    if (!label.empty()) out += (out.empty() ? "" : " › ") + label;
  }
  return out;
}

// A district's choice of the new record's commune (nothing for a commune's device).
std::string CommuneChoice(const Walk& w, const std::string& lang) {
  if (w.communes.empty()) return "";
  const bool refused = !w.commune_issue.empty();
  std::string out = "<label class=\"q\" for=\"commune\">" +
                    std::string(Pick(lang, "Hồ sơ này thuộc xã nào?", "Which commune does this record belong to?")) +
                    " *</label><select id=\"commune\" name=\"commune\"" +
                    (refused ? " aria-invalid=\"true\" aria-describedby=\"commune-issue\"" : "") +
                    "><option value=\"\">—</option>";
  for (const Commune& c : w.communes) {
    out += "<option value=\"" + Esc(c.code) + "\"" + (c.code == w.commune ? " selected" : "") + ">" + Esc(c.name) +
           " (" + Esc(c.code) + ")</option>";
  }
  out += "</select>";
  if (refused) out += "<p class=\"issue\" id=\"commune-issue\" role=\"alert\">" + Esc(w.commune_issue) + "</p>";
  return out;
}

// The page of the current step; `typed` and `issue` when an answer was refused.
std::string StepPage(const Walk& w, const std::string& lang, const std::string& typed, const std::string& issue,
                     const std::string& extra = "", const LinkFind& find = {}) {
  const Form& form = *w.form;
  const std::string title = FormTitle(&form, form.id, lang);
  const std::string action = "/draft/" + w.draft.id;
  std::string body;
  const Field* f = w.iv->Current();
  if (f == nullptr) {
    body = "<section class=\"group\" id=\"review\"><h2>" + std::string(Pick(lang, "Xem lại và lưu", "Review and save")) +
           "</h2><dl class=\"answers\">";
    for (const Field& q : form.fields) {
      auto it = w.iv->answers().find(q.name);
      if (!q.HoldsValue() || it == w.iv->answers().end() || it->second.empty()) continue;
      body += "<dt>" + Esc(q.label.Get(lang)) + "</dt><dd>" + Esc(AnswerText(form, q, it->second, lang)) + "</dd>";
    }
    body += "</dl>" + extra + "<form method=\"post\" action=\"" + Esc(action) + "\">" + CommuneChoice(w, lang) +
            "<div class=\"actions\"><button name=\"do\" value=\"save\" autofocus>" + Pick(lang, "Lưu hồ sơ", "Save the record") +
            "</button><button class=\"secondary\" name=\"do\" value=\"back\">" + Pick(lang, "Quay lại", "Back") +
            "</button></div></form></section>";
    return Page(lang, title, body, true, action);
  }
  const std::string sections = Sections(form, *f, lang);
  body = "<section class=\"group\" id=\"step\" data-field=\"" + Esc(f->name) + "\">";
  if (!sections.empty()) body += "<h2>" + Esc(sections) + "</h2>";
  body += find.search + "<form method=\"post\" action=\"" + Esc(action) + "\">";
  if (f->type == FieldType::kNote) {
    body += "<p class=\"note\">" + Esc(f->label.Get(lang)) + "</p>";
  } else if (f->type == FieldType::kImage || f->type == FieldType::kFile) {
    // Attached to the saved record, from its page (ui_files.cc), as `sotay attach`
    // does: bytes are never left behind an interview that is then abandoned.
    body += "<p class=\"q\">" + Esc(f->label.Get(lang)) + "</p><p class=\"hint\">" +
            Pick(lang, "Đính kèm tệp sau khi lưu, ở trang của hồ sơ (nút \"Tệp\").",
                 "Attach the file after saving, on the record's page (the \"Files\" button).") +
            "</p>";
  } else {
    const bool required = f->required || f->required_if;
    body += "<label class=\"q\" for=\"a\">" + Esc(f->label.Get(lang)) + (required ? " *" : "") + "</label>";
    if (!f->hint.empty()) body += "<p class=\"hint\">" + Esc(f->hint.Get(lang)) + "</p>";
    if (!f->link.empty()) {
      body += find.matches + "<p class=\"hint\">" +
              std::string(Pick(lang, "Chọn trẻ ở trên, hoặc gõ mã hồ sơ (hoặc 8 ký tự đầu)",
                               "Pick the child above, or type the record's id (or its first 8 characters)")) +
              "</p>";
    }
    body += Input(w, *f, issue.empty() ? w.iv->Suggested() : typed, lang, !issue.empty());
    if (!issue.empty()) body += "<p class=\"issue\" id=\"issue\" role=\"alert\">" + Esc(issue) + "</p>";
  }
  body += "<div class=\"actions\"><button name=\"do\" value=\"next\">" + std::string(Pick(lang, "Tiếp", "Next")) + "</button>";
  if (!w.iv->trail().empty()) {
    body += "<button class=\"secondary\" name=\"do\" value=\"back\" formnovalidate>" + std::string(Pick(lang, "Quay lại", "Back")) +
            "</button>";
  }
  body += "<a class=\"button secondary\" href=\"/\">" + std::string(Pick(lang, "Để sau (đã lưu nháp)", "Later (draft kept)")) +
          "</a></div></form></section><p class=\"hint\">" + Pick(lang, "Câu ", "Step ") +
          std::to_string(w.iv->trail().size() + 1) + " · " + Pick(lang, "nháp ", "draft ") + Esc(ShortId(w.draft.id)) + "</p>";
  return Page(lang, title, body, true, action);
}

// The current step; on a link question, with the children whose names match
// `find` (posted by the link picker's own form; "" on a GET).
void ShowStep(Notebook& nb, const std::string& draft_id, const std::string& find_text, httplib::Response& res,
              const std::string& lang) {
  Walk w;
  if (Status s = Load(nb, draft_id, lang, w); !s.ok()) return Fail(res, lang, s);
  Settle(w);
  LinkFind find;
  if (const Field* f = w.iv->Current(); f != nullptr && !f->link.empty()) {
    auto found = FindLinked(nb, w.draft.id, *f, find_text, lang);
    if (!found.ok()) return Fail(res, lang, found.status());
    find = std::move(found).value();
  }
  res.set_content(StepPage(w, lang, "", "", "", find), kHtml);
}

void Show(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang) {
  ShowStep(nb, req.matches[1], "", res, lang);
}

// Saves the finished walk: a new record (after the duplicate question for a child's
// profile) or the edit of one. Refusals come back on the review page.
void Save(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang, Walk& w,
          App& app) {
  const Form& form = *w.form;
  Result<SaveOutcome> saved = SaveOutcome{};
  if (!w.draft.record.empty()) {
    Answers changes = w.iv->answers();
    for (const auto& [name, value] : w.before.shown) {
      if (!changes.count(name) && form.PolicyOf(name) != MergePolicy::kAppend) changes[name] = "";
    }
    saved = nb.EditRecord(w.draft.record, changes, lang);
  } else {
    std::string commune;
    if (w.draft.parent.empty()) {
      w.commune = req.get_param_value("commune");
      auto chosen = nb.CommuneForNewRecord(w.communes.empty() ? "" : w.commune);
      if (!w.communes.empty() && (w.commune.empty() || !chosen.ok())) {
        w.commune_issue = Pick(lang, "Hãy chọn xã của hồ sơ này trong danh sách.",
                               "Choose this record's commune from the list.");
        res.status = 422;
        return res.set_content(StepPage(w, lang, "", ""), kHtml);
      }
      if (!chosen.ok()) return Fail(res, lang, chosen.status());
      if (!w.communes.empty()) commune = *chosen;  // else "": the device's own, as before
      Context ctx = app.ctx;
      ctx.lang = lang;
      if (req.get_param_value("same_child_ok") != "1") {
        auto matches = MatchingProfiles(ctx, nb, form, w.iv->answers());
        if (!matches.ok()) return Fail(res, lang, matches.status());
        if (!matches->empty()) {
          std::ostringstream said;
          PrintProfileMatches(ctx, *matches, said);
          const std::string warn =
              "<div id=\"duplicates\" class=\"status\"><p class=\"issue\">" +
              std::string(Pick(lang, "Trẻ này có thể đã có hồ sơ trong sổ tay:", "This child may already have a record here:")) +
              "</p><pre>" + Esc(said.str()) + "</pre><form method=\"post\" action=\"/draft/" + Esc(w.draft.id) +
              "\"><input type=\"hidden\" name=\"same_child_ok\" value=\"1\"><input type=\"hidden\" name=\"commune\" value=\"" +
              Esc(w.commune) + "\"><button name=\"do\" value=\"save\">" +
              Pick(lang, "Vẫn lưu", "Save anyway") + "</button></form></div>";
          return res.set_content(StepPage(w, lang, "", "", warn), kHtml);
        }
      }
    }
    saved = nb.CreateRecord(form.id, w.iv->answers(), w.draft.parent, lang, commune);
  }
  if (!saved.ok()) return Fail(res, lang, saved.status());
  if (!saved->ok()) {
    std::string list = "<div class=\"status\" id=\"not-saved\"><p class=\"issue\">" +
                       std::string(Pick(lang, "Chưa lưu được hồ sơ:", "The record was not saved:")) + "</p><ul>";
    for (const FieldIssue& i : saved->issues) {
      const Field* f = form.FindField(i.field);
      list += "<li>" + Esc(f != nullptr ? f->label.Get(lang) : i.field) + ": " + Esc(i.message) + "</li>";
    }
    res.status = 422;
    return res.set_content(StepPage(w, lang, "", "", list + "</ul></div>"), kHtml);
  }
  // The record is saved; a draft left behind would only be offered again.
  (void)nb.drafts().Delete(w.draft.id);
  const std::string id = w.draft.record.empty() ? saved->id : w.draft.record;
  SeeOther(res, w.draft.parent.empty() ? "/record/" + id : "/record/" + w.draft.parent);
}

void Step(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang, App& app) {
  if (req.get_param_value("do") == "find") return ShowStep(nb, req.matches[1], req.get_param_value("find"), res, lang);
  Walk w;
  if (Status s = Load(nb, req.matches[1], lang, w); !s.ok()) return Fail(res, lang, s);
  Settle(w);
  const std::string what = req.get_param_value("do");
  const Field* f = w.iv->Current();
  if (what == "save" && f == nullptr) return Save(req, res, nb, lang, w, app);
  if (what == "back") {
    (void)w.iv->Back();
  } else if (f != nullptr) {
    std::string typed;
    if (f->type == FieldType::kSelectMultiple) {
      for (size_t i = 0; i < req.get_param_value_count("a"); ++i) {
        typed += (typed.empty() ? "" : " ") + req.get_param_value("a", i);
      }
    } else {
      typed = req.get_param_value("a");
      // A child picked from the search, unless an id was typed as well.
      if (!f->link.empty() && Trim(typed).empty()) typed = req.get_param_value("pick");
    }
    if (!f->link.empty() && !typed.empty()) {
      auto id = ResolveLinkAnswer(nb, *f, typed);
      if (!id.ok()) return res.set_content(StepPage(w, lang, typed, id.status().message()), kHtml);
      typed = *id;
    }
    if (f->type == FieldType::kNote) typed.clear();
    if (f->type == FieldType::kImage || f->type == FieldType::kFile) {  // kept as it is: files go by ui_files.cc
      auto held = w.iv->answers().find(f->name);
      typed = held == w.iv->answers().end() ? "" : held->second;
    }
    if (auto issue = w.iv->Answer(typed)) {
      res.status = 422;
      return res.set_content(StepPage(w, lang, typed, issue->message), kHtml);
    }
  }
  Settle(w);
  if (Status s = Keep(nb, w); !s.ok()) return Fail(res, lang, s.Annotate("draft " + w.draft.id));
  SeeOther(res, "/draft/" + w.draft.id);
}

void New(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang) {
  Draft d;
  d.form = req.get_param_value("form");
  d.parent = req.get_param_value("parent");
  auto form = nb.FindForm(d.form);
  if (!form.ok()) return Fail(res, lang, form.status());
  d.version = (*form)->version;
  if (d.parent.empty() && nb.NeedsCommuneChoice() && nb.communes().empty()) {
    // A district device that does not know its communes yet: the reason says to sync.
    return Fail(res, lang, nb.CommuneForNewRecord("").status());
  }
  if (Status s = nb.drafts().Save(d); !s.ok()) return Fail(res, lang, s);
  SeeOther(res, "/draft/" + d.id);
}

void Edit(const httplib::Request& req, httplib::Response& res, Notebook& nb, const std::string& lang) {
  auto v = nb.Get(req.matches[1]);
  if (!v.ok()) return Fail(res, lang, v.status());
  auto form = nb.FindForm(v->form, v->version);
  if (!form.ok()) return Fail(res, lang, form.status());
  Draft d;
  d.form = v->form;
  d.version = v->version;
  d.parent = v->parent;
  d.record = v->id;
  d.answers = v->shown;
  for (const Field& f : (*form)->fields) {
    if (f.policy == MergePolicy::kAppend) d.answers.erase(f.name);  // a new note, not the old ones
  }
  if (Status s = nb.drafts().Save(d); !s.ok()) return Fail(res, lang, s);
  SeeOther(res, "/draft/" + d.id);
}

}  // namespace

void AddFormPages(httplib::Server& svr, App& app) {
  svr.Post("/new", Unlocked(app, New));
  svr.Post(R"(/record/([0-9a-f-]+)/edit)", Unlocked(app, Edit));
  svr.Get(R"(/draft/([0-9a-f-]+))", Unlocked(app, Show));
  svr.Post(R"(/draft/([0-9a-f-]+))", Unlocked(app, [&app](auto& req, auto& res, Notebook& nb, const std::string& lang) {
             Step(req, res, nb, lang, app);
           }));
}

}  // namespace sotay::shell::ui
