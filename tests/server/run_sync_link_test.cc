// RunSync on a bad link (issue 16), with a real notebook and the real server's
// handlers: request and pull page sizes follow the measured link and survive a new
// run, the page budget is honoured by the server's pull builder, a page that arrived
// whole is stored when the next is cut, and the transport is told a stall timeout
// from the measured rate. The link is simulated: each exchange advances a clock by
// the time its wire bytes take at the link's rate, so nothing sleeps.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>

#include "enrolled_phone.h"
#include "server_world.h"
#include "sotay/gzip.h"
#include "sotay/notebook.h"
#include "sotay/sync_run.h"
#include "sync/pull_builder.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;
using sotay::testing::TempDir;

namespace {

// The server's handlers behind a link of `rate` bytes a second and `rtt_ms`, with
// gzip both ways as the HTTP adapter does. Posts after `cut_after` get no answer.
class SlowLink : public SyncTransport {
 public:
  SlowLink(ServerWorld& w, double rate, int64_t rtt_ms) : w_(w), rate_(rate), rtt_ms_(rtt_ms) {}

  HttpReply PostSync(const HttpHeaders& headers, const std::string& body) override {
    ++posts;
    HttpReply reply;
    if (cut_after >= 0 && posts > cut_after) {
      clock += rtt_ms_;
      reply.failure = "the link dropped";
      return reply;
    }
    const HttpRequest req =
        SyncRequestFrom(headers, body, [&](const std::string& name) { return !(strip_page_bytes && name == kPageBytesHeader); });
    auto decoded = DecodeSyncRequest(req.body);
    REQUIRE(decoded.ok());
    pushed.push_back(decoded->push.size());
    HttpResponse res = w_.app().Handle(req);
    REQUIRE(res.status == 200);
    auto zipped = Gzip(res.body);
    REQUIRE(zipped);
    reply = ReplyFrom(std::move(res));
    reply.wire_bytes = zipped->size();
    const int64_t ms =
        rtt_ms_ + static_cast<int64_t>(static_cast<double>(body.size() + reply.wire_bytes) * 1000.0 / rate_);
    exchange_ms.push_back(ms);
    clock += ms;
    return reply;
  }
  void SetStallTimeoutMs(int64_t ms) override { stall_ms.push_back(ms); }

  SyncRunOptions Options() {
    SyncRunOptions o;
    o.monotonic_ms = [this] { return clock.load(); };
    return o;
  }

  int posts = 0;
  int cut_after = -1;
  bool strip_page_bytes = false;  // a device from before the page budget
  std::atomic<int64_t> clock{0};
  std::vector<size_t> pushed;
  std::vector<int64_t> exchange_ms, stall_ms;

 private:
  ServerWorld& w_;
  double rate_;
  int64_t rtt_ms_;
};

}  // namespace

TEST_CASE("run sync on 2G: pushes take a few seconds each, and the next run starts at the size this one reached",
          "[server][sync][run][link]") {
  ServerWorld w;
  EnrolledPhone phone(w, "w-a");
  phone.MakeChildren(1000);
  INFO("outbox: " << *phone.nb->OutboxCount());
  SlowLink link(w, 1000, 600);  // 8 kbit/s, 300 ms each way
  link.cut_after = 6;
  const SyncRun first = RunSync(*phone.nb, link, {}, link.Options());
  REQUIRE(first.unanswered);
  REQUIRE(link.pushed.size() == 6);
  CHECK(link.pushed[0] <= SyncSession::kFirstBatch);  // nothing measured yet
  // Measured, the requests shrink to what a few seconds carry, and stay there.
  for (size_t i = 2; i < link.exchange_ms.size(); ++i) {
    INFO("exchange " << i << ": " << link.pushed[i] << " edits in " << link.exchange_ms[i] << " ms");
    CHECK(link.exchange_ms[i] <= 8000);
    CHECK(link.exchange_ms[i] >= 1500);
  }
  CHECK(first.link.measured());
  CHECK(first.bytes_down > 0);

  SlowLink again(w, 1000, 600);
  const SyncRun rest = RunSync(*phone.nb, again, {}, again.Options());
  INFO(rest.status.ToString());
  REQUIRE(rest.status.ok());
  // The new run does not start again at 500 edits: it starts near where the last one
  // was, in the layout that size was measured in (remembered with it).
  REQUIRE_FALSE(again.pushed.empty());
  CHECK(again.pushed[0] != SyncSession::kFirstBatch);
  CHECK(again.pushed[0] + 40 >= link.pushed.back());
  CHECK(again.exchange_ms[0] <= 8000);
  CHECK(*phone.nb->OutboxCount() == 0);
  CHECK(w.Count("SELECT count(*) FROM records") == 1000);
}

TEST_CASE("run sync on a good link: requests grow to the server's limit within a few exchanges",
          "[server][sync][run][link]") {
  ServerWorld w;
  EnrolledPhone phone(w, "w-a");
  phone.MakeChildren(2500);
  SlowLink link(w, 2e6, 20);
  const SyncRun run = RunSync(*phone.nb, link, {}, link.Options());
  INFO(run.status.ToString());
  REQUIRE(run.status.ok());
  REQUIRE(link.pushed.size() >= 4);
  // The batch after the first is read while the first is out, at the first's size;
  // the one after that has the measured size: four times as large.
  CHECK(link.pushed[2] > 3 * link.pushed[0]);
  CHECK(*std::max_element(link.pushed.begin(), link.pushed.end()) > 4500);
  CHECK(w.Count("SELECT count(*) FROM records") == 2500);
}

TEST_CASE("run sync on 2G: a fresh device pulls in pages of a few seconds, and one that asks nothing gets today's pages",
          "[server][sync][run][link]") {
  ServerWorld w;
  {
    EnrolledPhone maker(w, "w-a");
    maker.MakeChildren(800);
    SlowLink fast(w, 2e6, 20);
    REQUIRE(RunSync(*maker.nb, fast, {}, fast.Options()).status.ok());
  }
  EnrolledPhone fresh(w, "w-b");
  SlowLink slow(w, 2000, 600);  // 16 kbit/s
  const SyncRun pulled = RunSync(*fresh.nb, slow, {}, slow.Options());
  INFO(pulled.status.ToString());
  REQUIRE(pulled.status.ok());
  CHECK(fresh.Records() == 800);
  CHECK(slow.posts >= 3);  // the server's one page (about 20 KB in layout 2) would take 10 s at this rate
  for (size_t i = 1; i < slow.exchange_ms.size(); ++i) {
    INFO("exchange " << i << ": " << slow.exchange_ms[i] << " ms");
    CHECK(slow.exchange_ms[i] <= 10000);
  }

  EnrolledPhone old(w, "w-b");
  SlowLink plain(w, 2000, 600);
  plain.strip_page_bytes = true;
  REQUIRE(RunSync(*old.nb, plain, {}, plain.Options()).status.ok());
  CHECK(old.Records() == 800);
  CHECK(plain.posts == 1);  // the whole commune in the server's one page, as before
}

TEST_CASE("run sync on 2G: pages that arrived whole are kept when the next one is cut, and not pulled again",
          "[server][sync][run][link]") {
  ServerWorld w;
  size_t made = 0;
  {
    EnrolledPhone maker(w, "w-a");
    maker.MakeChildren(1600);
    SlowLink fast(w, 2e6, 20);
    const SyncRun pushed = RunSync(*maker.nb, fast, {}, fast.Options());
    REQUIRE(pushed.status.ok());
    made = pushed.counts.sent;
  }
  EnrolledPhone fresh(w, "w-b");
  SlowLink cut(w, 2000, 600);
  cut.cut_after = 3;
  const SyncRun first = RunSync(*fresh.nb, cut, {}, cut.Options());
  REQUIRE(first.unanswered);
  const size_t kept = fresh.Records();
  CHECK(kept > 0);
  CHECK(kept < 1600);
  CHECK(fresh.nb->GetSyncState()->cursor > 0);
  CHECK(first.counts.received == first.pulled);  // everything that arrived was stored

  SlowLink rest(w, 2000, 600);
  const SyncRun second = RunSync(*fresh.nb, rest, {}, rest.Options());
  REQUIRE(second.status.ok());
  CHECK(fresh.Records() == 1600);
  CHECK(first.pulled + second.pulled == made);  // nothing pulled twice
}

TEST_CASE("run sync on 2G: the transport is told a stall timeout from the measured rate, well under a minute",
          "[server][sync][run][link]") {
  ServerWorld w;
  EnrolledPhone phone(w, "w-a");
  phone.MakeChildren(200);
  SlowLink link(w, 2000, 600);
  REQUIRE(RunSync(*phone.nb, link, {}, link.Options()).status.ok());
  REQUIRE(link.stall_ms.size() == static_cast<size_t>(link.posts));
  CHECK(link.stall_ms[0] == LinkEstimate::kStallUnmeasuredMs);
  for (size_t i = 1; i < link.stall_ms.size(); ++i) {
    INFO("exchange " << i << ": " << link.stall_ms[i] << " ms");
    CHECK(link.stall_ms[i] >= LinkEstimate::kStallFloorMs);
    CHECK(link.stall_ms[i] <= 30000);
  }
}

TEST_CASE("run sync on 2G: a fresh device's pull is called stalled after the floor's quiet, however big its pages",
          "[server][sync][run][link]") {
  ServerWorld w;
  {
    EnrolledPhone maker(w, "w-a");
    maker.MakeChildren(1000);
    SlowLink fast(w, 2e6, 20);
    REQUIRE(RunSync(*maker.nb, fast, {}, fast.Options()).status.ok());
  }
  // Its requests are a cursor and a few names: the answer starts within a round trip
  // and then flows, so ten quiet seconds mean a stall even when a page takes longer.
  EnrolledPhone fresh(w, "w-b");
  SlowLink slow(w, 2000, 600);
  REQUIRE(RunSync(*fresh.nb, slow, {}, slow.Options()).status.ok());
  REQUIRE(slow.posts >= 3);
  for (size_t i = 1; i < slow.stall_ms.size(); ++i) {
    INFO("exchange " << i << ": " << slow.stall_ms[i] << " ms, took " << slow.exchange_ms[i] << " ms");
    CHECK(slow.stall_ms[i] == LinkEstimate::kStallFloorMs);
  }
  CHECK(*std::max_element(slow.exchange_ms.begin(), slow.exchange_ms.end()) > LinkEstimate::kStallFloorMs / 3);
}

TEST_CASE("pull page budget: asked bytes lower the server's limit within a floor, and nothing asked is today's page",
          "[server][sync][link]") {
  const PullLimits server;
  CHECK(PullLimitsAsked(server, "").max_bytes == server.max_bytes);
  CHECK(PullLimitsAsked(server, "lots").max_bytes == server.max_bytes);
  CHECK(PullLimitsAsked(server, "-5").max_bytes == server.max_bytes);
  CHECK(PullLimitsAsked(server, "99999999999999999999").max_bytes == server.max_bytes);
  CHECK(PullLimitsAsked(server, "20000").max_bytes == 20000);
  CHECK(PullLimitsAsked(server, "20000").max_edits == server.max_edits);
  CHECK(PullLimitsAsked(server, "3").max_bytes == kSmallestAskedPageBytes);
  CHECK(PullLimitsAsked(server, "999999999").max_bytes == server.max_bytes);  // the server's cap
}
