#include "http/json_log.h"

#include <cstdio>
#include <ctime>

namespace sotay::server {

void JsonLog::Write(int64_t now_ms, const std::string& level, const std::string& event,
                    const nlohmann::json& fields) {
  if (out_ == nullptr) return;
  // Ordered, so every line starts with time, level and event.
  nlohmann::ordered_json line = {{"time", FormatUtcMs(now_ms)}, {"level", level}, {"event", event}};
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  }
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard<std::mutex> lock(mu_);
  *out_ << text << '\n';
  out_->flush();
}

std::string FormatUtcMs(int64_t ms) {
  const int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms - secs * 1000));
  return buf;
}

}  // namespace sotay::server
