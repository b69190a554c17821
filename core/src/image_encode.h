// Writing pixels as a JPEG or a PNG (stb_image_write), for the photo reduction
// (sotay/image_reduce.h). Its own file, apart from our own checks of outside
// input (image_metadata.cc), since the sanitizer builds excuse stb's shifts
// (core/CMakeLists.txt says why).
#pragma once

#include <string>

namespace sotay::image {

// Appends the encoded image to `out`; false when stb fails (out of memory).
bool EncodeJpeg(const unsigned char* pixels, int w, int h, int channels, int quality, std::string* out);
bool EncodePng(const unsigned char* pixels, int w, int h, int channels, std::string* out);

}  // namespace sotay::image
