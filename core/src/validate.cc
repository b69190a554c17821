#include "sotay/validate.h"

#include <cmath>
#include <cstdlib>
#include <regex>
#include <set>

#include "answer_context.h"
#include "messages.h"
#include "sotay/text.h"

namespace sotay {

namespace {

constexpr size_t kMaxAnswerBytes = 20000;

bool ParseNumber(const std::string& s, double& out) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(out);
}

// Digits from `i`; returns how many (hand-written: this runs for every edit the
// server receives, where std::regex costs microseconds).
size_t Digits(const std::string& s, size_t& i) {
  const size_t from = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i - from;
}

// -?[0-9]{1,18}
bool IsInteger(const std::string& s) {
  size_t i = !s.empty() && s[0] == '-' ? 1 : 0;
  const size_t n = Digits(s, i);
  return n >= 1 && n <= 18 && i == s.size();
}

// -?[0-9]{1,15}(\.[0-9]{1,15})?
bool IsDecimal(const std::string& s) {
  size_t i = !s.empty() && s[0] == '-' ? 1 : 0;
  const size_t whole = Digits(s, i);
  if (whole < 1 || whole > 15) return false;
  if (i == s.size()) return true;
  if (s[i] != '.') return false;
  ++i;
  const size_t frac = Digits(s, i);
  return frac >= 1 && frac <= 15 && i == s.size();
}

bool IsGeopoint(const std::string& s) {
  std::vector<double> parts;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    double v = 0;
    if (!ParseNumber(s.substr(i, j - i), v)) return false;
    parts.push_back(v);
    i = j + 1;
  }
  return parts.size() >= 2 && parts.size() <= 4 && std::fabs(parts[0]) <= 90 &&
         std::fabs(parts[1]) <= 180;
}

// \+?[0-9]{8,15}
bool IsPhone(const std::string& s) {
  size_t i = !s.empty() && s[0] == '+' ? 1 : 0;
  const size_t n = Digits(s, i);
  return n >= 8 && n <= 15 && i == s.size();
}

FieldIssue Issue(const Field& f, const LocalText& custom, Msg fallback, const std::string& lang) {
  std::string m = custom.Get(lang);
  return FieldIssue{f.name, m.empty() ? Message(fallback, lang) : m};
}

bool IsRequired(const Form& form, const Field& f, const Answers& answers, const CheckEnv& env) {
  if (f.required) return true;
  if (!f.required_if) return false;
  AnswerContext ctx(form, answers, env);
  return f.required_if->EvaluateBool(ctx);
}

}  // namespace

std::optional<ExprValue> AnswerContext::Field(const std::string& name) const {
  if (const sotay::Field* f = form_.FindField(name)) {
    auto it = answers_.find(name);
    return it == answers_.end() ? ExprValue() : Typed(*f, it->second);
  }
  if (env_.parent_form != nullptr && env_.parent_answers != nullptr) {
    if (const sotay::Field* f = env_.parent_form->FindField(name)) {
      auto it = env_.parent_answers->find(name);
      return it == env_.parent_answers->end() ? ExprValue() : Typed(*f, it->second);
    }
  }
  return std::nullopt;
}

std::optional<ExprValue> AnswerContext::Property(const std::string& name) const {
  if (choice_ == nullptr) return std::nullopt;
  if (name == "name") return ExprValue::String(choice_->name);
  auto it = choice_->properties.find(name);
  if (it == choice_->properties.end()) return std::nullopt;
  return ExprValue::String(it->second);
}

ExprValue AnswerContext::Typed(const sotay::Field& field, const std::string& value) {
  if (value.empty()) return ExprValue();
  double number = 0;
  switch (field.type) {
    case FieldType::kInteger:
    case FieldType::kDecimal:
      if (ParseNumber(value, number)) return ExprValue::Number(number);
      break;
    case FieldType::kDate:
      if (auto days = ParseIsoDate(value)) return ExprValue::Date(static_cast<double>(*days));
      break;
    case FieldType::kDateTime:
      if (auto days = ParseIsoDateTime(value)) return ExprValue::Date(*days);
      break;
    default:
      break;
  }
  return ExprValue::String(value);
}

bool IsRelevant(const Form& form, const Field& field, const Answers& answers, const CheckEnv& env) {
  AnswerContext ctx(form, answers, env);
  for (const std::string& g : field.groups) {
    auto it = form.groups.find(g);
    if (it != form.groups.end() && it->second.relevant && !it->second.relevant->EvaluateBool(ctx)) {
      return false;
    }
  }
  if (!field.relevant) return true;
  auto it = answers.find(field.name);
  ctx.set_current(it == answers.end() ? ExprValue() : AnswerContext::Typed(field, it->second));
  return field.relevant->EvaluateBool(ctx);
}

std::vector<const Choice*> AvailableChoices(const Form& form, const Field& field,
                                            const Answers& answers, const CheckEnv& env) {
  std::vector<const Choice*> out;
  const std::vector<Choice>* list = form.FindList(field.list);
  if (list == nullptr) return out;
  AnswerContext ctx(form, answers, env);
  for (const Choice& c : *list) {
    ctx.set_choice(&c);
    if (!field.choice_filter || field.choice_filter->EvaluateBool(ctx)) out.push_back(&c);
  }
  return out;
}

namespace {

// The value's type, and for a select its codes among `offered` (every choice of the
// list when null). REQUIRES: value is not empty.
std::optional<FieldIssue> TypeIssue(const Form& form, const Field& field, const std::string& value,
                                    const std::vector<const Choice*>* offered, const std::string& lang) {
  if (!IsValidUtf8(value)) return Issue(field, {}, Msg::kBadUtf8, lang);
  // Named by code point, never quoted: the value may be a child's name.
  if (auto cp = FirstForbiddenChar(value)) {
    return FieldIssue{field.name, std::string(Message(Msg::kControlChar, lang)) + " " + CodePointName(*cp) + "."};
  }
  if (value.size() > kMaxAnswerBytes) return Issue(field, {}, Msg::kTooLong, lang);
  switch (field.type) {
    case FieldType::kInteger:
      if (!IsInteger(value)) return Issue(field, {}, Msg::kInteger, lang);
      break;
    case FieldType::kDecimal:
      if (!IsDecimal(value)) return Issue(field, {}, Msg::kDecimal, lang);
      break;
    case FieldType::kDate:
      if (value.size() != 10 || !ParseIsoDate(value)) return Issue(field, {}, Msg::kDate, lang);
      break;
    case FieldType::kDateTime:
      if (!ParseIsoDateTime(value)) return Issue(field, {}, Msg::kDateTime, lang);
      break;
    case FieldType::kGeopoint:
      if (!IsGeopoint(value)) return Issue(field, {}, Msg::kGeopoint, lang);
      break;
    case FieldType::kPhone:
      if (!IsPhone(value)) return Issue(field, {}, Msg::kPhone, lang);
      break;
    case FieldType::kImage:
    case FieldType::kFile: {  // a reference to a file that fits the field (attachment.h)
      auto ref = ParseAttachmentRef(value);
      if (!ref.ok()) return Issue(field, {}, Msg::kFileRef, lang);
      const bool image = field.type == FieldType::kImage;
      if (CheckFileAgainstRules(field.name, image, field.file, ref->media_type, ref->ext, ref->size).ok()) break;
      return Issue(field, {}, Msg::kFileRules, lang);
    }
    case FieldType::kSelectOne:
    case FieldType::kSelectMultiple: {
      const std::vector<Choice>* list = form.FindList(field.list);
      auto is_offered = [&](const std::string& code) {
        if (offered != nullptr) {
          for (const Choice* c : *offered) {
            if (c->name == code) return true;
          }
          return false;
        }
        if (list == nullptr) return false;
        for (const Choice& c : *list) {
          if (c.name == code) return true;
        }
        return false;
      };
      if (field.type == FieldType::kSelectOne) {
        if (!is_offered(value)) return Issue(field, {}, Msg::kNotInList, lang);
        break;
      }
      std::vector<std::string> picked = SplitAtSpaces(value);
      std::set<std::string> distinct(picked.begin(), picked.end());
      if (distinct.size() != picked.size()) return Issue(field, {}, Msg::kNotInList, lang);
      for (const std::string& p : picked) {
        if (!is_offered(p)) return Issue(field, {}, Msg::kNotInList, lang);
      }
      break;
    }
    default:
      break;
  }
  return std::nullopt;
}

const std::string& ValueIn(const Answers& answers, const std::string& name) {
  static const std::string kNone;
  auto it = answers.find(name);
  return it == answers.end() ? kNone : it->second;
}

// Whether a constraint must be checked: at creation always; on an edit when `.` or a
// field of this form it names (${x}) differs from before (a parent is not edited).
bool ConstraintToCheck(const Form& form, const Field& field, const std::string& value,
                       const Answers& answers, const Answers* before) {
  if (before == nullptr || value != ValueIn(*before, field.name)) return true;
  for (const std::string& ref : field.constraint->references()) {
    if (ref == field.name || form.FindField(ref) == nullptr) continue;
    if (ValueIn(answers, ref) != ValueIn(*before, ref)) return true;
  }
  return false;
}

}  // namespace

std::optional<FieldIssue> CheckType(const Form& form, const Field& field, const std::string& value,
                                    const std::string& lang) {
  if (value.empty()) return std::nullopt;
  return TypeIssue(form, field, value, nullptr, lang);
}

std::optional<FieldIssue> CheckValue(const Form& form, const Field& field, const std::string& value,
                                     const Answers& answers, const CheckEnv& env) {
  const std::string& lang = env.lang;
  if (value.empty()) {
    if (field.IsQuestion() && IsRequired(form, field, answers, env)) {
      return Issue(field, field.required_message, Msg::kRequired, lang);
    }
    return std::nullopt;
  }
  std::vector<const Choice*> offered;
  const bool select = field.type == FieldType::kSelectOne || field.type == FieldType::kSelectMultiple;
  if (select) offered = AvailableChoices(form, field, answers, env);
  if (auto issue = TypeIssue(form, field, value, select ? &offered : nullptr, lang)) return issue;
  if (field.constraint && ConstraintToCheck(form, field, value, answers, env.before)) {
    Answers with = answers;
    with[field.name] = value;
    AnswerContext ctx(form, with, env);
    ctx.set_current(AnswerContext::Typed(field, value));
    if (!field.constraint->EvaluateBool(ctx)) {
      FieldIssue issue = Issue(field, field.constraint_message, Msg::kConstraint, lang);
      // What exactly disagrees (which digit of a personal number) leads; the form's
      // message, which says what a right answer looks like, follows.
      const std::string why = ctx.why().Get(lang);
      if (!why.empty()) issue.message = why + " " + issue.message;
      return issue;
    }
  }
  return std::nullopt;
}

std::string Canonical(const Field& field, const std::string& typed) {
  // A line break from Excel (CRLF) or an old Mac (CR) is a newline; a CR alone would
  // be refused (FirstForbiddenChar).
  std::string s;
  s.reserve(typed.size());
  for (size_t i = 0; i < typed.size(); ++i) {
    if (typed[i] != '\r') s += typed[i];
    else if (i + 1 >= typed.size() || typed[i + 1] != '\n') s += '\n';
  }
  s = Trim(s);
  switch (field.type) {
    case FieldType::kInteger:
      if (!s.empty() && s[0] == '+') s.erase(0, 1);
      return s;
    case FieldType::kDecimal:
      // Vietnamese writes a decimal comma: "3,5" is 3.5.
      if (s.find(',') != std::string::npos && s.find('.') == std::string::npos &&
          s.find(',') == s.rfind(',')) {
        s[s.find(',')] = '.';
      }
      return s;
    case FieldType::kDate: {
      // Also take the Vietnamese way of writing dates: 21/03/2015.
      static const std::regex dmy("([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})");
      std::smatch m;
      if (std::regex_match(s, m, dmy)) {
        auto two = [](const std::string& x) { return x.size() == 1 ? "0" + x : x; };
        return m[3].str() + "-" + two(m[2].str()) + "-" + two(m[1].str());
      }
      return s;
    }
    case FieldType::kPhone: {
      std::string out;
      for (char c : s) {
        if (c != ' ' && c != '.' && c != '-') out += c;
      }
      return out;
    }
    case FieldType::kSelectMultiple:
    case FieldType::kGeopoint: {
      std::string out;
      for (char c : s) {
        const bool sep = c == ' ' || c == '\t' || (c == ',' && field.type == FieldType::kSelectMultiple);
        if (sep) {
          if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
          out += c;
        }
      }
      if (!out.empty() && out.back() == ' ') out.pop_back();
      return out;
    }
    default:
      return s;
  }
}

void ComputeCalculates(const Form& form, Answers& answers, const CheckEnv& env) {
  for (const Field& f : form.fields) {
    if (!f.calculate) continue;
    AnswerContext ctx(form, answers, env);
    auto v = f.calculate->Evaluate(ctx);
    std::string text = v.ok() ? v->AsString() : std::string();
    if (text == "NaN") text.clear();
    if (text.empty()) answers.erase(f.name);
    else answers[f.name] = text;
  }
}

Checked CheckAnswers(const Form& form, const Answers& input, const CheckEnv& env) {
  Checked out;
  for (const auto& [name, value] : input) {
    const Field* f = form.FindField(name);
    if (f == nullptr || !f->HoldsValue()) {
      out.issues.push_back(FieldIssue{name, Message(Msg::kUnknownField, env.lang)});
      continue;
    }
    std::string canonical = Canonical(*f, value);
    if (!canonical.empty()) out.answers[name] = canonical;
  }
  // Relevance can depend on calculates and the other way round; settle both. Forms
  // are acyclic by construction, so a few rounds reach a fixed point.
  for (int round = 0; round < 4; ++round) {
    Answers before = out.answers;
    ComputeCalculates(form, out.answers, env);
    for (const Field& f : form.fields) {
      if (out.answers.count(f.name) && !IsRelevant(form, f, out.answers, env)) {
        out.answers.erase(f.name);
      }
    }
    if (out.answers == before) break;
  }
  for (const Field& f : form.fields) {
    if (!f.HoldsValue() || f.type == FieldType::kCalculate) continue;
    if (!IsRelevant(form, f, out.answers, env)) continue;
    auto it = out.answers.find(f.name);
    const std::string value = it == out.answers.end() ? std::string() : it->second;
    if (auto issue = CheckValue(form, f, value, out.answers, env)) out.issues.push_back(*issue);
  }
  return out;
}

bool Holds(const Form& form, const Expression& rule, const Answers& answers, const CheckEnv& env) {
  AnswerContext ctx(form, answers, env);
  return rule.EvaluateBool(ctx);
}

std::string InstanceName(const Form& form, const Answers& answers, const CheckEnv& env) {
  if (!form.instance_name) return "";
  AnswerContext ctx(form, answers, env);
  auto v = form.instance_name->Evaluate(ctx);
  return v.ok() ? v->AsString() : std::string();
}

}  // namespace sotay
