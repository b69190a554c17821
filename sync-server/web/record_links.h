// The links of a record on its dashboard page (links.h): for a child's profile, the
// child with every record linked to it (cases naming it, visits, siblings through the
// household link), newest first; for a case, the child's profile it names.
//
// Thread-safety: REQUIRES r.app.mu held, as every page handler.
#pragma once

#include <string>

#include "sotay/status.h"
#include "web/record_index.h"
#include "web/web.h"

namespace sotay::server::web {

// The section's HTML (empty for a record that neither links nor is linked to). Only
// records of the communes the viewer may see are read, and those shown are audited.
Result<std::string> RecordLinksSection(WebRequest& r, const IndexedRecord& rec);

}  // namespace sotay::server::web
