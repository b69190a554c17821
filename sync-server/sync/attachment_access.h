// Who may fetch a file on a record (issue 20; SECURITY.md's area rule): whoever may
// read a record that names it, as the pull decides for the record itself, by an
// answer the device receives (a file in a sensitive field goes only to the devices
// that receive that field's answer, sync/sensitive_edits.h); and the
// device that sent it, so an upload can be resumed. Everyone else is told 404, the
// answer for a file that does not exist, so a file's existence does not leak.
//
// Thread-safety: REQUIRES the store mutex held.
#pragma once

#include <string>

#include "admin/access.h"
#include "app_context.h"

namespace sotay::server {

// `device`: the asking device ("" for a dashboard user).
Result<bool> MayFetchAttachment(AppContext& ctx, const Principal& who, const std::string& hash);

}  // namespace sotay::server
