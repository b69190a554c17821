// `sotay ui`'s sync in the background: one at a time, on a thread of its own, so
// the sync page can show how far it got (the phase and the counts, from RunSync's
// and UploadAttachments' progress) while it runs, and tries again by itself after
// a sync the network cut (SyncRetry's backoff, as `sotay sync --watch`) for as long
// as `sotay ui` runs.
//
// The sync holds the notebook (App::mu) from start to end, as a Notebook is one
// thread's at a time; the progress is kept apart, under the job's own mutex, so the
// sync page reads it without waiting for the notebook.
//
// Thread-safety: Start and Snapshot from any thread; a caller holding App::mu may
// call them (the lock order is App::mu, then the job's).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "../shell.h"
#include "sotay/sync_retry.h"

namespace sotay::shell::ui {

struct App;

enum class SyncPhase { kPushing, kPulling, kFiles };

// What the sync page shows: the sync running now, or the last one's outcome.
struct SyncSnapshot {
  bool running = false;
  SyncPhase phase = SyncPhase::kPushing;
  size_t to_send = 0;       // edits waiting when it began
  size_t sent = 0;          // of them acknowledged so far
  size_t received = 0;      // edits pulled so far
  size_t bytes_up = 0, bytes_down = 0;  // wire bytes so far (files included)
  size_t files_done = 0, files_left = 0;
  int64_t last_success_ms = 0;  // the notebook's last successful sync, as it began
  // The last finished sync: its result, or why it could not run ("" before any).
  std::optional<ServerSync> last;
  std::string last_error;
  int64_t retry_in_ms = 0;  // > 0: the next automatic try comes after about this long
};

class SyncJob {
 public:
  explicit SyncJob(App& app);
  ~SyncJob();  // waits for a sync under way to end
  SyncJob(const SyncJob&) = delete;
  SyncJob& operator=(const SyncJob&) = delete;

  // Asks for a sync now; nothing when one runs already.
  void Start();
  // Waits up to `ms` for the sync under way to end (a quick sync then shows its
  // outcome at once, not a progress bar for a blink); true when none runs. The
  // caller must not hold App::mu.
  bool WaitWhileRunning(int64_t ms);
  SyncSnapshot Snapshot() const;

 private:
  void Loop();
  void RunOnce();

  App& app_;
  mutable std::mutex mu_;  // guards everything below
  std::condition_variable wake_, ended_;
  bool wanted_ = false, stopping_ = false;
  int64_t retry_at_ms_ = 0;  // steady clock; 0: none due
  SyncSnapshot snap_;
  SyncRetry retry_{5 * 60};  // backs off up to five minutes between tries
  std::thread thread_;       // last: starts once the rest is made
};

}  // namespace sotay::shell::ui
