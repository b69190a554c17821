#include "sotay/sync_session.h"

#include <algorithm>

namespace sotay {

SyncSession::SyncSession(Notebook& nb, size_t max_edits_per_request)
    : nb_(nb), max_edits_(std::max<size_t>(1, max_edits_per_request)), batch_(std::min(kFirstBatch, max_edits_)) {}

Result<std::optional<SyncRequest>> SyncSession::Next() {
  if (!started_) {
    started_ = true;
    auto waiting = nb_.OutboxCount();
    if (!waiting.ok()) return waiting.status();
    counts_.outbox_total = static_cast<size_t>(*waiting);
  }
  auto batch = nb_.OutboxBatch(batch_);
  if (!batch.ok()) return batch.status();
  if (batch->empty() && !pull_more_) return std::optional<SyncRequest>();
  auto state = nb_.GetSyncState();
  if (!state.ok()) return state.status();
  SyncRequest req;
  req.cursor = state->cursor;
  req.push = std::move(batch).value();
  req.forms = nb_.InstalledForms();
  req.reads_sets = true;
  in_flight_ = req.push.size();
  return std::optional<SyncRequest>(std::move(req));
}

Status SyncSession::OnResponse(const SyncResponse& r, int64_t round_trip_ms) {
  ++counts_.exchanges;
  if (round_trip_ms < kQuickRoundTripMs) {
    batch_ = std::min(max_edits_, 2 * batch_);
  } else if (round_trip_ms > kSlowRoundTripMs) {
    batch_ = std::max(std::min(kSmallestBatch, max_edits_), batch_ / 2);
  }
  // Forms first: pulled records may need them for their fields' merge policies.
  for (const std::string& text : r.forms) {
    auto installed = nb_.InstallForm(text, "form from the server");
    if (!installed.ok()) return installed.status();
    ++counts_.forms;
  }
  std::vector<Dot> done = r.accepted;
  for (const Rejection& x : r.rejected) {
    done.push_back(x.dot);
    rejections_.push_back(x);
  }
  // A server that acknowledged nothing of a non-empty push would loop forever: keep
  // what it sent, but do not call this a successful sync.
  const bool stuck = in_flight_ > 0 && done.empty();
  auto outcome = nb_.RecordExchange(r.pull, r.cursor, done,
                                    stuck ? std::nullopt : std::optional<int64_t>(r.server_time_ms));
  if (!outcome.ok()) return outcome.status();
  counts_.received += outcome->applied;
  counts_.new_conflicts += outcome->new_conflicts;
  counts_.sent += done.size();
  counts_.rejected += r.rejected.size();
  pull_more_ = r.more;
  if (stuck) {
    return Status::FailedPrecondition("the server acknowledged none of " + std::to_string(in_flight_) +
                                      " edits sent; try again later");
  }
  return Status::OK();
}

}  // namespace sotay
