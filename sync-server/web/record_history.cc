#include "web/record_history.h"

#include <map>

#include "sotay/merge.h"
#include "sotay/presentation.h"
#include "web/sensitive.h"

namespace sotay::server::web {

std::vector<ChangeSet> GroupHistory(const std::vector<HistoryEdit>& history) {
  std::map<Dot, const std::string*> value_of;
  std::vector<ChangeSet> sets;
  for (const HistoryEdit& h : history) {
    const Edit& e = h.edit;
    value_of[e.dot] = &e.value;
    // One save on a device stamps its edits with one physical time.
    if (sets.empty() || sets.back().device != e.dot.device || sets.back().made_ms != e.hlc.ms ||
        sets.back().author != e.author) {
      ChangeSet c;
      c.device = e.dot.device;
      c.author = e.author;
      c.made_ms = e.hlc.ms;
      c.received_ms = h.received_ms;
      sets.push_back(std::move(c));
    }
    FieldChange fc;
    fc.field = e.field;
    fc.after = e.value;
    for (const Dot& d : e.base) {
      auto it = value_of.find(d);
      fc.before.push_back(it != value_of.end() ? *it->second : "?");
    }
    sets.back().changes.push_back(std::move(fc));
  }
  for (size_t i = 0; i < sets.size(); ++i) {
    for (size_t j = i + 1; j < sets.size(); ++j) {
      const ChangeSet& a = sets[i];
      const ChangeSet& b = sets[j];
      if (a.device == b.device) continue;
      if (a.made_ms < b.received_ms && b.made_ms < a.received_ms) {
        sets[i].parallel_with.push_back(j);
        sets[j].parallel_with.push_back(i);
      }
    }
  }
  return sets;
}

std::string HistoryTable(const std::vector<HistoryEdit>& history, const Form* form, const Viewer& v,
                         const std::function<bool(const std::string&)>& shows,
                         const std::function<std::string(const std::string&)>& area_name) {
  const std::vector<ChangeSet> sets = GroupHistory(history);
  std::string h = std::string("<table class=\"history\" id=\"history\"><thead><tr><th>") + v.T("Lúc", "When") +
                  "</th><th>" + v.T("Người sửa · thiết bị", "Who · device") + "</th><th>" +
                  v.T("Thay đổi", "Changes") + "</th></tr></thead><tbody>";
  for (size_t k = sets.size(); k-- > 0;) {
    const ChangeSet& c = sets[k];
    h += "<tr" + std::string(c.parallel_with.empty() ? "" : " class=\"parallel\"") + "><td>" + FormatTime(v, c.made_ms);
    h += "<br><small>" + std::string(v.T("máy chủ nhận ", "received ")) + FormatTime(v, c.received_ms) + "</small>";
    if (!c.parallel_with.empty()) {
      h += std::string("<br><span class=\"badge parallel\" title=\"") +
           v.T("Cùng lúc có người khác sửa hồ sơ này trên thiết bị khác; hai bên chưa thấy thay đổi của nhau.",
               "Someone else changed this record on another device at the same time; neither had seen the "
               "other's change.") +
           "\">" + v.T("cập nhật song song", "parallel update") + "</span>";
    }
    h += "</td><td>" + Esc(c.author) + "<br><small>" + Esc(c.device) + "</small></td><td><ul>";
    for (const FieldChange& fc : c.changes) {
      if (!ShownInHistory(fc.field, !fc.before.empty())) continue;
      ChangeText t = DescribeChange(form, fc.field, fc.before, fc.after, v.lang);
      if (fc.field == kAreaField && area_name) {
        for (std::string& b : t.before) b = area_name(b);
        t.after = area_name(t.after);
      }
      if (!shows(fc.field)) {
        for (std::string& b : t.before) b = Withheld(v);
        t.after = Withheld(v);
      }
      h += "<li><b>" + Esc(t.label) + "</b>: ";
      if (t.before.empty()) {
        h += Esc(t.after);
      } else {
        std::string from;
        for (const std::string& b : t.before) from += (from.empty() ? "" : " | ") + b;
        h += "<s>" + Esc(from) + "</s> → " + Esc(t.after);
        if (t.settles_conflict()) h += std::string(" <small>(") + v.T("giải quyết xung đột", "conflict resolved") + ")</small>";
      }
      h += "</li>";
    }
    h += "</ul></td></tr>";
  }
  h += "</tbody></table>";
  return h;
}

}  // namespace sotay::server::web
