// Real JPEG and PNG images made in the test (the core's stb_image_write, whose
// one sanitizer excuse stays in core/src/image_encode.cc), and read back
// (stb_image), so no binary fixture is committed: a phone photo's EXIF block with
// an orientation and a GPS directory is built by hand and put where a camera puts it.
// Include from one .cc per program: stb_image's functions are compiled static here.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "image_encode.h"

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#endif
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#include <stb_image.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace sotay::testing {

struct Rgb {
  uint8_t r, g, b;
};

// A w x h picture whose pixel (x, y) is `at(x, y)`.
inline std::string Rgbs(int w, int h, const std::function<Rgb(int, int)>& at) {
  std::string px(static_cast<size_t>(w) * static_cast<size_t>(h) * 3, '\0');
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const Rgb c = at(x, y);
      const size_t i = (static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)) * 3;
      px[i] = static_cast<char>(c.r);
      px[i + 1] = static_cast<char>(c.g);
      px[i + 2] = static_cast<char>(c.b);
    }
  }
  return px;
}

// A gradient with some texture, so the JPEG is photo-like in size.
inline Rgb Scene(int x, int y) {
  return Rgb{static_cast<uint8_t>(x * 7 + y), static_cast<uint8_t>(y * 5 + ((x * y) % 31)), static_cast<uint8_t>((x ^ y) & 0xFF)};
}

inline std::string MakeJpeg(int w, int h, const std::function<Rgb(int, int)>& at = Scene, int quality = 92) {
  const std::string px = Rgbs(w, h, at);
  std::string out;
  image::EncodeJpeg(reinterpret_cast<const unsigned char*>(px.data()), w, h, 3, quality, &out);
  return out;
}

// `channels` 3 or 4; with 4, `alpha(x, y)` gives each pixel's alpha.
inline std::string MakePng(int w, int h, int channels, const std::function<uint8_t(int, int)>& alpha = nullptr) {
  std::string px(static_cast<size_t>(w) * static_cast<size_t>(h) * static_cast<size_t>(channels), '\0');
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const Rgb c = Scene(x, y);
      const size_t i = (static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)) * static_cast<size_t>(channels);
      px[i] = static_cast<char>(c.r);
      px[i + 1] = static_cast<char>(c.g);
      px[i + 2] = static_cast<char>(c.b);
      if (channels == 4) px[i + 3] = static_cast<char>(alpha ? alpha(x, y) : 255);
    }
  }
  std::string out;
  image::EncodePng(reinterpret_cast<const unsigned char*>(px.data()), w, h, channels, &out);
  return out;
}

// A JPEG segment: marker, big-endian length, payload.
inline std::string Segment(uint8_t marker, const std::string& payload) {
  const size_t len = payload.size() + 2;
  return std::string("\xFF", 1) + static_cast<char>(marker) + static_cast<char>(len >> 8) + static_cast<char>(len & 0xFF) + payload;
}

// An EXIF APP1 as a phone writes it (little-endian TIFF): IFD0 with the orientation
// and a pointer to a GPS directory holding a latitude reference and a latitude.
inline std::string ExifApp1(int orientation) {
  std::string t("II*\0\x08\0\0\0", 8);
  auto u16 = [&](uint32_t v) { t += static_cast<char>(v & 0xFF); t += static_cast<char>((v >> 8) & 0xFF); };
  auto u32 = [&](uint32_t v) { u16(v & 0xFFFF); u16(v >> 16); };
  u16(2);                                        // IFD0: two entries
  u16(0x0112); u16(3); u32(1); u16(static_cast<uint32_t>(orientation)); u16(0);  // Orientation, SHORT
  u16(0x8825); u16(4); u32(1); u32(8 + 2 + 24 + 4);                              // GPS IFD pointer, LONG
  u32(0);                                        // no next IFD
  u16(2);                                        // GPS IFD: two entries
  u16(0x0001); u16(2); u32(2); t += std::string("N\0\0\0", 4);                  // GPSLatitudeRef "N"
  u16(0x0002); u16(5); u32(3); u32(8 + 2 + 24 + 4 + 2 + 24 + 4);                // GPSLatitude, 3 RATIONAL
  u32(0);
  u32(21); u32(1); u32(2); u32(1); u32(3); u32(1);  // 21° 2' 3"
  return Segment(0xE1, std::string("Exif\0\0", 6) + t);
}

// A phone's photo: the JPEG with its EXIF (and an XMP block and a comment naming
// the place) right after SOI, where cameras put them.
inline std::string WithExif(const std::string& jpeg, int orientation) {
  const std::string xmp = Segment(0xE1, std::string("http://ns.adobe.com/xap/1.0/\0", 29) +
                                            "<x:xmpmeta><exif:GPSLatitude>21,2.05N</exif:GPSLatitude></x:xmpmeta>");
  const std::string comment = Segment(0xFE, "GPS 21.0342N 105.8412E");
  return jpeg.substr(0, 2) + ExifApp1(orientation) + xmp + comment + jpeg.substr(2);
}

struct Decoded {
  int w = 0, h = 0;
  std::string rgb;
  Rgb At(int x, int y) const {
    const size_t i = (static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(x)) * 3;
    return Rgb{static_cast<uint8_t>(rgb[i]), static_cast<uint8_t>(rgb[i + 1]), static_cast<uint8_t>(rgb[i + 2])};
  }
};

// The image's pixels as RGB; w == 0 when it does not decode.
inline Decoded Decode(const std::string& bytes) {
  Decoded d;
  int c = 0;
  stbi_uc* px = stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), static_cast<int>(bytes.size()), &d.w,
                                      &d.h, &c, 3);
  if (px == nullptr) return Decoded{};
  d.rgb.assign(reinterpret_cast<const char*>(px), static_cast<size_t>(d.w) * static_cast<size_t>(d.h) * 3);
  stbi_image_free(px);
  return d;
}

}  // namespace sotay::testing
