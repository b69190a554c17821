// Standard base64 with padding (RFC 4648, libsodium's ORIGINAL variant): how keys and
// signatures travel in headers and JSON. The one encoder and decoder of device and
// server alike, so both read exactly what the other writes.
//
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sotay {

std::string Base64Encode(std::string_view bytes);
// nullopt if `text` is not base64 or does not decode to exactly `want_bytes` bytes:
// every value this is used for (a key, a signature) has a fixed size.
std::optional<std::string> Base64Decode(std::string_view text, size_t want_bytes);

}  // namespace sotay
