#include "http/login_backoff.h"

#include <algorithm>

namespace sotay::server {

namespace {
constexpr size_t kPruneFrom = 10000;  // entries; older ones are dropped past this
}  // namespace

int64_t LoginBackoff::WaitMs(const std::string& user, const std::string& addr, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(Key(user, addr));
  if (it == entries_.end() || it->second.next_ms <= now_ms) return 0;
  return it->second.next_ms - now_ms;
}

void LoginBackoff::Failed(const std::string& user, const std::string& addr, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() >= std::max(kPruneFrom, next_prune_size_)) {
    // Entries whose wait has passed long ago protect nothing any more.
    for (auto it = entries_.begin(); it != entries_.end();) {
      it = it->second.last_ms + kMaxDelayMs < now_ms ? entries_.erase(it) : std::next(it);
    }
    next_prune_size_ = entries_.size() + kPruneFrom / 10;
  }
  if (entries_.size() >= kMaxEntries) {
    // Still full: keep only the waits under way (each needs wrong passwords checked
    // first, which the per-address rate and the two-at-a-time gate keep slow).
    if (now_ms >= next_full_sweep_ms_) {
      for (auto it = entries_.begin(); it != entries_.end();) {
        it = it->second.next_ms <= now_ms ? entries_.erase(it) : std::next(it);
      }
      next_full_sweep_ms_ = now_ms + 1000;
      next_prune_size_ = entries_.size() + kPruneFrom / 10;
    }
    if (entries_.size() >= kMaxEntries) return;  // a flood: this failure is not remembered
  }
  Entry& e = entries_[Key(user, addr)];
  ++e.failures;
  e.last_ms = now_ms;
  if (e.failures >= kFreeFailures) {
    const int doublings = std::min(e.failures - kFreeFailures, 20);
    e.next_ms = now_ms + std::min<int64_t>(int64_t{1000} << doublings, kMaxDelayMs);
  }
}

size_t LoginBackoff::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

void LoginBackoff::Succeeded(const std::string& user, const std::string& addr) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(Key(user, addr));
}

}  // namespace sotay::server
