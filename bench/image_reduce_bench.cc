// image_reduce_bench: what reducing a phone photo costs on the device (issue 20,
// sotay/image_reduce.h): a W x H JPEG made here (smooth light and sensor-like noise,
// so it is about as large as a phone's), with a phone's EXIF and GPS, reduced to
// `max-pixels`. Prints the bytes before and after, the time (best of 3) and the
// process's peak memory, which is mostly the decoded full-size pixels.
//
//   image_reduce_bench [--width 4000] [--height 3000] [--max-pixels 1600]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "sotay/image_reduce.h"
#include "support/test_images.h"

using namespace sotay;

int main(int argc, char** argv) {
  int w = 4000, h = 3000;
  int64_t max_pixels = 1600;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--width") == 0) w = std::atoi(argv[i + 1]);
    else if (std::strcmp(argv[i], "--height") == 0) h = std::atoi(argv[i + 1]);
    else if (std::strcmp(argv[i], "--max-pixels") == 0) max_pixels = std::atoll(argv[i + 1]);
  }
  std::mt19937 rng(12);
  std::string photo;
  {
    auto noise = [&] { return static_cast<int>(rng() % 17) - 8; };
    auto clamp = [](int v) { return static_cast<uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v); };
    photo = testing::WithExif(testing::MakeJpeg(w, h, [&](int x, int y) {
      const int base = 60 + 120 * x / w + 60 * y / h;
      return testing::Rgb{clamp(base + noise()), clamp(base - 20 + noise()), clamp(200 - base / 2 + noise())};
    }, 92), 1);
  }
  rusage before{};
  getrusage(RUSAGE_SELF, &before);  // the made photo's pixels are counted here already
  double best = 1e9;
  ReducedImage out;
  for (int run = 0; run < 3; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    auto r = ReduceImage(photo, max_pixels, "bench.jpg");
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().message().c_str());
      return 1;
    }
    out = std::move(*r);
    if (s < best) best = s;
  }
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  std::printf("photo %dx%d: %zu bytes -> %dx%d: %zu bytes (%.1f%%), %.2f s (best of 3), peak RSS %ld MB (%ld MB before)\n", w,
              h, photo.size(), out.out_width, out.out_height, out.bytes.size(), 100.0 * static_cast<double>(out.bytes.size()) / static_cast<double>(photo.size()),
              best, after.ru_maxrss / 1024, before.ru_maxrss / 1024);
  std::printf("%s\n", ReductionText(out, static_cast<int64_t>(photo.size()), static_cast<int64_t>(out.bytes.size()), "en").c_str());
  return 0;
}
