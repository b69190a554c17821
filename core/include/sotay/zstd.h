// zstd for sync bodies (docs/sync-protocol.md, "Compression"), with the dictionary
// shipped with the form pack (schemas/sync-dictionary.zdict, trained by
// scripts/train-sync-dictionary.sh): on a 2G link most of a small body is the pack's
// own vocabulary (field and choice names, the CBOR structure), which the dictionary
// holds, so a body carries little more than its answers. gzip (sotay/gzip.h) stays
// for peers that know nothing else.
//
// Thread-safety: every function may be called from any thread at once; the
// dictionary is loaded once, on first use, and only read after.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sotay/status.h"

namespace sotay {

// The id of the shipped dictionary, as zstd writes it in every frame made with it
// (the "dictID" of its header) and as the X-Sotay-Dictionary header names it.
uint32_t SyncDictionaryId();

// The header a device sends with the id (decimal) of the dictionary it holds: its
// zstd request is made with it, and it reads answers made with it.
inline constexpr const char* kDictionaryHeader = "X-Sotay-Dictionary";

// The level both sides use: 3, zstd's default. On sync bodies it packs within 8% of
// level 19 at a seventieth of its CPU, and in two thirds of gzip level 1's time
// (bench/wire_bytes_bench).
constexpr int kZstdLevel = 3;

// The zstd frame of `data`, made with the shipped dictionary when `with_dictionary`
// (the frame then names the dictionary's id), or nullopt if zstd fails.
std::optional<std::string> Zstd(std::string_view data, bool with_dictionary, int level = kZstdLevel);

// One zstd frame made a piece at a time, with the shipped dictionary: a sync request's
// edits are packed while the request before it is out, and only its short tail once
// the answer is in. Unzstd reads its frame as it reads Zstd(all pieces, true).
class ZstdWriter {
 public:
  ZstdWriter();
  ~ZstdWriter();
  ZstdWriter(ZstdWriter&&) noexcept;
  ZstdWriter& operator=(ZstdWriter&&) noexcept;

  // Packs `data` now. False once zstd has failed; the writer is then spent.
  bool Append(std::string_view data);
  // The whole frame, `last` included; nullopt if zstd failed. The writer is spent.
  std::optional<std::string> Finish(std::string_view last = {});

 private:
  struct Stream;
  std::unique_ptr<Stream> z_;
};

// The data of zstd frame `frame`. The dictionary is the one the frame names: none, or
// the shipped one; any other is refused (InvalidArgument naming its id). A frame that
// is broken, cut short, followed by other bytes or not zstd is InvalidArgument; one
// that would unpack past `max_bytes` is FailedPrecondition ("... over the limit"),
// and the unpacking stops there: a small body must not grow into gigabytes.
Result<std::string> Unzstd(std::string_view frame, size_t max_bytes);

// Whether `bytes` start as a zstd frame does (its magic number). A CBOR map or a JSON
// error body never does, so a reply can be told apart even when a phone's HTTP stack
// drops its Content-Encoding header.
bool LooksLikeZstd(std::string_view bytes);

}  // namespace sotay
