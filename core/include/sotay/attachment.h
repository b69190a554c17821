// Files on records (issue 20): what an `image` or `file` answer holds, and the
// rules a file must meet before it is kept. The answer is a reference, never the
// bytes: "<sha256 hex> <size> <media type> <extension>", e.g.
// "9f86...0a08 312004 image/jpeg jpg" (docs/forms-files.md). The bytes travel and are
// stored apart from the record, content-addressed by that hash.
//
// Pure logic (sotay_logic): no file is read here.
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sotay/status.h"

namespace sotay {

// One chunk of a file, on the device and on the wire: 64 KiB is about 8 s at a 2G
// link's 64 kbit/s, so a chunk fits the 20 s budget even at a third of that rate.
constexpr int64_t kAttachmentChunkBytes = 64 * 1024;
// No form may allow more than this per file (a field's `max-size` defaults lower).
constexpr int64_t kAttachmentHardMaxBytes = 25 * 1024 * 1024;
constexpr int64_t kAttachmentDefaultMaxBytes = 10 * 1024 * 1024;

// What an image or file field accepts (`parameters` in the form file).
struct FileRules {
  int64_t max_bytes = kAttachmentDefaultMaxBytes;
  int64_t max_pixels = 0;            // image: the longest side it should be reduced to; 0: none
  std::vector<std::string> accept;  // media types ("image/png", "image/*") or extensions (".pdf")
};

struct AttachmentRef {
  std::string sha256_hex;  // 64 lower-case hex digits, of the plaintext
  int64_t size = 0;
  std::string media_type;  // e.g. "image/jpeg"
  std::string ext;         // lower case, no dot; "" when the file had none

  std::string Format() const;
  // Number of kAttachmentChunkBytes chunks (at least one: an empty file is one empty chunk).
  int64_t Chunks() const;
};

// Parses a reference answer; InvalidArgument naming what is wrong (never the value).
Result<AttachmentRef> ParseAttachmentRef(const std::string& answer);
bool IsSha256Hex(const std::string& s);

// The lower-case extension of a file name without its dot ("" if none).
std::string ExtensionOf(const std::string& file_name);
// The media type for an extension ("jpg" -> "image/jpeg"); application/octet-stream
// for one not known.
std::string MediaTypeOfExtension(const std::string& ext);

// Whether a file of `media_type` and `ext` and `size` bytes may answer a field of
// these rules (`image`: only image/* unless `accept` says otherwise). The error
// names the field, the limit and the file's size or type.
Status CheckFileAgainstRules(const std::string& field, bool is_image, const FileRules& rules,
                             const std::string& media_type, const std::string& ext, int64_t size);

// Whether the first bytes of a file are a real JPEG, PNG or WebP: only then may a
// browser be told it is an image. Returns that media type, or nullopt.
std::optional<std::string> SniffImageType(const std::string& head);

}  // namespace sotay
