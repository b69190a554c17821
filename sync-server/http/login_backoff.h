// Sign-in back-off per (user id, address): after a few wrong passwords, each further
// attempt from that address for that user waits longer (1 s, 2 s, 4 s, ... up to 15
// minutes). Keyed by both so that someone guessing from one address slows only
// themselves: the user signs in from their own office as usual. A right password
// clears the count. Kept in memory: a restart forgets it.
//
// Thread-safety: safe to call from several threads.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace sotay::server {

class LoginBackoff {
 public:
  static constexpr int kFreeFailures = 3;
  static constexpr int64_t kMaxDelayMs = 15 * 60 * 1000;

  // 0 when an attempt may be checked at `now_ms`, else the milliseconds to wait.
  int64_t WaitMs(const std::string& user, const std::string& addr, int64_t now_ms);
  void Failed(const std::string& user, const std::string& addr, int64_t now_ms);
  void Succeeded(const std::string& user, const std::string& addr);
  // Entries held (for tests and metrics): at most kMaxEntries.
  size_t size();

  // Past this many entries, those whose wait is over are dropped: an attacker
  // spreading over many addresses (IPv6) must not grow the server's memory.
  static constexpr size_t kMaxEntries = 50000;

 private:
  struct Entry {
    int failures = 0;
    int64_t next_ms = 0;  // no attempt before this
    int64_t last_ms = 0;
  };
  // A user id is at most 64 characters (IsWellFormedId): a longer "id" names nobody and
  // is keyed as one, so that a 4 MiB id does not become a 4 MiB key.
  static std::string Key(const std::string& user, const std::string& addr) {
    return (user.size() <= 64 ? user : std::string("?")) + '\n' + addr.substr(0, 64);
  }

  std::mutex mu_;
  std::map<std::string, Entry> entries_;
  // The sweeps below walk every entry: each runs again only after the table has
  // grown by a tenth of kPruneFrom, or (when full) a second later, so a flood of
  // failures costs a constant amount each rather than a walk of 50,000 entries.
  size_t next_prune_size_ = 0;
  int64_t next_full_sweep_ms_ = 0;
};

}  // namespace sotay::server
