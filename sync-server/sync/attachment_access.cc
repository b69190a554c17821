#include "sync/attachment_access.h"

#include <algorithm>

#include "store/attachment_rows.h"
#include "sync/sensitive_edits.h"

namespace sotay::server {

Result<bool> MayFetchAttachment(AppContext& ctx, const Principal& who, const std::string& hash) {
  auto row = FindAttachment(ctx.store->db(), hash);
  if (!row.ok()) return row.status();
  if (!*row) return false;
  if (!who.device.empty() && (*row)->device == who.device) return true;
  auto records = RecordsNaming(ctx.store->db(), hash);
  if (!records.ok()) return records.status();
  const std::vector<std::string> visible = VisibleCommunes(ctx.areas, who);
  SensitiveEdits sensitive(*ctx.store, ctx.forms, who.user);
  const std::string named = hash + " ";  // an answer naming the file starts so
  for (const std::string& id : *records) {
    auto record = ctx.store->LoadRecord(id);
    if (!record.ok()) return record.status();
    if (!*record || std::find(visible.begin(), visible.end(), (*record)->area) == visible.end()) continue;
    // The edit that named it must be one the device receives: a photo in a
    // sensitive field goes only where that field's answer goes.
    auto history = ctx.store->HistoryOf(id);
    if (!history.ok()) return history.status();
    for (const StoredEdit& s : *history) {
      if (s.edit.value.compare(0, named.size(), named) != 0) continue;
      auto receives = sensitive.Receives(id, s.edit);
      if (!receives.ok()) return receives.status();
      if (*receives) return true;
    }
  }
  return false;
}

}  // namespace sotay::server
