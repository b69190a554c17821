// What a worker sees of `sotay sync` (issue 16), end to end with the real server:
// a line per exchange with the changes sent and received and the bytes on the wire,
// in Vietnamese by default and in English by the shell's language switch, and after
// the link is lost, how much got through. Nothing of a record is in these lines.
#include <catch2/catch.hpp>

#include <csignal>

#include "server_process.h"
#include "sync_world.h"

using namespace sotay::testing;

TEST_CASE("sync e2e: every exchange prints a line with what was sent and the wire bytes, and a lost link says so",
          "[sync-e2e][link]") {
  World w;
  auto a = w.Device("w-a");
  NewChild(*a, "Nguyễn Thị Ánh");
  NewChild(*a, "Lò Văn Páo");
  Run r = (*a)({"sync"});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  // Not a terminal (the test captures it), and still the worker's line.
  CHECK(Has(r.err, "đồng bộ: đã gửi "));
  CHECK(Has(r.err, " KB ↑ "));
  CHECK(Has(r.err, " KB/s"));
  CHECK_FALSE(Has(r.err, "Nguyễn"));
  CHECK_FALSE(Has(r.err, "Páo"));

  NewChild(*a, "Hoàng Thị Lan");
  Run en = (*a)({"--lang", "en", "sync"});
  INFO(en.out << en.err);
  REQUIRE(en.code == 0);
  CHECK(Has(en.err, "sync: sent "));
  CHECK(Has(en.err, " changes; "));

  NewChild(*a, "Vàng Thị Dua");
  w.server->Stop(SIGKILL);  // the link is gone
  Run lost = (*a)({"--lang", "en", "sync"});
  INFO(lost.out << lost.err);
  CHECK(lost.code != 0);
  CHECK(Has(lost.err, "link lost, 0 of "));
  CHECK(Has(lost.err, "run sotay sync again"));
  Run lost_vi = (*a)({"sync"});
  CHECK(Has(lost_vi.err, "mất kết nối, đã gửi 0/"));
}
