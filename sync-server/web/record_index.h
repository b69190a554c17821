// What the record lists, search, cases and reports read: each record's summary
// (core/include/sotay/record_facts.h), its display name, the child's name and the
// words the list's search compares (sotay/name_search.h), kept in memory and recomputed only for records whose updated_seq moved.
// The server stores records' merged state as blobs; decoding every one on every
// page would cost more than the page.
//
// Thread-safety: none; used under the store's mutex.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/form_catalog.h"
#include "sotay/name_search.h"
#include "sotay/record_facts.h"
#include "web/dashboard_store.h"

namespace sotay::server::web {

struct IndexedRecord {
  RecordRef ref;
  RecordFacts summary;
  std::string title;  // the form's instance name, or "" when it has none
  std::string name;   // the child's name (full_name, child_name), else the title
  std::string name_sort;  // PersonNameSortKey(name)
  SearchWords name_words;
  // The other text answers by field name, for a search that asks for them. Never a
  // sensitive field: a search must not say what it holds.
  std::vector<std::pair<std::string, SearchWords>> answer_words;
  std::string worker;  // the user whose edit created the record (its author, as the server set it)
};

// The field that holds the child's name in `form`, or nullptr.
const Field* ChildNameField(const Form& form);

class RecordIndex {
 public:
  // The records of `communes`, brought up to date. Pointers stay valid until the
  // next call. A record whose state no longer decodes is left out (and counted).
  Result<std::vector<const IndexedRecord*>> In(DashboardStore& store, const FormCatalog& forms,
                                               const std::vector<std::string>& communes);
  // One record, read fresh. nullptr when it does not exist. Valid until the next call.
  Result<const IndexedRecord*> One(DashboardStore& store, const FormCatalog& forms, const std::string& id);

  size_t unreadable() const { return unreadable_; }

 private:
  Status Fill(DashboardStore& store, const FormCatalog& forms, const RecordRef& ref, IndexedRecord& out);
  std::unordered_map<std::string, IndexedRecord> by_id_;
  IndexedRecord one_;  // One()'s answer: read fresh, not cached (its updated_seq is not known)
  size_t unreadable_ = 0;
};

}  // namespace sotay::server::web
