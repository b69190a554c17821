#include "sotay/apply_batch.h"

#include <algorithm>
#include <cstdlib>
#include <unordered_map>
#include <utility>

#include "sotay/edit_rules.h"

namespace sotay {

namespace {

// A field's policy when the record's form is not known here: the one the record
// already holds for it, so a device without the new version keeps merging an
// append-only field as one.
MergePolicy KeptPolicy(const RecordState& state, const std::string& field) {
  auto it = state.policies().find(field);
  return it == state.policies().end() ? MergePolicy::kRegister : it->second;
}

void Land(const Edit& e, size_t i, MergePolicy policy, RecordApply& r) {
  r.accepted.push_back(i);
  if (r.state.Apply(e, policy) != ApplyOutcome::kDuplicate) r.fresh.push_back(i);
}

// What keeps the record as a whole from landing, if anything (see the header).
std::optional<std::string> RecordProblem(const RecordState& state, const Form* form, const ApplyRules& rules,
                                         bool& deferrable) {
  const std::string form_id = state.Shown(kFormField);
  const int version = std::atoi(state.Shown(kVersionField).c_str());
  deferrable = true;
  if (rules.require_identity && state.Shown(kAreaField).empty()) {
    return std::string("the record names no area: its _area edit is missing");
  }
  if (rules.require_identity && (form_id.empty() || version <= 0)) {
    return std::string("the record names no form and version: its _form or _version edit is missing");
  }
  deferrable = false;
  if (form == nullptr && rules.unknown_form == UnknownForm::kRefuse) {
    return "form " + form_id + " version " + std::to_string(version) + " is not published on this server";
  }
  return std::nullopt;
}

void ApplyRecord(const std::vector<Edit>& edits, RecordApply& r, const ApplyRules& rules) {
  std::vector<size_t> fields;
  const bool was_new = r.state.known_count() == 0;
  const std::vector<std::string> before = was_new ? std::vector<std::string>() : r.state.Conflicts();
  const bool may_refuse_record = rules.require_identity || rules.unknown_form == UnknownForm::kRefuse;
  RecordState kept;  // the state as read, when the record might not land
  if (may_refuse_record && !was_new) kept = r.state;

  // Reserved fields first: they say which form, and so which merge policies, apply.
  for (size_t i : r.edits) {
    const Edit& e = edits[i];
    if (!IsReservedField(e.field)) {
      fields.push_back(i);
      continue;
    }
    std::optional<std::string> why = CheckReservedValue(e);
    if (why && rules.keep_unknown_reserved) why.reset();
    if (!why && rules.admit_reserved) why = rules.admit_reserved(e);
    if (why) {
      r.refused.push_back(Refusal{i, std::move(*why)});
    } else {
      Land(e, i, MergePolicy::kRegister, r);
    }
  }

  const Form* form = nullptr;
  if ((!fields.empty() || may_refuse_record) && rules.find_form) {
    const std::string form_id = r.state.Shown(kFormField);
    if (!form_id.empty()) form = rules.find_form(form_id, std::atoi(r.state.Shown(kVersionField).c_str()));
  }
  if (may_refuse_record) {
    r.problem = RecordProblem(r.state, form, rules, r.deferrable);
    if (r.problem) {
      r.held = std::move(r.accepted);
      r.held.insert(r.held.end(), fields.begin(), fields.end());
      std::sort(r.held.begin(), r.held.end());
      r.accepted.clear();
      r.fresh.clear();
      r.state = was_new ? RecordState() : std::move(kept);
      return;
    }
  }

  for (size_t i : fields) {
    const Edit& e = edits[i];
    if (rules.check_values && form != nullptr) {
      if (auto why = CheckFieldValue(e, *form)) {
        r.refused.push_back(Refusal{i, std::move(*why)});
        continue;
      }
    }
    Land(e, i, form != nullptr ? form->PolicyOf(e.field) : KeptPolicy(r.state, e.field), r);
  }
  std::sort(r.accepted.begin(), r.accepted.end());  // batch order, for the history
  std::sort(r.fresh.begin(), r.fresh.end());
  if (r.fresh.empty()) return;
  for (const std::string& f : r.state.Conflicts()) {
    r.new_conflicts += std::find(before.begin(), before.end(), f) == before.end();
  }
}

}  // namespace

std::vector<RecordApply> GroupByRecord(const std::vector<Edit>& edits) {
  std::vector<RecordApply> out;
  std::unordered_map<std::string, size_t> where;
  where.reserve(edits.size() / 8 + 1);  // a new child is ~25 edits
  for (size_t i = 0; i < edits.size(); ++i) {
    auto [it, fresh] = where.try_emplace(edits[i].record, out.size());
    if (fresh) {
      out.emplace_back();
      out.back().id = edits[i].record;
    }
    out[it->second].edits.push_back(i);
  }
  return out;
}

BatchCounts ApplyBatch(const std::vector<Edit>& edits, std::vector<RecordApply>& records, const ApplyRules& rules) {
  BatchCounts counts;
  for (RecordApply& r : records) {
    ApplyRecord(edits, r, rules);
    counts.fresh += r.fresh.size();
    counts.refused += r.refused.size();
    counts.held += r.held.size();
    counts.new_conflicts += r.new_conflicts;
  }
  return counts;
}

}  // namespace sotay
