// Notebook: the record indexes (docs/store-format.md, tables `links` and
// `conflicts`), so a child's page opens only the records linked to the child and the
// conflicts page only the records in conflict, not every record of the notebook.
// Kept in the same transaction as the record's state (StoreEdits), rebuilt with the
// search summaries (RebuildSearchSummaries).
//
// A link row is keyed "RECORD:FIELD" (the linking record and the field naming the
// other, "_parent" for a repeat entry); its index is SealedStore::IndexTag of the
// answer, never the id itself: a parent id in clear beside a home visit's id would
// tell whoever copies the file who was visited about whom (SECURITY.md, "On the
// device"). The tag tells only that rows name the same record. The answer is sealed
// in the row, so a match is checked against it (NamesRecord), and a record made
// before links were checked, whose answer is an 8-character prefix, is found by the
// prefix's tag. A conflict row is keyed by the record's id, its index the form id:
// the same as the records table shows in clear, plus that the record waits for a
// person to settle it; no name, field or value.
#include <set>

#include "sotay/edit_rules.h"
#include "sotay/links.h"
#include "sotay/notebook.h"
#include "sotay/record_facts.h"

namespace sotay {

namespace {

constexpr size_t kPrefixLength = 8;  // links.h: records made before links were checked

}  // namespace

Status Notebook::ForgetRecordIndexes(const std::string& id) {
  auto old = store_->KeysWithPrefix(Table::kLinks, id + ":");
  if (!old.ok()) return old.status();
  for (const std::string& key : *old) {
    Status s = store_->Delete(Table::kLinks, key);
    if (!s.ok()) return s;
  }
  return store_->Delete(Table::kConflicts, id);
}

Status Notebook::PutRecordIndexes(const std::string& id, const RecordState& state, int64_t now) {
  Status s = ForgetRecordIndexes(id);
  if (!s.ok()) return s;
  const RecordFacts facts = Summarize(state);
  auto put_link = [&](const std::string& field, const std::string& answer) {
    return store_->Put(Table::kLinks, id + ":" + field, store_->IndexTag(answer), now, answer);
  };
  if (!facts.parent.empty()) s = put_link(kParentField, facts.parent);
  auto form = FindForm(facts.form, facts.version);
  if (!form.ok()) form = FindForm(facts.form);  // a newer device's version: the links we know
  if (s.ok() && form.ok()) {
    for (const Field* f : LinkFields(**form)) {
      auto it = facts.shown.find(f->name);
      if (it == facts.shown.end() || !IsLinkShaped(it->second)) continue;
      s = put_link(f->name, it->second);
      if (!s.ok()) break;
    }
  }
  if (s.ok() && !facts.conflicts.empty()) s = store_->Put(Table::kConflicts, id, facts.form, now, "1");
  return s;
}

namespace {

// The linking records' ids from the link rows naming `id` (by its tag, and by its
// prefix's), `parent_only`: only repeat entries.
Status LinkingRows(SealedStore& store, const std::string& id, bool parent_only, std::vector<std::string>& out) {
  std::set<std::string> found;
  std::vector<std::string> tags = {store.IndexTag(id)};
  if (id.size() > kPrefixLength) tags.push_back(store.IndexTag(id.substr(0, kPrefixLength)));
  const std::string parent_suffix = std::string(":") + kParentField;
  Status failure;
  for (const std::string& tag : tags) {
    Status s = store.Scan(Table::kLinks, tag, [&](const SealedRow& row) {
      const size_t colon = row.key.rfind(':');
      if (colon == std::string::npos) return true;
      if (!row.plaintext.ok()) {
        failure = Status::Tampered("the link index row of record " + row.key.substr(0, colon) +
                                   " does not open: " + row.plaintext.status().message());
        return false;
      }
      const bool is_parent = row.key.compare(colon, std::string::npos, parent_suffix) == 0;
      if (parent_only && !is_parent) return true;
      // A tag names one answer; the sealed answer says whether it names this record.
      if (is_parent ? *row.plaintext != id : !NamesRecord(*row.plaintext, id)) return true;
      found.insert(row.key.substr(0, colon));
      return true;
    });
    if (!s.ok()) return s;
    if (!failure.ok()) return failure;
  }
  out.assign(found.begin(), found.end());
  return Status::OK();
}

}  // namespace

Result<std::vector<std::string>> Notebook::Children(const std::string& parent_id) {
  std::vector<std::string> out;
  Status s = LinkingRows(*store_, parent_id, /*parent_only=*/true, out);
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<std::string>> Notebook::LinkedTo(const std::string& id) {
  std::vector<std::string> out;
  Status s = LinkingRows(*store_, id, /*parent_only=*/false, out);
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<std::string>> Notebook::Conflicted() {
  auto keys = store_->RowKeys(Table::kConflicts);
  if (!keys.ok()) return keys.status();
  std::vector<std::string> out;
  out.reserve(keys->size());
  for (SealedStore::RowKey& k : *keys) out.push_back(std::move(k.key));
  return out;
}

}  // namespace sotay
