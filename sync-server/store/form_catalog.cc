#include "store/form_catalog.h"

#include <algorithm>

namespace sotay::server {

namespace {
void CollectIds(const Form& f, std::set<std::string>& ids) {
  ids.insert(f.id);
  for (const Form& child : f.repeats) CollectIds(child, ids);
}

void CollectSensitive(const Form& f, std::set<std::pair<std::string, std::string>>& out, std::set<std::string>& names) {
  for (const Field& field : f.fields) {
    if (!field.sensitive) continue;
    out.emplace(f.id, field.name);
    names.insert(field.name);
  }
  for (const Form& child : f.repeats) CollectSensitive(child, out, names);
}
}  // namespace

Result<FormCatalog> FormCatalog::Load(ServerStore& store) {
  auto rows = store.LoadForms();
  if (!rows.ok()) return rows.status();
  FormCatalog c;
  for (FormRow& row : *rows) {
    const std::string where = "published form " + row.form + "@" + std::to_string(row.version);
    auto form = LoadForm(row.definition, where);
    if (!form.ok()) return Status::Corrupt(form.status().message());
    if (form->id != row.form || form->version != row.version) return Status::Corrupt(where + " names another form");
    auto shared = std::make_shared<const Form>(std::move(form).value());
    CollectIds(*shared, c.ids_);
    CollectSensitive(*shared, c.sensitive_, c.sensitive_names_);
    c.forms_[{row.form, row.version}] = Published{std::move(shared), std::move(row.definition)};
  }
  return c;
}

const Form* FormCatalog::Find(const std::string& id, int version) const {
  const std::string top = id.substr(0, id.find('.'));
  auto it = forms_.find({top, version});
  if (it == forms_.end()) return nullptr;
  return it->second.form->FindForm(id);
}

bool FormCatalog::IsSensitive(const std::string& id, const std::string& field) const {
  return sensitive_.count({id, field}) > 0;
}

bool FormCatalog::HasId(const std::string& id) const { return ids_.count(id) > 0; }

std::vector<const Form*> FormCatalog::Latest() const {
  std::vector<const Form*> out;
  for (auto it = forms_.begin(); it != forms_.end(); ++it) {
    auto next = std::next(it);
    if (next == forms_.end() || next->first.first != it->first.first) out.push_back(it->second.form.get());
  }
  return out;
}

std::optional<Form> FormCatalog::WithRetiredFields(const std::string& id) const {
  const std::string top = id.substr(0, id.find('.'));
  std::optional<Form> out;
  // Newest first, so a field's label and list are the newest version's that had it.
  for (auto it = forms_.rbegin(); it != forms_.rend(); ++it) {
    if (it->first.first != top) continue;
    const Form* f = it->second.form->FindForm(id);
    if (f == nullptr) continue;
    if (!out) {
      out = *f;
      continue;
    }
    for (const Field& field : f->fields) {
      if (field.type == FieldType::kNote || field.type == FieldType::kRepeat || out->FindField(field.name)) continue;
      out->fields.push_back(field);
      if (!field.list.empty() && f->FindList(field.list) != nullptr) out->choices.emplace(field.list, *f->FindList(field.list));
      for (const std::string& g : field.groups) {
        auto group = f->groups.find(g);
        if (group != f->groups.end()) out->groups.emplace(g, group->second);
      }
    }
  }
  return out;
}

std::vector<std::string> FormCatalog::Lacking(const std::vector<std::string>& have) const {
  std::vector<std::string> out;
  for (const auto& [key, published] : forms_) {
    const std::string name = key.first + "@" + std::to_string(key.second);
    if (std::find(have.begin(), have.end(), name) == have.end()) out.push_back(published.text);
  }
  return out;
}

}  // namespace sotay::server
