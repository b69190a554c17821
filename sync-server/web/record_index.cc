#include "web/record_index.h"

#include "sotay/merge.h"

namespace sotay::server::web {

const Field* ChildNameField(const Form& form) {
  for (const char* name : {"full_name", "child_name"}) {
    if (const Field* f = form.FindField(name)) return f;
  }
  return nullptr;
}

Status RecordIndex::Fill(DashboardStore& store, const FormCatalog& forms, const RecordRef& ref, IndexedRecord& out) {
  auto row = store.store().LoadRecord(ref.id);
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("record " + ref.id);
  out.ref = ref;
  out.summary = Summarize((*row)->state);
  out.title.clear();
  out.name.clear();
  out.answer_words.clear();
  const Form* form = forms.Find(ref.form, ref.version);
  if (form != nullptr) {
    CheckEnv env;
    out.title = InstanceName(*form, out.summary.shown, env);
    const Field* name_field = ChildNameField(*form);
    if (name_field != nullptr) {
      auto it = out.summary.shown.find(name_field->name);
      if (it != out.summary.shown.end()) out.name = it->second;
    }
    for (const Field& f : form->fields) {
      // A search never matches a sensitive answer (web/sensitive.h): the index is
      // shared by every viewer, so it holds none.
      if (f.type != FieldType::kText || &f == name_field || forms.IsSensitive(ref.form, f.name)) continue;
      auto it = out.summary.shown.find(f.name);
      if (it != out.summary.shown.end()) out.answer_words.emplace_back(f.name, ToSearchWords(it->second));
    }
  }
  if (out.name.empty()) out.name = out.title;
  out.name_sort = PersonNameSortKey(out.name);
  out.name_words = ToSearchWords(out.name);
  // Made by: the author of the edit that set the form, the first edit (record_facts.h).
  const FieldState* created = (*row)->state.Field(kFormField);
  out.worker = created != nullptr && !created->heads.empty() ? created->heads.front().author : "";
  return Status::OK();
}

Result<std::vector<const IndexedRecord*>> RecordIndex::In(DashboardStore& store, const FormCatalog& forms,
                                                          const std::vector<std::string>& communes) {
  auto refs = store.RecordsIn(communes);
  if (!refs.ok()) return refs.status();
  std::vector<const IndexedRecord*> out;
  out.reserve(refs->size());
  unreadable_ = 0;
  for (const RecordRef& ref : *refs) {
    auto it = by_id_.find(ref.id);
    if (it == by_id_.end() || it->second.ref.updated_seq != ref.updated_seq) {
      IndexedRecord fresh;
      Status s = Fill(store, forms, ref, fresh);
      if (s.code() == Status::Code::kCorrupt) {
        ++unreadable_;
        continue;
      }
      if (!s.ok()) return s;
      it = by_id_.insert_or_assign(ref.id, std::move(fresh)).first;
    }
    out.push_back(&it->second);
  }
  return out;
}

Result<const IndexedRecord*> RecordIndex::One(DashboardStore& store, const FormCatalog& forms,
                                               const std::string& id) {
  auto row = store.store().LoadRecord(id);
  if (!row.ok()) return row.status();
  if (!*row) return static_cast<const IndexedRecord*>(nullptr);
  RecordRef ref{id, (*row)->form, (*row)->area, (*row)->parent, (*row)->version, -1};
  Status s = Fill(store, forms, ref, one_);
  if (!s.ok()) return s;
  return static_cast<const IndexedRecord*>(&one_);
}

}  // namespace sotay::server::web
