#include "sync/pull_builder.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "sync/sensitive_edits.h"

namespace sotay::server {

namespace {

// Records that moved out of `visible` for good within the moves given (their first
// move there left a visible commune, their last one ended outside).
std::vector<std::string> GoneRecords(const std::vector<MoveRow>& moves, const std::set<std::string>& visible) {
  std::map<std::string, std::pair<const MoveRow*, const MoveRow*>> span;  // record -> first, last move
  for (const MoveRow& m : moves) {
    auto [it, fresh] = span.try_emplace(m.record, &m, &m);
    if (!fresh) it->second.second = &m;
  }
  std::vector<std::string> out;
  for (const auto& [record, ends] : span) {
    if (visible.count(ends.first->from) > 0 && visible.count(ends.second->to) == 0) out.push_back(record);
  }
  return out;
}

}  // namespace

PullLimits PullLimitsAsked(const PullLimits& server, const std::string& asked_bytes) {
  PullLimits out = server;
  if (asked_bytes.empty() || asked_bytes.size() > 12 ||
      asked_bytes.find_first_not_of("0123456789") != std::string::npos) {
    return out;
  }
  const size_t asked = static_cast<size_t>(std::stoull(asked_bytes));
  out.max_bytes = std::min(server.max_bytes, std::max(kSmallestAskedPageBytes, asked));
  return out;
}

Result<PullPage> BuildPull(ServerStore& store, const AreaTree& areas, const FormCatalog& forms, const Principal& who,
                           uint64_t cursor, const PullLimits& limits) {
  auto last = store.LastSeq();
  if (!last.ok()) return last.status();
  // A cursor past the end (a server restored from a backup) starts again from the end.
  const int64_t after = static_cast<int64_t>(std::min<uint64_t>(cursor, static_cast<uint64_t>(*last)));
  const std::vector<std::string> communes = VisibleCommunes(areas, who);
  const std::set<std::string> visible(communes.begin(), communes.end());
  auto moves = store.MovesBetween(after, *last);
  if (!moves.ok()) return moves.status();
  // Records arriving from outside, by the seq of the set that brought them: the
  // device has none of their history before its cursor.
  std::unordered_map<std::string, int64_t> arrivals;
  for (const MoveRow& m : *moves) {
    if (visible.count(m.to) > 0 && visible.count(m.from) == 0) arrivals.try_emplace(m.record, m.seq);
  }

  SensitiveEdits sensitive(store, forms, who.user);
  PullPage page;
  size_t bytes = 0;
  int64_t covered = after;
  Status failure;
  std::vector<std::string> unit;  // the sets one visit adds: a catch-up and the set itself
  // Whole sets only: the cursor names a set, so a page never ends inside one.
  Status s = store.ScanSetsAfter(after, who.device, communes, [&](StoredSet& set) {
    unit.clear();
    size_t count = 0, size = 0;
    auto arrival = arrivals.find(set.record);
    if (arrival != arrivals.end() && set.seq >= arrival->second) {
      Status caught = store.ScanRecordSetsThrough(set.record, after, [&](StoredSet& earlier) {
        auto keep = sensitive.Keep(earlier);
        if (!keep.ok()) {
          failure = keep.status();
          return false;
        }
        if (!*keep) return true;
        count += earlier.count;
        size += earlier.edits.size();
        unit.push_back(earlier.edits);
        return true;
      });
      if (!caught.ok()) {
        failure = caught.Annotate("the history of a transferred record");
        return false;
      }
      if (!failure.ok()) return false;
    }
    auto keep = sensitive.Keep(set);
    if (!keep.ok()) {
      failure = keep.status();
      return false;
    }
    if (*keep) {
      count += set.count;
      size += set.edits.size();
    }
    if (page.count > 0 && (page.count + count > limits.max_edits || bytes + size > limits.max_bytes)) {
      page.more = true;
      return false;
    }
    if (arrival != arrivals.end() && set.seq >= arrival->second) arrivals.erase(arrival);
    bytes += size;
    covered = set.seq;
    page.count += count;
    for (std::string& earlier : unit) page.sets.push_back(std::move(earlier));
    if (*keep) page.sets.push_back(std::move(set.edits));
    return true;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  page.cursor = static_cast<uint64_t>(page.more ? covered : *last);
  std::vector<MoveRow> in_page;
  for (const MoveRow& m : *moves) {
    if (m.seq <= static_cast<int64_t>(page.cursor)) in_page.push_back(m);
  }
  page.gone = GoneRecords(in_page, visible);
  return page;
}

}  // namespace sotay::server
