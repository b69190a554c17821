// Reading: stored answers, field labels, form titles and changes as text
// (sotay/presentation.h).
#include <cmath>
#include <cstdio>
#include <map>

#include "sotay/edit.h"
#include "sotay/expr.h"
#include "sotay/lang.h"
#include "sotay/merge.h"
#include "sotay/presentation.h"
#include "sotay/text.h"

namespace sotay {

std::string DateText(const std::string& iso, const std::string& lang) {
  if (IsEnglish(lang) || iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return iso;
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4) + iso.substr(10);
}

std::string DateTimeText(const std::string& iso, const std::string& lang) {
  // Stored as local "YYYY-MM-DDTHH:MM[:SS]": shown as typed, in the language's order.
  const size_t cut = iso.find('T');
  if (cut == std::string::npos) return DateText(iso, lang);
  return DateText(iso.substr(0, cut), lang) + " " + iso.substr(cut + 1, 5);
}

std::string TimeText(int64_t utc_ms, int64_t utc_offset_ms, const std::string& lang) {
  if (utc_ms <= 0) return "";
  const int64_t local = utc_ms + utc_offset_ms;
  const int64_t days = static_cast<int64_t>(std::floor(static_cast<double>(local) / 86400000.0));
  const int64_t in_day = (local - days * 86400000) / 60000;
  char clock[16];
  std::snprintf(clock, sizeof clock, " %02d:%02d", static_cast<int>(in_day / 60), static_cast<int>(in_day % 60));
  return DateText(FormatIsoDate(days), lang) + clock;
}

std::string DecimalText(std::string number, const std::string& lang) {
  if (IsEnglish(lang)) return number;
  for (char& c : number) {
    if (c == '.') c = ',';  // the Vietnamese decimal comma
  }
  return number;
}

std::string ChoiceLabels(const Form& form, const Field& field, const std::string& value, const std::string& lang) {
  if (field.type == FieldType::kSelectOne) {
    const Choice* c = form.FindChoice(field.list, value);
    return c != nullptr ? c->label.Get(lang) : value;
  }
  if (field.type != FieldType::kSelectMultiple) return value;
  std::string out;
  for (const std::string& code : SplitAtSpaces(value)) {
    const Choice* c = form.FindChoice(field.list, code);
    if (!out.empty()) out += "; ";
    out += c != nullptr ? c->label.Get(lang) : code;
  }
  return out;
}

// A file reference as a person reads it: what kind of file, how big, and the start
// of its hash to tell two apart ("tệp jpg, 305 KB (9f86d081)").
std::string FileText(const std::string& value, const std::string& lang) {
  auto ref = ParseAttachmentRef(value);
  if (!ref.ok()) return value;
  const std::string kind = ref->ext.empty() ? ref->media_type : ref->ext;
  const int64_t kb = (ref->size + 1023) / 1024;
  return Pick(lang, "tệp ", "file ") + kind + ", " + std::to_string(kb) + " KB (" + ref->sha256_hex.substr(0, 8) + ")";
}

std::string AnswerText(const Form& form, const Field& field, const std::string& value, const std::string& lang) {
  switch (field.type) {
    case FieldType::kImage:
    case FieldType::kFile: return FileText(value, lang);
    case FieldType::kSelectOne:
    case FieldType::kSelectMultiple: return ChoiceLabels(form, field, value, lang);
    case FieldType::kDate: return DateText(value, lang);
    case FieldType::kDateTime: return DateTimeText(value, lang);
    case FieldType::kDecimal: return DecimalText(value, lang);
    default: return value;
  }
}

std::string ValueText(const Form* form, const std::string& field, const std::string& value, const std::string& lang) {
  if (field == kStatusField) {
    if (value == kStatusVoid) return Pick(lang, "đã hủy", "void");
    if (value == kStatusActive) return Pick(lang, "đang dùng", "active");
    return value;
  }
  if (form != nullptr) {
    if (const Field* f = form->FindField(field)) return AnswerText(*form, *f, value, lang);
  }
  return value;
}

std::string FieldLabel(const Form* form, const std::string& field, const std::string& lang) {
  if (field == kStatusField) return Pick(lang, "Trạng thái hồ sơ", "Record status");
  if (field == kAreaField) return Pick(lang, "Xã", "Commune");
  if (field == kFormField) return Pick(lang, "Biểu mẫu", "Form");
  if (field == kVersionField) return Pick(lang, "Phiên bản biểu mẫu", "Form version");
  if (field == kParentField) return Pick(lang, "Hồ sơ cha", "Parent record");
  const Field* f = form != nullptr ? form->FindField(field) : nullptr;
  if (f == nullptr) return field;
  std::string label = f->label.Get(lang);
  return label.empty() ? field : label;
}

std::string FormTitle(const Form* form, const std::string& id, const std::string& lang) {
  if (form == nullptr) return id;
  std::string t = form->title.Get(lang);
  return t.empty() ? id : t;
}

ChangeText DescribeChange(const Form* form, const std::string& field, const std::vector<std::string>& before,
                          const std::string& after, const std::string& lang) {
  ChangeText c;
  c.label = FieldLabel(form, field, lang);
  c.before.reserve(before.size());
  for (const std::string& b : before) c.before.push_back(ValueText(form, field, b, lang));
  c.after = ValueText(form, field, after, lang);
  return c;
}

bool ShownInHistory(const std::string& field, bool replaces_a_value) {
  const bool set_at_creation =
      field == kFormField || field == kVersionField || field == kAreaField || field == kParentField;
  return !set_at_creation || replaces_a_value;
}

std::vector<HistoryLine> DescribeHistory(const Form* form, const std::vector<Edit>& edits, const std::string& lang) {
  std::map<Dot, const Edit*> by_dot;
  for (const Edit& e : edits) by_dot[e.dot] = &e;
  std::vector<HistoryLine> out;
  for (const Edit& e : edits) {
    std::vector<std::string> before;
    for (const Dot& d : e.base) {
      auto it = by_dot.find(d);
      if (it != by_dot.end() && it->second->field == e.field) before.push_back(it->second->value);
    }
    if (!ShownInHistory(e.field, !before.empty())) continue;
    out.push_back(HistoryLine{&e, DescribeChange(form, e.field, before, e.value, lang)});
  }
  return out;
}

}  // namespace sotay
