#include "sotay/sync_session.h"

namespace sotay {

SyncSession::SyncSession(Notebook& nb, size_t max_edits_per_request) : nb_(nb), max_edits_(max_edits_per_request) {}

Result<std::optional<SyncRequest>> SyncSession::Next() {
  if (!started_) {
    started_ = true;
    auto waiting = nb_.OutboxCount();
    if (!waiting.ok()) return waiting.status();
    counts_.outbox_total = static_cast<size_t>(*waiting);
  }
  auto batch = nb_.OutboxBatch(max_edits_);
  if (!batch.ok()) return batch.status();
  if (batch->empty() && !pull_more_) return std::optional<SyncRequest>();
  auto state = nb_.GetSyncState();
  if (!state.ok()) return state.status();
  SyncRequest req;
  req.cursor = state->cursor;
  req.push = std::move(batch).value();
  req.forms = nb_.InstalledForms();
  in_flight_ = req.push.size();
  return std::optional<SyncRequest>(std::move(req));
}

Status SyncSession::OnResponse(const SyncResponse& r) {
  ++counts_.exchanges;
  // Forms first: pulled records may need them for their fields' merge policies.
  for (const std::string& text : r.forms) {
    auto installed = nb_.InstallForm(text, "form from the server");
    if (!installed.ok()) return installed.status();
    ++counts_.forms;
  }
  if (!r.pull.empty()) {
    size_t conflicts = 0;
    auto applied = nb_.ApplyEdits(r.pull, &conflicts);
    if (!applied.ok()) return applied.status();
    counts_.received += *applied;
    counts_.new_conflicts += conflicts;
  }
  Status s = nb_.SetSyncCursor(r.cursor);
  if (!s.ok()) return s;
  std::vector<Dot> done = r.accepted;
  for (const Rejection& x : r.rejected) {
    done.push_back(x.dot);
    rejections_.push_back(x);
  }
  if (!done.empty()) {
    s = nb_.Acknowledge(done);
    if (!s.ok()) return s;
  }
  counts_.sent += done.size();
  counts_.rejected += r.rejected.size();
  pull_more_ = r.more;
  // A server that acknowledged nothing of a non-empty push would loop forever.
  if (in_flight_ > 0 && done.empty()) {
    return Status::FailedPrecondition("the server acknowledged none of " + std::to_string(in_flight_) +
                                      " edits sent; try again later");
  }
  return nb_.MarkSynced(r.server_time_ms);
}

}  // namespace sotay
