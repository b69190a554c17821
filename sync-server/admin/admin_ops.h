// What `sotay-server admin ...` does, as functions the tests can call: create the
// database, add users, issue enrollment codes, list and revoke devices, publish
// forms. Printing and argument parsing are in admin_cli.cc.
//
// Thread-safety: each function uses the store it is given; one caller at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "admin/access.h"
#include "store/server_store.h"
#include "sotay/env.h"

namespace sotay::server {

struct InitReport {
  size_t areas = 0;
  size_t forms = 0;
};

// Creates the database at `db_path` with the areas of `areas_csv_path` and every
// `*.json` form in `forms_dir` ("" for none). Everything is checked before the file
// is made; on any failure no file is left behind. AlreadyExists if the file exists.
Result<InitReport> InitServer(const std::string& db_path, const std::string& areas_csv_path,
                              const std::string& forms_dir, Env* env);

// Adds a user. `password` (for the dashboard, later) is stored as an Argon2id hash.
// InvalidArgument for a malformed id or an area that does not fit the role;
// AlreadyExists for a known id.
Status AddUser(ServerStore& store, const std::string& id, Role role, const std::string& area,
               const std::optional<std::string>& password, Env* env);

// Whether `password` may be a staff password (the reason when not).
std::optional<std::string> PasswordProblem(const std::string& password);

struct DisableReport {
  int64_t devices_revoked = 0;
  int64_t sessions_ended = 0;
};

// Stops a staff member: clears the password, ends every dashboard session, revokes
// every device and voids the enrollment codes not yet used; later codes are
// refused. Disabling again is harmless. NotFound for an unknown user.
// REQUIRES: inside a transaction of `store`, with the audit entry.
Result<DisableReport> DisableUser(ServerStore& store, const std::string& user, Env* env);

// A new generated password for `user` (to print once; only its Argon2id hash is
// stored), ending the user's dashboard sessions. NotFound for an unknown user,
// FailedPrecondition for a disabled one.
Result<std::string> ResetPassword(ServerStore& store, const std::string& user, Env* env);

struct IssuedCode {
  std::string code;  // to hand to the user once; only its hash is stored
  int64_t expires_ms = 0;
};

// A one-time enrollment code for `user`, valid `hours` (1 to 720). NotFound for an
// unknown user, FailedPrecondition for a disabled one.
Result<IssuedCode> IssueEnrollCode(ServerStore& store, const std::string& user, int hours, Env* env);

enum class PublishResult { kPublished, kAlreadyPublished };

// Publishes a form given as JSON text (`source` names it in messages). The same
// text again is kAlreadyPublished; a different text under a published (form,
// version) is FailedPrecondition: a published version never changes.
Result<PublishResult> PublishForm(ServerStore& store, const std::string& json_text, const std::string& source,
                                  Env* env, std::string* name);

}  // namespace sotay::server
