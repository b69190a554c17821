// A photo's upload survives the device and the server being killed (issue 20): the
// real `sotay` sends a 300 KB photo to the real sotay-server through a slow link
// (tests/support/link_proxy.h), and in the middle of five of its five chunks
// something goes: the link is cut (three times), the `sotay` process is SIGKILLed,
// the server is SIGKILLed and started again on the same database and port. Each
// blow falls where the server holds some of the file's chunks and 20 KB of the next
// have crossed the link, found by polling the server's database read-only, never by
// sleeping. Plain `sotay sync` is run again after each, as a worker would. The record
// arrives first; the photo arrives once, whole, matching its hash; what went twice is
// at most a chunk per blow; the killed device's notebook opens; the server's log
// tells of the cut uploads without a name or an answer; another device fetches it.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "link_proxy.h"
#include "sotay/signing.h"
#include "injury_photo.h"
#include "sync_world.h"

using namespace sotay::testing;

namespace {

using Clock = std::chrono::steady_clock;

constexpr int64_t kPhotoBytes = 300 * 1024;
constexpr int64_t kChunks = 5;             // 64 KiB each, the last 45 KiB
constexpr uint64_t kIntoChunk = 20000;     // bytes of the next chunk across before a blow
constexpr auto kPatience = std::chrono::seconds(90);  // per wait: generous for a loaded machine

// What the server's database says of the file; nullopt while it cannot be read
// (the server restarting holds a lock a moment).
struct ServerFile {
  bool declared = false, complete = false;
  int64_t held = 0;  // chunks received (all of them once complete)
  int64_t records = 0;  // rows of the record, which the edits brought
};

std::optional<ServerFile> LookAtServer(const std::string& db, const std::string& hash, const std::string& record) {
  auto h = sotay::sqlite::Db::Open(db, sotay::sqlite::Db::Mode::kReadOnly);
  if (!h.ok() || !h->Exec("PRAGMA busy_timeout = 2000").ok()) return std::nullopt;
  auto st = h->PrepareUncached(
      "SELECT (SELECT count(*) FROM attachments WHERE hash = ?1),"
      " (SELECT count(*) FROM attachments WHERE hash = ?1 AND complete = 1),"
      " (SELECT count(*) FROM attachment_chunks WHERE hash = ?1),"
      " (SELECT count(*) FROM records WHERE id = ?2)");
  if (!st.ok()) return std::nullopt;
  st->Bind(1, hash).Bind(2, record);
  auto row = st->Step();
  if (!row.ok() || !*row) return std::nullopt;
  ServerFile f;
  f.declared = st->Int(0) == 1;
  f.complete = st->Int(1) == 1;
  f.held = f.complete ? kChunks : st->Int(2);  // a whole file's chunk rows are dropped
  f.records = st->Int(3);
  return f;
}

// `PRAGMA integrity_check` of a SQLite file: "ok" when nothing is damaged.
std::string IntegrityOf(const std::string& path) {
  auto h = sotay::sqlite::Db::Open(path, sotay::sqlite::Db::Mode::kReadOnly);
  if (!h.ok()) return h.status().ToString();
  auto st = h->PrepareUncached("PRAGMA integrity_check");
  if (!st.ok()) return st.status().ToString();
  auto row = st->Step();
  if (!row.ok() || !*row) return "no answer";
  return st->Text(0);
}

// Waits for a `sotay` to end by itself (a cut or a dead server ends its run).
Run Finish(ShellProcess& p) {
  const auto deadline = Clock::now() + kPatience;
  while (p.Running() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  p.Kill();  // only if it hung: the caller's checks of its output then fail
  return p.Wait();
}

size_t Occurrences(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("files e2e: a photo's upload survives the device and the server killed mid-file and three cuts",
          "[sync-e2e][link][attachment][sqlite]") {
  const auto started = Clock::now();
  World w(/*keep_log=*/true);
  const std::string& direct = w.server->url();
  LinkOptions o;
  o.target_port = std::stoi(direct.substr(direct.rfind(':') + 1));
  o.bits_per_second = 320000;  // 40 KB/s: a chunk takes 1.6 s, so a poll every 10 ms lands inside it
  o.one_way_latency_ms = 5;
  auto proxy = LinkProxy::Start(o);
  REQUIRE(proxy.ok());
  LinkProxy& link = **proxy;
  Shell a;
  a.lang = "en";
  REQUIRE(a({"init"}).code == 0);
  const std::string code = ServerAdmin({"admin", "enroll-code", "--db", w.db, "--user", "w-a"});
  REQUIRE(a({"enroll", link.url(), code.substr(0, code.find_first_of(" \n"))}).code == 0);

  // Offline: the record, then its photo.
  Run made = a({"new", "injury_incident", "--answers", a.Write("injury.json", kInjuryAnswers)});
  INFO(made.out << made.err);
  REQUIRE(made.code == 0);
  const std::string id = made.out.substr(0, 36);
  const std::string photo = FakeJpeg(300, 22);
  REQUIRE(a({"attach", id, "injury_photo", a.Write("vet-thuong.jpg", photo)}).code == 0);
  const std::string hash = sotay::Sha256Hex(photo);
  const uint64_t up_at_start = link.counters().bytes_up;

  // Waits, while `sync` runs, until the server holds `k` chunks and kIntoChunk bytes
  // of chunk k have crossed since: the middle of chunk k. Returns what the server held.
  int64_t last_held = 0;
  bool held_never_fell = true;
  std::optional<uint64_t> mark;  // bytes up when the server held chunk k-1: chunk k's start
  uint64_t in_flight = 0;        // of chunks under way when a blow fell: what may go twice
  auto file_requests_logged = [&] { return Occurrences(ReadBytes(w.log), R"("path":"/v1/attachments")"); };
  // After a blow that fell in chunk k: what crossed of it, unless it arrived whole
  // all the same (a killed process's last bytes still leave its socket). A server
  // that lived logs the interrupted request, cut or answered: `logged_before` is its
  // count of file requests at the blow, and this waits for one more.
  auto count_in_flight = [&](int64_t k, std::optional<size_t> logged_before) {
    const auto deadline = Clock::now() + kPatience;
    while (logged_before && file_requests_logged() <= *logged_before && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (logged_before) REQUIRE(file_requests_logged() > *logged_before);
    const std::optional<ServerFile> f = LookAtServer(w.db, hash, id);
    REQUIRE(f);
    if (f->held <= k) in_flight += link.counters().bytes_up - mark.value_or(0);
    mark.reset();
  };
  auto mid_chunk = [&](ShellProcess& sync, int64_t k) -> ServerFile {
    const auto deadline = Clock::now() + kPatience;
    while (Clock::now() < deadline && sync.Running()) {
      std::optional<ServerFile> f = LookAtServer(w.db, hash, id);
      if (f) {
        held_never_fell = held_never_fell && f->held >= last_held;
        last_held = f->held;
        // Whole already: the link is too fast for this test to kill anything mid-file.
        if (f->complete) FAIL("the file was whole before chunk " << k << " could be interrupted: slow the link");
        if (f->declared && f->held >= k && !mark) mark = link.counters().bytes_up;
        if (mark && link.counters().bytes_up >= *mark + kIntoChunk) return *f;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL("chunk " << k << " was never in flight (the sync ended or the wait ran out)");
    return {};
  };
  auto cut_mid_chunk = [&](int64_t k) {
    auto sync = a.Start({"sync"});
    const ServerFile f = mid_chunk(*sync, k);
    const size_t logged = file_requests_logged();
    link.CutNow();
    Run r = Finish(*sync);
    count_in_flight(k, logged);
    INFO("cut in chunk " << k << ": " << r.out << r.err);
    CHECK(r.code != 0);
    CHECK(Has(r.err, "files not all sent"));
    CHECK(Has(r.err, "link lost"));
    return f;
  };

  // Cut 1, in chunk 0: the record is on the server already, the photo is not whole.
  const ServerFile first = cut_mid_chunk(0);
  CHECK(first.records == 1);
  CHECK_FALSE(first.complete);

  // The device dies in chunk 1 (its battery, or the worker swiping it away).
  {
    auto sync = a.Start({"sync"});
    const ServerFile f = mid_chunk(*sync, 1);
    const size_t logged = file_requests_logged();
    REQUIRE(sync->Kill());  // it was still running: killed, not finished
    INFO("the server held " << f.held << " chunks when the device was killed");
    CHECK(f.held >= 1);
    CHECK(f.held < kChunks);
    count_in_flight(1, logged);
  }
  // Its notebook opens, undamaged, and still knows the photo waits.
  CHECK(IntegrityOf(a.store()) == "ok");
  Run status = a({"status"});
  INFO(status.out << status.err);
  CHECK(status.code == 0);
  CHECK(Has(status.out, "Files waiting to be sent: 1 (307200 bytes)"));

  cut_mid_chunk(2);  // cut 2

  // The server dies in chunk 3 and comes back on the same database and port.
  {
    auto sync = a.Start({"sync"});
    const ServerFile f = mid_chunk(*sync, 3);
    w.server->Stop(SIGKILL);
    const int64_t held = LookAtServer(w.db, hash, id).value_or(ServerFile{}).held;
    INFO("the server held " << held << " chunks when it was killed");
    CHECK(f.held >= 3);
    CHECK(held > 0);
    CHECK(held < kChunks);
    Run r = Finish(*sync);
    count_in_flight(3, std::nullopt);  // what reached it died with it
    INFO(r.out << r.err);
    CHECK(Has(r.err, "link lost"));
    w.server->Restart();
    REQUIRE(w.server->url() == direct);  // the proxy still points at it
  }

  cut_mid_chunk(4);  // cut 3, in the last chunk

  Run done = a({"sync"});
  INFO(done.out << done.err);
  REQUIRE(done.code == 0);
  CHECK(Has(done.out, "Files: sent 1"));
  const uint64_t up = link.counters().bytes_up - up_at_start;

  // Once, whole, matching its hash, named by its record; no half file left behind.
  CHECK(held_never_fell);  // no blow made the server forget a chunk
  CHECK(w.ServerCount("SELECT count(*) FROM attachments") == 1);
  CHECK(w.ServerCount("SELECT count(*) FROM attachments WHERE complete = 1 AND size = 307200 AND hash = '" + hash +
                      "'") == 1);
  CHECK(w.ServerCount("SELECT count(*) FROM attachment_refs") == 1);
  CHECK(w.ServerCount("SELECT count(*) FROM attachment_refs WHERE record = '" + id + "' AND hash = '" + hash + "'") ==
        1);
  const std::string stored = w.db + ".files/" + hash.substr(0, 2) + "/" + hash.substr(2);
  CHECK(std::filesystem::exists(stored));
  CHECK_FALSE(std::filesystem::exists(stored + ".partial"));
  // Five blows, each in the middle of a chunk: that chunk goes again, at most 64 KiB
  // and its request's headers each time; nothing before it does. What is left over
  // is the record's one edit, the declarations and the signed headers of each run.
  const int64_t overhead = static_cast<int64_t>(up) - kPhotoBytes - static_cast<int64_t>(in_flight);
  INFO("bytes up " << up << ", in flight at the blows " << in_flight << ", the rest " << overhead);
  CHECK(up >= static_cast<uint64_t>(kPhotoBytes) + in_flight);
  CHECK(in_flight <= 5 * (65536 + 4096));
  CHECK(overhead <= 30000);  // a chunk resent that the server held would be 64 KiB more
  CHECK_FALSE(Has(a({"status"}).out, "Files waiting"));

  // The log tells of the cut uploads, by device and error only.
  const std::string log = ReadBytes(w.log);
  CHECK(Occurrences(log, R"("error":"cut_upload")") >= 3);
  CHECK(Has(log, R"("path":"/v1/attachments")"));
  for (const char* secret : {"Hờ A Chứ", "Bản Sả Séng", "2018-05-01", "vet-thuong"}) CHECK_FALSE(Has(log, secret));
  CHECK_FALSE(Has(log, hash.substr(0, 12)));
  CHECK_FALSE(Has(log, id));

  // Another worker of the commune fetches it whole.
  auto b = w.Device("w-b");
  Sync(*b);
  const std::string copy = b->dir().File("photo-copy.jpg");
  Run got = (*b)({"attachment", "get", id, "injury_photo", copy});
  INFO(got.out << got.err);
  REQUIRE(got.code == 0);
  CHECK(ReadBytes(copy) == photo);

  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::cout << "attachment kill e2e: " << up << " B up for a " << kPhotoBytes << " B photo through 5 blows, "
            << in_flight << " B of them in flight at the blows, " << overhead << " B of requests, " << seconds
            << " s\n";
}
