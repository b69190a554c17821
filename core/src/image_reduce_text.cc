// The line that tells the worker what happened to a photo (sotay/image_reduce.h).
#include <cstdio>

#include "sotay/image_reduce.h"
#include "sotay/lang.h"

namespace sotay {

namespace {

// "3,1 MB" / "3.1 MB", "241 KB", "800 bytes": the decimal mark of the language.
std::string Size(int64_t n, bool english) {
  char buf[32];
  if (n >= 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / (1024.0 * 1024.0));
    std::string s = buf;
    if (!english) {
      for (char& c : s) c = c == '.' ? ',' : c;
    }
    return s;
  }
  if (n >= 1024) {
    std::snprintf(buf, sizeof buf, "%lld KB", static_cast<long long>((n + 512) / 1024));
    return buf;
  }
  return std::to_string(n) + (english ? " bytes" : " byte");
}

std::string Dims(int w, int h) { return std::to_string(w) + "×" + std::to_string(h); }

}  // namespace

std::string ReductionText(const ReducedImage& r, int64_t before, int64_t after, std::string_view lang) {
  const bool en = IsEnglish(lang);
  std::string what;
  if (r.action == ReducedImage::Action::kReencoded) {
    const bool smaller = r.out_width != r.width || r.out_height != r.height;
    what = smaller ? Pick(lang, "Ảnh đã thu nhỏ từ " + Dims(r.width, r.height) + " xuống " + Dims(r.out_width, r.out_height),
                          "Photo reduced from " + Dims(r.width, r.height) + " to " + Dims(r.out_width, r.out_height))
                   : Pick(lang, std::string("Ảnh đã được xoay cho thẳng"), std::string("Photo turned upright"));
    what += " (" + Size(before, en) + " → " + Size(after, en) + ")";
  } else if (r.action == ReducedImage::Action::kStripped && r.removed_metadata) {
    what = Pick(lang, "Ảnh giữ nguyên kích thước", "Photo kept at its size");
  } else {
    return "";
  }
  if (r.removed_location) {
    what += Pick(lang, ", đã bỏ vị trí GPS", ", its GPS position removed");
  } else if (r.removed_metadata) {
    what += Pick(lang, ", đã bỏ thông tin EXIF", ", its EXIF data removed");
  }
  return what + ".";
}

}  // namespace sotay
