// The attachments tables (store/attachment_rows.h).
#include "store/attachment_rows.h"

namespace sotay::server {

namespace {

// Of a SELECT of these columns: hash, size, media_type, device, complete, purged_ms,
// purged_by, purge_reason, completed_ms.
AttachmentRow ReadRow(sql::Statement& st) {
  AttachmentRow r{st.Text(0), st.Int(1), st.Text(2), st.Text(3), st.Int(4) != 0, std::nullopt, "", "", 0};
  if (!st.IsNull(5)) r.purged_ms = st.Int(5);
  if (!st.IsNull(6)) r.purged_by = st.Text(6);
  if (!st.IsNull(7)) r.purge_reason = st.Text(7);
  if (!st.IsNull(8)) r.completed_ms = st.Int(8);
  return r;
}

}  // namespace

Result<std::optional<AttachmentRow>> FindAttachment(sql::Db& db, const std::string& hash) {
  auto st = db.Prepare(
      "SELECT hash, size, media_type, device, complete, purged_ms, purged_by, purge_reason, completed_ms FROM attachments"
      " WHERE hash = ?1");
  if (!st.ok()) return st.status();
  auto row = st->Bind(1, hash).Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<AttachmentRow>();
  AttachmentRow r = ReadRow(*st);
  st->Reset();
  return std::optional<AttachmentRow>(std::move(r));
}

Result<std::vector<AttachmentRow>> WholeFiles(sql::Db& db) {
  auto st = db.Prepare(
      "SELECT hash, size, media_type, device, complete, purged_ms, purged_by, purge_reason, completed_ms FROM attachments"
      " WHERE complete = 1 AND purged_ms IS NULL ORDER BY completed_ms, hash");
  if (!st.ok()) return st.status();
  std::vector<AttachmentRow> out;
  Status s = sql::ForEachRow(*st, [&] { out.push_back(ReadRow(*st)); });
  st->Reset();
  if (!s.ok()) return s;
  return out;
}

Status MarkPurged(sql::Db& db, const std::string& hash, int64_t now_ms, const std::string& by,
                  const std::string& reason) {
  auto st = db.Prepare("UPDATE attachments SET purged_ms = ?2, purged_by = ?3, purge_reason = ?4 WHERE hash = ?1");
  if (!st.ok()) return st.status();
  return st->Bind(1, hash).Bind(2, now_ms).Bind(3, by).Bind(4, reason).Run();
}

Status InsertAttachment(sql::Db& db, const AttachmentRow& row, int64_t now_ms) {
  auto st = db.Prepare(
      "INSERT INTO attachments (hash, size, media_type, device, complete, created_ms) VALUES (?1, ?2, ?3, ?4, 0, ?5)");
  if (!st.ok()) return st.status();
  return st->Bind(1, row.hash).Bind(2, row.size).Bind(3, row.media_type).Bind(4, row.device).Bind(5, now_ms).Run();
}

Result<std::vector<int64_t>> ChunksHeld(sql::Db& db, const std::string& hash) {
  auto st = db.Prepare("SELECT n FROM attachment_chunks WHERE hash = ?1 ORDER BY n");
  if (!st.ok()) return st.status();
  std::vector<int64_t> out;
  st->Bind(1, hash);
  Status s = sql::ForEachRow(*st, [&] { out.push_back(st->Int(0)); });
  st->Reset();
  if (!s.ok()) return s;
  return out;
}

Status AddChunk(sql::Db& db, const std::string& hash, int64_t n) {
  auto st = db.Prepare("INSERT INTO attachment_chunks (hash, n) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
  if (!st.ok()) return st.status();
  return st->Bind(1, hash).Bind(2, n).Run();
}

Status MarkComplete(sql::Db& db, const std::string& hash, int64_t now_ms) {
  auto st = db.Prepare("UPDATE attachments SET complete = 1, completed_ms = ?2 WHERE hash = ?1");
  if (!st.ok()) return st.status();
  Status s = st->Bind(1, hash).Bind(2, now_ms).Run();
  return s.ok() ? ForgetChunks(db, hash) : s;  // a whole file needs no list of its parts
}

Status ForgetChunks(sql::Db& db, const std::string& hash) {
  auto st = db.Prepare("DELETE FROM attachment_chunks WHERE hash = ?1");
  if (!st.ok()) return st.status();
  return st->Bind(1, hash).Run();
}

Status AddAttachmentRef(sql::Db& db, const std::string& hash, const std::string& record) {
  auto st = db.Prepare("INSERT INTO attachment_refs (hash, record) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
  if (!st.ok()) return st.status();
  return st->Bind(1, hash).Bind(2, record).Run();
}

Result<std::vector<std::string>> RecordsNaming(sql::Db& db, const std::string& hash) {
  auto st = db.Prepare("SELECT record FROM attachment_refs WHERE hash = ?1 ORDER BY record");
  if (!st.ok()) return st.status();
  std::vector<std::string> out;
  st->Bind(1, hash);
  Status s = sql::ForEachRow(*st, [&] { out.push_back(st->Text(0)); });
  st->Reset();
  if (!s.ok()) return s;
  return out;
}

Result<int64_t> BytesOnDay(sql::Db& db, const std::string& device, int64_t day) {
  auto st = db.Prepare("SELECT bytes FROM attachment_quota WHERE device = ?1 AND day = ?2");
  if (!st.ok()) return st.status();
  auto row = st->Bind(1, device).Bind(2, day).Step();
  if (!row.ok()) return row.status();
  const int64_t bytes = *row ? st->Int(0) : 0;
  st->Reset();
  return bytes;
}

Status AddBytesOnDay(sql::Db& db, const std::string& device, int64_t day, int64_t bytes) {
  auto st = db.Prepare(
      "INSERT INTO attachment_quota (device, day, bytes) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (device, day) DO UPDATE SET bytes = attachment_quota.bytes + excluded.bytes");
  if (!st.ok()) return st.status();
  return st->Bind(1, device).Bind(2, day).Bind(3, bytes).Run();
}

Result<AttachmentTotals> CountAttachments(sql::Db& db) {
  auto st = db.Prepare("SELECT count(*), coalesce(sum(complete), 0), coalesce(sum(CASE WHEN complete <> 0 THEN size END), 0) FROM attachments");
  if (!st.ok()) return st.status();
  auto row = st->Step();
  if (!row.ok()) return row.status();
  AttachmentTotals t{st->Int(0), st->Int(1), st->Int(2)};
  st->Reset();
  return t;
}

Status UnpurgeAttachment(sql::Db& db, const std::string& hash, const std::string& device) {
  auto st = db.Prepare(
      "UPDATE attachments SET complete = 0, completed_ms = NULL, purged_ms = NULL, purged_by = NULL,"
      " purge_reason = NULL, device = ?2 WHERE hash = ?1");
  if (!st.ok()) return st.status();
  return st->Bind(1, hash).Bind(2, device).Run();
}

}  // namespace sotay::server
