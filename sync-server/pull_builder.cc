#include "pull_builder.h"

#include <algorithm>
#include <limits>

namespace sotay::server {

namespace {
// Roughly what an edit costs on the wire before compression.
size_t ApproxBytes(const Edit& e) {
  return e.value.size() + e.field.size() + e.record.size() + e.author.size() + e.dot.device.size() +
         12 * e.base.size() + 32;
}
}  // namespace

Result<PullPage> BuildPull(ServerStore& store, const AreaTree& areas, const Principal& who, uint64_t cursor,
                           const PullLimits& limits) {
  auto last = store.LastSeq();
  if (!last.ok()) return last.status();
  // A cursor past the end (a server restored from a backup) starts again from the end.
  const int64_t after = static_cast<int64_t>(std::min<uint64_t>(cursor, static_cast<uint64_t>(*last)));
  auto rows = store.EditsAfter(after, who.device, VisibleCommunes(areas, who),
                               static_cast<int64_t>(limits.max_edits) + 1);
  if (!rows.ok()) return rows.status();
  PullPage page;
  size_t bytes = 0;
  int64_t covered = after;
  for (StoredEdit& row : *rows) {
    const size_t size = ApproxBytes(row.edit);
    if (page.edits.size() == limits.max_edits || (!page.edits.empty() && bytes + size > limits.max_bytes)) {
      page.more = true;
      break;
    }
    bytes += size;
    covered = row.seq;
    page.edits.push_back(std::move(row.edit));
  }
  page.cursor = static_cast<uint64_t>(page.more ? covered : *last);
  return page;
}

}  // namespace sotay::server
