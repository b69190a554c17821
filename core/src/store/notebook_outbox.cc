// Notebook: the outbox, this device's edits waiting for the server
// (docs/store-format.md): queued as they are saved, read in batches by a sync, and
// dropped as the server acknowledges them.
#include <algorithm>
#include <cstdlib>
#include <map>

#include "notebook_keys.h"
#include "sotay/codec.h"
#include "sotay/notebook.h"

namespace sotay {

Status Notebook::QueueForSending(std::vector<Edit> edits, int64_t now_ms) {
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.dot.counter < b.dot.counter; });
  size_t begin = 0;
  for (size_t i = 1; i <= edits.size(); ++i) {
    if (i < edits.size() && edits[i].dot.counter == edits[i - 1].dot.counter + 1) continue;
    std::vector<Edit> run(edits.begin() + static_cast<std::ptrdiff_t>(begin),
                          edits.begin() + static_cast<std::ptrdiff_t>(i));
    // The index says the run's last counter, so that a run acknowledged whole is
    // dropped without opening it (counters are in clear in the key already).
    Status s = store_->Put(Table::kOutbox, EditKey(run.front().dot), Padded(run.back().dot.counter, 20), now_ms,
                           EncodeEditGroup(run));
    if (!s.ok()) return s;
    begin = i;
  }
  return Status::OK();
}

Result<std::vector<Edit>> Notebook::OutboxRowEdits(const std::string& key, const std::string& plaintext) {
  auto edits = DecodeEditGroup(plaintext);
  if (!edits.ok()) return edits.status().Annotate("outbox row " + key);
  return edits;
}

Result<Notebook::OutboxSlice> Notebook::OutboxAfter(const std::string& after_key, size_t max_edits) {
  OutboxSlice out;
  // A sync's batch at once (5,000 edits at most): moving thousands of edits as the
  // vector grew was a seventh of reading the batch. A larger ask grows past it.
  out.edits.reserve(std::min<size_t>(max_edits, 8192));
  Status failure;
  Status s = store_->ScanAfter(Table::kOutbox, after_key, [&](const SealedRow& row) {
    auto edits = row.plaintext.ok() ? OutboxRowEdits(row.key, *row.plaintext) : row.plaintext.status();
    if (!edits.ok()) {
      failure = edits.status();
      return false;
    }
    if (!out.edits.empty() && out.edits.size() + edits->size() > max_edits) return false;  // keep the row whole
    out.last_key = row.key;
    for (Edit& e : *edits) {
      if (out.edits.size() == max_edits) {
        out.cut = true;
        break;
      }
      out.edits.push_back(std::move(e));
    }
    return out.edits.size() < max_edits;
  });
  if (!s.ok()) return s;
  if (!failure.ok()) return failure;
  return out;
}

Status Notebook::DropFromOutbox(const std::vector<Dot>& dots) {
  std::vector<uint64_t> mine;
  for (const Dot& d : dots) {
    if (d.device == device_id_) mine.push_back(d.counter);
  }
  std::sort(mine.begin(), mine.end());
  mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
  // The outbox rows the dots fall in, by key, with the counters acknowledged in each.
  // A row whose index gives its last counter holds exactly first..last.
  struct Row {
    uint64_t first = 0, last = 0;
    bool whole_range = false;  // holds every counter first..last (index set)
    std::vector<uint64_t> acked;
  };
  std::map<std::string, Row> rows;
  Row* current = nullptr;
  const std::string prefix = device_id_ + ":";
  for (uint64_t counter : mine) {
    if (current == nullptr || counter < current->first || counter > current->last) {
      auto found = store_->KeyAtOrBefore(Table::kOutbox, EditKey(Dot{device_id_, counter}));
      if (!found.ok()) return found.status();
      if (!found->has_value() || (*found)->key.compare(0, prefix.size(), prefix) != 0) continue;  // not waiting
      Row& row = rows[(*found)->key];
      if (row.last == 0) {
        row.first = std::strtoull((*found)->key.c_str() + prefix.size(), nullptr, 10);
        row.whole_range = !(*found)->index.empty();
        // A row without its last counter (cut by an earlier acknowledgement, or a
        // retried refusal) may reach any counter up to the next row: open it below.
        row.last = row.whole_range ? std::strtoull((*found)->index.c_str(), nullptr, 10) : UINT64_MAX;
      }
      current = &row;
      if (counter > current->last) continue;
    }
    current->acked.push_back(counter);
    if (!current->whole_range) current = nullptr;  // look the next one up: rows may follow
  }
  const int64_t now = env_->NowMs();
  for (auto& [key, row] : rows) {
    if (row.acked.empty()) continue;
    if (row.whole_range && row.acked.size() == row.last - row.first + 1) {
      Status s = store_->Delete(Table::kOutbox, key);  // acknowledged whole: no need to open it
      if (!s.ok()) return s;
      continue;
    }
    auto plain = store_->Get(Table::kOutbox, key);
    if (!plain.ok()) return plain.status();
    auto edits = OutboxRowEdits(key, *plain);
    if (!edits.ok()) return edits.status();
    std::sort(row.acked.begin(), row.acked.end());
    const std::vector<uint64_t>& acked = row.acked;  // a lambda may not capture a structured binding in C++17 (clang)
    const size_t before = edits->size();
    edits->erase(std::remove_if(edits->begin(), edits->end(),
                                [&](const Edit& e) {
                                  return std::binary_search(acked.begin(), acked.end(), e.dot.counter);
                                }),
                 edits->end());
    if (edits->size() == before) continue;
    Status s = edits->empty() ? store_->Delete(Table::kOutbox, key)
                              : store_->Put(Table::kOutbox, key, "", now, EncodeEditGroup(*edits));
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Result<int64_t> Notebook::OutboxCount() {
  auto rows = store_->RowKeys(Table::kOutbox);
  if (!rows.ok()) return rows.status();
  int64_t count = 0;
  const std::string prefix = device_id_ + ":";
  for (const SealedStore::RowKey& row : *rows) {
    // A row whose index gives its last counter holds exactly first..last (see
    // QueueForSending): counted without opening it.
    if (!row.index.empty() && row.key.compare(0, prefix.size(), prefix) == 0) {
      const uint64_t first = std::strtoull(row.key.c_str() + prefix.size(), nullptr, 10);
      const uint64_t last = std::strtoull(row.index.c_str(), nullptr, 10);
      if (last >= first) {
        count += static_cast<int64_t>(last - first + 1);
        continue;
      }
    }
    auto plain = store_->Get(Table::kOutbox, row.key);
    auto edits = plain.ok() ? OutboxRowEdits(row.key, *plain) : plain.status();
    if (!edits.ok()) return edits.status();
    count += static_cast<int64_t>(edits->size());
  }
  return count;
}

}  // namespace sotay
