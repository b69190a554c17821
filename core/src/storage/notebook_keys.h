// Row keys of the notebook's tables (docs/store-format.md). Keys are in clear, so
// they hold only ids and counters; numbers are zero-padded so key order is numeric.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "sotay/edit.h"

namespace sotay {

inline std::string Padded(uint64_t n, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llu", width, static_cast<unsigned long long>(n));
  return buf;
}

inline std::string EditKey(const Dot& d) { return d.device + ":" + Padded(d.counter, 20); }
inline std::string FormKey(const std::string& id, int version) {
  return id + "@" + Padded(static_cast<uint64_t>(version), 6);
}

// Clear bookkeeping in the meta table.
inline constexpr const char* kMetaDevice = "device_id";
inline constexpr const char* kMetaCounter = "edit_counter";
inline constexpr const char* kMetaServer = "server_url";
inline constexpr const char* kMetaCursor = "sync_cursor";
inline constexpr const char* kMetaLastSync = "last_sync_ms";
inline constexpr const char* kMetaClockMs = "hlc_ms";
inline constexpr const char* kMetaClockCounter = "hlc_counter";
inline constexpr const char* kMetaArea = "area";
inline constexpr const char* kMetaAuthor = "author";
inline constexpr const char* kMetaRole = "role";
// The communes the user may edit ("code\tname" lines; public administrative names)
// and the server's tag for that list.
inline constexpr const char* kMetaCommunes = "communes";
inline constexpr const char* kMetaCommunesTag = "communes_tag";

}  // namespace sotay
