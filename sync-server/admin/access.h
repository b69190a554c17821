// Who may see and edit which records (SYNC.md, "Who may see what"). A worker edits
// and sees the records of their commune; district staff, every commune under their
// area; an administrator manages users, devices and forms and reaches no records
// through sync. The push and the pull both ask here, so they cannot disagree.
//
// Thread-safety: pure functions over immutable values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "admin/area_tree.h"
#include "sotay/wire.h"

namespace sotay::server {

enum class Role { kWorker, kDistrict, kAdmin };

const char* RoleName(Role r);
std::optional<Role> ParseRole(const std::string& name);

// The authenticated caller of a sync request.
struct Principal {
  std::string device;  // the enrolled device id
  std::string user;    // its user id
  Role role = Role::kWorker;
  std::string area;    // the user's area code ("" for an administrator without one)
};

// Whether `who` may edit records of `area`. REQUIRES: `area` is a record's area.
bool CanEdit(const AreaTree& areas, const Principal& who, const std::string& area);

// The communes whose records `who` may see (empty for an administrator).
std::vector<std::string> VisibleCommunes(const AreaTree& areas, const Principal& who);

// The communes `who` may edit, with their names, and a tag that changes when the list
// does (sent to devices at enrollment and in sync answers, docs/sync-protocol.md).
CommuneList EditableCommunes(const AreaTree& areas, const Principal& who);

// Whether a user of `role` may be given `area` (a worker needs a commune; district
// staff an area above communes; an administrator any known area or none). The
// reason when not.
std::optional<std::string> AreaProblemForRole(const AreaTree& areas, Role role, const std::string& area);

}  // namespace sotay::server
