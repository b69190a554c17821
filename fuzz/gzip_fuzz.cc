// gunzip (sotay/gzip.h): the server unpacks every request body a client gzipped,
// and a device every answer. Any bytes: the data or nullopt, never more than the
// limit; what Gzip packs unpacks to itself.
#include "fuzz_support.h"
#include "sotay/gzip.h"

using namespace sotay;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in = fuzz::Input(data, size);
  constexpr size_t kMax = 1 << 20;
  if (auto out = Gunzip(in, kMax)) FUZZ_CHECK(out->size() <= kMax);
  // A small limit: the bound must hold even when the stream itself is fine.
  if (auto out = Gunzip(in, 64)) FUZZ_CHECK(out->size() <= 64);

  auto packed = Gzip(in);
  FUZZ_CHECK(packed.has_value());
  auto back = Gunzip(*packed, size);
  FUZZ_CHECK(back.has_value() && *back == in);

  GzipWriter w;  // the same stream made in two parts
  FUZZ_CHECK(w.Append(in.substr(0, size / 2)));
  auto parts = w.Finish(in.substr(size / 2));
  FUZZ_CHECK(parts.has_value());
  auto back2 = Gunzip(*parts, size);
  FUZZ_CHECK(back2.has_value() && *back2 == in);
  return 0;
}
