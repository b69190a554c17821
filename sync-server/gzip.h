// gzip for response bodies (zlib). Pulled edits are text-heavy CBOR: on a 2G link
// the bytes saved are worth the CPU.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sotay::server {

// The gzip stream of `data`, or nullopt if zlib fails.
std::optional<std::string> GzipCompress(std::string_view data);

}  // namespace sotay::server
