// `sotay ui`'s link picker: where a form asks for a link to another record (a case's
// child, links.h), the step offers a search of the register by name or personal
// number (the notebook's one search, accents optional, as `sotay new` offers it) and
// lists the matching records to pick, so nobody types an id (ui_form.cc).
//
// Thread-safety: called with App::mu held, as every page is (ui_app.h).
#pragma once

#include <string>

#include "sotay/form.h"
#include "sotay/notebook.h"
#include "sotay/status.h"

namespace sotay::shell::ui {

// The search (its own GET form, placed before the step's form) and the records it
// found as radio buttons named "pick" (inside the step's form); `matches` is empty
// without a query.
struct LinkFind {
  std::string search, matches;
};

// For link field `f` of draft `draft_id`, searched for `query`.
Result<LinkFind> FindLinked(Notebook& nb, const std::string& draft_id, const Field& f, const std::string& query,
                            const std::string& lang);

}  // namespace sotay::shell::ui
