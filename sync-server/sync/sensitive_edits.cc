#include "sync/sensitive_edits.h"

#include "sotay/codec.h"

namespace sotay::server {

Result<const SensitiveEdits::RecordView*> SensitiveEdits::View(const std::string& record) {
  auto known = views_.find(record);
  if (known != views_.end()) return &known->second;
  auto row = store_.LoadRecord(record);
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("record " + record + " of a stored change set is missing");
  auto history = store_.HistoryOf(record);
  if (!history.ok()) return history.status();
  RecordView view;
  view.form = (*row)->form;
  // In the order received, so a value is known before an edit that replaces it.
  for (const StoredEdit& s : *history) {
    const Edit& e = s.edit;
    if (forms_.SensitiveNames().count(e.field) == 0) continue;
    bool held = e.author == user_;
    for (const Dot& seen : e.base) held = held || view.held.count(seen) > 0;
    if (held) view.held.insert(e.dot);
  }
  return &views_.emplace(record, std::move(view)).first->second;
}

Result<bool> SensitiveEdits::Keep(StoredSet& set) {
  // A field's name is in the set's bytes as it is (CBOR text): a set that holds no
  // sensitive name, nearly every set, goes out without being decoded.
  bool named = false;
  for (const std::string& name : forms_.SensitiveNames()) {
    if (set.edits.find(name) != std::string::npos) named = true;
  }
  if (!named) return true;
  auto edits = DecodeEditGroup(set.edits);
  if (!edits.ok()) return edits.status().Annotate("change set " + std::to_string(set.seq));
  std::vector<const Edit*> kept;
  const RecordView* view = nullptr;
  for (const Edit& e : *edits) {
    if (e.author != user_ && forms_.SensitiveNames().count(e.field) > 0) {
      if (view == nullptr) {
        auto found = View(set.record);
        if (!found.ok()) return found.status();
        view = *found;
      }
      if (forms_.IsSensitive(view->form, e.field) && view->held.count(e.dot) == 0) continue;
    }
    kept.push_back(&e);
  }
  if (kept.size() == edits->size()) return true;
  if (kept.empty()) return false;
  set.edits = EncodeEditGroup(kept);
  set.count = kept.size();
  return true;
}

Result<bool> SensitiveEdits::Receives(const std::string& record, const Edit& e) {
  if (e.author == user_ || forms_.SensitiveNames().count(e.field) == 0) return true;
  auto view = View(record);
  if (!view.ok()) return view.status();
  return !forms_.IsSensitive((*view)->form, e.field) || (*view)->held.count(e.dot) > 0;
}

}  // namespace sotay::server
