// A record's commune is its area (issue 14): forms from version 2 on no longer ask
// `commune_code`, but a device still on version 1 may send an edit of that answer.
// It is refused, with a reason, when it names another commune than the record's
// area, so no record says two communes; one naming the area (or empty) is kept as
// an old answer like any other. Refused rather than dropped: the device keeps the
// refused edit and shows the worker why (`sotay rejected`), where a dropped one
// would vanish from the server only.
//
// Thread-safety: pure function.
#pragma once

#include <optional>
#include <string>

#include "sotay/edit.h"

namespace sotay::server {

inline constexpr char kLegacyCommuneField[] = "commune_code";

// nullopt when `edit` is not a commune answer or agrees with `area`; else a reason
// for a person (never the value).
std::optional<std::string> CheckCommuneAnswer(const Edit& edit, const std::string& area);

}  // namespace sotay::server
