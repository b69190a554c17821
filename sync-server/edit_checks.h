// The server's checks on one pushed edit (docs/sync-protocol.md, "Rules"). Each
// returns nullopt when the edit passes, else a reason for a person: which rule, in
// English, never the value. Record-level rules (the record's area and form) are in
// push_applier.cc, which knows the stored record.
//
// Values are checked for their field's type and choices only, as CheckValue does
// without cross-field context: constraints and required-ness depend on the other
// answers and on the device's date, which the server does not have.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "access.h"
#include "area_tree.h"
#include "form_catalog.h"
#include "sotay/edit.h"
#include "sotay/form.h"

namespace sotay::server {

// Whether `id` is a well-formed device, record or field id: 1-64 ASCII letters,
// digits, '-', '_' or '.'.
bool IsWellFormedId(const std::string& id);

// Whether `field` is one of the reserved fields that describe the record
// (_status, _form, _version, _area, _parent) or starts with '_'.
bool IsReservedField(const std::string& field);

// Rules that need nothing but the edit and its sender: the dot is the sender's,
// ids and names are well formed, sizes are within bounds.
std::optional<std::string> CheckEditShape(const Edit& edit, const Principal& who);

// A reserved field's value: a known status, a published form, a positive version,
// an area `who` may edit, a well-formed parent id.
std::optional<std::string> CheckReservedEdit(const Edit& edit, const AreaTree& areas, const Principal& who,
                                             const FormCatalog& forms);

// The edit's clock stamp is at most kMaxClockLeadMs (sotay/hlc.h) ahead of the
// server's clock `now_ms`: a stamp years ahead, once stored, would carry every
// device that pulls it into that year.
std::optional<std::string> CheckClock(const Edit& edit, int64_t now_ms);

// A form field's value against `form` (the record's form version).
std::optional<std::string> CheckFieldEdit(const Edit& edit, const Form& form);

}  // namespace sotay::server
