// The dashboard's record index: each record's facts as the record list, search,
// cases, duplicates and reports read them (core/include/sotay/record_facts.h), its
// display name, the child's name and the columns the list filters on, kept in the
// database beside the record (table record_facts, schema steps 14 and 15).
//
// Why in the database: a province's dashboard reads 100,000 records and more, and
// held in memory the index cost about 6 KiB a record, so the server's memory grew
// with the records. Here a page asks for what it shows (a page of 50, the records
// with a conflict, the profiles one id links to) and only those rows are read; a
// page that must see every record (duplicates, reports) reads them in slices.
//
// Kept up to date by reading through: before each read, Refresh() decodes the
// records changed since the change set it last saw (a watermark in server_meta, so
// every server process on one database shares the work) and writes their rows. Every
// change to a record comes with a new change set, so nothing is missed; no write
// path of the sync has to know the index exists.
//
// Thread-safety: none; used under the store's mutex (AppContext::mu).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/form_catalog.h"
#include "sotay/record_facts.h"
#include "web/dashboard_store.h"

namespace sotay::server::web {

struct IndexedRecord {
  RecordRef ref;
  RecordFacts summary;  // summary.shown is empty when read without answers
  std::string title;  // the form's instance name, or "" when it has none
  std::string name;   // the child's name (full_name, child_name), else the title
  std::string name_sort;  // PersonNameSortKey(name)
  std::string worker;  // the user whose edit created the record (its author, as the server set it)
  // A register profile's identity answers (full name, birth date, sex, personal
  // number, register status), read with every row: the duplicate scan needs no more,
  // so it reads neither record_answers nor its JSON. Empty for other records.
  Answers identity;
};

// The field that holds the child's name in `form`, or nullptr.
const Field* ChildNameField(const Form& form);

// Which records to read: those of `communes` (never any other), narrowed by the rest.
struct RecordQuery {
  std::vector<std::string> communes;
  std::string area;                      // one of them only ("" : all of them)
  std::vector<std::string> forms;        // empty: every form
  std::vector<std::string> ids;          // empty: any
  std::string id_prefix;                 // ids that begin with it (a link's 8 characters)
  bool top_level = false;                // no repeat entries (visits are listed under their record)
  std::optional<std::string> parent;     // the entries of this record
  bool conflicts_only = false;
  std::optional<bool> is_void;
  std::optional<int64_t> created_from_ms, created_to_ms;  // inclusive, UTC ms
  std::string village_key;               // FoldForSearch(village)
  std::string sex, group, worker;        // answer codes, a special_circumstances code, a user
  std::optional<int64_t> born_from, born_to;  // days since 1970, inclusive
  // Records whose link answers (or merged_into) may name this id: a first look by
  // its first 8 characters, for the caller to confirm with NamesRecord.
  std::string may_name;

  enum class Order { kId, kNewest, kName, kOldest };
  Order order = Order::kId;
  size_t limit = 0, offset = 0;  // limit 0: all
  bool with_answers = true;      // false: summary.shown and conflicts are left empty
};

class RecordIndex {
 public:
  // Brings the index up to the newest change set. REQUIRES: no transaction open.
  Status Refresh(DashboardStore& store, const FormCatalog& forms);

  // The records `q` picks, in its order. Reads them all at once: for a narrow query
  // or a page (a `limit`); a query over every record uses ForEach.
  Result<std::vector<IndexedRecord>> Select(DashboardStore& store, const RecordQuery& q);
  // Every record `q` picks, in slices, by id (q.order, limit and offset are ignored).
  Status ForEach(DashboardStore& store, const RecordQuery& q, const std::function<Status(IndexedRecord&)>& each);
  // How many records `q` picks (limit and offset ignored).
  Result<size_t> Count(DashboardStore& store, const RecordQuery& q);
  // The newest updated_seq among them (0: none): what a cached figure is keyed by.
  Result<int64_t> NewestSeq(DashboardStore& store, const RecordQuery& q);
  // The distinct values of `column` ("worker" or "village") among them, with their
  // count; a village as written in each record.
  Result<std::vector<std::pair<std::string, int64_t>>> Facet(DashboardStore& store, const RecordQuery& q,
                                                             const std::string& column);
  // The newest change set the index has read (0: none yet); a later set moves it.
  Result<int64_t> Watermark(DashboardStore& store);
  // Records of `communes` whose state no longer decodes (left out of every read).
  Result<size_t> Unreadable(DashboardStore& store, const std::vector<std::string>& communes);

  // One record, read fresh from its state. nullopt when it does not exist.
  Result<std::optional<IndexedRecord>> One(DashboardStore& store, const FormCatalog& forms, const std::string& id);

 private:
  std::string forms_seen_;  // the catalog's forms when rows of unknown forms were last retried
};

}  // namespace sotay::server::web
