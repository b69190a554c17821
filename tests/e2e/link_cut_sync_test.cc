// Sync through a link that cuts (tests/support/link_proxy.h): a worker's children go
// up and come down on a fresh device of the same commune through resets and stalls
// on a seeded schedule, with plain `sotay sync` run again after each failure as a
// worker would; nothing may be lost or doubled. The 2G figures are bench/link_bench's.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "link_proxy.h"
#include "sotay/notebook.h"
#include "support/realistic_child.h"
#include "sync_world.h"

using namespace sotay::testing;

namespace {

// A device of `user` enrolled at `url` (the proxy), not the server's own address.
std::unique_ptr<Shell> DeviceAt(World& w, const std::string& user, const std::string& url) {
  auto sh = std::make_unique<Shell>();
  sh->lang = "en";  // its failures are read below
  REQUIRE((*sh)({"init"}).code == 0);
  std::string out = ServerAdmin({"admin", "enroll-code", "--db", w.db, "--user", user});
  Run r = (*sh)({"enroll", url, out.substr(0, out.find_first_of(" \n"))});
  INFO(r.err);
  REQUIRE(r.code == 0);
  return sh;
}

// `sotay sync` until one goes through; returns how many failed before it.
int SyncThroughCuts(const Shell& sh) {
  for (int failed = 0; failed < 200; ++failed) {
    Run r = sh({"sync"});
    if (r.code == 0) return failed;
    INFO(r.err);
    // The link, not anything else: the shell says so, and how far it got.
    REQUIRE(Has(r.err, "link lost"));
    REQUIRE(Has(r.err, " sent"));
  }
  FAIL("no sync went through in 200 tries");
  return -1;
}

}  // namespace

TEST_CASE("sync e2e over a cutting link: every child arrives once on the server and on a fresh device",
          "[sync-e2e][link]") {
  World w;
  const std::string& direct = w.server->url();
  LinkOptions o;
  o.target_port = std::stoi(direct.substr(direct.rfind(':') + 1));
  o.one_way_latency_ms = 5;
  o.seed = 16;
  o.mean_bytes_between_cuts = 20000;
  o.stall_share = 0.3;
  o.stall_ms = 300;
  auto proxy = LinkProxy::Start(o);
  REQUIRE(proxy.ok());
  (*proxy)->PauseCuts(true);  // an enrollment code is good once: enroll on a whole link
  auto a = DeviceAt(w, "w-a", (*proxy)->url());
  auto b = DeviceAt(w, "w-b", (*proxy)->url());
  (*proxy)->PauseCuts(false);

  const int children = 40;
  std::map<std::string, int> child_of;  // record id -> child number
  int64_t edits = 0;
  {
    auto nb = sotay::Notebook::Open(a->store(), a->passphrase);
    REQUIRE(nb.ok());
    std::vector<sotay::Answers> rows;
    for (int i = 0; i < children; ++i) rows.push_back(RealisticChild(i));
    auto made = (*nb)->CreateRecords("child_profile", rows, "vi");
    REQUIRE(made.ok());
    for (size_t i = 0; i < made->size(); ++i) {
      INFO(i);
      REQUIRE((*made)[i].ok());
      child_of[(*made)[i].id] = static_cast<int>(i);
    }
    auto outbox = (*nb)->OutboxCount();
    REQUIRE(outbox.ok());
    edits = *outbox;
  }

  const int push_failures = SyncThroughCuts(*a);
  const int pull_failures = SyncThroughCuts(*b);
  const LinkCounters c = (*proxy)->counters();
  INFO("push failures " << push_failures << ", pull failures " << pull_failures << ", resets " << c.resets
                        << ", stalls " << c.stalls << ", up " << c.bytes_up << " B, down " << c.bytes_down << " B");
  CHECK(c.resets >= 1);  // the link did cut: otherwise this test proves nothing
  CHECK(push_failures + pull_failures >= 1);

  CHECK(w.ServerCount("SELECT count(*) FROM records WHERE form = 'child_profile'") == children);
  CHECK(w.ServerCount("SELECT count(*) FROM edits") == edits);
  auto nb = sotay::Notebook::Open(b->store(), b->passphrase);
  REQUIRE(nb.ok());
  auto list = (*nb)->List({"child_profile", "", false}, "vi");
  REQUIRE(list.ok());
  CHECK(list->size() == static_cast<size_t>(children));
  for (const auto& [id, i] : child_of) {
    auto got = (*nb)->Get(id);
    REQUIRE(got.ok());
    for (const auto& [field, value] : RealisticChild(i)) {
      INFO(field);
      CHECK(got->shown[field] == value);
    }
  }
}
