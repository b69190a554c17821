#include "web/audit_log.h"

#include "admin/crypto.h"

namespace sotay::server::web {

namespace {

const std::string kGenesis(32, '\0');

void PutU64(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
void PutText(std::string& out, const std::string& s) {
  PutU64(out, s.size());
  out += s;
}

// The hash binds the previous hash and every column, each length-prefixed so no
// two different entries serialise alike.
std::string EntryHash(const std::string& prev, const AuditEntry& e) {
  std::string m = "sotay-audit-v1";
  m += prev;
  PutU64(m, static_cast<uint64_t>(e.id));
  PutU64(m, static_cast<uint64_t>(e.at_ms));
  PutText(m, e.actor);
  PutText(m, e.action);
  PutText(m, e.target);
  PutText(m, e.detail);
  return Blake2b(m);
}

}  // namespace

Status AppendAudit(sql::Db& db, const AuditEntry& entry) {
  auto last = db.Prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
  if (!last.ok()) return last.status();
  auto has = last->Step();
  if (!has.ok()) return has.status();
  AuditEntry e = entry;
  e.id = *has ? last->Int(0) + 1 : 1;
  const std::string prev = *has ? last->Blob(1) : kGenesis;
  *last = sql::Statement();  // release before the insert
  auto ins = db.Prepare(
      "INSERT INTO audit_log (id, at_ms, actor, action, target, detail, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!ins.ok()) return ins.status();
  ins->Bind(1, e.id).Bind(2, e.at_ms).Bind(3, e.actor).Bind(4, e.action).Bind(5, e.target).Bind(6, e.detail);
  ins->BindBlob(7, prev).BindBlob(8, EntryHash(prev, e));
  return ins->Run();
}

std::string RecordsShownDetail(const std::vector<std::string>& ids) {
  std::string out = std::to_string(ids.size()) + (ids.size() == 1 ? " record" : " records");
  for (size_t i = 0; i < ids.size(); ++i) out += (i == 0 ? ": " : " ") + ids[i];
  return out;
}

Result<std::vector<AuditEntry>> ListAudit(sql::Db& db, int64_t before, int64_t limit) {
  auto q = db.Prepare(
      "SELECT id, at_ms, actor, action, target, detail FROM audit_log WHERE (?1 = 0 OR id < ?1) "
      "ORDER BY id DESC LIMIT ?2");
  if (!q.ok()) return q.status();
  q->Bind(1, before).Bind(2, limit);
  std::vector<AuditEntry> out;
  Status s = sql::ForEachRow(*q, [&] {
    out.push_back({q->Int(0), q->Int(1), q->Text(2), q->Text(3), q->Text(4), q->Text(5)});
  });
  if (!s.ok()) return s;
  return out;
}

Result<AuditVerdict> VerifyAudit(sql::Db& db) {
  auto q = db.Prepare("SELECT id, at_ms, actor, action, target, detail, prev_hash, hash FROM audit_log ORDER BY id");
  if (!q.ok()) return q.status();
  AuditVerdict v;
  std::string prev = kGenesis;
  int64_t expected_id = 1;
  Status s = sql::ForEachRow(*q, [&] {
    AuditEntry e{q->Int(0), q->Int(1), q->Text(2), q->Text(3), q->Text(4), q->Text(5)};
    const std::string stored_prev = q->Blob(6), stored_hash = q->Blob(7);
    ++v.entries;
    std::string why;
    if (e.id != expected_id) {
      why = e.id > expected_id ? "entries " + std::to_string(expected_id) + " to " + std::to_string(e.id - 1) +
                                     " are missing"
                               : "the entry number is out of order";
    } else if (!SameBytes(stored_prev, prev) || stored_prev.size() != prev.size()) {
      why = "it does not name the hash of the entry before it";
    } else if (stored_hash.size() != 32 || !SameBytes(stored_hash, EntryHash(prev, e))) {
      why = "its content does not match its hash: it was changed after it was written";
    }
    if (!why.empty()) {
      v.ok = false;
      v.broken_at = e.id;
      v.reason = "audit entry " + std::to_string(e.id) + ": " + why;
      return false;  // the first break is the one to show
    }
    prev = stored_hash;
    expected_id = e.id + 1;
    v.head_hash = ToHex(stored_hash);
    return true;
  });
  if (!s.ok()) return s;
  return v;
}

}  // namespace sotay::server::web
