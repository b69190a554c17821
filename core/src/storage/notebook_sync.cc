// Notebook: what sync needs of the device's store — the outbox, the cursor, and the
// device's signing key, which never leaves the sealed store.
#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "notebook_keys.h"
#include "sotay/codec.h"
#include "sotay/notebook.h"
#include "sotay/wire.h"

namespace sotay {

namespace {
constexpr const char* kSigningKey = "signing_key";  // in Table::kSecrets

std::string Base64(const unsigned char* bytes, size_t n) {
  std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(&out[0], out.size(), bytes, n, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}
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

Result<std::vector<Edit>> Notebook::OutboxBatch(size_t max_edits) {
  auto slice = OutboxAfter("", max_edits);
  if (!slice.ok()) return slice.status();
  return std::move(slice->edits);
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

Status Notebook::Acknowledge(const std::vector<Dot>& dots) {
  return InTransaction([&] { return DropFromOutbox(dots); });
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
  auto server = store_->GetMeta(kMetaServer);
  auto cursor = store_->GetMeta(kMetaCursor);
  auto last = store_->GetMeta(kMetaLastSync);
  if (!server.ok()) return server.status();
  if (!cursor.ok()) return cursor.status();
  if (!last.ok()) return last.status();
  out.server_url = server->value_or("");
  try {
    out.cursor = std::stoull(cursor->value_or("0"));
    out.last_sync_ms = std::stoll(last->value_or("0"));
  } catch (const std::exception&) {
    return Status::Corrupt("the store's sync bookkeeping is not a number");
  }
  return out;
}

Status Notebook::SetSyncCursor(uint64_t cursor) { return store_->PutMeta(kMetaCursor, std::to_string(cursor)); }

Status Notebook::MarkSynced(int64_t when_ms) { return store_->PutMeta(kMetaLastSync, std::to_string(when_ms)); }

Status Notebook::SetEnrollment(const std::string& server_url, const std::string& user, const std::string& area) {
  Status s = store_->PutMeta(kMetaServer, server_url);
  if (s.ok()) s = SetProfile(area, user);
  return s;
}

Result<std::string> Notebook::PublicKeyBase64() {
  auto secret = store_->Get(Table::kSecrets, kSigningKey);
  if (secret.status().code() == Status::Code::kNotFound) {
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    std::string sk(crypto_sign_SECRETKEYBYTES, '\0');
    crypto_sign_keypair(pk, reinterpret_cast<unsigned char*>(&sk[0]));
    Status s = store_->Put(Table::kSecrets, kSigningKey, "", env_->NowMs(), sk);
    sodium_memzero(&sk[0], sk.size());
    if (!s.ok()) return s;
    secret = store_->Get(Table::kSecrets, kSigningKey);
  }
  if (!secret.ok()) return secret.status();
  if (secret->size() != crypto_sign_SECRETKEYBYTES) return Status::Corrupt("the device's signing key is malformed");
  // An Ed25519 secret key carries its public key in its second half.
  std::string out = Base64(reinterpret_cast<const unsigned char*>(secret->data()) + crypto_sign_SEEDBYTES,
                           crypto_sign_PUBLICKEYBYTES);
  sodium_memzero(&(*secret)[0], secret->size());
  return out;
}

Result<Notebook::RequestSignature> Notebook::SignRequest(const std::string& method, const std::string& path,
                                                         std::string_view body, int64_t clock_offset_ms) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return SignRequestDigest(method, path, hex, clock_offset_ms);
}

Result<Notebook::RequestSignature> Notebook::SignRequestDigest(const std::string& method, const std::string& path,
                                                               const std::string& body_sha256_hex,
                                                               int64_t clock_offset_ms) {
  if (body_sha256_hex.size() != crypto_hash_sha256_BYTES * 2) {
    return Status::InvalidArgument("a request body's SHA-256 must be 64 hex characters");
  }
  auto secret = store_->Get(Table::kSecrets, kSigningKey);
  if (!secret.ok()) {
    return secret.status().code() == Status::Code::kNotFound
               ? Status::FailedPrecondition("this device is not enrolled: run sotay enroll first")
               : secret.status();
  }
  if (secret->size() != crypto_sign_SECRETKEYBYTES) return Status::Corrupt("the device's signing key is malformed");
  RequestSignature sig;
  const int64_t now = env_->NowMs() + clock_offset_ms;
  sig.time = std::to_string(now);
  sig.nonce = RandomHex(env_, 16);
  const std::string message = SigningString(method, path, body_sha256_hex, now, sig.nonce);
  unsigned char signature[crypto_sign_BYTES];
  crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(secret->data()));
  sodium_memzero(&(*secret)[0], secret->size());
  sig.signature = Base64(signature, sizeof signature);
  return sig;
}

std::vector<std::string> Notebook::InstalledForms() const {
  std::vector<std::string> out;
  for (const Form& f : forms_) out.push_back(f.id + "@" + std::to_string(f.version));
  return out;
}

}  // namespace sotay
