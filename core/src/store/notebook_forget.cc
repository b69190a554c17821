// Notebook: forgetting records transferred out of this device's communes
// (docs/sync-protocol.md, "Transfers"). A device keeps no child it may no longer
// see: the record, its history, its search summary and index rows, drafts on it or under it, and
// refusals of its edits go, in the exchange's transaction. The outbox keeps its edits of them: they were
// made before the device knew, and the server still takes them.
#include <set>

#include "sotay/notebook.h"

namespace sotay {

Status Notebook::ForgetRecords(const std::vector<std::string>& ids) {
  const std::set<std::string> gone(ids.begin(), ids.end());
  for (const std::string& id : gone) {
    Status s = store_->Delete(Table::kRecords, id);
    if (s.ok()) s = ForgetSearchSummary(id);
    if (s.ok()) s = ForgetRecordIndexes(id);
    if (!s.ok()) return s.Annotate("forget a transferred record");
    std::vector<std::string> keys;
    for (Table t : {Table::kEdits, Table::kRejected}) {
      keys.clear();
      s = store_->Scan(t, id, [&](const SealedRow& row) {
        keys.push_back(row.key);
        return true;
      });
      for (const std::string& key : keys) {
        if (s.ok()) s = store_->Delete(t, key);
      }
      if (!s.ok()) return s.Annotate("forget the history of a transferred record");
    }
  }
  auto drafts = this->drafts().List();
  if (!drafts.ok()) return drafts.status();
  for (const Draft& d : *drafts) {
    if (gone.count(d.record) == 0 && gone.count(d.parent) == 0) continue;
    Status s = this->drafts().Delete(d.id);
    if (!s.ok()) return s.Annotate("forget a draft on a transferred record");
  }
  return Status::OK();
}

Status Notebook::ForgetRecord(const std::string& id) {
  if (!store_->Has(Table::kRecords, id)) return Status::NotFound("no record with id '" + id + "'");
  return InTransaction([&] { return ForgetRecords({id}); });
}

}  // namespace sotay
