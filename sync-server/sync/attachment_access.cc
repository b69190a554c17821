#include "sync/attachment_access.h"

#include <algorithm>

#include "store/attachment_rows.h"

namespace sotay::server {

Result<bool> MayFetchAttachment(AppContext& ctx, const Principal& who, const std::string& hash) {
  auto row = FindAttachment(ctx.store->db(), hash);
  if (!row.ok()) return row.status();
  if (!*row) return false;
  if (!who.device.empty() && (*row)->device == who.device) return true;
  auto records = RecordsNaming(ctx.store->db(), hash);
  if (!records.ok()) return records.status();
  const std::vector<std::string> visible = VisibleCommunes(ctx.areas, who);
  for (const std::string& id : *records) {
    auto record = ctx.store->LoadRecord(id);
    if (!record.ok()) return record.status();
    if (*record && std::find(visible.begin(), visible.end(), (*record)->area) != visible.end()) return true;
  }
  return false;
}

}  // namespace sotay::server
