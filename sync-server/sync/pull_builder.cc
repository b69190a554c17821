#include "sync/pull_builder.h"

#include <algorithm>
#include <limits>
#include <string>

#include "sotay/codec.h"

namespace sotay::server {

namespace {
// Roughly what an edit costs on the wire before compression.
size_t ApproxBytes(const Edit& e) {
  return e.value.size() + e.field.size() + e.record.size() + e.author.size() + e.dot.device.size() +
         12 * e.base.size() + 32;
}
}  // namespace

Result<PullPage> BuildPull(ServerStore& store, const AreaTree& areas, const Principal& who, uint64_t cursor,
                           bool reads_sets, const PullLimits& limits) {
  auto last = store.LastSeq();
  if (!last.ok()) return last.status();
  // A cursor past the end (a server restored from a backup) starts again from the end.
  const int64_t after = static_cast<int64_t>(std::min<uint64_t>(cursor, static_cast<uint64_t>(*last)));
  PullPage page;
  size_t bytes = 0;
  int64_t covered = after;
  Status failure;
  // Whole sets only: the cursor names a set, so a page never ends inside one.
  Status s = store.ScanSetsAfter(after, who.device, VisibleCommunes(areas, who), [&](StoredSet& set) {
    std::vector<Edit> edits;
    size_t size = set.edits.size();
    if (!reads_sets) {
      auto decoded = DecodeEditGroup(set.edits);
      if (!decoded.ok()) {
        failure = decoded.status().Annotate("edit set " + std::to_string(set.seq));
        return false;
      }
      edits = std::move(decoded).value();
      size = 0;
      for (const Edit& e : edits) size += ApproxBytes(e);
    }
    if (page.count > 0 && (page.count + set.count > limits.max_edits || bytes + size > limits.max_bytes)) {
      page.more = true;
      return false;
    }
    bytes += size;
    covered = set.seq;
    page.count += set.count;
    if (reads_sets) {
      page.sets.push_back(std::move(set.edits));
    } else {
      for (Edit& e : edits) page.edits.push_back(std::move(e));
    }
    return true;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  page.cursor = static_cast<uint64_t>(page.more ? covered : *last);
  return page;
}

}  // namespace sotay::server
