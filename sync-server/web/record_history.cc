#include "web/record_history.h"

#include <map>

#include "sotay/merge.h"
#include "web/answer_text.h"

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

namespace {

std::string ValueText(const Form* form, const std::string& field, const std::string& value, const Viewer& v) {
  if (field == kStatusField) {
    return value == kStatusVoid ? v.T("đã hủy", "void") : value == kStatusActive ? v.T("đang dùng", "active") : value;
  }
  if (form != nullptr) {
    if (const Field* f = form->FindField(field)) return AnswerText(*form, *f, value, v);
  }
  return value;
}

}  // namespace

std::string HistoryTable(const std::vector<HistoryEdit>& history, const Form* form, const Viewer& v) {
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
      if (fc.field == kFormField || fc.field == kVersionField || fc.field == kAreaField || fc.field == kParentField) {
        if (!fc.before.empty()) {
          h += "<li>" + Esc(form != nullptr ? FieldLabel(*form, fc.field, v) : fc.field) + ": " + Esc(fc.after) + "</li>";
        }
        continue;  // set once at creation: not worth a line each
      }
      h += "<li><b>" + Esc(form != nullptr ? FieldLabel(*form, fc.field, v) : fc.field) + "</b>: ";
      if (fc.before.empty()) {
        h += Esc(ValueText(form, fc.field, fc.after, v));
      } else {
        std::string from;
        for (const std::string& b : fc.before) {
          from += (from.empty() ? "" : " | ") + ValueText(form, fc.field, b, v);
        }
        h += "<s>" + Esc(from) + "</s> → " + Esc(ValueText(form, fc.field, fc.after, v));
        if (fc.before.size() > 1) h += std::string(" <small>(") + v.T("giải quyết xung đột", "conflict resolved") + ")</small>";
      }
      h += "</li>";
    }
    h += "</ul></td></tr>";
  }
  h += "</tbody></table>";
  return h;
}

}  // namespace sotay::server::web
