// The edit layouts negotiated between devices and servers of different ages
// (docs/sync-protocol.md, "Edit layouts"), with real notebooks, RunSync and the
// server's real handlers: a new device pushes layout 2 only once a server said it
// reads it, and pulls layout 2 from such a server; with a server that offers only
// layout 1 (as every server before it) it syncs in layout 1 throughout; a device
// that never says it reads layout 2 (every device before it) pushes "e" and gets
// the stored sets, the very edits a new device gets compact.
#include <catch2/catch.hpp>

#include <algorithm>

#include "enrolled_phone.h"
#include "server_world.h"
#include "sotay/link_estimate.h"
#include "sotay/notebook.h"
#include "sotay/sync_run.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;
using sotay::testing::TempDir;

namespace {

// The server's handlers in process, noting each request's and answer's layout.
class Layouts : public SyncTransport {
 public:
  explicit Layouts(ServerWorld& w) : w_(w) {}

  HttpReply PostSync(const HttpHeaders& headers, const std::string& body) override {
    const HttpRequest req = SyncRequestFrom(headers, body);  // no dictionary is offered in process: gzip
    auto request = DecodeSyncRequest(req.body);
    REQUIRE(request.ok());
    up.push_back(request->push_layout);
    reads.push_back(request->reads_layout);
    HttpResponse res = w_.app().Handle(req);
    statuses.push_back(res.status);
    if (res.status == 200) {
      auto answer = DecodeSyncResponse(res.body);
      REQUIRE(answer.ok());
      down.push_back(answer->pull.empty() ? 0 : answer->pull_layout);
      page_edits.push_back(answer->pull.size());
    }
    return ReplyFrom(std::move(res));
  }

  std::vector<uint32_t> up, reads, down;  // down: 0 for an answer that pulled nothing
  std::vector<size_t> page_edits;         // edits pulled by each answer
  std::vector<int> statuses;

 private:
  ServerWorld& w_;
};

// Pushes `n` children from one phone, then pulls them to a fresh one, both with
// RunSync; returns the two transports' notes.
std::pair<Layouts, Layouts> PushThenPull(ServerWorld& w, int n) {
  EnrolledPhone maker(w, "w-a");
  maker.MakeChildren(n);
  Layouts push(w);
  const SyncRun pushed = RunSync(*maker.nb, push);
  INFO(pushed.status.ToString());
  REQUIRE(pushed.status.ok());
  CHECK(*maker.nb->OutboxCount() == 0);
  CHECK(w.Count("SELECT count(*) FROM records") == n);

  EnrolledPhone fresh(w, "w-b");
  Layouts pull(w);
  const SyncRun pulled = RunSync(*fresh.nb, pull);
  INFO(pulled.status.ToString());
  REQUIRE(pulled.status.ok());
  CHECK(fresh.Records() == static_cast<size_t>(n));
  // The same children on both phones, field for field.
  auto made = maker.nb->List({}, "vi");
  REQUIRE(made.ok());
  for (const auto& row : *made) {
    auto there = fresh.nb->Get(row.id);
    auto here = maker.nb->Get(row.id);
    REQUIRE(there.ok());
    REQUIRE(here.ok());
    CHECK(there->shown == here->shown);
    CHECK(there->state.known() == here->state.known());
  }
  return {std::move(push), std::move(pull)};
}

}  // namespace

TEST_CASE("wire layouts: a new device pushes layout 2 once the server said it reads it, and pulls layout 2",
          "[server][sync][wire][layout]") {
  ServerWorld w;
  auto [push, pull] = PushThenPull(w, 600);  // several requests: the first carries 500 edits at most
  REQUIRE(push.up.size() >= 2);
  CHECK(push.up.front() == 1);  // nothing said yet: layout 1, which every server reads
  for (size_t i = 1; i < push.up.size(); ++i) CHECK(push.up[i] == 2);
  for (uint32_t r : push.reads) CHECK(r == kWireLayout);
  REQUIRE(pull.down.size() >= 1);
  for (uint32_t d : pull.down) CHECK((d == 0 || d == 2));
  CHECK(std::count(pull.down.begin(), pull.down.end(), 2u) >= 1);
}

TEST_CASE("wire layouts: a layout-2 device's pull pages hold up to four times the server's edit limit",
          "[server][sync][wire][layout]") {
  // Layout 2 carries an edit in about a quarter of the bytes: the edit limit grows
  // with it, for layout-2 devices only; the device's byte budget still bounds a page.
  for (uint32_t layout : {1u, 2u}) {
    ServerLimits limits;
    limits.wire_layout = layout;
    limits.pull.max_edits = 100;
    ServerWorld w(limits);
    auto [push, pull] = PushThenPull(w, 300);
    INFO("server layout " << layout);
    REQUIRE_FALSE(pull.page_edits.empty());
    const size_t biggest = *std::max_element(pull.page_edits.begin(), pull.page_edits.end());
    CHECK(biggest <= (layout == 2 ? 400u : 100u));
    if (layout == 2) CHECK(biggest > 100);
  }
}

TEST_CASE("wire layouts: a new device with a server that offers only layout 1 syncs in layout 1 throughout",
          "[server][sync][wire][layout]") {
  ServerLimits old;
  old.wire_layout = 1;  // answers as every server before layout 2: no "w", pulls as sets
  ServerWorld w(old);
  auto [push, pull] = PushThenPull(w, 600);
  REQUIRE(push.up.size() >= 2);
  for (uint32_t u : push.up) CHECK(u == 1);
  for (uint32_t d : pull.down) CHECK(d != 2);
}

TEST_CASE("wire layouts: a device from before layout 2 pushes 'e' and pulls sets, the edits a new device pulls",
          "[server][sync][wire][layout]") {
  ServerWorld w;
  TestDevice maker = w.Device("w-a");
  std::vector<Edit> edits;
  for (int i = 0; i < 30; ++i) {
    for (Edit& e : maker.CreateRecord(RecordId(i), "01234", {{"full_name", "Vàng A Páo"}, {"sex", "male"}})) {
      edits.push_back(std::move(e));
    }
  }
  // An old device: layout 1, and no "w" in its request.
  SyncRequest old_push;
  old_push.push = edits;
  old_push.forms = {"case_test@1"};
  SyncResponse acked = w.Sync(maker, old_push);
  CHECK(acked.accepted.size() == edits.size());
  CHECK(acked.reads_layout == kWireLayout);  // the offer, which an old device skips

  TestDevice old_reader = w.Device("w-b"), new_reader = w.Device("w-b");
  SyncRequest as_old;
  as_old.forms = {"case_test@1"};
  SyncRequest as_new = as_old;
  as_new.reads_layout = kWireLayout;
  SyncResponse old_got = w.Sync(old_reader, as_old);
  SyncResponse new_got = w.Sync(new_reader, as_new);
  CHECK(old_got.pull_layout == 1);
  CHECK(new_got.pull_layout == 2);
  REQUIRE(old_got.pull.size() == edits.size());
  REQUIRE(new_got.pull.size() == edits.size());
  for (size_t i = 0; i < edits.size(); ++i) {
    const Edit &a = old_got.pull[i], &b = new_got.pull[i];
    CHECK(a.dot == b.dot);
    CHECK(a.record == b.record);
    CHECK(a.field == b.field);
    CHECK(a.value == b.value);
    CHECK(a.hlc == b.hlc);
    CHECK(a.base == b.base);
    CHECK(a.author == b.author);
  }
  CHECK(new_got.cursor == old_got.cursor);

  // And a new device's layout-2 push lands as an old one's does.
  TestDevice second = w.Device("w-a");
  SyncRequest new_push;
  new_push.push = second.CreateRecord(RecordId(500), "01234", {{"full_name", "Lò Thị Dợ"}, {"sex", "female"}});
  new_push.forms = {"case_test@1"};
  new_push.reads_layout = kWireLayout;
  new_push.push_layout = kWireLayout;
  SyncResponse new_acked = w.Sync(second, new_push);
  CHECK(new_acked.accepted.size() == new_push.push.size());
  CHECK(w.Count("SELECT count(*) FROM records") == 31);
}

TEST_CASE("wire layouts: a device that remembers layout 2 from a server since rolled back pushes it again in layout 1",
          "[server][sync][wire][layout]") {
  ServerLimits old;
  old.wire_layout = 1;
  ServerWorld w(old);
  EnrolledPhone phone(w, "w-a");
  LinkEstimate remembered;  // what the last run, with a server that read layout 2, left
  remembered.set_server_layout(kWireLayout);
  REQUIRE(phone.nb->SetLinkMemory(remembered.Encode()).ok());
  phone.MakeChildren(50);
  Layouts link(w);
  const SyncRun run = RunSync(*phone.nb, link);
  INFO(run.status.ToString());
  REQUIRE(run.status.ok());
  REQUIRE(link.up.size() >= 2);
  CHECK(link.up[0] == 2);  // as remembered
  CHECK(link.statuses[0] == 400);  // "missing 'e'", as a server before layout 2 answers it
  for (size_t i = 1; i < link.up.size(); ++i) CHECK(link.up[i] == 1);
  CHECK(*phone.nb->OutboxCount() == 0);
  CHECK(w.Count("SELECT count(*) FROM records") == 50);
  // And the next run starts in layout 1: the memory now says what this server read.
  CHECK(LinkEstimate::Decode(*phone.nb->LinkMemory()).server_layout() == 1);
}
