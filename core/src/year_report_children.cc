#include "year_report_children.h"

#include "sotay/expr.h"
#include "sotay/register.h"
#include "sotay/register_age.h"

namespace sotay::year_report {

namespace {

LocalText Text(const char* vi, const char* en) {
  LocalText t;
  t.by_lang["vi"] = vi;
  t.by_lang["en"] = en;
  return t;
}

Breakdown::Category Unknown() { return {"unknown", "", Text("Không rõ", "Unknown")}; }

// The list a field of the register (else of any form) offers, or null.
const std::vector<Choice>* ListOf(const std::vector<const Form*>& forms, const std::vector<std::string>& names) {
  auto find = [&](bool register_only) -> const std::vector<Choice>* {
    for (const Form* form : forms) {
      if (register_only && !IsRegisterForm(*form)) continue;
      for (const std::string& name : names) {
        const Field* f = form->FindField(name);
        if (f == nullptr || f->list.empty()) continue;
        auto it = form->choices.find(f->list);
        if (it != form->choices.end()) return &it->second;
      }
    }
    return nullptr;
  };
  const std::vector<Choice>* list = find(true);
  return list != nullptr ? list : find(false);
}

// A breakdown of a list's choices, then "unknown".
Breakdown FromList(const char* name, LocalText label, const std::vector<Choice>* list,
                   std::unordered_map<std::string, int>& index) {
  Breakdown b{name, std::move(label), {}};
  if (list != nullptr) {
    for (const Choice& c : *list) {
      if (c.name == "unknown" || index.count(c.name) > 0) continue;  // "unknown" stays last
      index[c.name] = static_cast<int>(b.categories.size());
      b.categories.push_back({c.name, c.code, c.label});
    }
  }
  b.categories.push_back(Unknown());
  return b;
}

const std::string* Answer(const Answers& a, const char* name) {
  auto it = a.find(name);
  return it == a.end() || it->second.empty() ? nullptr : &it->second;
}

// The first of `names` answered in `own`, else in `profile`.
const std::string* Pick(const Answers& own, const Answers* profile, const char* a, const char* b) {
  if (const std::string* v = Answer(own, a)) return v;
  if (const std::string* v = Answer(own, b)) return v;
  if (profile == nullptr) return nullptr;
  if (const std::string* v = Answer(*profile, b)) return v;
  return Answer(*profile, a);
}

int IndexOf(const std::unordered_map<std::string, int>& index, const std::string* value, int unknown) {
  if (value == nullptr) return unknown;
  auto it = index.find(*value);
  return it == index.end() ? unknown : it->second;
}

}  // namespace

Categories MakeCategories(const std::vector<const Form*>& forms) {
  Categories c;
  c.breakdowns.push_back(FromList("sex", Text("Giới tính", "Sex"), ListOf(forms, {"sex", "child_sex"}), c.sex));
  Breakdown age{"age_band", Text("Nhóm tuổi", "Age band"), {}};
  age.categories = {{"0_5", "", Text("0–5 tuổi", "0–5 years")},
                    {"6_10", "", Text("6–10 tuổi", "6–10 years")},
                    {"11_15", "", Text("11–15 tuổi", "11–15 years")},
                    // Case forms follow people past 16 (a child marriage: to 18 or 20).
                    {"16_plus", "", Text("Từ 16 tuổi trở lên", "16 and over")},
                    Unknown()};
  c.breakdowns.push_back(std::move(age));
  c.breakdowns.push_back(
      FromList("ethnicity", Text("Dân tộc", "Ethnicity"), ListOf(forms, {"ethnicity"}), c.ethnicity));
  return c;
}

ChildFacts FactsOf(const Categories& c, const Answers& own, const Answers* profile) {
  ChildFacts f;
  f.sex = IndexOf(c.sex, Pick(own, profile, "child_sex", "sex"),
                  static_cast<int>(c.breakdowns[kSex].categories.size()) - 1);
  f.ethnicity = IndexOf(c.ethnicity, Pick(own, profile, "ethnicity", "ethnicity"),
                        static_cast<int>(c.breakdowns[kEthnicity].categories.size()) - 1);
  if (const std::string* dob = Pick(own, profile, "child_dob", "dob")) f.birth_day = ParseIsoDate(*dob);
  return f;
}

ChildFacts FactsOf(const Categories& c, const Answers& own, const ChildFacts* profile) {
  ChildFacts f = FactsOf(c, own, static_cast<const Answers*>(nullptr));
  if (profile == nullptr) return f;
  if (Pick(own, nullptr, "child_sex", "sex") == nullptr) f.sex = profile->sex;
  if (Pick(own, nullptr, "ethnicity", "ethnicity") == nullptr) f.ethnicity = profile->ethnicity;
  if (Pick(own, nullptr, "child_dob", "dob") == nullptr) f.birth_day = profile->birth_day;
  return f;
}

int AgeBandOn(const Categories& c, const std::optional<int64_t>& birth_day, int64_t day) {
  const int unknown = static_cast<int>(c.breakdowns[kAgeBand].categories.size()) - 1;
  if (!birth_day || *birth_day > day) return unknown;
  const int age = AgeYears(*birth_day, day);
  if (age <= 5) return 0;
  if (age <= 10) return 1;
  if (age <= 15) return 2;
  return 3;
}

}  // namespace sotay::year_report
