#include "sotay/sync_session.h"

#include <algorithm>

namespace sotay {

SyncSession::SyncSession(SyncStore& store, size_t max_edits_per_request)
    : store_(store),
      max_edits_(std::max<size_t>(1, max_edits_per_request)),
      batch_(std::min(kFirstBatch, max_edits_)) {}

Status SyncSession::Start() {
  if (started_) return Status::OK();
  auto waiting = store_.OutboxCount();
  if (!waiting.ok()) return waiting.status();
  auto state = store_.GetSyncState();
  if (!state.ok()) return state.status();
  counts_.outbox_total = static_cast<size_t>(*waiting);
  cursor_ = state->cursor;
  communes_tag_ = store_.communes_tag();
  // What the last run learned of the link; unreadable, it is measured again.
  auto memory = store_.LinkMemory();
  if (memory.ok()) link_ = LinkEstimate::Decode(*memory);
  push_layout_ = std::min(link_.server_layout(), kWireLayout);
  if (link_.measured() || link_.push_edits() > 0) batch_ = link_.PushEdits(batch_, max_edits_);
  started_ = true;
  return Status::OK();
}

Status SyncSession::Prepare() {
  Status s = Start();
  if (!s.ok()) return s;
  // A batch read with a smaller size than now allowed is still a good batch.
  if (reread_ || (prepared_ && prepared_for_ <= batch_)) return Status::OK();
  auto slice = store_.OutboxAfter(sent_through_, batch_);
  if (!slice.ok()) return slice.status();
  prepared_ = std::move(slice).value();
  prepared_for_ = batch_;
  return Status::OK();
}

Result<std::optional<SyncRequest>> SyncSession::Next() {
  if (awaiting_) {
    return Status::FailedPrecondition("the sync asked for a new request before the answer to the last one");
  }
  Status s = Start();
  if (!s.ok()) return s;
  if (reread_) {
    // Some of what went out is still in the outbox (not acknowledged, or a row sent
    // in part): store what came back, then read from the first row again.
    s = Apply();
    if (!s.ok()) return s;
  }
  s = Prepare();
  if (!s.ok()) return s;
  if (!prepared_) return Status::FailedPrecondition("the sync session read no batch from the outbox");
  SyncStore::OutboxSlice batch = std::move(*prepared_);
  prepared_.reset();
  if (batch.edits.empty() && !pull_more_) {
    s = Apply();  // done: nothing received stays unstored
    if (!s.ok()) return s;
    return std::optional<SyncRequest>();
  }
  if (!batch.edits.empty()) sent_through_ = batch.last_key;
  // A row cut in two keeps its rest in the outbox under its own key.
  if (batch.cut) reread_ = true;
  SyncRequest req;
  req.cursor = cursor_;
  req.push = std::move(batch.edits);
  req.forms = store_.InstalledForms();
  req.reads_sets = true;
  req.communes_tag = communes_tag_;
  req.reads_layout = kWireLayout;
  req.push_layout = push_layout_;
  in_flight_ = req.push.size();
  awaiting_ = true;
  return std::optional<SyncRequest>(std::move(req));
}

Status SyncSession::Receive(SyncResponse r, int64_t round_trip_ms) {
  LinkSample timed;
  timed.ms = round_trip_ms;
  return Receive(std::move(r), timed);
}

void SyncSession::SaveLink() {
  if (!started_) return;  // nothing was read, nothing learned: keep what is remembered
  link_.set_push_edits(batch_);
  link_.set_server_layout(push_layout_);
  store_.SetLinkMemory(link_.Encode()).IgnoreError();  // best effort (sync_session.h)
}

Status SyncSession::Receive(SyncResponse r, const LinkSample& measured) {
  ++counts_.exchanges;
  if (measured.up_bytes + measured.down_bytes > 0) {
    link_.Observe(measured);
    batch_ = link_.PushEdits(batch_, max_edits_);
  } else if (measured.ms < kQuickRoundTripMs) {
    batch_ = std::min(max_edits_, 2 * batch_);
  } else if (measured.ms > kSlowRoundTripMs) {
    batch_ = std::max(std::min(kSmallestBatch, max_edits_), batch_ / 2);
  }
  Received got;
  got.done = std::move(r.accepted);  // the answer keeps what Apply reads: pulled edits, rejections
  for (const Rejection& x : r.rejected) got.done.push_back(x.dot);
  // A server that acknowledged nothing of a non-empty push would loop forever: keep
  // what it sent, but do not call this a successful sync.
  got.stuck = in_flight_ > 0 && got.done.empty();
  // Whatever the server did not acknowledge must go again; forms it sent must be
  // installed before the next request lists what the device has.
  if (got.done.size() < in_flight_ || !r.forms.empty()) reread_ = true;
  acknowledged_ += got.done.size();
  pulled_ += r.pull.size();
  cursor_ = r.cursor;
  pull_more_ = r.more;
  if (r.communes) communes_tag_ = r.communes->tag;
  push_layout_ = std::min(r.reads_layout, kWireLayout);
  const size_t was_in_flight = in_flight_;
  in_flight_ = 0;
  awaiting_ = false;
  got.response = std::move(r);
  const bool stuck = got.stuck;
  received_.push_back(std::move(got));
  if (stuck) {
    return Status::FailedPrecondition("the server acknowledged none of " + std::to_string(was_in_flight) +
                                      " edits sent; try again later");
  }
  return Status::OK();
}

void SyncSession::Resend() {
  awaiting_ = false;
  in_flight_ = 0;
  reread_ = true;
}

Status SyncSession::Apply() {
  for (size_t i = 0; i < received_.size(); ++i) {
    Received& got = received_[i];
    const SyncResponse& r = got.response;
    // Forms first: pulled records may need them for their fields' merge policies.
    for (const std::string& text : r.forms) {
      Status installed = store_.InstallServerForm(text);
      if (!installed.ok()) {
        received_.erase(received_.begin(), received_.begin() + static_cast<std::ptrdiff_t>(i));
        reread_ = true;
        return installed;
      }
      ++counts_.forms;
    }
    if (r.communes) {
      Status s = store_.SetCommunes(*r.communes);
      if (!s.ok()) {
        received_.clear();
        reread_ = true;
        return s;
      }
    }
    // Refused edits are kept with their reasons (SyncStore::RecordExchange) as they leave the outbox.
    auto outcome = store_.RecordExchange(r.pull, r.cursor, got.done,
                                      got.stuck ? std::nullopt : std::optional<int64_t>(r.server_time_ms),
                                      r.rejected, r.gone);
    if (!outcome.ok()) {
      // Unstored: this answer and the later ones are dropped with the session, and a
      // new session resends and pulls again what they covered.
      received_.clear();
      reread_ = true;
      return outcome.status();
    }
    counts_.received += outcome->applied;
    counts_.new_conflicts += outcome->new_conflicts;
    counts_.sent += got.done.size();
    counts_.rejected += r.rejected.size();
    rejections_.insert(rejections_.end(), r.rejected.begin(), r.rejected.end());
  }
  received_.clear();
  if (!awaiting_) {
    // Every acknowledged row has left the outbox: what is still there goes next.
    // (With a request out, its rows are still there, and the next batch starts
    // after them.)
    sent_through_.clear();
    prepared_.reset();
    reread_ = false;
  }
  return Status::OK();
}

}  // namespace sotay
