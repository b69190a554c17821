// stb_image_write compiled once, static, to memory only (image_encode.h).
#include "image_encode.h"

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#endif
#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb_image_write.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace sotay::image {

namespace {

void Append(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size));
}

}  // namespace

bool EncodeJpeg(const unsigned char* pixels, int w, int h, int channels, int quality, std::string* out) {
  return stbi_write_jpg_to_func(Append, out, w, h, channels, pixels, quality) != 0;
}

bool EncodePng(const unsigned char* pixels, int w, int h, int channels, std::string* out) {
  return stbi_write_png_to_func(Append, out, w, h, channels, pixels, w * channels) != 0;
}

}  // namespace sotay::image
