// What the server's database knows of files on records (migration 11; the bytes
// are in store/attachment_files.h): each file's size, type, sender and whether it is
// whole, the chunks that arrived, the records that name it, and each device's bytes
// of files per day.
//
// Thread-safety: none; called under the server's store mutex.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/sql_db.h"
#include "sotay/status.h"

namespace sotay::server {

struct AttachmentRow {
  std::string hash;
  int64_t size = 0;
  std::string media_type;
  std::string device;  // the device that declared it first
  bool complete = false;
  // Set when `admin purge-files` deleted its bytes (store/attachment_purge.h).
  std::optional<int64_t> purged_ms;
  std::string purged_by, purge_reason;
  int64_t completed_ms = 0;  // when it was whole (0: not yet)
};

struct AttachmentTotals {
  int64_t files = 0, complete = 0, bytes = 0;  // bytes of complete files
};

Result<std::optional<AttachmentRow>> FindAttachment(sql::Db& db, const std::string& hash);
Status InsertAttachment(sql::Db& db, const AttachmentRow& row, int64_t now_ms);
// The chunks that arrived of an unfinished file, in order.
Result<std::vector<int64_t>> ChunksHeld(sql::Db& db, const std::string& hash);
Status AddChunk(sql::Db& db, const std::string& hash, int64_t n);
Status MarkComplete(sql::Db& db, const std::string& hash, int64_t now_ms);
// Forgets the chunks of a file whose whole did not match its hash.
Status ForgetChunks(sql::Db& db, const std::string& hash);
// That `record` names the file (a pushed image or file answer).
Status AddAttachmentRef(sql::Db& db, const std::string& hash, const std::string& record);
Result<std::vector<std::string>> RecordsNaming(sql::Db& db, const std::string& hash);
// Bytes of chunks a device sent on `day` (days since the epoch, UTC), and adding to it.
Result<int64_t> BytesOnDay(sql::Db& db, const std::string& device, int64_t day);
Status AddBytesOnDay(sql::Db& db, const std::string& device, int64_t day, int64_t bytes);
Result<AttachmentTotals> CountAttachments(sql::Db& db);
// Whole files not purged, oldest first.
Result<std::vector<AttachmentRow>> WholeFiles(sql::Db& db);
// A purged file declared again (attached anew): not whole, not purged, `device`'s.
Status UnpurgeAttachment(sql::Db& db, const std::string& hash, const std::string& device);
Status MarkPurged(sql::Db& db, const std::string& hash, int64_t now_ms, const std::string& by,
                  const std::string& reason);

}  // namespace sotay::server
