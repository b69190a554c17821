#include "sotay/record_facts.h"

#include <algorithm>
#include <cstdlib>

#include "sotay/edit_rules.h"

namespace sotay {

RecordFacts Summarize(const RecordState& state) {
  RecordFacts s;
  s.form = state.Shown(kFormField);
  s.version = std::atoi(state.Shown(kVersionField).c_str());
  s.area = state.Shown(kAreaField);
  s.parent = state.Shown(kParentField);
  s.is_void = state.IsVoid();
  for (const auto& [name, field] : state.fields()) {
    for (const Head& h : field.heads) s.updated_ms = std::max(s.updated_ms, h.hlc.ms);
    if (IsReservedField(name)) continue;
    std::string v = state.Shown(name);
    if (!v.empty()) s.shown[name] = std::move(v);
  }
  // Created: when the record's form was first set, an edit nothing supersedes.
  const FieldState* created = state.Field(kFormField);
  s.created_ms = created != nullptr && !created->heads.empty() ? created->heads.front().hlc.ms : 0;
  s.conflicts = state.Conflicts();
  return s;
}

ReportRecord ToReportRecord(const std::string& id, const RecordFacts& summary) {
  ReportRecord r;
  r.id = id;
  r.form = summary.form;
  r.area = summary.area;
  r.answers = summary.shown;
  r.created_ms = summary.created_ms;
  r.updated_ms = summary.updated_ms;
  r.is_void = summary.is_void;
  return r;
}

}  // namespace sotay
