#include "web/record_sections.h"

#include "web/sensitive.h"

#include <algorithm>

#include "sotay/presentation.h"
#include "sotay/validate.h"
#include "web/case_deadlines.h"
#include "web/sensitive.h"

namespace sotay::server::web {

std::string DeadlineBanner(const Viewer& v, const IndexedRecord& rec, int64_t now_local_ms) {
  auto due = TwelveHourDeadline(rec);
  if (!due) return "";
  const int64_t left = due->due_local_ms - now_local_ms;
  // The words carry the urgency; the colour only repeats it (print, colour-blind).
  const char* urgency = left < 0 ? "late" : left <= kDueSoonHours * 3600 * 1000 ? "soon" : "running";
  return std::string("<p class=\"deadline ") + urgency + "\" role=\"alert\" id=\"deadline\"><strong>" +
         Esc(DeadlineLabel(v, due->kind)) + ":</strong> " + Esc(LocalTimeText(v, due->due_local_ms)) + " — <strong>" +
         Esc(HoursText(v, left)) + "</strong></p>";
}

namespace {

bool SectionRelevant(const Form& form, const std::string& name, const Answers& answers, const CheckEnv& env) {
  auto g = form.groups.find(name);
  if (g == form.groups.end()) return true;
  if (g->second.relevant && !Holds(form, *g->second.relevant, answers, env)) return false;
  return std::all_of(g->second.groups.begin(), g->second.groups.end(),
                     [&](const std::string& outer) { return outer == name || SectionRelevant(form, outer, answers, env); });
}

}  // namespace

std::string AnswersTable(const Form* form, const RecordFacts& s, const Viewer& v, int64_t now_local_ms,
                         int64_t today_days, const std::function<bool(const std::string& field)>& shows) {
  std::string b = "<div class=\"scroll\"><table class=\"answers\" id=\"answers\">";
  if (form == nullptr) {
    for (const auto& [name, value] : s.shown) {
      b += "<tr><th>" + Esc(name) + "</th><td>" + Esc(shows(name) ? value : Withheld(v)) + "</td></tr>";
    }
    return b + "</table></div>";
  }
  CheckEnv env;
  env.lang = v.lang;
  env.now_ms = now_local_ms;
  env.today_days = static_cast<double>(today_days);
  // Fields run by their innermost section; a run with no answer is still shown
  // (when the answers make it relevant), marked empty.
  std::string group, rows;
  auto close_run = [&] {
    if (!group.empty() && (!rows.empty() || SectionRelevant(*form, group, s.shown, env))) {
      auto g = form->groups.find(group);
      b += "<tr class=\"group\" data-group=\"" + Esc(group) + "\"><th colspan=\"2\">" +
           Esc(g != form->groups.end() ? g->second.label.Get(v.lang) : group) + "</th></tr>";
      if (rows.empty()) {
        b += std::string("<tr class=\"empty\"><td colspan=\"2\">") + v.T("chưa có thông tin", "no information yet") +
             "</td></tr>";
      }
    }
    b += rows;
    rows.clear();
  };
  for (const Field& f : form->fields) {
    if (!f.HoldsValue()) continue;
    const std::string field_group = f.groups.empty() ? "" : f.groups.back();
    if (field_group != group) {
      close_run();
      group = field_group;
    }
    auto it = s.shown.find(f.name);
    const bool conflict = std::find(s.conflicts.begin(), s.conflicts.end(), f.name) != s.conflicts.end();
    if (it == s.shown.end() && !conflict) continue;
    rows += "<tr" + std::string(conflict ? " class=\"conflict\"" : "") + " data-field=\"" + Esc(f.name) + "\"><th>" +
            Esc(FieldLabel(form, f.name, v.lang)) + "</th><td>" +
            (it == s.shown.end()  ? ""
             : shows(f.name)      ? Esc(AnswerText(*form, f, it->second, v.lang))
                                  : Esc(Withheld(v))) +
            (conflict ? std::string(" <span class=\"badge conflict\">") + v.T("xung đột", "conflict") + "</span>" : "") +
            "</td></tr>";
  }
  close_run();
  return b + "</table></div>";
}

}  // namespace sotay::server::web
