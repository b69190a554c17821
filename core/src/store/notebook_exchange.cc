// Notebook: where the sync stands (the pull cursor, the last sync) and what one
// exchange brought, stored in one transaction (SyncStore::RecordExchange).
#include "notebook_keys.h"
#include "sotay/edit_rules.h"
#include "sotay/notebook.h"

namespace sotay {

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

Result<std::string> Notebook::LinkMemory() {
  auto text = store_->GetMeta(kMetaLink);
  if (!text.ok()) return text.status();
  return text->value_or("");
}

Status Notebook::SetLinkMemory(const std::string& text) { return store_->PutMeta(kMetaLink, text); }

Result<Notebook::ExchangeOutcome> Notebook::RecordExchange(const std::vector<Edit>& pulled, uint64_t cursor,
                                                           const std::vector<Dot>& done,
                                                           std::optional<int64_t> synced_at_ms,
                                                           const std::vector<Rejection>& rejected,
                                                           const std::vector<std::string>& gone) {
  for (const Edit& e : pulled) {
    if (auto why = CheckEditIdentity(e)) return Status::InvalidArgument("edit " + e.dot.ToString() + ": " + *why);
  }
  ExchangeOutcome out;
  Status s = InTransaction([&] {
    Status st = pulled.empty() ? Status::OK() : StoreEdits(pulled, /*local=*/false, &out.applied, {}, &out.new_conflicts);
    if (st.ok()) st = store_->PutMeta(kMetaCursor, std::to_string(cursor));
    if (st.ok() && !rejected.empty()) st = KeepRejected(rejected, env_->NowMs());
    if (st.ok() && !done.empty()) st = DropFromOutbox(done);
    if (st.ok() && !gone.empty()) st = ForgetRecords(gone);
    if (st.ok() && synced_at_ms) st = store_->PutMeta(kMetaLastSync, std::to_string(*synced_at_ms));
    return st;
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace sotay
