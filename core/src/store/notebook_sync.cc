// Notebook: what sync needs of the device's store — the outbox, the cursor, and the
// device's signing key, which never leaves the sealed store.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>

#include "notebook_keys.h"
#include "sotay/codec.h"
#include "sotay/notebook.h"
#include "sotay/signing.h"
#include "sotay/wire.h"

namespace sotay {

namespace {
// The stored form of a list: "code<TAB>name" lines. A name's own tabs and line breaks
// become spaces and an entry whose code could not be stored is left out: one odd name
// in the server's areas file must not stop every device's sync.
std::string CommuneLines(const CommuneList& list) {
  std::string lines;
  for (const Commune& c : list.communes) {
    if (c.code.empty() || c.code.find_first_of("\t\r\n") != std::string::npos) continue;
    std::string name = c.name;
    std::replace_if(name.begin(), name.end(), [](char ch) { return ch == '\t' || ch == '\r' || ch == '\n'; }, ' ');
    lines += (lines.empty() ? "" : "\n") + c.code + "\t" + name;
  }
  return lines;
}

constexpr const char* kSigningKey = "signing_key";  // in Table::kSecrets

}  // namespace

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
  const bool pointer = plaintext == key;  // the layout before groups
  auto group = pointer ? store_->Get(Table::kEdits, key) : Result<std::string>(plaintext);
  if (!group.ok()) return group.status().Annotate("outbox row " + key);
  auto edits = DecodeEditGroup(*group);
  if (!edits.ok()) return edits.status().Annotate("outbox row " + key);
  if (pointer) {  // the edits row may since hold a group: keep the one edit
    edits->erase(std::remove_if(edits->begin(), edits->end(), [&](const Edit& e) { return EditKey(e.dot) != key; }),
                 edits->end());
  }
  return edits;
}

Result<Notebook::OutboxSlice> Notebook::OutboxAfter(const std::string& after_key, size_t max_edits) {
  OutboxSlice out;
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
        // A row without its last counter (written before, or cut by an earlier
        // acknowledgement) may reach any counter up to the next row: open it below.
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

Result<Notebook::SyncState> Notebook::GetSyncState() {
  SyncState out;
  auto server = Setting(kMetaServer);
  auto cursor = store_->GetMeta(kMetaCursor);
  auto last = store_->GetMeta(kMetaLastSync);
  if (!server.ok()) return server.status();
  if (!cursor.ok()) return cursor.status();
  if (!last.ok()) return last.status();
  out.server_url = std::move(server).value();
  try {
    out.cursor = std::stoull(cursor->value_or("0"));
    out.last_sync_ms = std::stoll(last->value_or("0"));
  } catch (const std::exception&) {
    return Status::Corrupt("the store's sync bookkeeping is not a number");
  }
  return out;
}

Status Notebook::SetEnrollment(const Enrollment& e) {
  if (!e.server_key.empty() && !IsPublicKeyBase64(e.server_key)) {
    return Status::InvalidArgument("the server's key must be 32 bytes of Ed25519 key in base64");
  }
  // One transaction: a device never has the new server's address with the old one's key.
  Status s = InTransaction([&] {
    Status st = PutSetting(kMetaServer, e.server_url);
    if (st.ok()) st = PutSetting(kMetaServerKey, e.server_key);
    if (st.ok()) st = PutSetting(kMetaArea, e.area);
    if (st.ok()) st = PutSetting(kMetaAuthor, e.user);
    if (st.ok()) st = PutSetting(kMetaRole, e.role);
    // The list comes with the enrollment, or is cleared: another user's communes must
    // not steer this one's records until the first sync brings theirs.
    if (st.ok()) st = PutSetting(kMetaCommunes, CommuneLines(e.communes));
    if (st.ok()) st = PutSetting(kMetaCommunesTag, e.communes.tag);
    return st;
  });
  if (s.ok()) {
    area_ = e.area;
    author_ = e.user;
    role_ = e.role;
    s = LoadCommunes();
  }
  return s;
}

// SetEnrollment always writes the key's row, "" when none was pinned yet (and the
// format 1 upgrade writes "" for an enrolled store), so a missing row beside a server
// address was deleted outside sotay: read as "", it would let the next answer's key
// be pinned in place of the real one.
Result<std::string> Notebook::ServerKey() {
  auto row = store_->GetSealedMeta(kMetaServerKey);
  if (!row.ok() || row->has_value()) return Setting(kMetaServerKey);
  auto server = Setting(kMetaServer);
  if (!server.ok()) return server.status();
  if (server->empty()) return std::string();
  return Status::Tampered("the notebook's pinned server key was removed outside sotay: refusing to use it");
}

Status Notebook::PinServerKey(const std::string& key_b64) {
  if (!IsPublicKeyBase64(key_b64)) {
    return Status::InvalidArgument("the server's key must be 32 bytes of Ed25519 key in base64");
  }
  return PutSetting(kMetaServerKey, key_b64);
}

Status Notebook::LoadCommunes() {
  auto text = Setting(kMetaCommunes);
  auto tag = Setting(kMetaCommunesTag);
  if (!text.ok()) return text.status();
  if (!tag.ok()) return tag.status();
  communes_.clear();
  communes_tag_ = *tag;
  const std::string& lines = *text;
  size_t i = 0;
  while (i < lines.size()) {
    size_t end = lines.find('\n', i);
    if (end == std::string::npos) end = lines.size();
    const size_t tab = lines.find('\t', i);
    if (tab == std::string::npos || tab > end) return Status::Corrupt("the store's list of communes is malformed");
    communes_.push_back(Commune{lines.substr(i, tab - i), lines.substr(tab + 1, end - tab - 1)});
    i = end + 1;
  }
  return Status::OK();
}

Status Notebook::SetCommunes(const CommuneList& list) {
  Status s = PutSetting(kMetaCommunes, CommuneLines(list));
  if (s.ok()) s = PutSetting(kMetaCommunesTag, list.tag);
  if (s.ok()) s = LoadCommunes();
  return s;
}

Result<std::string> Notebook::CommuneForNewRecord(const std::string& chosen) const {
  const std::string area = chosen.empty() ? area_ : chosen;
  if (communes_.empty()) {
    if (role_ == "district") {
      return Status::FailedPrecondition("this device does not know the communes its user may edit: sync first to "
                                        "learn the communes");
    }
    return area;  // not enrolled, or an older server: the server checks
  }
  for (const Commune& c : communes_) {
    if (c.code == area) return area;
  }
  std::string known;
  for (const Commune& c : communes_) known += (known.empty() ? "" : ", ") + c.code + " " + c.name;
  if (chosen.empty()) {
    return Status::FailedPrecondition("this device's area " + area_ + " is not a commune: name the commune the " +
                                      "record belongs to (" + known + ")");
  }
  return Status::InvalidArgument("commune " + chosen + " is not one this user may edit (" + known + ")");
}

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

Result<std::string> Notebook::PublicKeyBase64() {
  auto secret = store_->Get(Table::kSecrets, kSigningKey);
  if (secret.status().code() == Status::Code::kNotFound) {
    const SigningKey made = SigningKey::Generate();
    Status s = store_->Put(Table::kSecrets, kSigningKey, "", env_->NowMs(), made.secret());
    if (!s.ok()) return s;
    secret = store_->Get(Table::kSecrets, kSigningKey);
  }
  if (!secret.ok()) return secret.status();
  auto key = SigningKey::FromBytes(std::move(secret).value(), "the device's signing key");
  if (!key.ok()) return key.status();
  return key->PublicKeyBase64();
}

Result<Notebook::RequestSignature> Notebook::SignRequestDigest(const std::string& method, const std::string& path,
                                                               const std::string& body_sha256_hex,
                                                               int64_t clock_offset_ms) {
  if (body_sha256_hex.size() != kSha256HexChars) {
    return Status::InvalidArgument("a request body's SHA-256 must be 64 hex characters");
  }
  auto secret = store_->Get(Table::kSecrets, kSigningKey);
  if (!secret.ok()) {
    return secret.status().code() == Status::Code::kNotFound
               ? Status::FailedPrecondition("this device is not enrolled: run sotay enroll first")
               : secret.status();
  }
  auto key = SigningKey::FromBytes(std::move(secret).value(), "the device's signing key");
  if (!key.ok()) return key.status();
  RequestSignature sig;
  const int64_t now = env_->NowMs() + clock_offset_ms;
  sig.time = std::to_string(now);
  sig.nonce = RandomHex(env_, 16);
  sig.signature = key->SignRequest(method, path, body_sha256_hex, now, sig.nonce);
  return sig;
}

std::vector<std::string> Notebook::InstalledForms() const {
  std::vector<std::string> out;
  for (const Form& f : forms_) out.push_back(f.id + "@" + std::to_string(f.version));
  return out;
}

}  // namespace sotay
