#include "sotay/link_estimate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace sotay {

namespace {

// New samples weigh half: a link that gets better (walking up the hill) is followed
// within two or three exchanges, one odd exchange does not swing the sizes.
double Blend(double old_value, double sample, bool first) { return first ? sample : (old_value + sample) / 2; }

}  // namespace

void LinkEstimate::Observe(const LinkSample& s) {
  const size_t bytes = s.up_bytes + s.down_bytes;
  if (s.ms < 1 || bytes == 0) return;
  const bool first = samples_ == 0;
  // A slower link is believed at once: an exchange sized for the old rate would
  // outlast the signal.
  const double rate = static_cast<double>(bytes) * 1000.0 / static_cast<double>(s.ms);
  rate_ = rate < rate_ ? rate : Blend(rate_, rate, first);
  rtt_ms_ = first ? s.ms : std::min(rtt_ms_, s.ms);
  if (s.edits_up > 0) up_per_edit_ = std::max(1.0, static_cast<double>(s.up_bytes) / static_cast<double>(s.edits_up));
  // Small answers say little about how pages compress.
  if (s.down_bytes >= 512 && s.down_decoded >= s.down_bytes) {
    ratio_ = Blend(ratio_, static_cast<double>(s.down_decoded) / static_cast<double>(s.down_bytes), first);
  }
  ++samples_;
}

size_t LinkEstimate::PushEdits(size_t current, size_t largest) const {
  largest = std::max<size_t>(1, largest);
  const size_t smallest = std::min(kSmallestPushEdits, largest);
  if (!measured()) return std::clamp(push_edits_ > 0 ? push_edits_ : kFirstPushEdits, smallest, largest);
  const double fits = rate_ * static_cast<double>(kWindowMs) / 1000.0 / up_per_edit_;
  const double grown = static_cast<double>(std::max<size_t>(current, smallest)) * 4;
  return std::clamp(static_cast<size_t>(std::min(fits, grown)), smallest, largest);
}

size_t LinkEstimate::PageWireBytes() const {
  return static_cast<size_t>(rate_ * static_cast<double>(kWindowMs) / 1000.0);
}

size_t LinkEstimate::PageBytes() const {
  return std::max(kSmallestPageBytes, static_cast<size_t>(static_cast<double>(PageWireBytes()) * ratio_));
}

size_t LinkEstimate::PushWireBytes(size_t edits) const {
  return static_cast<size_t>(std::ceil(static_cast<double>(edits) * up_per_edit_));
}

int64_t LinkEstimate::StallTimeoutMs(size_t expected_wire_bytes) const {
  if (!measured()) return kStallUnmeasuredMs;
  // The measured rate has the round trip and the server's work in it already.
  const double expected_ms = static_cast<double>(expected_wire_bytes) * 1000.0 / rate_;
  return std::clamp(static_cast<int64_t>(3 * expected_ms), kStallFloorMs, kStallCeilingMs);
}

int64_t LinkEstimate::SecondsToSend(size_t edits) const {
  if (!measured()) return 0;
  return static_cast<int64_t>(std::ceil(static_cast<double>(PushWireBytes(edits)) / rate_));
}

std::string LinkEstimate::Encode() const {
  char buf[160];
  std::snprintf(buf, sizeof buf, "link/1 %.1f %lld %.3f %.3f %zu %d %u", rate_, static_cast<long long>(rtt_ms_),
                up_per_edit_, ratio_, push_edits_, samples_, server_layout_);
  return buf;
}

LinkEstimate LinkEstimate::Decode(const std::string& text) {
  std::istringstream in(text);
  std::string tag;
  LinkEstimate e;
  long long rtt = 0;
  in >> tag >> e.rate_ >> rtt >> e.up_per_edit_ >> e.ratio_ >> e.push_edits_ >> e.samples_;
  if (!in || tag != "link/1" || !(e.rate_ > 0) || rtt < 0 || !(e.up_per_edit_ > 0) || !(e.ratio_ > 0) ||
      e.samples_ < 0) {
    return LinkEstimate();
  }
  e.rtt_ms_ = rtt;
  uint32_t layout = 1;
  if (in >> layout && layout >= 1) e.server_layout_ = layout;
  return e;
}

}  // namespace sotay
