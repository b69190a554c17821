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
inline constexpr const char* kMetaCounter = "edit_counter";
inline constexpr const char* kMetaCursor = "sync_cursor";
inline constexpr const char* kMetaLastSync = "last_sync_ms";
inline constexpr const char* kMetaLink = "sync_link";  // LinkEstimate::Encode: rates and sizes
inline constexpr const char* kMetaClockMs = "hlc_ms";
inline constexpr const char* kMetaClockCounter = "hlc_counter";
// "1" when a search summary failed to open: rebuilt from the records at the next open.
inline constexpr const char* kMetaSummariesStale = "search_summaries_stale";
// The version of the search summaries' contents and the record indexes (links,
// conflicts) this notebook holds; an older or missing one is rebuilt at open.
inline constexpr const char* kMetaIndexVersion = "record_indexes";
inline constexpr const char* kIndexVersion = "1";

// Sealed meta (SealedStore::PutSealedMeta): what decides where records go and who
// wrote them (SECURITY.md, "What decides where data goes").
inline constexpr const char* kMetaDevice = "device_id";
inline constexpr const char* kMetaServer = "server_url";
inline constexpr const char* kMetaServerKey = "server_key";  // base64 Ed25519, "" until pinned
inline constexpr const char* kMetaArea = "area";
inline constexpr const char* kMetaAuthor = "author";
inline constexpr const char* kMetaRole = "role";
// The communes the user may edit ("code\tname" lines) and the server's tag for that
// list: sealed, since they decide which commune a new record goes to.
inline constexpr const char* kMetaCommunes = "communes";
inline constexpr const char* kMetaCommunesTag = "communes_tag";

// Each sealed setting with what a person calls it, for the error when it fails to
// open, and which stores of format 1 kept in clear.
struct SealedSetting {
  const char* key;
  const char* what;
};
inline constexpr SealedSetting kSealedSettings[] = {
    {kMetaDevice, "device id"},
    {kMetaServer, "server address"},
    {kMetaServerKey, "pinned server key"},
    {kMetaArea, "commune (area)"},
    {kMetaAuthor, "user (author)"},
    {kMetaRole, "role"},
    {kMetaCommunes, "list of communes"},
    {kMetaCommunesTag, "list of communes"},
};

}  // namespace sotay
