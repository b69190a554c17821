#include "http/metrics.h"

#include <sstream>

namespace sotay::server {

void Metrics::CountRequest(const std::string& route, int status) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{route, status}];
}

void Metrics::CountEdits(uint64_t applied, uint64_t rejected, uint64_t conflicts_opened) {
  std::lock_guard<std::mutex> lock(mu_);
  applied_ += applied;
  rejected_ += rejected;
  conflicts_ += conflicts_opened;
}

void Metrics::ObserveSync(double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++buckets_[i];
      break;
    }
  }
  ++sync_count_;
  sync_sum_ += seconds;
}

void Metrics::CountPasswordCheck() {
  std::lock_guard<std::mutex> lock(mu_);
  ++password_checks_;
}

void Metrics::CountAttachmentChunk(uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  ++file_chunks_;
  file_chunk_bytes_ += bytes;
}

void Metrics::CountAttachmentComplete() {
  std::lock_guard<std::mutex> lock(mu_);
  ++files_complete_;
}

void Metrics::CountAttachmentServed(uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  file_bytes_served_ += bytes;
}

uint64_t Metrics::password_checks() const {
  std::lock_guard<std::mutex> lock(mu_);
  return password_checks_;
}

uint64_t Metrics::edits_applied() const {
  std::lock_guard<std::mutex> lock(mu_);
  return applied_;
}

std::string Metrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::ostringstream out;
  out << "# HELP sotay_requests_total HTTP requests by route and status.\n"
      << "# TYPE sotay_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out << "sotay_requests_total{path=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << "\n";
  }
  out << "# HELP sotay_edits_applied_total Pushed edits stored (not counting resent ones).\n"
      << "# TYPE sotay_edits_applied_total counter\n"
      << "sotay_edits_applied_total " << applied_ << "\n"
      << "# HELP sotay_edits_rejected_total Pushed edits refused and kept aside for review.\n"
      << "# TYPE sotay_edits_rejected_total counter\n"
      << "sotay_edits_rejected_total " << rejected_ << "\n"
      << "# HELP sotay_conflicts_opened_total Fields that came into conflict on the server.\n"
      << "# TYPE sotay_conflicts_opened_total counter\n"
      << "sotay_conflicts_opened_total " << conflicts_ << "\n"
      << "# HELP sotay_password_checks_total Argon2id password checks at sign-in.\n"
      << "# TYPE sotay_password_checks_total counter\n"
      << "sotay_password_checks_total " << password_checks_ << "\n"
      << "# HELP sotay_attachment_chunks_total Chunks of files on records received and stored.\n"
      << "# TYPE sotay_attachment_chunks_total counter\n"
      << "sotay_attachment_chunks_total " << file_chunks_ << "\n"
      << "# HELP sotay_attachment_chunk_bytes_total Bytes of those chunks.\n"
      << "# TYPE sotay_attachment_chunk_bytes_total counter\n"
      << "sotay_attachment_chunk_bytes_total " << file_chunk_bytes_ << "\n"
      << "# HELP sotay_attachments_completed_total Files that arrived whole and matched their hash.\n"
      << "# TYPE sotay_attachments_completed_total counter\n"
      << "sotay_attachments_completed_total " << files_complete_ << "\n"
      << "# HELP sotay_attachment_bytes_served_total Bytes of files sent to devices and the dashboard.\n"
      << "# TYPE sotay_attachment_bytes_served_total counter\n"
      << "sotay_attachment_bytes_served_total " << file_bytes_served_ << "\n"
      << "# HELP sotay_sync_duration_seconds Time to handle POST /v1/sync.\n"
      << "# TYPE sotay_sync_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i];
    out << "sotay_sync_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << cumulative << "\n";
  }
  out << "sotay_sync_duration_seconds_bucket{le=\"+Inf\"} " << sync_count_ << "\n"
      << "sotay_sync_duration_seconds_sum " << sync_sum_ << "\n"
      << "sotay_sync_duration_seconds_count " << sync_count_ << "\n";
  return out.str();
}

}  // namespace sotay::server
