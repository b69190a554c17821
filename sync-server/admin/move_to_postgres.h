// `sotay-server admin move-to-postgres --from FILE --to postgresql://...`: a
// district's server, outgrown or joining its province, moves from its SQLite file
// to PostgreSQL with nothing lost (issue 17, "Operations").
//
// Every table is copied row for row, with its keys as they were: the history's
// sequence numbers (devices' cursors stay valid), the audit log's ids and hashes (the
// chain still verifies, and gets one more entry saying it moved), the server's
// signing key (devices pinned it at enrollment), users, devices, sessions and files'
// rows. The source is read in one snapshot; the target is written in one
// transaction into a database that holds no Sotay tables: a failure leaves it as it
// was. Then the target is opened as the server would and checked: every table's
// row count equals the source's and the audit chain verifies. The files' sealed
// bytes stay in FILE.files/ (with their key, FILE.files.key): the servers on
// PostgreSQL are started with --files FILE.files.
//
// Stop the server on the file first: what it commits after the snapshot would not
// move.
//
// Thread-safety: none; a command-line operation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sotay/status.h"
#include "web/audit_log.h"

namespace sotay::server {

struct MoveReport {
  std::vector<std::pair<std::string, int64_t>> tables;  // each table and the rows moved
  int64_t audit_entries = 0;                            // in the target, the move's own included
  std::string files_folder;  // where the files' bytes are (give it to serve --files), "" if none
};

// `actor` is who ran it, for the audit entry. `now_ms` its time.
Result<MoveReport> MoveToPostgres(const std::string& from_file, const std::string& to_url, const std::string& actor,
                                  int64_t now_ms);

}  // namespace sotay::server
