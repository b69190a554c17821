// gzip for sync bodies (sotay/gzip.h): what goes in comes out, and a broken,
// cut or swelling stream is refused rather than half read.
#include <catch2/catch.hpp>

#include <string>

#include "sotay/gzip.h"

using namespace sotay;

TEST_CASE("gzip: a body comes back byte for byte, Vietnamese and binary alike", "[gzip]") {
  std::string body = "Nguyễn Thị Ánh, Bản Phố Mới; ";
  for (int i = 0; i < 2000; ++i) body += static_cast<char>(i * 7);
  const auto zipped = Gzip(body);
  REQUIRE(zipped);
  CHECK(zipped->compare(0, 2, "\x1f\x8b") == 0);  // a gzip stream, as Content-Encoding: gzip says
  const auto back = Gunzip(*zipped, 1 << 20);
  REQUIRE(back);
  CHECK(*back == body);
  const auto empty = Gunzip(*Gzip(""), 16);
  REQUIRE(empty);
  CHECK(empty->empty());
}

TEST_CASE("gzip: a cut, damaged, swelling or over-long stream is refused", "[gzip]") {
  const std::string body(100000, 'a');
  const std::string zipped = *Gzip(body);
  CHECK_FALSE(Gunzip(zipped.substr(0, zipped.size() / 2), 1 << 20));  // cut short
  CHECK_FALSE(Gunzip(zipped.substr(0, zipped.size() - 4), 1 << 20));  // trailer (length) missing
  std::string damaged = zipped;
  damaged[damaged.size() - 6] = static_cast<char>(damaged[damaged.size() - 6] ^ 0x55);  // the CRC no longer matches
  CHECK_FALSE(Gunzip(damaged, 1 << 20));
  CHECK_FALSE(Gunzip(zipped, body.size() - 1));  // would grow past the limit
  CHECK(Gunzip(zipped, body.size()));
  CHECK_FALSE(Gunzip(zipped + "extra", 1 << 20));  // bytes after the end
  CHECK_FALSE(Gunzip("not gzip at all", 1 << 20));
}

TEST_CASE("gzip: a stream written in parts holds the parts joined", "[gzip]") {
  std::string whole;
  GzipWriter w;
  for (int part = 0; part < 50; ++part) {
    std::string p = part % 7 == 0 ? std::string() : "phần " + std::to_string(part) + std::string(part * 997 % 5000, 'x');
    whole += p;
    REQUIRE(w.Append(p));
  }
  const auto zipped = w.Finish("cuối");
  REQUIRE(zipped);
  whole += "cuối";
  const auto back = Gunzip(*zipped, 1 << 22);
  REQUIRE(back);
  CHECK(*back == whole);
  CHECK_FALSE(w.Finish("again"));  // spent
  CHECK_FALSE(w.Append("more"));
}
