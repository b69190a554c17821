// Counters for Prometheus (GET /metrics, text format 0.0.4): requests by route and
// status, edits applied and rejected, conflicts opened, and a histogram of sync
// durations. Labels are route names from a fixed list, never ids.
//
// Thread-safety: safe to call from several threads.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace sotay::server {

class Metrics {
 public:
  // `route` is a known path or "other".
  void CountRequest(const std::string& route, int status);
  void CountEdits(uint64_t applied, uint64_t rejected, uint64_t conflicts_opened);
  void ObserveSync(double seconds);
  // One Argon2id check at sign-in (for unknown users too, against a stand-in hash).
  void CountPasswordCheck();
  // Files on records: a chunk stored, a file made whole, a file's bytes served.
  void CountAttachmentChunk(uint64_t bytes);
  void CountAttachmentComplete();
  void CountAttachmentServed(uint64_t bytes);

  std::string Render() const;

  uint64_t edits_applied() const;
  uint64_t password_checks() const;

 private:
  static constexpr std::array<double, 10> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  uint64_t applied_ = 0, rejected_ = 0, conflicts_ = 0, password_checks_ = 0;
  uint64_t file_chunks_ = 0, file_chunk_bytes_ = 0, files_complete_ = 0, file_bytes_served_ = 0;
  std::array<uint64_t, kBuckets.size()> buckets_{};  // cumulative counts are made when rendering
  uint64_t sync_count_ = 0;
  double sync_sum_ = 0;
};

}  // namespace sotay::server
