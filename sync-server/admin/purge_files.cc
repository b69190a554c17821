// Purging files no current answer names (admin/purge_files.h).
#include "admin/purge_files.h"

#include <algorithm>
#include <filesystem>

#include "store/attachment_files.h"
#include "store/attachment_rows.h"
#include "web/audit_log.h"

namespace sotay::server {

namespace {

// Whether any current value of the record names the file (a voided record names none).
bool NamesNow(const RecordState& state, const std::string& named) {
  if (state.IsVoid()) return false;
  for (const auto& [field, fs] : state.fields()) {
    for (const Head& h : fs.heads) {
      if (h.value.compare(0, named.size(), named) == 0) return true;
    }
  }
  return false;
}

Result<PurgeReport> MarkFilesToPurge(ServerStore& store, int64_t now_ms, int64_t older_than_ms, const std::string& by) {
  PurgeReport report;
  auto files = WholeFiles(store.db());
  if (!files.ok()) return files.status();
  for (const AttachmentRow& f : *files) {
    auto records = RecordsNaming(store.db(), f.hash);
    if (!records.ok()) return records.status();
    const std::string named = f.hash + " ";
    bool still_named = false, all_void = !records->empty();
    int64_t last_change = f.completed_ms;  // a file no record ever named waits as long
    for (const std::string& id : *records) {
      auto row = store.LoadRecord(id);
      if (!row.ok()) return row.status();
      if (!*row) continue;  // forgotten: names nothing
      still_named = still_named || NamesNow((*row)->state, named);
      all_void = all_void && (*row)->state.IsVoid();
      auto history = store.HistoryOf(id);
      if (!history.ok()) return history.status();
      for (const StoredEdit& e : *history) last_change = std::max(last_change, e.received_ms);
    }
    if (still_named) {
      ++report.kept_named;
      continue;
    }
    if (now_ms - last_change < older_than_ms) {
      ++report.kept_recent;
      continue;
    }
    PurgedFile p{f.hash, f.size, all_void ? "voided" : "replaced", *records};
    Status s = MarkPurged(store.db(), f.hash, now_ms, by, p.reason);
    if (!s.ok()) return s;
    report.bytes += f.size;
    report.purged.push_back(std::move(p));
  }
  return report;
}

// After the commit: the bytes of every purged file, gone (again, for one a run before
// could not delete).
Status RemovePurgedBytes(ServerStore& store) {
  std::error_code ec;
  const std::string folder = store.FilesFolder();
  if (folder.empty() || !std::filesystem::exists(folder, ec)) return Status::OK();  // never held a file
  auto files = AttachmentFiles::OpenFolder(folder);
  if (!files.ok()) return files.status();
  auto st = store.db().Prepare("SELECT hash FROM attachments WHERE purged_ms IS NOT NULL");
  if (!st.ok()) return st.status();
  std::vector<std::string> hashes;
  Status s = sql::ForEachRow(*st, [&] { hashes.push_back(st->Text(0)); });
  st->Reset();
  if (!s.ok()) return s;
  for (const std::string& h : hashes) {
    s = (*files)->Remove(h);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace

Result<PurgeReport> PurgeFiles(ServerStore& store, int64_t now_ms, int64_t older_than_ms,
                               const std::string& by) {
  ServerStore::Transaction txn(store);
  if (!txn.status().ok()) return txn.status();
  auto report = MarkFilesToPurge(store, now_ms, older_than_ms, by);
  if (!report.ok()) return report.status();
  for (const PurgedFile& p : report->purged) {
    // Ids and codes only: the record, the start of the hash, why.
    Status s = web::AppendAudit(store.db(), web::AuditEntry{0, now_ms, by, "file.purge",
                                                            p.records.empty() ? "" : p.records.front(),
                                                            p.hash.substr(0, 12) + " " + p.reason});
    if (!s.ok()) return s;
  }
  Status s = txn.Commit();
  if (s.ok()) s = RemovePurgedBytes(store);
  if (!s.ok()) return s;
  return report;
}

}  // namespace sotay::server
