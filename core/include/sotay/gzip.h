// gzip for sync bodies (zlib), for the transports: the server's answers, and the
// requests of `sotay sync` and the bench. A phone app may use its platform's gzip
// instead; the server reads either.
//
// Thread-safety: Gzip and Gunzip are safe from any thread; a GzipWriter is used by
// one thread at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sotay {

// The gzip stream of `data` at zlib's level 1, or nullopt if zlib fails. Level 1,
// not the default 6: on sync bodies (CBOR with string tables) it was both faster
// (6 took a third of a device's time pushing) and smaller (198 against 208 bytes
// per new child).
std::optional<std::string> Gzip(std::string_view data);

// Gzip fed in parts: the stream of all the parts, as Gzip of them joined, made as
// they come (a sync request's head while the previous answer travels, its tail after).
class GzipWriter {
 public:
  GzipWriter();
  ~GzipWriter();
  GzipWriter(GzipWriter&&) noexcept;
  GzipWriter& operator=(GzipWriter&&) noexcept;

  // False once zlib has failed; the writer is then spent.
  bool Append(std::string_view data);
  // The whole stream, `last` included; nullopt if zlib failed. The writer is spent.
  std::optional<std::string> Finish(std::string_view last = {});

 private:
  struct Stream;
  std::unique_ptr<Stream> z_;
};

// The data of gzip stream `gz`, or nullopt if it is not one, is cut short, or would
// grow past `max_bytes` (a small body must not unpack into gigabytes).
std::optional<std::string> Gunzip(std::string_view gz, size_t max_bytes);

}  // namespace sotay
