// What the record list counts and offers (its total, the villages and workers to
// filter by, the records that no longer decode), kept between pages while the
// record index read no new change set. Each is a query over every record of the
// viewer's communes: on a province (100,000 records) about 0.2 s apiece, most of a
// page's second, while paging, sorting or coming back changes none of them.
//
// Keyed by the index's watermark (RecordIndex::Watermark) taken before they are
// counted: the rows then hold at least the sets up to it, and any later set moves
// the watermark and empties the cache.
//
// Thread-safety: none; used under the store's mutex (AppContext::mu).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sotay::server::web {

struct ListFacets {
  std::vector<std::string> villages, workers;
};

struct ListCounts {
  static constexpr size_t kMaxEntries = 256;  // then emptied: a few KiB each at most

  int64_t watermark = -1;
  std::map<std::string, size_t> totals;      // by filter and communes
  std::map<std::string, ListFacets> facets;  // by communes and the commune picked
  std::map<std::string, size_t> unreadable;  // by communes

  // Empties the cache when `now` is not the watermark it was filled at, or when full.
  void At(int64_t now) {
    if (now == watermark && totals.size() + facets.size() + unreadable.size() < kMaxEntries) return;
    *this = ListCounts();
    watermark = now;
  }
};

}  // namespace sotay::server::web
