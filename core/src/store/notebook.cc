// Notebook: opening, bookkeeping, forms, and applying edits. Records are read and
// written in notebook_records.cc; what a sync reads and stores in
// notebook_outbox.cc, notebook_exchange.cc, notebook_rejected.cc and
// notebook_enrollment.cc. Drafts (drafts.cc) and the signing key (device_key.cc)
// are classes of their own on the same store.
#include "sotay/notebook.h"

#include <algorithm>
#include <map>

#include "notebook_keys.h"
#include "sotay/apply_batch.h"
#include "sotay/codec.h"
#include "sotay/edit_rules.h"

namespace sotay {

Notebook::Notebook(std::unique_ptr<SealedStore> store, Env* env)
    : store_(std::move(store)), env_(env), drafts_(*store_, *env), attachments_(*store_, *env) {}

Notebook::~Notebook() = default;

Result<std::unique_ptr<Notebook>> Notebook::Create(const std::string& path, std::string_view passphrase,
                                                   const NotebookOptions& options) {
  Env* env = options.env != nullptr ? options.env : Env::Default();
  auto store = SealedStore::Create(path, passphrase, options.kdf, options.extra_secret, options.vfs);
  if (!store.ok()) return store.status();
  std::unique_ptr<Notebook> nb(new Notebook(std::move(store).value(), env));
  // The device id names this device's edits forever (their dots); it is random, not
  // derived from hardware, so it identifies nothing outside Sotay.
  nb->device_id_ = RandomHex(env, 8);
  Status s = nb->store_->PutSealedMeta(kMetaDevice, nb->device_id_);
  // A new notebook's indexes are whole (empty), so the first open builds none.
  if (s.ok()) s = nb->store_->PutMeta(kMetaIndexVersion, kIndexVersion);
  if (!s.ok()) return s;
  s = nb->LoadMeta();
  if (!s.ok()) return s;
  return nb;
}

Result<std::unique_ptr<Notebook>> Notebook::Open(const std::string& path, std::string_view passphrase,
                                                 const NotebookOptions& options) {
  Env* env = options.env != nullptr ? options.env : Env::Default();
  auto store = SealedStore::Open(path, passphrase, options.extra_secret, &SealClearSettings, options.vfs);
  if (!store.ok()) return store.status();
  std::unique_ptr<Notebook> nb(new Notebook(std::move(store).value(), env));
  Status s = nb->LoadMeta();
  if (s.ok()) s = nb->LoadForms();
  if (s.ok()) s = nb->EnsureSearchSummaries();
  if (!s.ok()) return s;
  return nb;
}

// A store written before sealed meta kept its settings in clear: sealed as they
// are, once (SealedStore::Upgrade). Whoever could change them in the file before
// this upgrade could as well have changed them then; from now on they cannot.
Status Notebook::SealClearSettings(SealedStore& store) {
  for (const SealedSetting& setting : kSealedSettings) {
    auto clear = store.GetMeta(setting.key);
    if (!clear.ok()) return clear.status();
    if (!clear->has_value()) continue;
    Status s = store.PutSealedMeta(setting.key, **clear);
    if (!s.ok()) return s;
  }
  // Enrolled before keys were pinned: an explicit "" (trust on first use), so that a
  // deleted row can be told from one never written (Notebook::ServerKey).
  auto server = store.GetMeta(kMetaServer);
  auto key = store.GetMeta(kMetaServerKey);
  if (!server.ok()) return server.status();
  if (!key.ok()) return key.status();
  if (server->has_value() && !key->has_value()) return store.PutSealedMeta(kMetaServerKey, "");
  return Status::OK();
}

Result<std::string> Notebook::Setting(const char* key) {
  auto v = store_->GetSealedMeta(key);
  if (v.ok()) return v->value_or("");
  if (v.status().code() != Status::Code::kTampered) return v.status();
  std::string what = key;
  for (const SealedSetting& setting : kSealedSettings) {
    if (std::string(setting.key) == key) what = setting.what;
  }
  return Status::Tampered("the notebook's " + what + " was changed outside sotay: refusing to use it");
}

Status Notebook::PutSetting(const char* key, const std::string& value) { return store_->PutSealedMeta(key, value); }

Status Notebook::ChangePassphrase(std::string_view new_passphrase, const KdfLimits& limits) {
  return store_->ChangePassphrase(new_passphrase, limits);
}

Status Notebook::LoadMeta() {
  auto text = [&](const char* key, std::string& out) -> Status {
    auto v = store_->GetMeta(key);
    if (!v.ok()) return v.status();
    out = v->value_or("");
    return Status::OK();
  };
  auto number = [&](const char* key, uint64_t& out) -> Status {
    std::string s;
    Status st = text(key, s);
    if (!st.ok()) return st;
    try {
      out = s.empty() ? 0 : std::stoull(s);
    } catch (const std::exception&) {
      return Status::Corrupt(std::string("store bookkeeping '") + key + "' is not a number");
    }
    return Status::OK();
  };
  auto setting = [&](const char* key, std::string& out) -> Status {
    auto v = Setting(key);
    if (!v.ok()) return v.status();
    out = std::move(v).value();
    return Status::OK();
  };
  uint64_t clock_ms = 0, clock_counter = 0;
  Status s = setting(kMetaDevice, device_id_);
  if (s.ok()) s = setting(kMetaArea, area_);
  if (s.ok()) s = setting(kMetaAuthor, author_);
  if (s.ok()) s = setting(kMetaRole, role_);
  if (s.ok()) s = LoadCommunes();
  if (s.ok()) s = number(kMetaCounter, counter_);
  if (s.ok()) s = number(kMetaClockMs, clock_ms);
  if (s.ok()) s = number(kMetaClockCounter, clock_counter);
  if (!s.ok()) return s;
  if (device_id_.empty()) return Status::Corrupt("the store has no device id");
  clock_last_ = Hlc{static_cast<int64_t>(clock_ms), static_cast<uint32_t>(clock_counter), device_id_};
  return Status::OK();
}

Status Notebook::SetProfile(const std::string& area, const std::string& author) {
  Status s = PutSetting(kMetaArea, area);
  if (s.ok()) s = PutSetting(kMetaAuthor, author);
  if (s.ok()) {
    area_ = area;
    author_ = author;
  }
  return s;
}

CheckEnv Notebook::MakeEnv(const std::string& lang) const {
  CheckEnv env;
  env.lang = lang;
  env.today_days = static_cast<double>(env_->TodayDays());
  // Answers' date-times are local wall-clock times, so now() is too.
  env.now_ms = env_->LocalNowMs();
  return env;
}

Status Notebook::LoadForms() {
  forms_.clear();
  Status failure;
  Status s = store_->Scan(Table::kForms, std::nullopt, [&](const SealedRow& row) {
    if (!row.plaintext.ok()) {
      failure = row.plaintext.status();
      return false;
    }
    auto form = LoadForm(*row.plaintext, "installed form " + row.key);
    if (!form.ok()) {
      failure = form.status();
      return false;
    }
    forms_.push_back(std::move(form).value());
    return true;
  });
  return s.ok() ? failure : s;
}

Result<FormInfo> Notebook::InstallForm(std::string_view json_text, const std::string& source) {
  auto form = LoadForm(json_text, source);
  if (!form.ok()) return form.status();
  const std::string key = FormKey(form->id, form->version);
  auto existing = store_->Get(Table::kForms, key);
  if (existing.ok()) {
    if (*existing != json_text) {
      return Status::AlreadyExists(source + ": form '" + form->id + "' version " +
                                   std::to_string(form->version) +
                                   " is already installed with different content; a published "
                                   "version never changes, so give the new one a higher version");
    }
  } else if (existing.status().code() != Status::Code::kNotFound) {
    return existing.status();
  } else {
    Status s = store_->Put(Table::kForms, key, form->id, env_->NowMs(), json_text);
    if (!s.ok()) return s;
    forms_.push_back(*form);
  }
  return FormInfo{form->id, form->version, form->title};
}

std::vector<FormInfo> Notebook::Forms() const {
  std::map<std::string, const Form*> newest;
  for (const Form& f : forms_) {
    const Form*& slot = newest[f.id];
    if (slot == nullptr || slot->version < f.version) slot = &f;
  }
  std::vector<FormInfo> out;
  for (const auto& [id, f] : newest) out.push_back(FormInfo{f->id, f->version, f->title});
  return out;
}

Result<const Form*> Notebook::FindForm(const std::string& id, int version) const {
  const std::string top = id.substr(0, id.find('.'));
  const Form* best = nullptr;
  for (const Form& f : forms_) {
    if (f.id != top) continue;
    if (version != 0 && f.version == version) best = &f;
    if (version == 0 && (best == nullptr || best->version < f.version)) best = &f;
  }
  if (best == nullptr) {
    return Status::NotFound("form '" + id + "'" +
                            (version ? " version " + std::to_string(version) : std::string()) +
                            " is not installed");
  }
  const Form* found = best->FindForm(id);
  if (found == nullptr) return Status::NotFound("form '" + id + "' is not part of '" + top + "'");
  return found;
}

std::vector<std::string> Notebook::InstalledForms() const {
  std::vector<std::string> out;
  for (const Form& f : forms_) out.push_back(f.id + "@" + std::to_string(f.version));
  return out;
}

Status Notebook::InstallServerForm(std::string_view json_text) {
  return InstallForm(json_text, "form from the server").status();
}

Edit Notebook::NextEdit(const std::string& record, const std::string& field, const std::string& value,
                        std::vector<Dot> base) {
  HlcClock clock(device_id_, clock_last_);
  Edit e{Dot{device_id_, ++counter_}, record, field, value, clock.Tick(env_->NowMs()),
         std::move(base), author_};
  clock_last_ = e.hlc;
  return e;
}

Status Notebook::InTransaction(const std::function<Status()>& body) {
  const uint64_t counter_before = counter_;
  const Hlc clock_before = clock_last_;
  Status s = store_->Begin();
  if (!s.ok()) return s;
  s = body();
  if (s.ok()) s = store_->Commit();
  if (!s.ok()) {
    store_->Rollback();
    counter_ = counter_before;  // the edits that took them were not stored
    clock_last_ = clock_before;
  }
  return s;
}

// Applies edits with the merge and stores them, the record rows they change, and
// (for local edits) their outbox entries, in one transaction.
Status Notebook::ApplyAndStore(const std::vector<Edit>& edits, bool local, size_t* applied,
                               const std::function<void(size_t, size_t)>& progress, size_t* new_conflicts) {
  return InTransaction([&] { return StoreEdits(edits, local, applied, progress, new_conflicts); });
}

// The body of ApplyAndStore, inside the caller's transaction: the device's side of
// the one apply path (sotay/apply_batch.h). Records are read, merged and written 64
// at a time, so a large import never holds every record in memory.
Status Notebook::StoreEdits(const std::vector<Edit>& edits, bool local, size_t* applied,
                            const std::function<void(size_t, size_t)>& progress, size_t* new_conflicts) {
  ApplyRules rules = DeviceApplyRules(local);  // sotay/sync_store.h says why
  rules.find_form = [this](const std::string& form, int version) -> const Form* {
    auto found = FindForm(form, version);
    return found.ok() ? *found : nullptr;
  };
  std::vector<RecordApply> records = GroupByRecord(edits);
  // In key order, as the store's B-tree likes its inserts.
  std::sort(records.begin(), records.end(), [](const RecordApply& a, const RecordApply& b) { return a.id < b.id; });
  const int64_t now = env_->NowMs();
  size_t count = 0, conflicts = 0;
  HlcClock clock(device_id_, clock_last_);  // observes every pulled edit's stamp
  const CheckEnv summary_env = MakeEnv("vi");  // instance names do not depend on it
  constexpr size_t kChunk = 64;
  std::vector<RecordApply> chunk;
  for (size_t at = 0; at < records.size(); at += kChunk) {
    if (progress) progress(at, records.size());
    const size_t end = std::min(records.size(), at + kChunk);
    chunk.assign(std::make_move_iterator(records.begin() + static_cast<std::ptrdiff_t>(at)),
                 std::make_move_iterator(records.begin() + static_cast<std::ptrdiff_t>(end)));
    for (RecordApply& r : chunk) {
      auto row = store_->Get(Table::kRecords, r.id);
      if (row.ok()) {
        auto decoded = DecodeRecordState(*row);
        if (!decoded.ok()) return decoded.status().Annotate("record " + r.id);
        r.state = std::move(decoded).value();
      } else if (row.status().code() != Status::Code::kNotFound) {
        return row.status();
      }
    }
    ApplyBatch(edits, chunk, rules);
    for (RecordApply& r : chunk) {
      // This device's own edit refused is a bug here, said at once. Pulled edits are
      // kept whatever they hold: the server checked them, and a newer one may know
      // reserved fields this version does not.
      if (local && !r.refused.empty()) {
        return Status::InvalidArgument("record " + r.id + ": " + r.refused.front().reason);
      }
      if (r.fresh.empty()) continue;
      std::vector<const Edit*> fresh;  // this record's new edits: one sealed row
      fresh.reserve(r.fresh.size());
      for (size_t i : r.fresh) {
        fresh.push_back(&edits[i]);
        if (!local) clock.Observe(edits[i].hlc, now);
      }
      count += fresh.size();
      conflicts += r.new_conflicts;
      Status s = store_->Put(Table::kEdits, EditKey(fresh.front()->dot), r.id, fresh.front()->hlc.ms,
                             EncodeEditGroup(fresh));
      if (s.ok() && local) {
        std::vector<Edit> queued;
        queued.reserve(fresh.size());
        for (const Edit* e : fresh) queued.push_back(*e);
        s = QueueForSending(std::move(queued), now);
      }
      if (s.ok()) s = store_->Put(Table::kRecords, r.id, r.state.Shown(kFormField), now, EncodeRecordState(r.state));
      // In the same transaction: a record is never stored without its summary.
      if (s.ok()) s = PutSearchSummary(r.id, r.state, now, summary_env);
      if (s.ok()) s = PutRecordIndexes(r.id, r.state, now);
      if (!s.ok()) return s;
    }
  }
  clock_last_ = clock.last();
  Status s = store_->PutMeta(kMetaCounter, std::to_string(counter_));
  if (s.ok()) s = store_->PutMeta(kMetaClockMs, std::to_string(clock_last_.ms));
  if (s.ok()) s = store_->PutMeta(kMetaClockCounter, std::to_string(clock_last_.counter));
  if (!s.ok()) return s;
  if (applied != nullptr) *applied = count;
  if (new_conflicts != nullptr) *new_conflicts = conflicts;
  if (progress) progress(records.size(), records.size());
  return Status::OK();
}

}  // namespace sotay
