// The background sync of `sotay ui` (ui_sync_job.h).
#include "ui_sync_job.h"

#include <algorithm>
#include <chrono>
#include <random>

#include "ui_app.h"

namespace sotay::shell::ui {

namespace {

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A sync the network stopped (no answer, the server or a proxy failing) is worth
// another try; one the server refused (401, 403, a revoked device) or the notebook's
// own trouble is not: trying again would say the same.
bool WorthRetrying(const ServerSync& s) {
  const SyncRun& e = s.edits;
  if (!e.status.ok()) {
    return e.unanswered || e.http_status >= 500 || (e.http_status == 0 && e.status.code() == Status::Code::kIOError);
  }
  return s.files && !s.files->status.ok() && (s.files->unanswered || s.files->http_status >= 500);
}

}  // namespace

SyncJob::SyncJob(App& app) : app_(app), thread_([this] { Loop(); }) {}

SyncJob::~SyncJob() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void SyncJob::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (snap_.running) return;
    wanted_ = true;
    snap_.running = true;  // seen at once by the page the worker is sent to
    snap_.retry_in_ms = 0;
  }
  wake_.notify_all();
}

bool SyncJob::WaitWhileRunning(int64_t ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return ended_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return !snap_.running; });
}

SyncSnapshot SyncJob::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  SyncSnapshot s = snap_;
  if (retry_at_ms_ > 0) s.retry_in_ms = std::max<int64_t>(1, retry_at_ms_ - SteadyMs());
  return s;
}

void SyncJob::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (!wanted_ && (retry_at_ms_ == 0 || SteadyMs() < retry_at_ms_)) {
      if (retry_at_ms_ == 0) {
        wake_.wait(lock);
      } else {
        wake_.wait_for(lock, std::chrono::milliseconds(retry_at_ms_ - SteadyMs()));
      }
      continue;
    }
    wanted_ = false;
    retry_at_ms_ = 0;
    SyncSnapshot fresh;  // counts from zero; the last outcome stays until this one ends
    fresh.running = true;
    fresh.last = std::move(snap_.last);
    fresh.last_error = std::move(snap_.last_error);
    snap_ = std::move(fresh);
    lock.unlock();
    RunOnce();
    lock.lock();
  }
}

void SyncJob::RunOnce() {
  std::lock_guard<std::mutex> nb_lock(app_.mu);  // the notebook is the sync's until it ends
  auto finish = [&](std::optional<ServerSync> result, std::string error, bool retry, bool progressed) {
    LockIfWanted(app_);  // Lock was pressed (or the idle time passed) while this ran
    std::lock_guard<std::mutex> lock(mu_);
    ended_.notify_all();  // woken waiters take mu_ after this returns
    snap_.running = false;
    snap_.last = std::move(result);
    snap_.last_error = std::move(error);
    if (!retry) {
      retry_.After(true, false);  // the count starts again after a sync that ran its course
      return;
    }
    static thread_local std::mt19937 rng(std::random_device{}());
    // Jitter, as `sotay sync --watch`: a commune's computers do not retry in step.
    const double wait_s = retry_.After(false, progressed) * std::uniform_real_distribution<double>(0.75, 1.25)(rng);
    retry_at_ms_ = SteadyMs() + static_cast<int64_t>(wait_s * 1000);
  };
  LockIfWanted(app_);
  if (!app_.nb) {
    // Locked (the idle lock came between a failed sync and its retry): the worker
    // unlocks and syncs again; the passphrase is never kept to do it for them.
    return finish(std::nullopt, "locked", false, false);
  }
  Notebook& nb = *app_.nb;
  {
    auto state = nb.GetSyncState();
    auto waiting = nb.OutboxCount();
    std::lock_guard<std::mutex> lock(mu_);
    snap_.last_success_ms = state.ok() ? state->last_sync_ms : 0;
    snap_.to_send = waiting.ok() ? *waiting : 0;
    snap_.phase = snap_.to_send > 0 ? SyncPhase::kPushing : SyncPhase::kPulling;
  }
  size_t edit_bytes_up = 0;
  auto edits = [&](const SyncRun& so_far) {
    std::lock_guard<std::mutex> lock(mu_);
    snap_.sent = so_far.acknowledged;
    snap_.received = so_far.pulled;
    snap_.to_send = std::max(snap_.to_send, so_far.counts.outbox_total);
    snap_.phase = so_far.acknowledged < so_far.counts.outbox_total ? SyncPhase::kPushing : SyncPhase::kPulling;
    snap_.bytes_up = edit_bytes_up = so_far.bytes_up;
    snap_.bytes_down = so_far.bytes_down;
  };
  auto files = [&](const UploadRun& so_far) {
    std::lock_guard<std::mutex> lock(mu_);
    snap_.phase = SyncPhase::kFiles;
    snap_.files_done = so_far.files_done;
    snap_.files_left = so_far.files_left;
    snap_.bytes_up = edit_bytes_up + so_far.bytes_up;
  };
  auto ran = SyncWithServer(nb, edits, files);
  if (!ran.ok()) return finish(std::nullopt, ran.status().message(), false, false);
  const bool progressed = ran->edits.acknowledged > 0 || ran->edits.pulled > 0 ||
                          (ran->files && ran->files->chunks_sent > 0);
  const bool retry = WorthRetrying(*ran);
  finish(std::move(ran).value(), "", retry, progressed);
}

}  // namespace sotay::shell::ui
