// Edits made in the dashboard (a conflict's resolution) are edits like any device's:
// the server is one more replica with its own device id ("web-" and 16 hex digits,
// which enrollment refuses so no device can take it), its own counter and hybrid
// logical clock, kept in server_meta. The edit goes through the same checks, merge
// and history as a pushed one (push_applier.h), so devices pull it like any other.
//
// Thread-safety: none; REQUIRES: the store's mutex held, no transaction open.
#pragma once

#include <string>
#include <vector>

#include "app_context.h"
#include "sync/push_applier.h"
#include "web/html.h"

namespace sotay::server::web {

inline constexpr const char* kDashboardDevicePrefix = "web-";

// Makes and applies one edit of `field` on `record` by `v` with `base`, and writes
// the audit entry `action` in the same transaction. Returns what the push did
// (the edit may be rejected: see PushOutcome::rejected).
Result<PushOutcome> ApplyDashboardEdit(AppContext& ctx, const Viewer& v, const std::string& record,
                                       const std::string& field, const std::string& value,
                                       const std::vector<Dot>& base, const std::string& action);

// One change of a dashboard decision that writes several (a duplicate's merge).
struct DashboardChange {
  std::string record, field, value;
  std::vector<Dot> base;
};

// Makes and applies all of `changes` as one push in one transaction, with one audit
// entry `action` per change (target: its record; detail: its field): all land or
// none. When the push refuses or defers any edit (a record the principal may not
// edit, a value the form refuses), nothing is written and the outcome says why.
Result<PushOutcome> ApplyDashboardEdits(AppContext& ctx, const Viewer& v, const std::vector<DashboardChange>& changes,
                                        const std::string& action);

}  // namespace sotay::server::web
