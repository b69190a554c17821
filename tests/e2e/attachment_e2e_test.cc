// A photo on a record, end to end (issue 20): attached offline in the real `sotay`,
// sent to the real sotay-server through a link that cuts (tests/support/link_proxy.h)
// with plain `sotay sync` run again after each failure, as a worker would. The
// record's edits arrive first, whatever happens to the photo; the photo arrives once,
// whole, matching its hash; a 200 MB file is refused before anything is stored.
// The device and the server killed mid-upload: attachment_kill_test.cc.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "link_proxy.h"
#include "sotay/notebook.h"
#include "sotay/signing.h"
#include "injury_photo.h"
#include "sync_world.h"

using namespace sotay::testing;

TEST_CASE("files e2e: a photo attached offline goes up through cuts, once, after its record", "[sync-e2e][link][attachment]") {
  World w;
  const std::string& direct = w.server->url();
  LinkOptions o;
  o.target_port = std::stoi(direct.substr(direct.rfind(':') + 1));
  o.one_way_latency_ms = 5;
  o.seed = 20;
  o.mean_bytes_between_cuts = 100000;  // a 300 KB photo crosses a few cuts
  auto proxy = LinkProxy::Start(o);
  REQUIRE(proxy.ok());
  (*proxy)->PauseCuts(true);  // an enrollment code is good once: enroll on a whole link
  Shell a;
  a.lang = "en";
  REQUIRE(a({"init"}).code == 0);
  const std::string code = ServerAdmin({"admin", "enroll-code", "--db", w.db, "--user", "w-a"});
  REQUIRE(a({"enroll", (*proxy)->url(), code.substr(0, code.find_first_of(" \n"))}).code == 0);

  // Offline: the record, then its photo.
  Run made = a({"new", "injury_incident", "--answers", a.Write("injury.json", kInjuryAnswers)});
  INFO(made.out << made.err);
  REQUIRE(made.code == 0);
  const std::string id = made.out.substr(0, 36);
  const std::string photo = FakeJpeg(300, 20);
  Run attached = a({"attach", id, "injury_photo", a.Write("vet-thuong.jpg", photo)});
  INFO(attached.out << attached.err);
  REQUIRE(attached.code == 0);
  Run status = a({"status"});
  CHECK(Has(status.out, "Files waiting to be sent: 1 (307200 bytes)"));

  // A 200 MB file is refused at once, saying why; nothing more is stored.
  const std::string big = a.dir().File("video.jpg");
  std::ofstream(big, std::ios::binary).put('x');
  std::filesystem::resize_file(big, 200LL * 1024 * 1024);  // sparse: nothing written
  Run refused = a({"attach", id, "injury_photo", big});
  CHECK(refused.code == 4);
  CHECK(Has(refused.err, "the file is 209715200 bytes; the form allows at most 5242880"));

  (*proxy)->PauseCuts(false);
  int cut_in_files = 0, failures = 0;
  bool record_first = true;
  for (; failures < 100; ++failures) {
    Run r = a({"sync"});
    if (r.code == 0) {
      CHECK(Has(r.out, "Files: sent 1"));
      break;
    }
    INFO(r.out << r.err);
    REQUIRE(Has(r.err, "link lost"));
    if (Has(r.err, "files not all sent")) {
      ++cut_in_files;
      // The record's edits were through before the photo's first byte could be cut.
      record_first = record_first && w.ServerCount("SELECT count(*) FROM records WHERE id = '" + id + "'") == 1;
    }
  }
  const LinkCounters c = (*proxy)->counters();
  INFO("failures " << failures << ", cut during the photo " << cut_in_files << ", resets " << c.resets << ", up "
                   << c.bytes_up << " B");
  REQUIRE(failures < 100);
  CHECK(cut_in_files >= 2);  // the link did cut the upload, more than once
  CHECK(record_first);
  const std::string hash = sotay::Sha256Hex(photo);
  CHECK(w.ServerCount("SELECT count(*) FROM attachments") == 1);
  CHECK(w.ServerCount("SELECT count(*) FROM attachments WHERE complete = 1 AND size = 307200 AND hash = '" + hash + "'") == 1);
  CHECK(w.ServerCount("SELECT count(*) FROM attachment_refs WHERE record = '" + id + "'") == 1);
  // Whole and resumed, not resent: at most one chunk per cut went twice.
  CHECK(c.bytes_up < 307200 + static_cast<uint64_t>(cut_in_files + 1) * 65536 + 200000);
  CHECK(Has(a({"status"}).out, "Files waiting") == false);
}

TEST_CASE("files e2e: another device fetches a photo only when asked, through cuts, whole", "[sync-e2e][link][attachment]") {
  World w;
  auto a = w.Device("w-a");
  Run made = (*a)({"new", "injury_incident", "--answers", a->Write("injury.json", kInjuryAnswers)});
  REQUIRE(made.code == 0);
  const std::string id = made.out.substr(0, 36);
  const std::string photo = FakeJpeg(300, 20);
  REQUIRE((*a)({"attach", id, "injury_photo", a->Write("vet-thuong.jpg", photo)}).code == 0);
  REQUIRE((*a)({"sync"}).code == 0);

  // The other worker's phone, over a link that cuts: its sync brings the record but
  // not the photo (nothing of a file crosses the link unless asked for).
  const std::string& direct = w.server->url();
  LinkOptions o;
  o.target_port = std::stoi(direct.substr(direct.rfind(':') + 1));
  o.one_way_latency_ms = 5;
  o.seed = 21;
  o.mean_bytes_between_cuts = 100000;
  auto proxy = LinkProxy::Start(o);
  REQUIRE(proxy.ok());
  (*proxy)->PauseCuts(true);
  Shell b;
  b.lang = "en";
  REQUIRE(b({"init"}).code == 0);
  const std::string code = ServerAdmin({"admin", "enroll-code", "--db", w.db, "--user", "w-b"});
  REQUIRE(b({"enroll", (*proxy)->url(), code.substr(0, code.find_first_of(" \n"))}).code == 0);
  REQUIRE(b({"sync"}).code == 0);
  CHECK((*proxy)->counters().bytes_down < 100000);  // the record's edits, not the 300 KB photo

  // Asked for: fetched chunk by chunk, each cut resumed at the next chunk.
  (*proxy)->PauseCuts(false);
  const std::string out = b.dir().File("photo-copy.jpg");
  int failures = 0;
  for (; failures < 60; ++failures) {
    Run got = b({"attachment", "get", id, "injury_photo", out});
    if (got.code == 0) {
      CHECK(Has(got.out, "Wrote 307200 bytes"));
      break;
    }
    INFO(got.out << got.err);
    REQUIRE(Has(got.err, "no answer from the server"));
  }
  REQUIRE(failures < 60);
  CHECK(failures >= 1);  // the link did cut the fetch
  CHECK(sotay::testing::ReadBytes(out) == photo);
  const LinkCounters c = (*proxy)->counters();
  INFO("failures " << failures << ", down " << c.bytes_down << " B");
  CHECK(c.bytes_down < 307200 + static_cast<uint64_t>(failures + 1) * 65536 + 100000);

  // Kept sealed like its own: asked again, nothing crosses the link.
  (*proxy)->PauseCuts(true);
  const uint64_t before = (*proxy)->counters().bytes_down;
  std::filesystem::remove(out);
  REQUIRE(b({"attachment", "get", id, "injury_photo", out}).code == 0);
  CHECK((*proxy)->counters().bytes_down == before);
  CHECK(sotay::testing::ReadBytes(out) == photo);
  CHECK_FALSE(Has(b({"status"}).out, "Files waiting"));  // another's file is not this device's to send
}
