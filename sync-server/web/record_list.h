// The dashboard's record list (issue 15): which records a filter and a name search
// pick, in which order, and each row's columns as a person reads them. The page
// (page_records.cc) and the list's CSV (list_export.cc) both read it, so the file
// holds exactly the rows and columns the page shows.
//
// The search compares the child's name only (sotay/name_search.h), unless the user
// asks for the other answers too; then a row found by another answer names it.
//
// Thread-safety: none; used under the store's mutex.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sotay/name_search.h"
#include "web/web.h"

namespace sotay::server::web {

inline constexpr size_t kListPageSize = 50;

struct ListFilter {
  std::string form, area, status, from, to, sort, village, sex, group, worker, age_min, age_max;
  std::string q;        // the name searched for: only ever in a POST body
  bool others = false;  // search the other answers too
  size_t page = 0;      // from 0

  // From a GET's query or a POST's fields; `q` only from a POST (names stay out of URLs).
  static ListFilter From(const WebRequest& r);
  // The filters as a query string, without the search and the page.
  std::string Query() const;
  // Every field, the search too, as hidden inputs of a POST form (but `page`).
  std::string HiddenFields() const;
};

struct ListRow {
  IndexedRecord rec;
  NameMatch match = NameMatch::kNone;  // kNone when there is no search
  std::string why;                     // the field another answer matched in, "" for the name
};

// The rows `f` picks among the records of `communes`: `total` of them, and those
// from `offset` (at most `limit`; 0: all), best match first, then in the filter's
// order. Without a search the database filters, orders and pages; a search reads
// the picked records' names (and other answers) a slice at a time and keeps only the
// matches. `today_days` dates ages. REQUIRES: r.app.mu held, the index refreshed.
struct ListPage {
  size_t total = 0;
  std::vector<ListRow> rows;
};
Result<ListPage> ListRows(WebRequest& r, const ListFilter& f, const std::vector<std::string>& communes,
                          int64_t today_days, size_t offset, size_t limit);

// A row's columns as shown (names, labels, local dates dd/mm/yyyy).
struct RowText {
  std::string name, form, commune, village, age, sex, worker, created, status;
  std::string why;  // "Họ tên người chăm sóc": the label of the answer that matched
};
RowText TextOf(const AppContext& ctx, const Viewer& v, const ListRow& row, int64_t today_days);

// The row's age in completed years today, or -1 without a date of birth.
int AgeOf(const IndexedRecord& rec, int64_t today_days);

// The choices the filter form offers from the records themselves: villages (as
// written, in `area` when one is chosen) and the workers who made records.
// Records of `communes` that no longer decode, as kept between pages (web/list_counts.h).
// REQUIRES: r.app.mu held, the index refreshed.
Result<size_t> UnreadableOf(WebRequest& r, const std::vector<std::string>& communes);

Result<ListFacets> FacetsOf(WebRequest& r, const std::vector<std::string>& communes, const std::string& area);

// The list as CSV for Excel: the page's columns, every row of the filter.
// Audited as an export before it is returned. REQUIRES: r.app.mu held.
HttpResponse ListCsv(WebRequest& r, const ListFilter& f, const std::vector<std::string>& communes, int64_t today_days);

}  // namespace sotay::server::web
