#include "sotay/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

namespace sotay {

struct GzipWriter::Stream {
  z_stream z{};
  bool ok = false;
  std::string out;
  ~Stream() {
    if (ok) deflateEnd(&z);
  }
  // Runs deflate over `data` with `flush`, growing `out` as needed.
  bool Feed(std::string_view data, int flush) {
    if (!ok || data.size() > std::numeric_limits<uInt>::max() / 2) return ok = false;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    for (;;) {
      size_t have = out.size() - z.total_out;
      if (have < 4096) {
        out.resize(out.size() + std::max<size_t>(deflateBound(&z, z.avail_in), 64 * 1024));
        have = out.size() - z.total_out;
      }
      z.next_out = reinterpret_cast<Bytef*>(&out[z.total_out]);
      z.avail_out = static_cast<uInt>(std::min<size_t>(have, std::numeric_limits<uInt>::max()));
      const int rc = deflate(&z, flush);
      if (rc == Z_STREAM_END) return true;
      if (rc != Z_OK && rc != Z_BUF_ERROR) return ok = false;
      if (flush == Z_NO_FLUSH && z.avail_in == 0) return true;
    }
  }
};

GzipWriter::GzipWriter() : z_(std::make_unique<Stream>()) {
  // windowBits 15 + 16: a gzip header and trailer rather than raw zlib.
  z_->ok = deflateInit2(&z_->z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
}
GzipWriter::~GzipWriter() = default;
GzipWriter::GzipWriter(GzipWriter&&) noexcept = default;
GzipWriter& GzipWriter::operator=(GzipWriter&&) noexcept = default;

bool GzipWriter::Append(std::string_view data) { return z_ && z_->Feed(data, Z_NO_FLUSH); }

std::optional<std::string> GzipWriter::Finish(std::string_view last) {
  if (!z_ || !z_->Feed(last, Z_FINISH)) {
    z_.reset();
    return std::nullopt;
  }
  std::string out = std::move(z_->out);
  out.resize(z_->z.total_out);
  z_.reset();
  return out;
}

std::optional<std::string> Gzip(std::string_view data) { return GzipWriter().Finish(data); }

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
