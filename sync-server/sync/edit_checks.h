// The server's own rules on a pushed edit (docs/sync-protocol.md, "Rules"), on top
// of the rules every replica keeps (sotay/edit_rules.h): who sent it and what the
// sender may touch. Each returns nullopt when the edit passes, else a reason for a
// person: which rule, in English, never the value. Record-level rules (the stored
// record's area, the parent link) are in push_applier.cc, which knows the store.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "admin/access.h"
#include "admin/area_tree.h"
#include "store/form_catalog.h"
#include "sotay/edit.h"
#include "sotay/edit_rules.h"

namespace sotay::server {

// The edit's dot is the sender's: a device pushes only its own edits.
std::optional<std::string> CheckSender(const Edit& edit, const Principal& who);

// A well-formed reserved edit that `who` may make here: a form this server
// publishes; for a new record (`current_area` empty) an area `who` may edit; for a
// stored one, a move (docs/sync-protocol.md, "Transfers"): any commune this server
// knows for a commune worker (the family moved away), a commune of their own area
// for district staff. That `who` may edit the record's current area is checked
// before (push_applier.cc). ApplyRules::admit_reserved on the server.
std::optional<std::string> AdmitReserved(const Edit& edit, const AreaTree& areas, const Principal& who,
                                         const FormCatalog& forms, const std::string& current_area = "");

}  // namespace sotay::server
