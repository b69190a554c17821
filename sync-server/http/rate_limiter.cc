#include "http/rate_limiter.h"

namespace sotay::server {

bool RateLimiter::Allow(const std::string& key, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  if (seen_.size() > 10000) Forget(now_ms);
  std::deque<int64_t>& times = seen_[key];
  while (!times.empty() && times.front() <= now_ms - window_ms_) times.pop_front();
  if (times.size() >= max_) return false;
  times.push_back(now_ms);
  return true;
}

void RateLimiter::Forget(int64_t now_ms) {
  for (auto it = seen_.begin(); it != seen_.end();) {
    if (it->second.empty() || it->second.back() <= now_ms - window_ms_) {
      it = seen_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace sotay::server
