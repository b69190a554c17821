#include "sotay/base64.h"

#include <sodium.h>

#include <vector>

namespace sotay {

std::string Base64Encode(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text, size_t want_bytes) {
  // A text longer than `want_bytes` can encode is refused before any work.
  if (text.empty() || text.size() > 4 * (want_bytes / 3 + 2)) return std::nullopt;
  std::vector<unsigned char> out(want_bytes + 3);
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size() || len != want_bytes) {
    return std::nullopt;
  }
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

}  // namespace sotay
