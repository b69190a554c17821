// Structured logs: one JSON object per line (time, level, event, then the event's
// fields). What goes in is chosen by the callers, and they never pass personal data:
// no names, answers, enrollment codes, keys or signatures; ids of devices and counts
// only.
//
// Thread-safety: Write may be called from several threads; lines never interleave.
#pragma once

#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

namespace sotay::server {

class JsonLog {
 public:
  // Writes to `out` (not owned; nullptr discards everything).
  explicit JsonLog(std::ostream* out) : out_(out) {}

  // One line: {"time": ..., "level": ..., "event": ..., <fields>}.
  void Write(int64_t now_ms, const std::string& level, const std::string& event, const nlohmann::json& fields);

 private:
  std::mutex mu_;
  std::ostream* out_;
};

// "2025-06-01T14:30:05.123Z".
std::string FormatUtcMs(int64_t ms);

}  // namespace sotay::server
