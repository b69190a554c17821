// unzstd (sotay/zstd.h): the server unpacks every zstd request body, a device every
// zstd answer. Any bytes: the data or a refusal, never more than the limit; what
// Zstd packs, with the dictionary or without, unpacks to itself.
#include "fuzz_support.h"
#include "sotay/zstd.h"

using namespace sotay;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in = fuzz::Input(data, size);
  constexpr size_t kMax = 1 << 20;
  if (auto out = Unzstd(in, kMax); out.ok()) FUZZ_CHECK(out->size() <= kMax);
  // A small limit: the bound must hold even when the frame itself is fine.
  if (auto out = Unzstd(in, 64); out.ok()) FUZZ_CHECK(out->size() <= 64);

  for (bool with_dictionary : {true, false}) {
    auto packed = Zstd(in, with_dictionary);
    FUZZ_CHECK(packed.has_value());
    auto back = Unzstd(*packed, size);
    FUZZ_CHECK(back.ok() && *back == in);
  }
  return 0;
}
