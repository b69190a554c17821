// The device's sync session against an in-memory server that keeps the protocol's
// promises (sequence numbers, idempotent pushes, paged pulls), so resume, retry and
// duplicate delivery are tested without a network. The real server is tested
// end to end in tests/e2e.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>
#include <random>
#include <sstream>

#include "sotay/notebook.h"
#include "sotay/sync_session.h"
#include "support/child_answers.h"
#include "support/sync_steps.h"
#include "support/temp_dir.h"

using namespace sotay;
using sotay::testing::TempDir;
using sotay::testing::ReceiveAndApply;
using sotay::testing::WaitingEdits;

namespace {

class LoopbackServer {
 public:
  size_t page = 1000;
  bool ack_half = false;  // acknowledges only the first half of each push, as a confused server might
  std::vector<Edit> log;           // seq = index + 1
  std::map<Dot, size_t> seen;

  SyncResponse Handle(const SyncRequest& req) {
    // Through the wire codec both ways, as the real exchange does.
    SyncRequest r = *DecodeSyncRequest(EncodeSyncRequest(req));
    SyncResponse out;
    size_t index = 0;
    for (Edit e : r.push) {
      if (seen.emplace(e.dot, log.size() + 1).second) {
        // The real server writes the enrolled user, which is the device's author here.
        log.push_back(e);
      }
      if (!ack_half || 2 * index++ < r.push.size()) out.accepted.push_back(e.dot);
    }
    size_t from = r.cursor;
    size_t to = std::min(log.size(), from + page);
    out.pull.assign(log.begin() + static_cast<std::ptrdiff_t>(from), log.begin() + static_cast<std::ptrdiff_t>(to));
    out.cursor = to;
    out.more = to < log.size();
    out.server_time_ms = 1795000000000;
    return *DecodeSyncResponse(EncodeSyncResponse(out));
  }
};

std::string FormText() { return sotay::testing::ChildProfileText(); }
Answers Child(const std::string& name) { return sotay::testing::ChildAnswers(name); }

std::unique_ptr<Notebook> Device(const TempDir& dir, const std::string& name) {
  NotebookOptions o;
  o.kdf = KdfLimits::Fast();
  auto nb = Notebook::Create(dir.File(name + ".db"), "passphrase", o);
  REQUIRE(nb.ok());
  REQUIRE((*nb)->SetProfile("01234", name).ok());
  REQUIRE((*nb)->InstallForm(FormText(), "child_profile.json").ok());
  return std::move(nb).value();
}

// `n` new children made offline on `nb`.
void MakeChildren(Notebook& nb, int n) {
  for (int i = 0; i < n; ++i) REQUIRE(nb.CreateRecord("child_profile", Child("Trẻ " + std::to_string(i)), "", "vi")->ok());
}

// Runs a whole session; `drop_every` > 0 loses every n-th response, as a 2G link does.
SyncCounts Sync(Notebook& nb, LoopbackServer& server, int drop_every = 0, size_t batch = 500) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    SyncSession session(nb, batch);
    int n = 0;
    bool dropped = false;
    for (;;) {
      auto next = session.Next();
      REQUIRE(next.ok());
      if (!next->has_value()) return session.counts();
      SyncResponse res = server.Handle(**next);
      if (drop_every > 0 && ++n % drop_every == 0) {
        dropped = true;  // the server applied it; the phone never heard back
        break;
      }
      REQUIRE(ReceiveAndApply(session, res).ok());
    }
    REQUIRE(dropped);
  }
  FAIL("sync never finished");
  return {};
}

// Runs a whole session as `sotay sync` does, overlapping the device's work with the
// exchange: the answer to request k is applied (and batch k + 1 read) while request
// k + 1 is "in flight". Returns every dot pushed, in order, resends included.
std::vector<Dot> SyncOverlapped(Notebook& nb, LoopbackServer& server, size_t batch) {
  std::vector<Dot> pushed;
  SyncSession session(nb, batch);
  auto next = session.Next();
  for (int guard = 0; guard < 10000; ++guard) {
    REQUIRE(next.ok());
    if (!next->has_value()) return pushed;
    for (const Edit& e : (*next)->push) pushed.push_back(e.dot);
    SyncResponse answer = server.Handle(**next);  // the server, "meanwhile"
    REQUIRE(session.Apply().ok());
    REQUIRE(session.Prepare().ok());
    REQUIRE(session.Receive(std::move(answer)).ok());
    next = session.Next();
  }
  FAIL("sync never finished");
  return pushed;
}

}  // namespace

TEST_CASE("sync session: an overlapped transport sends every edit once, in order, and empties the outbox", "[sync]") {
  TempDir dir;
  LoopbackServer server;
  server.page = 9;
  auto a = Device(dir, "a");
  MakeChildren(*a, 30);
  auto waiting = WaitingEdits(*a, 100000);
  REQUIRE(waiting.ok());
  std::vector<Dot> made;
  for (const Edit& e : *waiting) made.push_back(e.dot);

  const std::vector<Dot> pushed = SyncOverlapped(*a, server, /*batch=*/45);
  CHECK(pushed == made);  // nothing twice, nothing skipped, in the order made
  CHECK(server.log.size() == made.size());
  CHECK(*a->OutboxCount() == 0);
  // The pull ran ahead of its applying too: the cursor and the store agree.
  auto b = Device(dir, "b");
  SyncOverlapped(*b, server, 45);
  CHECK(b->List({}, "vi")->size() == 30);
  CHECK(b->GetSyncState()->cursor == server.log.size());
  auto listed = a->List({}, "vi");
  for (const RecordSummary& r : *listed) CHECK(a->Get(r.id)->state == b->Get(r.id)->state);
}

TEST_CASE("sync session: an overlapped transport resends what the server did not acknowledge", "[sync]") {
  TempDir dir;
  LoopbackServer server;
  server.ack_half = true;
  auto a = Device(dir, "a");
  MakeChildren(*a, 10);
  const size_t made = static_cast<size_t>(*a->OutboxCount());
  const std::vector<Dot> pushed = SyncOverlapped(*a, server, /*batch=*/60);
  CHECK(pushed.size() > made);  // the unacknowledged half went again
  CHECK(server.log.size() == made);
  CHECK(*a->OutboxCount() == 0);
}

TEST_CASE("sync session: a record larger than a request goes in parts, overlapped or not", "[sync]") {
  TempDir dir;
  LoopbackServer server;
  auto a = Device(dir, "a");
  REQUIRE(a->CreateRecord("child_profile", Child("Sùng Thị Mỷ"), "", "vi")->ok());
  const size_t made = static_cast<size_t>(*a->OutboxCount());
  REQUIRE(made > 8);
  const std::vector<Dot> pushed = SyncOverlapped(*a, server, /*batch=*/4);
  CHECK(server.log.size() == made);
  CHECK(*a->OutboxCount() == 0);
  std::set<Dot> distinct(pushed.begin(), pushed.end());
  CHECK(distinct.size() == made);
}

TEST_CASE("sync session: a request the server refused unread is built again", "[sync]") {
  TempDir dir;
  LoopbackServer server;
  auto a = Device(dir, "a");
  REQUIRE(a->CreateRecord("child_profile", Child("Vàng A Dơ"), "", "vi")->ok());
  SyncSession session(*a, 500);
  auto first = session.Next();
  REQUIRE(first.ok());
  REQUIRE(first->has_value());
  CHECK_FALSE(session.Next().ok());  // no new request before an answer
  session.Resend();                  // a stale clock: the server read nothing
  auto again = session.Next();
  REQUIRE(again.ok());
  REQUIRE(again->has_value());
  CHECK((*again)->push.size() == (*first)->push.size());
  CHECK((*again)->push.front().dot == (*first)->push.front().dot);
  REQUIRE(ReceiveAndApply(session, server.Handle(**again)).ok());
  CHECK(*a->OutboxCount() == 0);
}

TEST_CASE("sync session: two devices, different fields: both survive everywhere, no conflict", "[sync]") {
  TempDir dir;
  LoopbackServer server;
  auto a = Device(dir, "a");
  auto b = Device(dir, "b");
  auto created = a->CreateRecord("child_profile", Child("Nguyễn Thị Ánh"), "", "vi");
  REQUIRE(created->ok());
  const std::string id = created->id;
  Sync(*a, server);
  SyncCounts got = Sync(*b, server);
  CHECK(got.received == server.log.size());
  REQUIRE(b->Get(id).ok());

  REQUIRE(a->EditRecord(id, {{"village", "Bản Mới"}}, "vi")->ok());
  REQUIRE(b->EditRecord(id, {{"in_school", "no"}, {"dropout_reason", "cost"}}, "vi")->ok());
  Sync(*a, server);
  Sync(*b, server);
  Sync(*a, server);
  for (Notebook* nb : {a.get(), b.get()}) {
    auto v = nb->Get(id);
    CHECK(v->shown.at("village") == "Bản Mới");
    CHECK(v->shown.at("in_school") == "no");
    CHECK(v->state.Conflicts().empty());
    CHECK(*nb->OutboxCount() == 0);
  }
  CHECK(a->Get(id)->state == b->Get(id)->state);
}

TEST_CASE("sync session: same field, different values: one conflict, resolved everywhere", "[sync]") {
  TempDir dir;
  LoopbackServer server;
  auto a = Device(dir, "a");
  auto b = Device(dir, "b");
  const std::string id = a->CreateRecord("child_profile", Child("Lò Văn Páo"), "", "vi")->id;
  Sync(*a, server);
  Sync(*b, server);
  REQUIRE(a->EditRecord(id, {{"village", "Bản Phố"}}, "vi")->ok());
  REQUIRE(b->EditRecord(id, {{"village", "Bản Dền"}}, "vi")->ok());
  Sync(*a, server);
  SyncCounts counts = Sync(*b, server);
  CHECK(counts.new_conflicts == 1);
  Sync(*a, server);
  for (Notebook* nb : {a.get(), b.get()}) CHECK(nb->Get(id)->state.Conflicts() == std::vector<std::string>{"village"});
  CHECK(a->Get(id)->shown.at("village") == b->Get(id)->shown.at("village"));

  REQUIRE(b->EditRecord(id, {{"village", "Bản Dền"}}, "vi")->ok());  // b decides
  Sync(*b, server);
  Sync(*a, server);
  for (Notebook* nb : {a.get(), b.get()}) {
    CHECK(nb->Get(id)->state.Conflicts().empty());
    CHECK(nb->Get(id)->shown.at("village") == "Bản Dền");
  }
}

TEST_CASE("sync session: lost answers and small pages: every edit arrives exactly once", "[sync]") {
  TempDir dir;
  LoopbackServer server;
  server.page = 7;
  auto a = Device(dir, "a");
  auto b = Device(dir, "b");
  MakeChildren(*a, 20);
  const size_t made = static_cast<size_t>(*a->OutboxCount());
  Sync(*a, server, /*drop_every=*/3, /*batch=*/40);
  CHECK(server.log.size() == made);  // resends were recognised, nothing twice
  CHECK(*a->OutboxCount() == 0);
  Sync(*b, server, /*drop_every=*/4);
  CHECK(b->List({}, "vi")->size() == 20);
  auto ra = a->List({}, "vi");
  for (const RecordSummary& r : *ra) CHECK(a->Get(r.id)->state == b->Get(r.id)->state);
}

TEST_CASE("sync session: requests start small, grow while exchanges are quick and shrink when slow", "[sync]") {
  TempDir dir;
  auto nb = Device(dir, "w-1");
  std::vector<Answers> rows;
  for (int i = 0; i < 1000; ++i) rows.push_back(Child("Trẻ " + std::to_string(i)));
  REQUIRE(nb->CreateRecords("child_profile", rows, "vi").ok());
  LoopbackServer server;
  SyncSession session(*nb, 5000);
  std::vector<size_t> sizes;
  int64_t round_trip = 300;  // a good link at first
  for (;;) {
    auto next = session.Next();
    REQUIRE(next.ok());
    if (!next->has_value()) break;
    sizes.push_back((*next)->push.size());
    REQUIRE((*next)->push.size() <= session.batch_size());
    REQUIRE(ReceiveAndApply(session, server.Handle(**next), round_trip).ok());
    if (sizes.size() == 4) round_trip = 12000;  // then the signal drops to 2G
  }
  REQUIRE(sizes.size() >= 6);
  // Whole records (about 20 edits each) fill each batch, so it is at most its size.
  CHECK(sizes[0] <= SyncSession::kFirstBatch);
  CHECK(sizes[0] > SyncSession::kFirstBatch - 30);
  CHECK(sizes[1] > sizes[0]);
  CHECK(sizes[2] > sizes[1]);
  CHECK(sizes[3] > sizes[2]);
  CHECK(sizes[4] > 4950);  // the ceiling, in whole records
  CHECK(sizes[5] > 0);
  CHECK(sizes[5] <= 2500);  // a slow answer halves the next request
  CHECK(*nb->OutboxCount() == 0);
  CHECK(server.log.size() == static_cast<size_t>(session.counts().sent));
}
