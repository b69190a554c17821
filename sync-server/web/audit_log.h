// The audit log (SECURITY.md, "On the server"): every view of a record through the
// dashboard, every export, resolution, sign-in and administrative action, one row
// each. Each entry carries the hash of the one before, so an entry changed, removed
// or inserted afterwards breaks the chain at that point, and the verifier names it.
// SQL triggers refuse UPDATE and DELETE; the chain is what shows it when someone
// with the file goes around them. Deleting the newest entries leaves a shorter
// valid chain: the verifier prints the head hash so an operator can note it
// elsewhere (the yearly report, say) and compare later.
//
// Entries hold ids and codes, never names or answers.
//
// Thread-safety: none; callers hold the store's mutex. REQUIRES: Append runs inside
// the transaction of the change it records, so both land or neither.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sotay/status.h"
#include "store/sql_db.h"

namespace sotay::server::web {

struct AuditEntry {
  int64_t id = 0;
  int64_t at_ms = 0;
  std::string actor;   // a user id, or "admin-cli"
  std::string action;  // e.g. "record.view", "export.csv", "conflict.resolve", "login"
  std::string target;  // a record id, form id, device id, user id; "" if none
  std::string detail;  // short, non-personal: a field name, a row count
};

Status AppendAudit(sql::Db& db, const AuditEntry& entry);

// The detail of a page that showed records (a list, a search, the cases, the
// conflicts): how many, and their ids. Never names, answers or search text.
std::string RecordsShownDetail(const std::vector<std::string>& ids);

// The newest entries first, at most `limit`, with id < `before` (0: from the newest).
Result<std::vector<AuditEntry>> ListAudit(sql::Db& db, int64_t before, int64_t limit);

struct AuditVerdict {
  bool ok = true;
  int64_t entries = 0;     // entries read
  int64_t broken_at = 0;   // the first entry whose link or hash does not hold (0 if ok)
  std::string reason;      // why, for a person
  std::string head_hash;   // hex hash of the newest entry ("" for an empty log)
};
Result<AuditVerdict> VerifyAudit(sql::Db& db);

}  // namespace sotay::server::web
