// MemorySyncStore: a SyncStore (sotay/sync_store.h) held in std::maps, for testing
// SyncSession and RunSync without SQLite or a passphrase. It is a real store, not a
// script: the outbox keeps rows in the order they were queued and drops acknowledged
// dots, pulled edits merge through ApplyBatch with the device's rules, forms load
// with LoadForm, and requests are signed with a real Ed25519 key (sotay/signing.h).
// An exchange is worked out on copies and kept only when all of it succeeded, as
// the Notebook's one transaction does.
//
// Thread-safety: not thread-safe, like every SyncStore.
#pragma once

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sotay/apply_batch.h"
#include "sotay/edit_rules.h"
#include "sotay/env.h"
#include "sotay/form.h"
#include "sotay/signing.h"
#include "sotay/sync_store.h"

namespace sotay::testing {

class MemorySyncStore : public SyncStore {
 public:
  // What the server refused, kept as the Notebook keeps it.
  struct Kept {
    Edit edit;  // the record empty when the edit had left the outbox
    std::string reason;
  };

  explicit MemorySyncStore(std::string device_id = "memdevice01") : device_id_(std::move(device_id)) {
    if (sodium_init() < 0) std::abort();  // nothing here works without it
    key_ = std::make_unique<SigningKey>(SigningKey::Generate());
  }

  // --- What a test sets up or reads back (not part of SyncStore).

  // A save of `fields` of `record`: one outbox row of consecutive dots, as the
  // Notebook queues one save. Returns the edits made.
  std::vector<Edit> Save(const std::string& record, const std::vector<std::pair<std::string, std::string>>& fields) {
    std::vector<Edit> made;
    for (const auto& [field, value] : fields) {
      ++counter_;
      made.push_back(Edit{Dot{device_id_, counter_}, record, field, value,
                          Hlc{1795000000000 + static_cast<int64_t>(counter_), 0, device_id_}, {}, "worker-1"});
    }
    if (!made.empty()) outbox_[RowKey(made.front().dot)] = made;
    return made;
  }
  std::string public_key_base64() const { return key_->PublicKeyBase64(); }
  void set_server_url(std::string url) { server_url_ = std::move(url); }
  // The time a signature says, before any correction (ms since the epoch).
  int64_t now_ms = 1795000000000;
  const std::map<std::string, RecordState>& records() const { return records_; }
  const std::map<Dot, Kept>& kept() const { return kept_; }
  int64_t last_sync_ms() const { return last_sync_ms_; }
  const std::vector<Commune>& communes() const { return communes_; }

  // --- SyncStore.

  const std::string& device_id() const override { return device_id_; }

  Result<OutboxSlice> OutboxAfter(const std::string& after_key, size_t max_edits) override {
    OutboxSlice out;
    for (auto it = outbox_.upper_bound(after_key); it != outbox_.end(); ++it) {
      if (!out.edits.empty() && out.edits.size() + it->second.size() > max_edits) break;  // keep the row whole
      out.last_key = it->first;
      for (const Edit& e : it->second) {
        if (out.edits.size() == max_edits) {
          out.cut = true;
          break;
        }
        out.edits.push_back(e);
      }
      if (out.edits.size() >= max_edits) break;
    }
    return out;
  }

  Result<int64_t> OutboxCount() override {
    int64_t n = 0;
    for (const auto& [key, edits] : outbox_) n += static_cast<int64_t>(edits.size());
    return n;
  }

  Result<SyncState> GetSyncState() override { return SyncState{server_url_, cursor_, last_sync_ms_}; }

  Result<ExchangeOutcome> RecordExchange(const std::vector<Edit>& pulled, uint64_t cursor,
                                         const std::vector<Dot>& done, std::optional<int64_t> synced_at_ms,
                                         const std::vector<Rejection>& rejected = {},
                                         const std::vector<std::string>& gone = {}) override {
    for (const Edit& e : pulled) {
      if (auto why = CheckEditIdentity(e)) return Status::InvalidArgument("edit " + e.dot.ToString() + ": " + *why);
    }
    ExchangeOutcome out;
    std::map<std::string, RecordState> records = records_;
    std::vector<RecordApply> touched = GroupByRecord(pulled);
    for (RecordApply& r : touched) {
      auto found = records.find(r.id);
      if (found != records.end()) r.state = found->second;
    }
    ApplyRules rules = DeviceApplyRules(/*local=*/false);
    rules.find_form = [this](const std::string& form, int version) -> const Form* {
      auto found = forms_.find(FormKey(form, version));
      return found == forms_.end() ? nullptr : &found->second.second;
    };
    ApplyBatch(pulled, touched, rules);
    for (RecordApply& r : touched) {
      out.applied += r.fresh.size();
      out.new_conflicts += r.new_conflicts;
      if (!r.fresh.empty()) records[r.id] = std::move(r.state);
    }
    std::map<Dot, Kept> kept = kept_;
    for (const Rejection& x : rejected) {
      Kept k{Edit{}, x.reason};
      if (const Edit* waiting = Waiting(x.dot)) k.edit = *waiting;
      k.edit.dot = x.dot;
      kept[x.dot] = std::move(k);
    }
    const std::set<Dot> acked(done.begin(), done.end());
    for (auto it = outbox_.begin(); it != outbox_.end();) {
      auto& edits = it->second;
      edits.erase(std::remove_if(edits.begin(), edits.end(), [&](const Edit& e) { return acked.count(e.dot) > 0; }),
                  edits.end());
      it = edits.empty() ? outbox_.erase(it) : std::next(it);
    }
    for (const std::string& id : gone) records.erase(id);  // transferred away: forgotten
    records_ = std::move(records);
    kept_ = std::move(kept);
    cursor_ = cursor;
    if (synced_at_ms) last_sync_ms_ = *synced_at_ms;
    return out;
  }

  std::vector<std::string> InstalledForms() const override {
    std::vector<std::string> out;
    for (const auto& [key, form] : forms_) out.push_back(form.second.id + "@" + std::to_string(form.second.version));
    return out;
  }

  Status InstallServerForm(std::string_view json_text) override {
    auto form = LoadForm(json_text, "form from the server");
    if (!form.ok()) return form.status();
    const std::string key = FormKey(form->id, form->version);
    auto found = forms_.find(key);
    if (found != forms_.end()) {
      if (found->second.first == json_text) return Status::OK();
      return Status::AlreadyExists("form '" + form->id + "' version " + std::to_string(form->version) +
                                   " is already installed with different content");
    }
    forms_.emplace(key, std::make_pair(std::string(json_text), std::move(form).value()));
    return Status::OK();
  }

  const std::string& communes_tag() const override { return communes_tag_; }
  Status SetCommunes(const CommuneList& list) override {
    communes_tag_ = list.tag;
    communes_ = list.communes;
    return Status::OK();
  }

  Result<std::string> LinkMemory() override { return link_memory; }
  Status SetLinkMemory(const std::string& text) override {
    link_memory = text;
    return Status::OK();
  }
  std::string link_memory;  // as RunSync left it

  Result<std::string> ServerKey() override { return server_key_; }
  Status PinServerKey(const std::string& key_b64) override {
    if (!IsPublicKeyBase64(key_b64)) {
      return Status::InvalidArgument("the server's key must be 32 bytes of Ed25519 key in base64");
    }
    server_key_ = key_b64;
    return Status::OK();
  }

  Result<RequestSignature> SignRequestDigest(const std::string& method, const std::string& path,
                                             const std::string& body_sha256_hex, int64_t clock_offset_ms = 0) override {
    if (body_sha256_hex.size() != kSha256HexChars) {
      return Status::InvalidArgument("a request body's SHA-256 must be 64 hex characters");
    }
    RequestSignature sig;
    const int64_t now = now_ms + clock_offset_ms;
    sig.time = std::to_string(now);
    sig.nonce = RandomHex(Env::Default(), 16);
    sig.signature = key_->SignRequest(method, path, body_sha256_hex, now, sig.nonce);
    return sig;
  }

 private:
  // Zero-padded, so key order is the order edits were made (as the Notebook's keys).
  static std::string RowKey(const Dot& d) {
    char counter[24];
    std::snprintf(counter, sizeof counter, "%020llu", static_cast<unsigned long long>(d.counter));
    return d.device + ":" + counter;
  }
  static std::string FormKey(const std::string& id, int version) { return id + "@" + std::to_string(version); }
  const Edit* Waiting(const Dot& dot) const {
    for (const auto& [key, edits] : outbox_) {
      for (const Edit& e : edits) {
        if (e.dot == dot) return &e;
      }
    }
    return nullptr;
  }

  std::string device_id_;
  std::unique_ptr<SigningKey> key_;
  uint64_t counter_ = 0;
  std::map<std::string, std::vector<Edit>> outbox_;  // by the row's first dot
  std::map<std::string, RecordState> records_;
  std::map<Dot, Kept> kept_;
  std::map<std::string, std::pair<std::string, Form>> forms_;  // by FormKey: the text and the form
  std::string server_url_ = "http://district.example";
  std::string server_key_;
  std::string communes_tag_;
  std::vector<Commune> communes_;
  uint64_t cursor_ = 0;
  int64_t last_sync_ms_ = 0;
};

}  // namespace sotay::testing
