// Who the dashboard shows a sensitive answer to (schemas/README.md, "Sensitive"):
// the reporter of an abuse case, which the Law on Children (art. 54) requires be kept
// confidential. The rule, in one place for every page:
//
//   district staff an administrator allowed (`sotay-server admin grant-sensitive`)
//   see it; everyone else sees "(thông tin bảo mật)" / "(confidential)" in its
//   place, and a search never matches it. Workers see the reporters they wrote on
//   their own devices only (sync/sensitive_edits.h).
//
// A field counts as sensitive for a form's records of every version when any
// published version marks it (FormCatalog::IsSensitive), so an older record is kept
// back as a newer version says.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "sotay/form.h"
#include "store/form_catalog.h"
#include "web/html.h"

namespace sotay::server::web {

// Whether `v` may see answers marked sensitive at all.
bool SeesSensitive(const Viewer& v);
// Whether `v` is shown the answer to `field` of the form version it belongs to.
bool ShowsField(const Viewer& v, const Field& field);
// Whether `v` is shown the answer to `field` of a record of form (or child form)
// `form_id`, whatever its version: prefer this one where a record is at hand.
bool ShowsField(const Viewer& v, const FormCatalog& forms, const std::string& form_id, const std::string& field);
// What stands in for an answer `v` is not shown (plain text: escape it).
std::string Withheld(const Viewer& v);

}  // namespace sotay::server::web
