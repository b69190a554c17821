// LinkEstimate and SyncRetry (sotay/link_estimate.h, sotay/sync_retry.h): the sizes
// and waits the sync loop takes from a measured link, with the link's numbers given
// (no network, no clock).
#include <catch2/catch.hpp>

#include "sotay/link_estimate.h"
#include "sotay/sync_retry.h"

using namespace sotay;

namespace {

// An exchange of `up` and `down` wire bytes over a link of `rate` bytes/s and `rtt_ms`.
LinkSample Over(double rate, int64_t rtt_ms, size_t up, size_t down, size_t edits) {
  LinkSample s;
  s.up_bytes = up;
  s.down_bytes = down;
  s.down_decoded = down * 4;
  s.edits_up = edits;
  s.ms = rtt_ms + static_cast<int64_t>(static_cast<double>(up + down) * 1000.0 / rate);
  return s;
}

// Pushes over the link until the size settles, as the sync loop does: each request
// the size the estimate gives, at 8 wire bytes an edit.
std::vector<size_t> PushSizes(LinkEstimate& e, double rate, int64_t rtt_ms, int exchanges) {
  std::vector<size_t> sizes;
  size_t size = e.PushEdits(0, 5000);
  for (int i = 0; i < exchanges; ++i) {
    sizes.push_back(size);
    e.Observe(Over(rate, rtt_ms, size * 8, 200, size));
    size = e.PushEdits(size, 5000);
  }
  return sizes;
}

}  // namespace

TEST_CASE("link estimate: pushes grow on a good link up to the server's limit and stay small on 2G", "[sync][link]") {
  LinkEstimate good;
  const auto fast = PushSizes(good, 500000, 50, 6);
  CHECK(fast.front() == LinkEstimate::kFirstPushEdits);
  CHECK(fast[1] == 4 * fast[0]);  // at most four times per exchange
  CHECK(fast.back() == 5000);

  LinkEstimate slow;
  const auto two_g = PushSizes(slow, 2000, 600, 8);  // 16 kbit/s, 300 ms each way
  // An exchange of the settled size takes a few seconds: well within twenty of signal.
  const LinkSample settled = Over(2000, 600, two_g.back() * 8, 200, two_g.back());
  CHECK(settled.ms >= 2000);
  CHECK(settled.ms <= 6000);
  CHECK(two_g.back() < 1000);
}

TEST_CASE("link estimate: a link that slows down shrinks the next requests and pages", "[sync][link]") {
  LinkEstimate e;
  PushSizes(e, 100000, 100, 5);
  const size_t big = e.PushEdits(5000, 5000);
  const size_t page = e.PageBytes();
  for (int i = 0; i < 3; ++i) e.Observe(Over(2000, 600, 4000, 4000, 500));
  CHECK(e.PushEdits(big, 5000) < big / 4);
  CHECK(e.PageBytes() < page / 4);
  CHECK(e.PushEdits(big, 5000) >= LinkEstimate::kSmallestPushEdits);
  CHECK(e.PageBytes() >= LinkEstimate::kSmallestPageBytes);
}

TEST_CASE("link estimate: the page asked for is the window's wire bytes times how well pages compress",
          "[sync][link]") {
  LinkEstimate e;
  LinkSample s;
  s.up_bytes = 1000;
  s.down_bytes = 15000;
  s.down_decoded = 60000;
  s.ms = 2000;  // 8,000 B/s
  e.Observe(s);
  CHECK(e.PageWireBytes() == 32000);  // four seconds at 8,000 B/s
  CHECK(e.PageBytes() == 128000);     // four times that, as encoded
}

TEST_CASE("link estimate: a stall is declared from the expected time, not after a minute", "[sync][link]") {
  LinkEstimate e;
  CHECK(e.StallTimeoutMs(10000) == LinkEstimate::kStallUnmeasuredMs);  // nothing measured yet
  e.Observe(Over(8000, 600, 8000, 16000, 1000));
  // A 24 KB exchange at 8 KB/s takes about 3.6 s: nothing moving for three times that is a stall.
  const int64_t t = e.StallTimeoutMs(24000);
  CHECK(t < 20000);
  CHECK(t >= LinkEstimate::kStallFloorMs);
  CHECK(e.StallTimeoutMs(100) == LinkEstimate::kStallFloorMs);  // a tiny exchange still gets the floor
  CHECK(e.StallTimeoutMs(100u << 20) == LinkEstimate::kStallCeilingMs);
}

TEST_CASE("link estimate: what a run measured comes back in the next run, and damaged memory starts afresh",
          "[sync][link]") {
  LinkEstimate e;
  PushSizes(e, 3000, 600, 6);
  e.set_push_edits(e.PushEdits(400, 5000));
  const LinkEstimate back = LinkEstimate::Decode(e.Encode());
  CHECK(back.measured());
  CHECK(back.bytes_per_s() == Approx(e.bytes_per_s()).epsilon(0.01));
  CHECK(back.round_trip_ms() == e.round_trip_ms());
  CHECK(back.push_edits() == e.push_edits());
  CHECK(back.PushEdits(back.push_edits(), 5000) == e.PushEdits(e.push_edits(), 5000));
  CHECK(back.PageBytes() == Approx(e.PageBytes()).epsilon(0.01));

  for (const char* junk : {"", "link/9 1 2 3 4 5 6", "link/1 -5 2 3 4 5 6", "link/1 nan", "garbage"}) {
    INFO(junk);
    const LinkEstimate fresh = LinkEstimate::Decode(junk);
    CHECK_FALSE(fresh.measured());
    CHECK(fresh.PushEdits(0, 5000) == LinkEstimate::kFirstPushEdits);
  }
}

TEST_CASE("sync retry: a cut after progress retries soon, and attempts that move nothing back off", "[sync][link]") {
  SyncRetry r(60);
  CHECK(r.After(false, false) == 4);
  CHECK(r.After(false, false) == 8);
  CHECK(r.After(false, false) == 16);
  CHECK(r.After(false, true) == SyncRetry::kAfterProgressS);  // something got through: the signal is there
  CHECK(r.failures() == 0);
  CHECK(r.After(false, false) == 4);  // backing off starts again from the bottom
  for (int i = 0; i < 10; ++i) CHECK(r.After(false, false) <= 60);
  CHECK(r.After(false, false) == 60);
  CHECK(r.After(true, true) == 60);  // done: the next sync at the interval
  CHECK(r.failures() == 0);
  SyncRetry quick(1);
  CHECK(quick.After(false, true) == 1);  // never longer than the interval asked for
}
