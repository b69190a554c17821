// `sotay-server admin backup`: a copy of the server's database made while the server
// runs, checked before it is named (issue 17, "Operations").
//
// SQLite's online backup copies the pages of one read snapshot: in WAL mode the
// server goes on writing meanwhile, and the copy holds every change committed
// before the snapshot and none after (nothing half-written). The copy is written to
// COPY.partial, owner-only like the database (it holds the children's records and
// the server's signing key), then opened and checked (integrity_check, the audit
// log's hash chain) and only then renamed to COPY: a file named COPY is always a
// whole, checked backup. An existing COPY is never replaced.
//
// Files on records (store/attachment_files.h) are not in the database: the whole
// ones, still sealed, and their key are copied to COPY.files/ and COPY.files.key
// (owner-only) before COPY is named. They never change once whole, so a file made
// whole after the database's snapshot is copied too, harmlessly.
//
// Thread-safety: none; a command-line operation.
#pragma once

#include <cstdint>
#include <string>

#include "sotay/status.h"
#include "store/server_store.h"

namespace sotay::server {

struct BackupReport {
  uint64_t bytes = 0;          // the copy's size
  int64_t records = 0;         // records in the copy
  int64_t edit_sets = 0;       // change sets of the history
  int64_t audit_entries = 0;   // entries of the audit log, whose chain holds
  std::string audit_head;      // the chain's head hash ("" for an empty log)
  int64_t files = 0;           // whole files on records copied
  uint64_t file_bytes = 0;     // their bytes on disk (sealed)
};

Result<BackupReport> BackupDatabase(ServerStore& from, const std::string& to_path);

}  // namespace sotay::server
