// Photo reduction (sotay/image_reduce.h): the core decodes every JPEG and PNG a
// worker attaches (stb_image, from Debian's libstb-dev). Any bytes: an answer or a
// clear refusal, never a crash; and what it stores is already reduced, so reducing
// it again changes nothing (no metadata, upright, within the bound).
#include "fuzz_support.h"
#include "sotay/image_reduce.h"

using namespace sotay;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in = fuzz::Input(data, size);
  // A quarter megapixel at most: the bound works the same, and runs stay fast. (At
  // one, a 64791x12 JPEG took 13 s to resize under the sanitizers on a loaded
  // machine; 0.2 s in a release build.)
  constexpr int64_t kDecode = 1 << 18;
  constexpr int64_t kSide = 48;
  auto r = ReduceImage(in, kSide, "seed.jpg", kDecode);
  if (!r.ok()) {
    FUZZ_CHECK(r.status().code() == Status::Code::kInvalidArgument || r.status().code() == Status::Code::kIOError);
    return 0;
  }
  if (r->action == ReducedImage::Action::kKeptAsIs) {
    FUZZ_CHECK(r->bytes.empty());
    return 0;
  }
  FUZZ_CHECK(!r->bytes.empty());
  FUZZ_CHECK(r->ext == "jpg" || r->ext == "png");
  if (r->action == ReducedImage::Action::kReencoded) {
    FUZZ_CHECK(r->out_width > 0 && r->out_height > 0 && r->out_width <= kSide && r->out_height <= kSide);
  } else {
    FUZZ_CHECK(r->bytes.size() <= size + 2);  // a lossless strip only removes (EOI may be added)
  }
  auto again = ReduceImage(r->bytes, kSide, "seed.jpg", kDecode);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->action != ReducedImage::Action::kReencoded || r->action == ReducedImage::Action::kStripped);
  if (again->action == ReducedImage::Action::kStripped) FUZZ_CHECK(!again->removed_metadata && again->bytes == r->bytes);
  return 0;
}
