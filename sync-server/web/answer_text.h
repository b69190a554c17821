// An answer as a person reads it on a page: choice labels instead of codes, dates
// and times in the viewer's form, decimals with the viewer's decimal mark.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "sotay/form.h"
#include "web/html.h"

namespace sotay::server::web {

// `value` is canonical text as stored. A code no longer in the list shows as itself.
std::string AnswerText(const Form& form, const Field& field, const std::string& value, const Viewer& v);

// The label of a field in the viewer's language, or its name.
std::string FieldLabel(const Form& form, const std::string& field, const Viewer& v);

// The title of a form or child form, or its id.
std::string FormTitle(const Form* form, const std::string& id, const Viewer& v);

}  // namespace sotay::server::web
