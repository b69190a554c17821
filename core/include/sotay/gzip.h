// gzip for sync bodies (zlib), for the transports: the server's answers, and the
// requests of `sotay sync` and the bench. A phone app may use its platform's gzip
// instead; the server reads either.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sotay {

// The gzip stream of `data` at zlib's level 1, or nullopt if zlib fails. Level 1,
// not the default 6: on sync bodies (CBOR with string tables) it was both faster
// (6 took a third of a device's time pushing) and smaller (198 against 208 bytes
// per new child).
std::optional<std::string> Gzip(std::string_view data);

// The data of gzip stream `gz`, or nullopt if it is not one, is cut short, or would
// grow past `max_bytes` (a small body must not unpack into gigabytes).
std::optional<std::string> Gunzip(std::string_view gz, size_t max_bytes);

}  // namespace sotay
