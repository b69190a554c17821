// Writing pixels as a JPEG or a PNG (stb_image_write), for the photo reduction
// (sotay/image_reduce.h). Its own file so that the sanitizer builds can excuse the
// writer's one known idiom (a left shift of its negative bit buffer, well defined
// on every compiler we use) without excusing anything in the decoder, which reads
// outside input.
#pragma once

#include <string>

namespace sotay::image {

// Appends the encoded image to `out`; false when stb fails (out of memory).
bool EncodeJpeg(const unsigned char* pixels, int w, int h, int channels, int quality, std::string* out);
bool EncodePng(const unsigned char* pixels, int w, int h, int channels, std::string* out);

}  // namespace sotay::image
