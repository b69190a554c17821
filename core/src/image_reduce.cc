// Photos reduced and stripped before they are sealed (sotay/image_reduce.h).
// Debian's stb (libstb-dev, header-only) does the pixels: its decoder and resizer
// are compiled here once (the writer in image_encode.cc), JPEG and PNG only, from
// memory only, every function static so nothing clashes with another user of stb
// in the same program.
#include "sotay/image_reduce.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "image_encode.h"
#include "image_metadata.h"
#include "sotay/attachment.h"

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#endif
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STBI_MAX_DIMENSIONS 65535  // JPEG's own limit; kImageMaxDecodePixels is checked first
#include <stb_image.h>
#define STB_IMAGE_RESIZE_STATIC
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb_image_resize.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace sotay {

namespace {

struct Pixels {
  std::vector<unsigned char> data;
  int w = 0, h = 0, channels = 0;
};

// The stored picture turned by EXIF orientation `o` (1..8) so that it is upright.
// For each upright pixel, the stored pixel it comes from (EXIF 2.3, tag 0x0112).
Pixels Upright(const unsigned char* from_pixels, const Pixels& in, int o) {
  const bool swap = o >= 5;
  Pixels out;
  out.w = swap ? in.h : in.w;
  out.h = swap ? in.w : in.h;
  out.channels = in.channels;
  const size_t c = static_cast<size_t>(in.channels);
  out.data.resize(static_cast<size_t>(in.w) * static_cast<size_t>(in.h) * c);
  for (int y = 0; y < out.h; ++y) {
    for (int x = 0; x < out.w; ++x) {
      int sx = x, sy = y;
      switch (o) {
        case 2: sx = in.w - 1 - x; break;
        case 3: sx = in.w - 1 - x; sy = in.h - 1 - y; break;
        case 4: sy = in.h - 1 - y; break;
        case 5: sx = y; sy = x; break;
        case 6: sx = y; sy = in.h - 1 - x; break;           // turned 90° clockwise
        case 7: sx = in.w - 1 - y; sy = in.h - 1 - x; break;
        case 8: sx = in.w - 1 - y; sy = x; break;           // turned 90° anticlockwise
        default: break;
      }
      const size_t from = (static_cast<size_t>(sy) * static_cast<size_t>(in.w) + static_cast<size_t>(sx)) * c;
      const size_t to = (static_cast<size_t>(y) * static_cast<size_t>(out.w) + static_cast<size_t>(x)) * c;
      std::copy_n(from_pixels + from, c, out.data.data() + to);
    }
  }
  return out;
}

bool AnyTransparent(const Pixels& p) {
  for (size_t i = 3; i < p.data.size(); i += 4) {
    if (p.data[i] != 255) return true;
  }
  return false;
}

void DropAlpha(Pixels& p) {
  size_t to = 0;
  for (size_t from = 0; from < p.data.size(); from += 4) {
    p.data[to++] = p.data[from];
    p.data[to++] = p.data[from + 1];
    p.data[to++] = p.data[from + 2];
  }
  p.data.resize(to);
  p.channels = 3;
}

ReducedImage Stripped(image::Stripped&& s, bool jpeg) {
  ReducedImage r;
  r.action = ReducedImage::Action::kStripped;
  r.bytes = std::move(s.bytes);
  r.media_type = jpeg ? "image/jpeg" : "image/png";
  r.ext = jpeg ? "jpg" : "png";
  r.removed_metadata = s.had_metadata;
  r.removed_location = s.had_location;
  return r;
}

}  // namespace

Result<ReducedImage> ReduceImage(std::string_view image, int64_t max_pixels, const std::string& what,
                                 int64_t max_decode_pixels) {
  const std::string head(image.substr(0, 16));
  const auto type = SniffImageType(head);
  const bool jpeg = type && *type == "image/jpeg";
  if (!type || (!jpeg && *type != "image/png")) return ReducedImage{};  // WebP, or not an image
  image::Stripped meta = jpeg ? image::StripJpeg(image) : image::StripPng(image);
  if (image.size() > static_cast<size_t>(INT32_MAX)) return ReducedImage{};  // stb reads int sizes

  // The declared size first, read by hand: stb's own check refuses a bomb only as
  // "cannot read", which would keep it, and this must say why it is refused.
  int64_t declared_w = 0, declared_h = 0;
  if (image::DeclaredSize(image, &declared_w, &declared_h) && declared_w > 0 && declared_h > 0 &&
      declared_w > max_decode_pixels / declared_h) {  // w * h > max, without overflowing for 2^32 sides
    return Status::InvalidArgument("file " + what + ": the image says it is " + std::to_string(declared_w) + "x" +
                                   std::to_string(declared_h) + " pixels, over the " +
                                   std::to_string(max_decode_pixels / 1000000) +
                                   " megapixels a phone can reduce safely; take it at a lower resolution. Nothing was stored");
  }
  // stb reads only what the walk above understood whole, and without its metadata:
  // a JPEG it could be hurt by (image_metadata.h, `decodable`) is kept stripped.
  if (!meta.ok) return ReducedImage{};
  if (!meta.decodable) return Stripped(std::move(meta), jpeg);
  const auto* bytes = reinterpret_cast<const stbi_uc*>(meta.bytes.data());
  const int len = static_cast<int>(meta.bytes.size());
  int w = 0, h = 0, comp = 0;
  if (stbi_info_from_memory(bytes, len, &w, &h, &comp) == 0 || w <= 0 || h <= 0 ||
      int64_t{w} * h > max_decode_pixels) {
    return Stripped(std::move(meta), jpeg);
  }
  const int orientation = jpeg ? meta.orientation : 1;
  const bool resize = max_pixels > 0 && std::max(w, h) > max_pixels;
  const int up_w = orientation >= 5 ? h : w, up_h = orientation >= 5 ? w : h;
  if (!resize && orientation == 1) {
    ReducedImage r = Stripped(std::move(meta), jpeg);
    r.width = r.out_width = w;
    r.height = r.out_height = h;
    return r;
  }

  // A PNG that may be transparent is decoded with its alpha, to see whether it is.
  const bool maybe_alpha = !jpeg && (comp == 2 || comp == 4 || meta.has_trns);
  Pixels px;
  {
    int dw = 0, dh = 0, dc = 0;
    const int want = maybe_alpha ? 4 : 3;
    std::unique_ptr<stbi_uc, void (*)(void*)> decoded(stbi_load_from_memory(bytes, len, &dw, &dh, &dc, want),
                                                     stbi_image_free);
    if (decoded == nullptr || dw != w || dh != h) return Stripped(std::move(meta), jpeg);
    px.w = w;
    px.h = h;
    px.channels = want;
    const size_t n = static_cast<size_t>(w) * static_cast<size_t>(h) * static_cast<size_t>(want);
    if (!resize) {  // turned straight from the decoder's buffer: one full-size copy, not two
      if (orientation != 1) {
        px = Upright(decoded.get(), px, orientation);
      } else {
        px.data.assign(decoded.get(), decoded.get() + n);
      }
    } else {
      // The longest side becomes max_pixels exactly; the other keeps the aspect.
      const double scale = static_cast<double>(max_pixels) / std::max(w, h);
      const int rw = w >= h ? static_cast<int>(max_pixels) : std::max(1, static_cast<int>(std::lround(w * scale)));
      const int rh = h > w ? static_cast<int>(max_pixels) : std::max(1, static_cast<int>(std::lround(h * scale)));
      px.data.resize(static_cast<size_t>(rw) * static_cast<size_t>(rh) * static_cast<size_t>(want));
      if (stbir_resize_uint8_srgb(decoded.get(), w, h, 0, px.data.data(), rw, rh, 0, want,
                                  want == 4 ? 3 : STBIR_ALPHA_CHANNEL_NONE, 0) == 0) {
        return Status::IOError("file " + what + ": not enough memory to reduce the image; nothing was stored");
      }
      px.w = rw;
      px.h = rh;
      decoded.reset();  // before the smaller copy is turned
      if (orientation != 1) px = Upright(px.data.data(), px, orientation);
    }
  }  // the full-size pixels are freed here
  const bool png = maybe_alpha && AnyTransparent(px);
  if (maybe_alpha && !png) DropAlpha(px);

  ReducedImage r;
  r.action = ReducedImage::Action::kReencoded;
  r.width = up_w;
  r.height = up_h;
  r.out_width = px.w;
  r.out_height = px.h;
  r.removed_metadata = meta.had_metadata;
  r.removed_location = meta.had_location;
  r.media_type = png ? "image/png" : "image/jpeg";
  r.ext = png ? "png" : "jpg";
  const bool ok = png ? image::EncodePng(px.data.data(), px.w, px.h, px.channels, &r.bytes)
                      : image::EncodeJpeg(px.data.data(), px.w, px.h, px.channels, kImageJpegQuality, &r.bytes);
  if (!ok || r.bytes.empty()) {
    return Status::IOError("file " + what + ": the reduced image could not be written; nothing was stored");
  }
  return r;
}

}  // namespace sotay
