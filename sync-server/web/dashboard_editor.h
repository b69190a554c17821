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

}  // namespace sotay::server::web
