// Several server processes on one database (issue 17): two writers append change
// sets through connections of their own while a reader pulls the way BuildPull does
// (read the last seq, send the sets after the cursor, move the cursor to that last
// seq). A seq taken by a writer that commits after a later one would be skipped for
// good by such a reader; the writers' turns (sql::Transaction) are what prevents it.
// Runs on a SQLite file and, in the pg. run, on PostgreSQL.
#include <atomic>
#include <set>
#include <thread>

#include "server_world.h"

namespace sotay::server::testing {
namespace {

constexpr int kSetsPerWriter = 150;

struct WriterResult {
  Status status;
  std::vector<int64_t> seqs;
};

// Appends kSetsPerWriter sets of one edit to `record`, each in a transaction of its
// own, as device `device`.
void Write(const std::string& db, const std::string& device, const std::string& record, WriterResult* out) {
  auto store = ServerStore::Open(db, ServerStore::Mode::kOpen);
  if (!store.ok()) {
    out->status = store.status();
    return;
  }
  for (int i = 1; i <= kSetsPerWriter; ++i) {
    Edit e{Dot{device, static_cast<uint64_t>(i)}, record, "note", "lần " + std::to_string(i), Hlc{kStartMs + i, 0, device},
           {}, "whoever"};
    ServerStore::Transaction txn(**store);
    Status s = txn.status();
    auto seq = s.ok() ? (*store)->AppendSet({e}, kStartMs) : Result<int64_t>(s);
    if (seq.ok()) s = txn.Commit();
    if (!seq.ok() || !s.ok()) {
      out->status = seq.ok() ? s : seq.status();
      return;
    }
    out->seqs.push_back(*seq);
  }
}

TEST_CASE("concurrent writers: a reader pulling while two connections write never skips a change set",
          "[server][concurrency]") {
  ServerWorld w;
  TestDevice dev = w.Device("w-a");
  auto first = dev.CreateRecord(RecordId(1), "01234", {});
  auto second = dev.CreateRecord(RecordId(2), "01234", {});
  first.insert(first.end(), second.begin(), second.end());
  REQUIRE(w.Push(dev, first).rejected.empty());

  auto reader = ServerStore::Open(w.db, ServerStore::Mode::kOpen);
  REQUIRE(reader.ok());
  auto start = (*reader)->LastSeq();
  REQUIRE(start.ok());

  WriterResult a, b;
  std::atomic<int> running{2};
  std::thread ta([&] { Write(w.db, "writer-a", RecordId(1), &a); --running; });
  std::thread tb([&] { Write(w.db, "writer-b", RecordId(2), &b); --running; });

  // Pull until both writers are done, then once more.
  std::set<int64_t> pulled;
  int64_t cursor = *start;
  int pulls = 0;
  Status failure;
  for (bool last_round = false;; ++pulls) {
    last_round = running.load() == 0;
    auto last = (*reader)->LastSeq();
    if (!last.ok()) {
      failure = last.status();
      break;
    }
    Status s = (*reader)->ScanSetsAfter(std::min(cursor, *last), "reader", {"01234"}, [&](StoredSet& set) {
      pulled.insert(set.seq);
      return true;
    });
    if (!s.ok()) {
      failure = s;
      break;
    }
    cursor = *last;
    if (last_round) break;
  }
  ta.join();
  tb.join();
  INFO(failure.ToString());
  REQUIRE(failure.ok());
  INFO(a.status.ToString() + " / " + b.status.ToString());
  REQUIRE(a.status.ok());
  REQUIRE(b.status.ok());
  REQUIRE(a.seqs.size() == kSetsPerWriter);
  REQUIRE(b.seqs.size() == kSetsPerWriter);

  // Every set either writer committed reached the reader, though it moved its cursor
  // to the last seq at every pull.
  std::vector<int64_t> missed;
  for (const auto* seqs : {&a.seqs, &b.seqs}) {
    for (int64_t seq : *seqs) {
      if (pulled.count(seq) == 0) missed.push_back(seq);
    }
  }
  INFO("pulls: " << pulls << ", missed: " << missed.size());
  CHECK(missed.empty());
  CHECK(pulls > 2);  // the reader really pulled while the writers wrote
  // And the history holds each set once.
  CHECK(w.Count("SELECT count(*) FROM edit_sets WHERE device IN ('writer-a', 'writer-b')") == 2 * kSetsPerWriter);
}

}  // namespace
}  // namespace sotay::server::testing
