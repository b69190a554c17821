#include "web/answer_text.h"

#include "sotay/edit.h"
#include "sotay/merge.h"

namespace sotay::server::web {

std::string AnswerText(const Form& form, const Field& field, const std::string& value, const Viewer& v) {
  switch (field.type) {
    case FieldType::kSelectOne:
    case FieldType::kSelectMultiple: return ChoiceLabels(form, field, value, v.lang);
    case FieldType::kDate: return FormatDate(v, value);
    case FieldType::kDateTime: {
      // Stored as local "YYYY-MM-DDTHH:MM[:SS]": shown as typed, in the viewer's order.
      std::string t = value;
      const size_t cut = t.find('T');
      if (cut == std::string::npos) return FormatDate(v, t);
      std::string clock = t.substr(cut + 1, 5);
      return FormatDate(v, t.substr(0, cut)) + " " + clock;
    }
    case FieldType::kDecimal: {
      if (v.en()) return value;
      std::string s = value;
      for (char& ch : s) {
        if (ch == '.') ch = ',';
      }
      return s;
    }
    default: return value;
  }
}

std::string FieldLabel(const Form& form, const std::string& field, const Viewer& v) {
  if (field == kStatusField) return v.T("Trạng thái hồ sơ", "Record status");
  if (field == kAreaField) return v.T("Xã", "Commune");
  if (field == kFormField) return v.T("Biểu mẫu", "Form");
  if (field == kVersionField) return v.T("Phiên bản biểu mẫu", "Form version");
  if (field == kParentField) return v.T("Hồ sơ cha", "Parent record");
  const Field* f = form.FindField(field);
  if (f == nullptr) return field;
  std::string label = f->label.Get(v.lang);
  return label.empty() ? field : label;
}

std::string FormTitle(const Form* form, const std::string& id, const Viewer& v) {
  if (form == nullptr) return id;
  std::string t = form->title.Get(v.lang);
  return t.empty() ? id : t;
}

}  // namespace sotay::server::web
