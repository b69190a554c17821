// Reducing a photo on the device before it is sealed (issue 20; docs/forms-files.md,
// "What happens to a photo"): a 12-megapixel phone JPEG of 3-5 MB is ten minutes on
// a 2G link; reduced to the form's `max-pixels` it is a few hundred KB. And a phone
// JPEG carries EXIF with the GPS position: where a child lives, in an injury photo.
//
// The rules, in order:
//  - Only JPEG and PNG are read (by their first bytes, not the name). Anything else
//    (WebP, a PDF, bytes that are not an image) is kept as it is.
//  - A JPEG or PNG whose declared size is over kImageMaxDecodePixels is refused
//    before any pixel is decoded (a "decompression bomb", or a camera's 108 MP mode).
//  - A JPEG loses every APP1..APP15 and COM segment (EXIF, GPS, XMP, maker notes,
//    comments; the Adobe APP14, which only says how to read the colours, stays) and
//    whatever follows its end (a phone's appended video or second picture). A PNG
//    loses its text, eXIf, tIME and unknown chunks. Done losslessly, byte for byte,
//    when the picture needs nothing else.
//  - The EXIF orientation is applied, so the photo is upright once the tag is gone.
//  - When the longest side is over `max_pixels` the image is resized to that side
//    (aspect kept, Mitchell filter in sRGB) and written as a JPEG of quality 85; a
//    PNG with real transparency (a pixel not fully opaque) stays a PNG.
//  - Only a JPEG or PNG whose structure was walked whole is decoded, without its
//    metadata; a progressive JPEG, or one whose Huffman tables would overflow
//    Debian's stb 2.27, is not (image_metadata.h): it, and one the decoder cannot
//    read, is kept stripped of its metadata but not reduced. A broken structure is
//    kept as it is.
//
// Pure logic (sotay_logic): bytes in, bytes out; no file is read here.
// Thread-safety: a free function on its arguments only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sotay/status.h"

namespace sotay {

// 100 MP: a 64 MP phone photo still goes through. Decoding takes 4.5-6 bytes a
// pixel at its peak (the RGB pixels and stb's planes): about 300 MB for 64 MP, and
// 645 MB measured for a 100 MP JPEG (bench/image_reduce_bench), which only a phone
// with such a camera makes. A declared 50000x50000 is refused at once.
constexpr int64_t kImageMaxDecodePixels = 100'000'000;
constexpr int kImageJpegQuality = 85;

struct ReducedImage {
  enum class Action {
    kKeptAsIs,  // not a JPEG or PNG the core reads: `bytes` is empty, store the original
    kStripped,  // metadata removed losslessly (or there was none): `bytes` is the result
    kReencoded  // resized and/or turned upright, written anew: `bytes` is the result
  };
  Action action = Action::kKeptAsIs;
  std::string bytes;
  std::string media_type;  // of `bytes` ("image/jpeg", "image/png"); "" when kept as is
  std::string ext;         // "jpg" or "png"; "" when kept as is
  int width = 0, height = 0;          // upright, as it came; 0 when not decoded
  int out_width = 0, out_height = 0;  // as stored; 0 when not decoded
  bool removed_metadata = false;      // EXIF, XMP, comments, text chunks were dropped
  bool removed_location = false;      // among them a GPS position
};

// Reduces `image` to `max_pixels` on its longest side (0: no resizing) under the
// rules above. `what` names the file in errors (the user's own path, never content).
// InvalidArgument naming it and the declared size for a bomb; IOError when the
// resized pixels cannot be had or written. Nothing else fails: what cannot be
// decoded is kept (stripped when its structure allows).
// `max_decode_pixels`: the bomb bound (a fuzzer passes a smaller one to stay fast).
Result<ReducedImage> ReduceImage(std::string_view image, int64_t max_pixels, const std::string& what,
                                 int64_t max_decode_pixels = kImageMaxDecodePixels);

// One line for the worker saying what was done, in `lang` (sotay/lang.h), e.g.
// "Ảnh đã thu nhỏ từ 4032×3024 xuống 1600×1200 (3,1 MB → 241 KB), đã bỏ vị trí GPS."
// "" when nothing was changed. `before`/`after`: the file's bytes and the stored bytes.
std::string ReductionText(const ReducedImage& r, int64_t before, int64_t after, std::string_view lang);

}  // namespace sotay
