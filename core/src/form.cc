// Form lookups; the loader is in form_loader.cc.
#include "sotay/form.h"

namespace sotay {

std::string LocalText::Get(const std::string& lang) const {
  for (const std::string& l : {lang, std::string("vi"), std::string("en")}) {
    auto it = by_lang.find(l);
    if (it != by_lang.end() && !it->second.empty()) return it->second;
  }
  return by_lang.empty() ? std::string() : by_lang.begin()->second;
}

bool Field::IsQuestion() const {
  return type != FieldType::kNote && type != FieldType::kCalculate && type != FieldType::kRepeat;
}

bool Field::HoldsValue() const { return type != FieldType::kNote && type != FieldType::kRepeat; }

void Form::IndexFields() {
  field_places.clear();
  for (size_t i = 0; i < fields.size(); ++i) field_places.emplace(fields[i].name, i);
  for (Form& r : repeats) r.IndexFields();
}

const Field* Form::FindField(const std::string& name) const {
  if (!fields.empty() && field_places.size() == fields.size()) {
    auto it = field_places.find(name);
    if (it == field_places.end()) return nullptr;
    if (it->second < fields.size() && fields[it->second].name == name) return &fields[it->second];
  }
  for (const Field& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const std::vector<Choice>* Form::FindList(const std::string& list) const {
  auto it = choices.find(list);
  return it == choices.end() ? nullptr : &it->second;
}

const Choice* Form::FindChoice(const std::string& list, const std::string& name) const {
  const std::vector<Choice>* l = FindList(list);
  if (l == nullptr) return nullptr;
  for (const Choice& c : *l) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const Form* Form::FindForm(const std::string& form_id) const {
  if (form_id == id) return this;
  for (const Form& child : repeats) {
    if (const Form* f = child.FindForm(form_id)) return f;
  }
  return nullptr;
}

MergePolicy Form::PolicyOf(const std::string& field) const {
  const Field* f = FindField(field);
  return f == nullptr ? MergePolicy::kRegister : f->policy;
}

const Indicator* Form::FindIndicator(const std::string& name) const {
  for (const Indicator& i : indicators) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

}  // namespace sotay
