#include "sotay/sync_retry.h"

#include <algorithm>

namespace sotay {

int SyncRetry::After(bool succeeded, bool progressed) {
  if (succeeded) {
    failures_ = 0;
    return interval_s_;
  }
  if (progressed) {
    failures_ = 0;
    return std::min(interval_s_, kAfterProgressS);
  }
  failures_ = std::min(failures_ + 1, kMaxFailures);
  return std::min(interval_s_, 2 << failures_);  // 4, 8, 16... s
}

}  // namespace sotay
