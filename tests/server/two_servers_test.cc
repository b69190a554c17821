// Two `sotay-server serve` processes on one database (issue 17): devices sync
// through either at random, over real HTTP with real signatures; one process is
// killed (SIGKILL) while a push is on its way to it and started again. Every edit is
// stored exactly once, and every device ends with every other device's edits: no
// pull skipped anything. On a SQLite file (two processes on one WAL file) and, in
// the pg. run, on PostgreSQL.
#include <chrono>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "post_sync.h"

namespace sotay::server::testing {
namespace {

struct Phone {
  TestDevice d;
  std::vector<Edit> outbox;
  uint64_t cursor = 0;
  std::set<std::pair<std::string, uint64_t>> received;  // dots pulled from the server
};

// One exchange through `port`: the outbox goes up, pages come down until none is
// left. False when the server did not answer (the outbox stays for next time).
bool SyncThrough(int port, Phone& p) {
  for (int page = 0; page < 50; ++page) {
    SyncRequest r;
    r.cursor = p.cursor;
    r.push = page == 0 ? p.outbox : std::vector<Edit>();
    r.forms = {"case_test@1"};
    auto [status, body] = PostSync(port, p.d, r);
    if (status != 200) return false;
    auto res = DecodeSyncResponse(body);
    REQUIRE(res.ok());
    REQUIRE(res->rejected.empty());
    std::set<Dot> acked(res->accepted.begin(), res->accepted.end());
    if (page == 0) {
      std::vector<Edit> left;
      for (Edit& e : p.outbox) {
        if (acked.count(e.dot) == 0) left.push_back(std::move(e));
      }
      p.outbox = std::move(left);
    }
    for (const Edit& e : res->pull) p.received.insert(std::make_pair(e.dot.device.str(), static_cast<uint64_t>(e.dot.counter)));
    p.cursor = res->cursor;
    if (!res->more) return true;
  }
  return true;
}

TEST_CASE("two servers on one database: devices sync through either at random, one is killed mid-push, "
          "every edit is stored once and every device converges",
          "[server][concurrency][serve]") {
  ServerWorld w;
  const std::vector<std::string> extra =
      w.database.postgres() ? std::vector<std::string>{"--files", w.FilesFolder()} : std::vector<std::string>{};
  std::unique_ptr<ServeProcess> servers[2] = {std::make_unique<ServeProcess>(w.db, extra),
                                              std::make_unique<ServeProcess>(w.db, extra)};
  std::vector<Phone> phones;
  for (const char* user : {"w-a", "w-a", "w-b", "w-b"}) phones.push_back(Phone{w.Device(user), {}, 0, {}});

  std::mt19937 rng(20261129);
  int records = 0;
  std::map<std::string, std::vector<std::string>> own;  // device -> its records
  int killed = 0;
  for (int round = 0; round < 24; ++round) {
    for (Phone& p : phones) {
      // A new child now and then, else a note on one of its own.
      if (own[p.d.id].empty() || rng() % 3 == 0) {
        const std::string id = RecordId(++records);
        auto made = p.d.CreateRecord(id, "01234", {{"full_name", "Trẻ " + std::to_string(records)}, {"age", "7"}});
        p.outbox.insert(p.outbox.end(), made.begin(), made.end());
        own[p.d.id].push_back(id);
      } else {
        const auto& mine = own[p.d.id];
        p.outbox.push_back(p.d.NewEdit(mine[rng() % mine.size()], "notes", "lần " + std::to_string(round)));
      }
    }
    if (round == 8 || round == 16) {
      // A large push on its way to server 1 when it is killed: at round 8 with half
      // its body sent (the blow surely falls mid-push), at 16 after a random while
      // (before, during or after its commit). Nothing may be half-kept, and the
      // phone sends what was not acknowledged again.
      Phone& p = phones[round == 8 ? 0 : 2];
      for (int i = 0; i < 40; ++i) {
        const std::string id = RecordId(++records);
        auto more = p.d.CreateRecord(id, "01234", {{"full_name", "Trẻ " + std::to_string(records)}, {"age", "9"}});
        p.outbox.insert(p.outbox.end(), more.begin(), more.end());
        own[p.d.id].push_back(id);
      }
      if (round == 8) {
        SyncRequest r;
        r.cursor = p.cursor;
        r.push = p.outbox;
        r.forms = {"case_test@1"};
        const HttpRequest req = ServerWorld::Signed(p.d, EncodeSyncRequest(r), RealNowMs());
        std::string raw = "POST /v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
        for (const auto& [name, value] : req.headers) raw += name + ": " + value + "\r\n";
        raw += "Content-Length: " + std::to_string(req.body.size()) + "\r\n\r\n";
        const int fd = ConnectTo(servers[1]->port());
        REQUIRE(SendAll(fd, raw + req.body.substr(0, req.body.size() / 2)));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        kill(servers[1]->pid(), SIGKILL);
        close(fd);
      } else {
        std::thread push([&] { SyncThrough(servers[1]->port(), p); });
        std::this_thread::sleep_for(std::chrono::milliseconds(1 + rng() % 20));
        kill(servers[1]->pid(), SIGKILL);
        push.join();
      }
      servers[1].reset();  // reaps it
      servers[1] = std::make_unique<ServeProcess>(w.db, extra);
      ++killed;
    }
    for (Phone& p : phones) {
      const int via = static_cast<int>(rng() % 2);
      if (!SyncThrough(servers[via]->port(), p)) REQUIRE(SyncThrough(servers[1 - via]->port(), p));
    }
  }
  REQUIRE(killed == 2);
  // Everyone syncs once more, so that the last edits of each reach the others.
  for (int pass = 0; pass < 2; ++pass) {
    for (Phone& p : phones) REQUIRE(SyncThrough(servers[pass]->port(), p));
  }

  std::map<std::string, uint64_t> made;  // device -> edits it made
  for (const Phone& p : phones) {
    CHECK(p.outbox.empty());
    made[p.d.id] = p.d.counter;
    // Stored once each: as many rows per edit as edits, and every counter present.
    CHECK(w.Count("SELECT count(*) FROM edits WHERE device = '" + p.d.id + "'") == static_cast<int64_t>(p.d.counter));
    CHECK(w.Count("SELECT count(DISTINCT counter) FROM edits WHERE device = '" + p.d.id + "'") ==
          static_cast<int64_t>(p.d.counter));
  }
  // Every device has every other device's edits.
  for (const Phone& p : phones) {
    for (const auto& [device, count] : made) {
      if (device == p.d.id) continue;
      for (uint64_t c = 1; c <= count; ++c) {
        INFO(p.d.id << " lacks " << device << ":" << c);
        REQUIRE(p.received.count(std::make_pair(device, c)) == 1);
      }
    }
  }
}

}  // namespace
}  // namespace sotay::server::testing
