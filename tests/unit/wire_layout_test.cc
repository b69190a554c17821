// The compact edit layout of the wire (layout 2, "E"): decoding gives back exactly
// the edits encoded (dot, record, field, value, stamp, base, author), for children
// saved through a real notebook and for edits no notebook makes (stamps far apart and
// at the bounds, full counters, many devices, bases, empty values); it is smaller than
// layout 1; and bytes that lie about it are refused with a reason.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <random>

#include "sotay/codec.h"
#include "sotay/gzip.h"
#include "sotay/notebook.h"
#include "sotay/wire.h"
#include "support/child_answers.h"
#include "support/realistic_child.h"
#include "support/temp_dir.h"

using namespace sotay;
using sotay::testing::TempDir;

namespace {

// Every part of every edit, so a difference in any names the edit and the part.
void CheckSame(const std::vector<Edit>& want, const std::vector<Edit>& got) {
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    INFO("edit " << i << " " << want[i].dot.ToString());
    CHECK(got[i].dot == want[i].dot);
    CHECK(got[i].record == want[i].record);
    CHECK(got[i].field == want[i].field);
    CHECK(got[i].value == want[i].value);
    CHECK(got[i].hlc.ms == want[i].hlc.ms);
    CHECK(got[i].hlc.counter == want[i].hlc.counter);
    CHECK(got[i].hlc.device == want[i].hlc.device);
    CHECK(got[i].base == want[i].base);
    CHECK(got[i].author == want[i].author);
  }
}

std::vector<Edit> PushedBack(const std::vector<Edit>& edits, uint32_t layout) {
  SyncRequest r;
  r.push = edits;
  r.push_layout = layout;
  r.reads_layout = kWireLayout;
  r.communes_tag = "";
  auto back = DecodeSyncRequest(EncodeSyncRequest(r));
  REQUIRE(back.ok());
  CHECK(back->push_layout == layout);
  CHECK(back->reads_layout == kWireLayout);
  return back->push;
}

std::vector<Edit> PulledBack(const std::vector<Edit>& edits, uint32_t layout) {
  SyncResponse r;
  r.accepted = {{"a572a117a754297e", 3}};  // shares "D" with the pulled edits
  r.pull = edits;
  r.pull_layout = layout;
  r.reads_layout = kWireLayout;
  r.cursor = 9;
  auto back = DecodeSyncResponse(EncodeSyncResponse(r));
  REQUIRE(back.ok());
  CHECK(back->pull_layout == (edits.empty() ? 1 : layout));
  CHECK(back->reads_layout == kWireLayout);
  REQUIRE(back->accepted.size() == 1);
  CHECK(back->accepted[0] == Dot{"a572a117a754297e", 3});
  return back->pull;
}

std::vector<Edit> SavedChildren(int n) {
  TempDir dir;
  NotebookOptions o;
  o.kdf = KdfLimits::Fast();
  auto nb = Notebook::Create(dir.File("device.db"), "mật khẩu đủ dài", o);
  REQUIRE(nb.ok());
  REQUIRE((*nb)->SetProfile("01234", "w-17").ok());
  REQUIRE((*nb)->InstallForm(sotay::testing::ReadText(std::string(SOTAY_SCHEMAS_DIR) + "/child_profile.json"),
                             "child_profile.json")
              .ok());
  for (int i = 0; i < n; ++i) {
    auto made = (*nb)->CreateRecord("child_profile", sotay::testing::RealisticChild(i), "", "vi");
    REQUIRE(made.ok());
    REQUIRE(made->ok());
  }
  auto slice = (*nb)->OutboxAfter("", 1u << 20);
  REQUIRE(slice.ok());
  return slice->edits;
}

std::string RandomId(std::mt19937_64& rng) {
  static const char* hex = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 36; ++i) id += (i == 8 || i == 13 || i == 18 || i == 23) ? '-' : hex[rng() % 16];
  return id;
}

// Edits no single save makes: many devices interleaved, stamps anywhere within
// kMaxStampMs (both bounds), counters up to the full uint64 and uint32, bases on
// several devices, empty values and authors, a record's edits in several runs.
std::vector<Edit> Wild(std::mt19937_64& rng, size_t n) {
  std::vector<std::string> devices, records, authors = {"", "w-1", "huyện-2"};
  for (int i = 0; i < 7; ++i) devices.push_back("dev" + std::to_string(1000000000000 + i));
  for (int i = 0; i < 5; ++i) records.push_back(RandomId(rng));
  records.push_back("not-a-uuid");
  auto pick = [&](const auto& v) { return v[rng() % std::size(v)]; };
  const int64_t stamps[] = {0, 1, -1, kMaxStampMs, -kMaxStampMs, 1795000000000, 1795000000001, 1795000000000 - 86400000};
  const uint64_t counters[] = {1, 2, UINT64_MAX, UINT64_MAX - 1, 1ULL << 32, 4294967295ULL};
  std::vector<Edit> out;
  for (size_t i = 0; i < n; ++i) {
    Edit e;
    e.dot.device = pick(devices);
    e.dot.counter = rng() % 3 ? 1 + rng() % 100 : pick(counters);
    e.record = pick(records);
    e.field = rng() % 4 ? "f" + std::to_string(rng() % 40) : "_status";
    e.value = rng() % 3 ? std::string(rng() % 30, 'x') + "ạ" : "";
    e.hlc.ms = rng() % 2 ? pick(stamps) : 1795000000000 + static_cast<int64_t>(rng() % 100000) - 50000;
    e.hlc.counter = rng() % 2 ? 0 : static_cast<uint32_t>(rng() % 5 ? rng() % 10 : UINT32_MAX - rng() % 2);
    e.hlc.device = e.dot.device;
    for (uint64_t b = rng() % 4 == 0 ? 1 + rng() % 3 : 0; b > 0; --b) e.base.push_back(Dot{pick(devices), pick(counters)});
    e.author = pick(authors);
    out.push_back(std::move(e));
    // Now and then a run as a device saves it: the same stamp's next counter.
    if (rng() % 3 == 0 && out.back().dot.counter < UINT64_MAX) {
      Edit next = out.back();
      ++next.dot.counter;
      next.field += "b";
      if (next.hlc.counter < UINT32_MAX) ++next.hlc.counter;
      out.push_back(std::move(next));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("wire layout 2: saved children come back edit for edit, pushed and pulled", "[wire][layout]") {
  std::vector<Edit> edits = SavedChildren(40);
  REQUIRE(edits.size() > 40 * 15);
  CheckSame(edits, PushedBack(edits, 2));
  for (Edit& e : edits) e.author = "w-17";  // as the server stores them
  CheckSame(edits, PulledBack(edits, 2));
  // Layout 1 still reads the same, for old servers and devices.
  CheckSame(edits, PulledBack(edits, 1));
}

TEST_CASE("wire layout 2: edits at the edges of every part come back exactly", "[wire][layout]") {
  std::mt19937_64 rng(16);
  for (int round = 0; round < 200; ++round) {
    INFO("round " << round);
    const std::vector<Edit> edits = Wild(rng, 1 + rng() % 40);
    CheckSame(edits, PushedBack(edits, 2));
    CheckSame(edits, PulledBack(edits, 2));
  }
  CheckSame({}, PushedBack({}, 2));
  CheckSame({}, PulledBack({}, 2));
}

TEST_CASE("wire layout 2: a new child's edits cost under 60 per cent of layout 1, packed", "[wire][layout]") {
  const std::vector<Edit> edits = SavedChildren(20);
  auto size = [&](uint32_t layout) {
    SyncRequest r;
    r.push = edits;
    r.push_layout = layout;
    auto packed = Gzip(EncodeSyncRequest(r));
    REQUIRE(packed);
    return packed->size();
  };
  // Packed, what is left is mostly the values and the record ids: the clocks, which
  // no compressor could predict in layout 1, are a flag byte of 0 an edit.
  CHECK(size(2) * 5 < size(1) * 3);  // 20 realistic children, gzip: about half
}

TEST_CASE("wire layout 2: bytes that lie about the edits are refused with a reason", "[wire][layout]") {
  std::mt19937_64 rng(7);
  SyncRequest r;
  r.push = Wild(rng, 30);
  r.push_layout = 2;
  const std::string good = EncodeSyncRequest(r);
  // Every truncation and every single-byte change: refused or read, never a crash.
  for (size_t cut = 0; cut < good.size(); ++cut) CHECK_FALSE(DecodeSyncRequest(good.substr(0, cut)).ok());
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    (void)DecodeSyncRequest(bad);
  }
  // A request with both layouts' edits is ambiguous: "e": [] added to the map.
  std::string both = good;
  REQUIRE(static_cast<unsigned char>(both[0]) < 0xb7);  // a map of fewer than 23 keys, its count in the first byte
  both[0] = static_cast<char>(both[0] + 1);
  both += std::string("\x61" "e" "\x80");
  auto refused = DecodeSyncRequest(both);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().message().find("both as 'e' and as 'E'") != std::string::npos);
}

TEST_CASE("wire layout 2: a push's acknowledgements travel as runs of counters, a few bytes for thousands",
          "[wire][layout]") {
  // What a phone hears back after pushing 3,000 edits: its own counters one after
  // another, and three of another device's it passed on, in no particular order.
  std::vector<Dot> dots;
  for (uint64_t c = 100; c < 3100; ++c) dots.push_back(Dot{"a572a117a754297e", c});
  for (uint64_t c : {7, 9, 10}) dots.push_back(Dot{"0b1c2d3e4f506172", c});
  std::shuffle(dots.begin(), dots.end(), std::mt19937(16));
  auto sorted = [](std::vector<Dot> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  SyncResponse r;
  r.accepted = dots;
  r.cursor = 4;
  r.pull_layout = kWireLayout;  // the device said it reads layout 2
  const std::string runs = EncodeSyncResponse(r);
  auto back = DecodeSyncResponse(runs);
  REQUIRE(back.ok());
  CHECK(sorted(back->accepted) == sorted(dots));
  r.pull_layout = 1;  // a device from before layout 2: one pair a dot, as before
  const std::string pairs = EncodeSyncResponse(r);
  back = DecodeSyncResponse(pairs);
  REQUIRE(back.ok());
  CHECK(sorted(back->accepted) == sorted(dots));
  INFO("runs " << runs.size() << " B, pairs " << pairs.size() << " B");
  CHECK(runs.size() < 120);             // the two devices' ids, then four runs
  CHECK(pairs.size() > 3000 * 3);       // at least a byte for the device and two for the counter
}
