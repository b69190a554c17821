// A sliding-window request limit per key (a device id, or an address for
// enrollment): at most N requests in any window. Kept in memory: a restart forgets
// it, which only ever lets a device through sooner.
//
// Thread-safety: safe to call from several threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace sotay::server {

class RateLimiter {
 public:
  RateLimiter(size_t max_requests, int64_t window_ms) : max_(max_requests), window_ms_(window_ms) {}

  // Counts a request for `key` at `now_ms` and returns true, or returns false (and
  // counts nothing) when the key already had max_requests in the window.
  bool Allow(const std::string& key, int64_t now_ms);

 private:
  void Forget(int64_t now_ms);  // drops keys idle for a whole window

  const size_t max_;
  const int64_t window_ms_;
  std::mutex mu_;
  std::map<std::string, std::deque<int64_t>> seen_;
};

}  // namespace sotay::server
