// zstd with the pack's dictionary (sotay/zstd.h): what goes in comes out, with or
// without the dictionary, and a broken, cut, swelling or foreign frame is refused
// with a reason rather than half read.
#include <catch2/catch.hpp>

#include <zstd.h>

#include <random>
#include <string>

#include "sotay/wire.h"
#include "sotay/zstd.h"

using namespace sotay;

namespace {

// A push of one new child, as a device sends it.
std::string OneChildRequest() {
  SyncRequest r;
  const std::string id = "3f2a9c1e-0b7d-4e21-9a55-7c0d1e2f3a4b";
  uint64_t counter = 0;
  for (const auto& [field, value] : std::vector<std::pair<std::string, std::string>>{
           {"_form", "child_profile"}, {"_version", "3"}, {"_area", "01234"}, {"full_name", "Vàng Thị Dợ"},
           {"sex", "female"}, {"dob", "2016-04-02"}, {"ethnicity", "mong"}, {"living_with", "relatives"},
           {"household_poverty", "poor"}, {"in_school", "yes"}, {"school_level", "primary"},
           {"notes", "Bố mẹ đi làm ăn xa, trẻ ở với ông bà."}}) {
    ++counter;
    r.push.push_back(Edit{{"a572a117a754297e", counter}, id, field, value,
                          {1795000000000 + static_cast<int64_t>(counter), 0, "a572a117a754297e"}, {}, ""});
  }
  r.forms = {"child_profile@3"};
  r.reads_sets = true;
  return EncodeSyncRequest(r);
}

}  // namespace

TEST_CASE("zstd: a body comes back byte for byte, with the dictionary and without", "[zstd]") {
  std::string body = OneChildRequest();
  for (int i = 0; i < 3000; ++i) body += static_cast<char>(i * 7);
  for (bool with_dictionary : {true, false}) {
    const auto packed = Zstd(body, with_dictionary);
    REQUIRE(packed);
    CHECK(LooksLikeZstd(*packed));
    CHECK(ZSTD_getDictID_fromFrame(packed->data(), packed->size()) == (with_dictionary ? SyncDictionaryId() : 0u));
    const auto back = Unzstd(*packed, 1 << 20);
    REQUIRE(back.ok());
    CHECK(*back == body);
  }
  const auto empty = Unzstd(*Zstd("", true), 16);
  REQUIRE(empty.ok());
  CHECK(empty->empty());
  CHECK(SyncDictionaryId() != 0);  // a trained dictionary is built in, not raw bytes
}

TEST_CASE("zstd: a frame made a piece at a time unpacks to the pieces, with the dictionary", "[zstd]") {
  // A sync request's edits are packed while the request before it is out, its tail
  // once the answer is in (sync_run.cc): the frame must read as the whole body.
  std::string head;
  while (head.size() < 300 * 1024) head += OneChildRequest();  // over two of zstd's 128 KiB blocks
  const std::string tail = "the tail, with the cursor";
  ZstdWriter writer;
  REQUIRE(writer.Append(head));
  REQUIRE(writer.Append(""));
  const auto packed = writer.Finish(tail);
  REQUIRE(packed);
  CHECK(ZSTD_getDictID_fromFrame(packed->data(), packed->size()) == SyncDictionaryId());
  const auto back = Unzstd(*packed, 1 << 20);
  REQUIRE(back.ok());
  CHECK(*back == head + tail);
  CHECK(packed->size() * 20 < back->size());  // packed, not stored: the same child over and over

  ZstdWriter nothing;  // a body of nothing but its tail, and of nothing at all
  const auto only_tail = Unzstd(*nothing.Finish(tail), 1 << 10);
  REQUIRE(only_tail.ok());
  CHECK(*only_tail == tail);
  const auto none = Unzstd(*ZstdWriter().Finish(), 16);
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("zstd: the pack's dictionary makes a small push much smaller", "[zstd]") {
  const std::string body = OneChildRequest();
  const size_t plain = Zstd(body, false)->size();
  const size_t with_dictionary = Zstd(body, true)->size();
  INFO("without " << plain << " bytes, with " << with_dictionary);
  CHECK(with_dictionary * 10 < plain * 8);  // at least a fifth saved on one child alone
}

TEST_CASE("zstd: a cut, damaged, swelling, foreign or over-long frame is refused", "[zstd]") {
  const std::string body(200000, 'a');
  const std::string packed = *Zstd(body, true);
  auto refused = [](const Result<std::string>& r, const std::string& why) {
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find(why) != std::string::npos);
  };
  std::string varied;  // random: several blocks, so half a frame ends inside one
  std::mt19937 rng(16);
  for (int i = 0; i < 300000; ++i) varied += static_cast<char>(rng() & 0xff);
  const std::string long_frame = *Zstd(varied, true);
  refused(Unzstd(long_frame.substr(0, long_frame.size() / 2), 1 << 20), "cut short");
  refused(Unzstd(packed + "extra", 1 << 20), "followed by other bytes");
  refused(Unzstd("not zstd at all", 1 << 20), "not a zstd frame");
  std::string damaged = packed;
  damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x55);
  CHECK_FALSE(Unzstd(damaged, 1 << 20).ok());
  // A bomb: 200 KB from a few dozen bytes, refused at the limit, with the limit named.
  const auto bomb = Unzstd(packed, body.size() - 1);
  REQUIRE_FALSE(bomb.ok());
  CHECK(bomb.status().code() == Status::Code::kFailedPrecondition);
  CHECK(bomb.status().message().find("over the limit of 199999 bytes") != std::string::npos);
  CHECK(Unzstd(packed, body.size()).ok());
  // A frame made with another dictionary: named, not guessed at.
  std::string foreign = packed;
  // Put another dictionary id in the frame header (the 4 bytes after the descriptor).
  const unsigned char descriptor = static_cast<unsigned char>(foreign[4]);
  REQUIRE((descriptor & 3) == 3);  // zstd writes the dictionary id in 4 bytes
  const size_t at = 5 + ((descriptor & 0x20) ? 0 : 1);
  foreign[at] = static_cast<char>(foreign[at] ^ 0x01);
  refused(Unzstd(foreign, 1 << 20), "needs dictionary");
}
