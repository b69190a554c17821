#include "web/sensitive.h"

namespace sotay::server::web {

bool SeesSensitive(const Viewer& v) { return v.role == Role::kDistrict && v.sees_sensitive; }

bool ShowsField(const Viewer& v, const Field& field) { return !field.sensitive || SeesSensitive(v); }

bool ShowsField(const Viewer& v, const FormCatalog& forms, const std::string& form_id, const std::string& field) {
  return SeesSensitive(v) || !forms.IsSensitive(form_id, field);
}

std::string Withheld(const Viewer& v) { return v.T("(thông tin bảo mật)", "(confidential)"); }

}  // namespace sotay::server::web
