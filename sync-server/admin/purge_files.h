// `sotay-server admin purge-files --older-than DAYS` (issue 20): deletes the bytes of
// files on records that no current answer names (a photo replaced by another, the
// files of a voided record) once none of the records that named them has changed
// for DAYS days, so a replaced photo stays in the record's history for that long
// and then goes. The file's row stays, saying when, by whom and why its bytes went
// (store/attachment_rows.h); each purge is an audit entry ("file.purge") in the
// same transaction; the dashboard says "file purged" where the file was.
//
// Thread-safety: none; run by the admin command on its own connection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sotay/status.h"
#include "store/server_store.h"

namespace sotay::server {

struct PurgedFile {
  std::string hash;
  int64_t size = 0;
  std::string reason;                // "replaced" or "voided"
  std::vector<std::string> records;  // that had named it
};

struct PurgeReport {
  std::vector<PurgedFile> purged;
  int64_t bytes = 0;
  int64_t kept_named = 0;   // whole files a current answer names
  int64_t kept_recent = 0;  // named by none, but a record that named them changed within the retention
};

// Marks the files to purge with `by` (an actor as the audit log names one) and
// audits each, in one transaction, then deletes their bytes from the store's files folder.
// `older_than_ms`: the retention. A file whose bytes could not be deleted is named
// in the error; its row says purged, and a run again deletes what is left.
Result<PurgeReport> PurgeFiles(ServerStore& store, int64_t now_ms, int64_t older_than_ms,
                               const std::string& by);

}  // namespace sotay::server
