// Notebook: creating, changing, voiding and reading records (finding them:
// notebook_search.cc).
#include <algorithm>

#include "notebook_keys.h"
#include "sotay/codec.h"
#include "sotay/notebook.h"
#include "sotay/edit_rules.h"
#include "sotay/record_facts.h"
#include "sotay/text.h"

namespace sotay {

Result<RecordView> Notebook::ViewOf(const std::string& id, const std::string& plaintext) {
  auto state = DecodeRecordState(plaintext);
  if (!state.ok()) return state.status().Annotate("record " + id);
  RecordFacts facts = Summarize(*state);
  RecordView v;
  v.id = id;
  v.form = std::move(facts.form);
  v.version = facts.version;
  v.area = std::move(facts.area);
  v.parent = std::move(facts.parent);
  v.shown = std::move(facts.shown);
  v.updated_ms = facts.updated_ms;
  v.state = std::move(state).value();
  return v;
}

Result<RecordState> Notebook::LoadState(const std::string& id) {
  auto row = store_->Get(Table::kRecords, id);
  if (!row.ok()) return row.status();
  return DecodeRecordState(*row);
}

Result<std::string> Notebook::ResolveId(const std::string& id_or_part) {
  if (id_or_part.size() < 4) {
    return Status::InvalidArgument("record id '" + id_or_part + "' is too short: give at least 4 characters");
  }
  auto keys = store_->KeysWithPrefix(Table::kRecords, id_or_part);
  if (!keys.ok()) return keys.status();
  // The end of an id too: ids begin with the time they were made (version 7), so
  // the shell shows their random last characters.
  auto all = store_->RowKeys(Table::kRecords);
  if (!all.ok()) return all.status();
  for (const SealedStore::RowKey& k : *all) {
    const std::string& id = k.key;
    if (id.size() > id_or_part.size() && id.compare(id.size() - id_or_part.size(), id_or_part.size(), id_or_part) == 0 &&
        std::find(keys->begin(), keys->end(), id) == keys->end()) {
      keys->push_back(id);
    }
  }
  if (keys->empty()) return Status::NotFound("no record with id '" + id_or_part + "'");
  if (keys->size() > 1) {
    return Status::InvalidArgument("record id '" + id_or_part + "' matches " + std::to_string(keys->size()) +
                                   " records: give more characters");
  }
  return keys->front();
}

Result<RecordView> Notebook::Get(const std::string& id) {
  auto row = store_->Get(Table::kRecords, id);
  if (!row.ok()) return row.status();
  return ViewOf(id, *row);
}

Result<SaveOutcome> Notebook::CreateRecord(const std::string& form_id, const Answers& answers,
                                           const std::string& parent_id, const std::string& lang,
                                           const std::string& commune) {
  auto found = FindForm(form_id);
  if (!found.ok()) return found.status();
  const Form& form = **found;
  CheckEnv env = MakeEnv(lang);
  RecordView parent;
  const Form* parent_form = nullptr;
  if (!form.parent_form.empty()) {
    if (parent_id.empty()) {
      return Status::InvalidArgument("form '" + form.id + "' is a repeat of '" + form.parent_form +
                                     "': name the parent record");
    }
    auto p = Get(parent_id);
    if (!p.ok()) return p.status().Annotate("parent record");
    parent = std::move(p).value();
    if (parent.form != form.parent_form) {
      return Status::InvalidArgument("record " + parent_id + " is a '" + parent.form +
                                     "', not a '" + form.parent_form + "'");
    }
    if (parent.is_void()) return Status::FailedPrecondition("parent record " + parent_id + " is void");
    auto pf = FindForm(parent.form, parent.version);
    if (!pf.ok()) return pf.status();
    parent_form = *pf;
    env.parent_form = parent_form;
    env.parent_answers = &parent.shown;
  } else if (!parent_id.empty()) {
    return Status::InvalidArgument("form '" + form.id + "' is not a repeat: it takes no parent record");
  }
  std::string area;
  if (parent_form != nullptr) {
    area = parent.area;  // an entry lives where its parent does
  } else {
    auto chosen = CommuneForNewRecord(commune);
    if (!chosen.ok()) return chosen.status();
    area = std::move(chosen).value();
  }
  Checked checked = CheckAnswers(form, answers, env);
  SaveOutcome out;
  if (!checked.ok()) {
    out.issues = std::move(checked.issues);
    return out;
  }
  std::vector<Edit> edits;
  CreationEdits(form, checked.answers, area, parent_id, edits, out.id);
  Status s = ApplyAndStore(edits, /*local=*/true, &out.edits);
  if (!s.ok()) return s;
  return out;
}

void Notebook::CreationEdits(const Form& form, const Answers& checked, const std::string& area,
                             const std::string& parent_id, std::vector<Edit>& edits, std::string& id) {
  id = NewUuid(env_);
  edits.push_back(NextEdit(id, kStatusField, kStatusActive, {}));
  edits.push_back(NextEdit(id, kFormField, form.id, {}));
  edits.push_back(NextEdit(id, kVersionField, std::to_string(form.version), {}));
  edits.push_back(NextEdit(id, kAreaField, area, {}));
  if (!parent_id.empty()) edits.push_back(NextEdit(id, kParentField, parent_id, {}));
  for (const Field& f : form.fields) {
    auto it = checked.find(f.name);
    if (it != checked.end()) edits.push_back(NextEdit(id, f.name, it->second, {}));
  }
}

Result<std::vector<SaveOutcome>> Notebook::CreateRecords(const std::string& form_id,
                                                         const std::vector<Answers>& rows,
                                                         const std::string& lang,
                                                         const std::function<void(size_t, size_t)>& progress,
                                                         const std::string& commune) {
  auto found = FindForm(form_id);
  if (!found.ok()) return found.status();
  const Form& form = **found;
  if (!form.parent_form.empty()) {
    return Status::InvalidArgument("form '" + form.id + "' is a repeat: its entries are added to a parent record");
  }
  auto area = CommuneForNewRecord(commune);
  if (!area.ok()) return area.status();
  const CheckEnv env = MakeEnv(lang);
  std::vector<SaveOutcome> out(rows.size());
  std::vector<Edit> edits;
  for (size_t i = 0; i < rows.size(); ++i) {
    Checked checked = CheckAnswers(form, rows[i], env);
    if (!checked.ok()) {
      out[i].issues = std::move(checked.issues);
      continue;
    }
    CreationEdits(form, checked.answers, *area, "", edits, out[i].id);
  }
  size_t applied = 0;
  Status s = ApplyAndStore(edits, /*local=*/true, &applied, progress);
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<ReportRecord>> Notebook::ReportRecords(const std::string& form_id) {
  std::vector<ReportRecord> out;
  Status s = store_->Scan(Table::kRecords, form_id, [&](const SealedRow& row) {
    if (!row.plaintext.ok()) return true;  // a tampered record is reported by `list`, not counted
    auto state = DecodeRecordState(*row.plaintext);
    if (!state.ok()) return true;
    // The same facts as the server's reports count (record_facts.h).
    out.push_back(ToReportRecord(row.key, Summarize(*state)));
    return true;
  });
  if (!s.ok()) return s;
  return out;
}

Result<SaveOutcome> Notebook::EditRecord(const std::string& id, const Answers& changes,
                                         const std::string& lang) {
  auto view = Get(id);
  if (!view.ok()) return view.status();
  if (view->is_void()) {
    return Status::FailedPrecondition("record " + id + " is void: restore it before changing it");
  }
  auto found = FindForm(view->form, view->version);
  if (!found.ok()) return found.status();
  const Form& form = **found;
  CheckEnv env = MakeEnv(lang);
  RecordView parent;
  if (!view->parent.empty()) {
    auto p = Get(view->parent);
    if (p.ok()) parent = std::move(p).value();
    auto pf = FindForm(parent.form, parent.version);
    if (pf.ok()) {
      env.parent_form = *pf;
      env.parent_answers = &parent.shown;
    }
  }
  // Append-only fields take a new entry, not a replacement of what is shown.
  Answers next = view->shown;
  for (const auto& [name, value] : changes) {
    const Field* f = form.FindField(name);
    next[name] = f != nullptr && f->policy == MergePolicy::kAppend ? std::string() : value;
  }
  for (const Field& f : form.fields) {
    if (f.policy == MergePolicy::kAppend) next.erase(f.name);
  }
  Answers to_check = next;
  for (const auto& [name, value] : changes) {
    const Field* f = form.FindField(name);
    if (f != nullptr && f->policy == MergePolicy::kAppend) to_check[name] = value;
  }
  for (auto it = to_check.begin(); it != to_check.end();) {
    it = it->second.empty() ? to_check.erase(it) : std::next(it);
  }
  env.before = &view->shown;  // constraints only for what changes (validate.h)
  Checked checked = CheckAnswers(form, to_check, env);
  SaveOutcome out;
  out.id = id;
  if (!checked.ok()) {
    out.issues = std::move(checked.issues);
    return out;
  }
  std::vector<Edit> edits;
  for (const Field& f : form.fields) {
    if (!f.HoldsValue()) continue;
    auto now_it = checked.answers.find(f.name);
    const std::string now_value = now_it == checked.answers.end() ? "" : now_it->second;
    if (f.policy == MergePolicy::kAppend) {
      if (changes.count(f.name) && !now_value.empty()) {
        edits.push_back(NextEdit(id, f.name, now_value, {}));
      }
      continue;
    }
    const FieldState* state = view->state.Field(f.name);
    const bool conflicted = state != nullptr && state->InConflict();
    const std::string shown = view->state.Shown(f.name);
    // Naming every head: the new value supersedes them all, which also resolves a conflict.
    if (now_value != shown || (conflicted && changes.count(f.name))) {
      edits.push_back(NextEdit(id, f.name, now_value, view->state.HeadsOf(f.name)));
    }
  }
  if (edits.empty()) return out;
  Status s = ApplyAndStore(edits, /*local=*/true, &out.edits);
  if (!s.ok()) return s;
  return out;
}

Status Notebook::Void(const std::string& id) {
  auto state = LoadState(id);
  if (!state.ok()) return state.status();
  if (state->IsVoid() && !state->HasConflict()) {
    return Status::FailedPrecondition("record " + id + " is already void");
  }
  // A void names every head it saw, so an edit it did not see stays a conflict.
  return ApplyAndStore({NextEdit(id, kStatusField, kStatusVoid, state->AllHeads())}, true, nullptr);
}

Status Notebook::Restore(const std::string& id) {
  auto state = LoadState(id);
  if (!state.ok()) return state.status();
  if (!state->IsVoid()) return Status::FailedPrecondition("record " + id + " is not void");
  return ApplyAndStore({NextEdit(id, kStatusField, kStatusActive, state->HeadsOf(kStatusField))}, true,
                       nullptr);
}

Result<SaveOutcome> Notebook::Resolve(const std::string& id, const std::string& field, const std::string& value,
                                      const std::string& lang) {
  auto state = LoadState(id);
  if (!state.ok()) return state.status();
  const std::vector<std::string> open = state->Conflicts();
  if (std::find(open.begin(), open.end(), field) == open.end()) {
    return Status::FailedPrecondition("field '" + field + "' of record " + id + " is not in conflict");
  }
  if (!IsReservedField(field)) return EditRecord(id, {{field, value}}, lang);  // names the field's heads
  std::vector<Dot> base;
  if (field == kStatusField) {
    if (value != kStatusVoid && value != kStatusActive) {
      return Status::InvalidArgument(std::string("a record's status is '") + kStatusVoid + "' or '" +
                                     kStatusActive + "'");
    }
    // A void names every head of the record (it saw them all); keeping it, the status's.
    base = value == kStatusVoid ? state->AllHeads() : state->HeadsOf(kStatusField);
  } else {
    const FieldState* fs = state->Field(field);
    const bool competing = std::any_of(fs->heads.begin(), fs->heads.end(),
                                       [&](const Head& h) { return h.value == value; });
    if (!competing) return Status::InvalidArgument("choose one of the competing values of '" + field + "'");
    base = state->HeadsOf(field);
  }
  SaveOutcome out;
  out.id = id;
  Status s = ApplyAndStore({NextEdit(id, field, value, std::move(base))}, /*local=*/true, &out.edits);
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<Edit>> Notebook::History(const std::string& id) {
  std::vector<Edit> out;
  Status failure;
  Status s = store_->Scan(Table::kEdits, id, [&](const SealedRow& row) {
    if (!row.plaintext.ok()) {
      failure = row.plaintext.status();
      return false;
    }
    auto group = DecodeEditGroup(*row.plaintext);
    if (!group.ok()) {
      failure = group.status().Annotate("edits row " + row.key);
      return false;
    }
    for (Edit& e : *group) out.push_back(std::move(e));
    return true;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  std::sort(out.begin(), out.end(), [](const Edit& a, const Edit& b) {
    return std::tie(a.hlc, a.dot) < std::tie(b.hlc, b.dot);
  });
  return out;
}

}  // namespace sotay
