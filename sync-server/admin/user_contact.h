// A staff member's display name and phone, checked before they are stored: the
// dashboard's cases page shows them beside the children a worker is responsible
// for, so that a district officer can call. Set by `admin add-user` and
// `admin set-user` (admin_cli.cc).
//
// Thread-safety: uses the store it is given; one caller at a time.
#pragma once

#include <optional>
#include <string>

#include "store/server_store.h"

namespace sotay::server {

// Why `phone` is not a phone number to store (digits, with spaces, dots or dashes
// between groups and an optional leading '+': 8 to 15 digits), or nullopt.
std::optional<std::string> PhoneProblem(const std::string& phone);
// Why `name` is not a display name (1 to 100 bytes, no control characters), or nullopt.
std::optional<std::string> DisplayNameProblem(const std::string& name);

// Checks and stores a user's name and phone; nullopt leaves one unchanged, ""
// clears it. InvalidArgument for a malformed value, NotFound for an unknown user.
Status SetUserContact(ServerStore& store, const std::string& user, const std::optional<std::string>& name,
                      const std::optional<std::string>& phone);

}  // namespace sotay::server
