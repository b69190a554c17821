#include "sotay/gzip.h"

#include <zlib.h>

#include <limits>

namespace sotay {

std::optional<std::string> Gzip(std::string_view data) {
  if (data.size() > std::numeric_limits<uInt>::max() / 2) return std::nullopt;
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer rather than raw zlib.
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return std::nullopt;
  }
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  const uLong written = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return std::nullopt;
  out.resize(written);
  return out;
}

std::optional<std::string> Gunzip(std::string_view gz, size_t max_bytes) {
  if (gz.size() > std::numeric_limits<uInt>::max()) return std::nullopt;
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return std::nullopt;  // gzip only, not raw zlib
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  char buf[64 * 1024];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    const size_t got = sizeof buf - z.avail_out;
    if (out.size() + got > max_bytes) {
      rc = Z_BUF_ERROR;
      break;
    }
    out.append(buf, got);
    if (rc == Z_OK && got == 0 && z.avail_in == 0) rc = Z_BUF_ERROR;  // cut short
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END || z.avail_in != 0) return std::nullopt;  // broken, or bytes after the end
  return out;
}

}  // namespace sotay
