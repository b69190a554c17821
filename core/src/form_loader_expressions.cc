// The form loader's expressions (form_loader.h): each parsed once where the form
// is read, and, once the whole form is read, every ${name} they reference checked
// against its fields.
#include "form_loader.h"

namespace sotay {

std::optional<Expression> FormLoader::Expr(const json& value, const std::string& field, const char* key) {
  if (!value.is_string()) {
    Problem(field, std::string("'") + key + "' must be an expression in a string");
    return std::nullopt;
  }
  auto parsed = Expression::Parse(value.get<std::string>());
  if (!parsed.ok()) {
    Problem(field, std::string(key) + ": " + parsed.status().message());
    return std::nullopt;
  }
  return *parsed;
}

// Every ${name} must name a field of this form or, in a repeat, of its parent.
void FormLoader::CheckReferences(const Form& form, const Form* parent) {
  auto known = [&](const std::string& name) {
    return form.FindField(name) != nullptr || (parent != nullptr && parent->FindField(name) != nullptr);
  };
  auto check = [&](const std::optional<Expression>& e, const std::string& field, const char* key) {
    if (!e) return;
    for (const std::string& ref : e->references()) {
      if (!known(ref)) Problem(field, std::string(key) + ": ${" + ref + "} is not a field of this form");
    }
  };
  for (const Field& f : form.fields) {
    check(f.relevant, f.name, "relevant");
    check(f.constraint, f.name, "constraint");
    check(f.calculate, f.name, "calculate");
    check(f.choice_filter, f.name, "choice_filter");
    check(f.required_if, f.name, "required");
  }
  for (const auto& [name, g] : form.groups) check(g.relevant, name, "relevant");
  for (const Indicator& ind : form.indicators) {
    std::optional<Expression> count = ind.count;
    check(count, "", ("indicator '" + ind.name + "': count").c_str());
    check(ind.when, "", ("indicator '" + ind.name + "': when").c_str());
  }
  check(form.instance_name, "", "instance_name");
  for (const Form& child : form.repeats) CheckReferences(child, &form);
}

}  // namespace sotay
