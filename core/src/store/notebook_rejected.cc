// Notebook: edits the server refused, kept sealed with its reasons until the worker
// retries or drops them, so a refusal never silently loses someone's work.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>

#include "notebook_keys.h"
#include "sotay/codec.h"
#include "sotay/notebook.h"

namespace sotay {

// A kept rejection's row: the reason's length, ':', the reason, then the edit as an
// edit group (nothing when the edit had already left the outbox).
namespace {
std::string EncodeKept(const std::string& reason, const std::optional<Edit>& edit) {
  std::string out = std::to_string(reason.size()) + ":" + reason;
  if (edit) out += EncodeEditGroup(std::vector<Edit>{*edit});
  return out;
}

Result<KeptRejection> DecodeKept(const std::string& key, const std::string& plain) {
  const Status malformed = Status::Corrupt("refused edit " + key + " is malformed");
  const size_t colon = plain.find(':');
  if (colon == std::string::npos || colon == 0 || colon > 9 ||
      plain.find_first_not_of("0123456789") != colon) {
    return malformed;
  }
  const size_t n = std::strtoull(plain.c_str(), nullptr, 10);
  if (colon + 1 + n > plain.size()) return malformed;
  KeptRejection out;
  out.reason = plain.substr(colon + 1, n);
  const std::string rest = plain.substr(colon + 1 + n);
  if (!rest.empty()) {
    auto edits = DecodeEditGroup(rest);
    if (!edits.ok() || edits->size() != 1) return malformed;
    out.edit = std::move(edits->front());
  }
  return out;
}

// "device:counter" back to a dot.
Dot DotOfKey(const std::string& key) {
  const size_t colon = key.rfind(':');
  return Dot{key.substr(0, colon), std::strtoull(key.c_str() + colon + 1, nullptr, 10)};
}
}  // namespace

Status Notebook::KeepRejected(const std::vector<Rejection>& rejected, int64_t now_ms) {
  const std::string prefix = device_id_ + ":";
  std::map<std::string, std::vector<Edit>> rows;  // outbox rows opened, by key
  for (const Rejection& x : rejected) {
    const std::string key = EditKey(x.dot);
    std::optional<Edit> edit;
    auto found = store_->KeyAtOrBefore(Table::kOutbox, key);
    if (!found.ok()) return found.status();
    if (found->has_value() && (*found)->key.compare(0, prefix.size(), prefix) == 0) {
      auto it = rows.find((*found)->key);
      if (it == rows.end()) {
        auto plain = store_->Get(Table::kOutbox, (*found)->key);
        if (!plain.ok()) return plain.status();
        auto edits = OutboxRowEdits((*found)->key, *plain);
        if (!edits.ok()) return edits.status();
        it = rows.emplace((*found)->key, std::move(edits).value()).first;
      }
      for (const Edit& e : it->second) {
        if (e.dot == x.dot) edit = e;
      }
    }
    if (!edit) {  // no longer waiting (a resend refused again): the edit as stored
      auto stored = store_->KeyAtOrBefore(Table::kEdits, key);
      if (!stored.ok()) return stored.status();
      if (stored->has_value() && (*stored)->key.compare(0, prefix.size(), prefix) == 0) {
        auto group = store_->Get(Table::kEdits, (*stored)->key);
        auto edits = group.ok() ? DecodeEditGroup(*group) : Result<std::vector<Edit>>(group.status());
        if (!edits.ok()) return edits.status().Annotate("edits row " + (*stored)->key);
        for (const Edit& e : *edits) {
          if (e.dot == x.dot) edit = e;
        }
      }
    }
    if (!edit) {  // or the one an earlier refusal kept
      auto earlier = store_->Get(Table::kRejected, key);
      if (earlier.ok()) {
        auto kept = DecodeKept(key, *earlier);
        if (kept.ok() && !kept->edit.record.empty()) edit = kept->edit;
      } else if (earlier.status().code() != Status::Code::kNotFound) {
        return earlier.status();
      }
    }
    Status s = store_->Put(Table::kRejected, key, edit ? edit->record : "", now_ms, EncodeKept(x.reason, edit));
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Result<std::vector<KeptRejection>> Notebook::Rejected() {
  std::vector<KeptRejection> out;
  Status failure;
  Status s = store_->Scan(Table::kRejected, std::nullopt, [&](const SealedRow& row) {
    auto kept = row.plaintext.ok() ? DecodeKept(row.key, *row.plaintext) : Result<KeptRejection>(row.plaintext.status());
    if (!kept.ok()) {
      failure = kept.status();
      return false;
    }
    kept->edit.dot = DotOfKey(row.key);
    kept->refused_ms = row.stamp;
    out.push_back(std::move(kept).value());
    return true;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return out;
}

Result<int64_t> Notebook::RejectedCount() { return store_->Count(Table::kRejected); }

Result<size_t> Notebook::RetryRejected() {
  auto kept = Rejected();
  if (!kept.ok()) return kept.status();
  size_t retried = 0;
  const std::string prefix = device_id_ + ":";
  const int64_t now = env_->NowMs();
  Status s = InTransaction([&] {
    for (const KeptRejection& k : *kept) {
      if (k.edit.record.empty() || k.edit.dot.device != device_id_) continue;  // nothing to send again
      // Into the outbox row at or before its dot when that row holds the same
      // record (the rest of the run it was sent in: DropFromOutbox looks the dot up
      // there, and the row then says no range), else a row of its own. A row holds
      // one record's edits; a row of another record before the dot holds only
      // counters before it.
      const std::string key = EditKey(k.edit.dot);
      auto found = store_->KeyAtOrBefore(Table::kOutbox, key);
      if (!found.ok()) return found.status();
      std::string row_key = key;
      std::vector<Edit> edits;
      if (found->has_value() && (*found)->key.compare(0, prefix.size(), prefix) == 0) {
        auto plain = store_->Get(Table::kOutbox, (*found)->key);
        if (!plain.ok()) return plain.status();
        auto row = OutboxRowEdits((*found)->key, *plain);
        if (!row.ok()) return row.status();
        if (!row->empty() && row->front().record == k.edit.record) {
          row_key = (*found)->key;
          edits = std::move(row).value();
        } else if ((*found)->key == key) {
          return Status::Corrupt("outbox row " + key + " holds another record's edits");
        }
      }
      edits.push_back(k.edit);
      std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.dot.counter < b.dot.counter; });
      Status st = store_->Put(Table::kOutbox, row_key, "", now, EncodeEditGroup(edits));
      if (st.ok()) st = store_->Delete(Table::kRejected, key);
      if (!st.ok()) return st;
      ++retried;
    }
    return Status::OK();
  });
  if (!s.ok()) return s;
  return retried;
}

Result<size_t> Notebook::DropRejected(const std::vector<Dot>& dots) {
  std::vector<std::string> keys;
  if (dots.empty()) {
    auto rows = store_->RowKeys(Table::kRejected);
    if (!rows.ok()) return rows.status();
    for (const SealedStore::RowKey& r : *rows) keys.push_back(r.key);
  } else {
    for (const Dot& d : dots) {
      keys.push_back(EditKey(d));
      if (!store_->Has(Table::kRejected, keys.back())) return Status::NotFound("no refused edit " + d.ToString());
    }
  }
  Status s = InTransaction([&] {
    for (const std::string& k : keys) {
      Status st = store_->Delete(Table::kRejected, k);
      if (!st.ok()) return st;
    }
    return Status::OK();
  });
  if (!s.ok()) return s;
  return keys.size();
}

}  // namespace sotay
