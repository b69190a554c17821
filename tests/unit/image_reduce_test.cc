// Photos reduced on the device before they are sealed (issue 20): real JPEGs and
// PNGs made here, a phone's EXIF with orientation and GPS built by hand.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>

#include "image_metadata.h"
#include "sotay/image_reduce.h"
#include "support/test_images.h"

using namespace sotay;
using namespace sotay::testing;

namespace {

bool Near(Rgb a, Rgb b) {
  return std::abs(a.r - b.r) < 40 && std::abs(a.g - b.g) < 40 && std::abs(a.b - b.b) < 40;
}

constexpr Rgb kRed{230, 20, 20};
constexpr Rgb kBlue{20, 20, 230};

// Red in the top-left corner (a quarter of each side), blue elsewhere.
Rgb RedCorner(int x, int y, int w, int h) { return x < w / 4 && y < h / 4 ? kRed : kBlue; }

ReducedImage Reduce(const std::string& bytes, int64_t max_pixels) {
  auto r = ReduceImage(bytes, max_pixels, "IMG_0412.jpg");
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

// Half a phone's 4032x3024 and half the pack's 1600: the same ratio, and a quarter
// of the time under qemu and Wine (tests/e2e/photo_reduce_test.cc does the full size).
TEST_CASE("image reduce: a 2016x1512 photo comes out 800x600, a JPEG, without its EXIF or GPS", "[image]") {
  const std::string photo = WithExif(MakeJpeg(2016, 1512), 1);
  const ReducedImage r = Reduce(photo, 800);
  CHECK(r.action == ReducedImage::Action::kReencoded);
  CHECK(r.media_type == "image/jpeg");
  CHECK(r.ext == "jpg");
  CHECK(r.width == 2016);
  CHECK(r.height == 1512);
  CHECK(r.out_width == 800);
  CHECK(r.out_height == 600);
  CHECK(r.removed_location);
  CHECK(r.bytes.size() < photo.size() / 3);
  const Decoded d = Decode(r.bytes);
  CHECK(d.w == 800);
  CHECK(d.h == 600);
  CHECK(r.bytes.find("Exif") == std::string::npos);
  CHECK(r.bytes.find("GPS") == std::string::npos);
  CHECK(r.bytes.find("xap/1.0") == std::string::npos);
}

TEST_CASE("image reduce: a portrait photo keeps its aspect, its longest side at max-pixels", "[image]") {
  const ReducedImage r = Reduce(MakeJpeg(900, 1500), 1000);
  CHECK(r.out_width == 600);
  CHECK(r.out_height == 1000);
  const Decoded d = Decode(r.bytes);
  CHECK(d.w == 600);
  CHECK(d.h == 1000);
}

TEST_CASE("image reduce: orientation 6 is applied, so the photo is upright with its top-left corner at the top right", "[image]") {
  const int w = 400, h = 200;
  const std::string photo = WithExif(MakeJpeg(w, h, [&](int x, int y) { return RedCorner(x, y, w, h); }), 6);
  SECTION("resized as well") {
    const ReducedImage r = Reduce(photo, 100);
    CHECK(r.action == ReducedImage::Action::kReencoded);
    CHECK(r.width == 200);  // upright, as the phone showed it
    CHECK(r.height == 400);
    const Decoded d = Decode(r.bytes);
    REQUIRE(d.w == 50);
    REQUIRE(d.h == 100);
    CHECK(Near(d.At(d.w - 3, 2), kRed));  // top right
    CHECK(Near(d.At(2, 2), kBlue));       // top left
    CHECK(Near(d.At(d.w - 3, d.h - 3), kBlue));
    CHECK(r.bytes.find("Exif") == std::string::npos);
  }
  SECTION("small enough already: only turned") {
    const ReducedImage r = Reduce(photo, 1600);
    CHECK(r.action == ReducedImage::Action::kReencoded);
    const Decoded d = Decode(r.bytes);
    REQUIRE(d.w == 200);
    REQUIRE(d.h == 400);
    CHECK(Near(d.At(d.w - 5, 5), kRed));
    CHECK(Near(d.At(5, 5), kBlue));
    CHECK(r.bytes.find("GPS") == std::string::npos);
  }
}

TEST_CASE("image reduce: the other orientations put the stored top-left corner where EXIF says", "[image]") {
  const int w = 80, h = 40;
  const std::string jpeg = MakeJpeg(w, h, [&](int x, int y) { return RedCorner(x, y, w, h); });
  struct Case {
    int orientation;
    bool right, bottom;
  };
  for (const Case c : {Case{2, true, false}, Case{3, true, true}, Case{4, false, true}, Case{5, false, false},
                       Case{7, true, true}, Case{8, false, true}}) {
    INFO("orientation " << c.orientation);
    const Decoded d = Decode(Reduce(WithExif(jpeg, c.orientation), 0).bytes);
    REQUIRE(d.w == (c.orientation >= 5 ? h : w));
    CHECK(Near(d.At(c.right ? d.w - 3 : 2, c.bottom ? d.h - 3 : 2), kRed));
    CHECK(Near(d.At(c.right ? 2 : d.w - 3, c.bottom ? 2 : d.h - 3), kBlue));
  }
}

TEST_CASE("image reduce: a small upright photo is the same bytes, less its metadata", "[image]") {
  const std::string jpeg = MakeJpeg(640, 480);
  const ReducedImage r = Reduce(WithExif(jpeg, 1), 1600);
  CHECK(r.action == ReducedImage::Action::kStripped);
  CHECK(r.bytes == jpeg);  // stb writes no APPn but JFIF: what remains is the original
  CHECK(r.removed_metadata);
  CHECK(r.removed_location);
  CHECK(r.out_width == 640);

  SECTION("with nothing to remove it is the same bytes") {
    const ReducedImage same = Reduce(jpeg, 1600);
    CHECK(same.bytes == jpeg);
    CHECK_FALSE(same.removed_metadata);
    CHECK(ReductionText(same, 100, 100, "vi").empty());
  }
  SECTION("a phone's appended data after the picture goes too") {
    const ReducedImage trailed = Reduce(jpeg + "MotionPhoto_Data....ftypmp42", 1600);
    CHECK(trailed.bytes == jpeg);
  }
}

TEST_CASE("image reduce: a PNG loses its text chunks, is resized, and stays a PNG only when transparent", "[image]") {
  const std::string png = MakePng(300, 200, 3);
  // A tEXt chunk after IHDR (CRC not checked by readers that skip it; stb skips it).
  const std::string text = std::string("\0\0\0\x0D" "tEXt" "GPS\0" "21.03N 105", 21) + std::string("\0\0\0\0", 4);
  const std::string with_text = png.substr(0, 33) + text + png.substr(33);
  const ReducedImage small = Reduce(with_text, 1600);
  CHECK(small.action == ReducedImage::Action::kStripped);
  CHECK(small.bytes == png);
  CHECK(small.removed_metadata);

  const ReducedImage opaque = Reduce(MakePng(300, 200, 4), 150);
  CHECK(opaque.media_type == "image/jpeg");  // an alpha channel all opaque: a photo
  CHECK(Decode(opaque.bytes).w == 150);
  const ReducedImage clear = Reduce(MakePng(300, 200, 4, [](int x, int) { return static_cast<uint8_t>(x < 100 ? 0 : 255); }), 150);
  CHECK(clear.media_type == "image/png");
  CHECK(clear.ext == "png");
  CHECK(Decode(clear.bytes).w == 150);
  CHECK(Decode(clear.bytes).h == 100);
}

TEST_CASE("image reduce: WebP, a fake JPEG and bytes that are no image are kept as they are", "[image]") {
  std::mt19937 rng(3);
  std::string noise(40000, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  const std::string fake_jpeg = std::string("\xFF\xD8\xFF\xE0", 4) + noise;
  const std::string webp = std::string("RIFF\x10\0\0\0WEBPVP8 ", 16) + noise.substr(0, 100);
  for (const std::string& bytes : {fake_jpeg, webp, noise, std::string("%PDF-1.4 ..."), std::string()}) {
    const ReducedImage r = Reduce(bytes, 1600);
    CHECK(r.action == ReducedImage::Action::kKeptAsIs);
    CHECK(r.bytes.empty());
  }
}

TEST_CASE("image reduce: a JPEG stb 2.27 could be hurt by, or a progressive one, is stripped but never decoded", "[image]") {
  const std::string big = WithExif(MakeJpeg(400, 300), 1);
  std::string bad_tables = big, undefined_tables = big, progressive = big;
  // A Huffman table declaring 255 more codes than it holds (the fuzzer's find).
  const size_t dht = bad_tables.find("\xFF\xC4");
  REQUIRE(dht != std::string::npos);
  bad_tables[dht + 5] = '\xFF';
  // A scan whose first component names DC and AC tables 3, which no DHT defined
  // (the fuzzer's second find: stb decoded with uninitialised tables and aborted).
  const size_t sos = undefined_tables.find("\xFF\xDA");
  REQUIRE(sos != std::string::npos);
  REQUIRE(undefined_tables[sos + 6] == '\x00');
  undefined_tables[sos + 6] = '\x33';
  const size_t sof = progressive.find("\xFF\xC0");
  REQUIRE(sof != std::string::npos);
  progressive[sof + 1] = '\xC2';
  for (const std::string& jpeg : {bad_tables, undefined_tables, progressive}) {
    const ReducedImage r = Reduce(jpeg, 100);
    CHECK(r.action == ReducedImage::Action::kStripped);
    CHECK(r.out_width == 0);  // not decoded, so not reduced
    CHECK(r.removed_location);
    CHECK(r.bytes.find("Exif") == std::string::npos);
    CHECK(r.bytes.size() < jpeg.size());
  }
}

// stb decodes an undefined table's garbage into an error more often than not, so
// the walk's verdict is checked itself: that is what keeps stb from ever seeing it.
TEST_CASE("image reduce: the walk hands stb no scan that names a Huffman table defined nowhere, or only after it", "[image]") {
  const std::string jpeg = MakeJpeg(64, 48);
  CHECK(image::StripJpeg(jpeg).decodable);
  const size_t sos = jpeg.find("\xFF\xDA");
  REQUIRE(sos != std::string::npos);
  REQUIRE(jpeg[sos + 6] == '\x00');  // the first component's DC and AC tables: 0 and 0
  std::string undefined = jpeg;
  undefined[sos + 6] = '\x33';
  const image::Stripped u = image::StripJpeg(undefined);
  CHECK(u.ok);  // the structure is whole: kept, stripped, never decoded
  CHECK_FALSE(u.decodable);
  undefined[sos + 6] = '\x03';  // DC 0 is defined, AC 3 is not
  CHECK_FALSE(image::StripJpeg(undefined).decodable);

  // Tables 3 defined, but after the scan that names them.
  std::string late = undefined;
  const std::string dht_ac3 = std::string("\xFF\xC4\x00\x14\x13\x01", 6) + std::string(15, '\0') + std::string(1, '\x07');
  const std::string dht_dc3 = std::string("\xFF\xC4\x00\x14\x03\x01", 6) + std::string(15, '\0') + std::string(1, '\x07');
  late.insert(late.size() - 2, dht_ac3);  // before EOI
  CHECK_FALSE(image::StripJpeg(late).decodable);
  std::string early = undefined;
  early.insert(sos, dht_ac3);
  CHECK(image::StripJpeg(early).decodable);
  early[early.find("\xFF\xDA") + 6] = '\x33';
  CHECK_FALSE(image::StripJpeg(early).decodable);
  early.insert(early.find("\xFF\xDA"), dht_dc3);
  CHECK(image::StripJpeg(early).decodable);
}

TEST_CASE("image reduce: a declared 50000x50000 image is refused before it is decoded", "[image]") {
  // A PNG's IHDR (readers check the declared size first) and nothing to decode.
  const std::string png = std::string("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR\0\0\xC3\x50\0\0\xC3\x50\x08\x02\0\0\0", 29) +
                          std::string("\0\0\0\0", 4) + std::string("\0\0\0\0IEND\xAE\x42\x60\x82", 12);
  // A JPEG whose frame header says the same.
  const std::string sof = std::string("\x08\xC3\x50\xC3\x50\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 15);
  const std::string jpeg = std::string("\xFF\xD8", 2) + Segment(0xC0, sof) + std::string("\xFF\xD9", 2);
  for (const std::string& bomb : {png, jpeg}) {
    auto r = ReduceImage(bomb, 1600, "bom.png");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Status::Code::kInvalidArgument);
    CHECK_THAT(r.status().message(), Catch::Contains("file bom.png") && Catch::Contains("50000x50000") &&
                                         Catch::Contains("100 megapixels"));
  }
}

TEST_CASE("image reduce: the worker's line says what was done, in Vietnamese and English", "[image]") {
  ReducedImage r;
  r.action = ReducedImage::Action::kReencoded;
  r.width = 4032;
  r.height = 3024;
  r.out_width = 1600;
  r.out_height = 1200;
  r.removed_metadata = r.removed_location = true;
  CHECK(ReductionText(r, 3250586, 246784, "vi") ==
        "Ảnh đã thu nhỏ từ 4032×3024 xuống 1600×1200 (3,1 MB → 241 KB), đã bỏ vị trí GPS.");
  CHECK(ReductionText(r, 3250586, 246784, "en") ==
        "Photo reduced from 4032×3024 to 1600×1200 (3.1 MB → 241 KB), its GPS position removed.");
}
