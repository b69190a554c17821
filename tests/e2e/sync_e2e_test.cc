// Sync end to end: the real sotay-server on an ephemeral loopback port, real sotay
// clients on their own encrypted stores, real signatures (the world: sync_world.h).
// Each case reads as a story from two devices to the server and back.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <thread>

#include "server_process.h"
#include "support/edits_view.h"
#include "sync_world.h"

using namespace sotay::testing;

TEST_CASE("sync e2e: different fields survive, the same field is one conflict, resolved by the district",
          "[sync-e2e]") {
  World w;
  auto a = w.Device("w-a");
  auto b = w.Device("w-b");
  auto d = w.Device("d-1");
  const std::string id = NewChild(*a, "Nguyễn Thị Ánh");
  const std::string sid = id.substr(id.size() - 8);  // as `sotay list` shows it
  Sync(*a);
  Sync(*b);
  REQUIRE(Has((*b)({"show", sid}).out, "Nguyễn Thị Ánh"));

  REQUIRE((*a)({"edit", sid, "village=Bản Mới"}).code == 0);
  REQUIRE((*b)({"edit", sid, "health_insurance=no"}).code == 0);
  Sync(*a);
  Sync(*b);
  Sync(*a);
  for (Shell* sh : {a.get(), b.get()}) {
    Run show = (*sh)({"show", sid});
    CHECK(Has(show.out, "Thôn, bản, tổ dân phố: Bản Mới"));
    CHECK(Has(show.out, "Trẻ có thẻ bảo hiểm y tế không?: Không"));
    CHECK_FALSE(Has(show.out, "xung đột"));
  }

  REQUIRE((*a)({"edit", sid, "village=Bản Phố"}).code == 0);
  REQUIRE((*b)({"edit", sid, "village=Bản Dền"}).code == 0);
  Sync(*a);
  Run bsync = (*b)({"sync"});
  CHECK(Has(bsync.out, "xung đột mới: 1"));
  Sync(*a);
  Sync(*d);
  std::string shown;
  for (Shell* sh : {a.get(), b.get(), d.get()}) {
    Run c = (*sh)({"conflicts"});
    CHECK(Has(c.out, "Bản Phố"));
    CHECK(Has(c.out, "Bản Dền"));
    Run show = (*sh)({"show", sid});
    std::string line = show.out.substr(show.out.find("Thôn, bản, tổ dân phố: "));
    line = line.substr(0, line.find('\n'));
    if (shown.empty()) shown = line;
    CHECK(line == shown);  // the same shown value everywhere
  }
  CHECK(w.ServerCount("SELECT count(*) FROM records") == 1);

  REQUIRE((*d)({"edit", sid, "village=Bản Dền"}).code == 0);  // the district decides
  Sync(*d);
  Sync(*a);
  Sync(*b);
  for (Shell* sh : {a.get(), b.get(), d.get()}) {
    CHECK(Has((*sh)({"conflicts"}).out, "Không có xung đột."));
    CHECK(Has((*sh)({"show", sid}).out, "Thôn, bản, tổ dân phố: Bản Dền"));
  }
}

TEST_CASE("sync e2e: another commune's worker never sees this commune, and a revoked device is refused",
          "[sync-e2e]") {
  World w;
  auto a = w.Device("w-a");
  auto c = w.Device("w-c");
  NewChild(*a, "Trần Văn Bình");
  NewChild(*c, "Phạm Thị Đảo");
  Sync(*a);
  Sync(*c);
  Sync(*a);
  CHECK_FALSE(Has((*a)({"list"}).out, "Phạm Thị Đảo"));
  CHECK_FALSE(Has((*c)({"list"}).out, "Trần Văn Bình"));
  CHECK(Has((*c)({"list"}).out, "Phạm Thị Đảo"));

  std::string devices = ServerAdmin({"admin", "devices", "--db", w.db});
  std::string a_device = (*a)({"status"}).out;
  a_device = a_device.substr(a_device.find("Thiết bị: ") + std::string("Thiết bị: ").size(), 16);
  REQUIRE(Has(devices, a_device));
  ServerAdmin({"admin", "revoke", "--db", w.db, "--device", a_device});
  NewChild(*a, "Lê Văn Sau");
  const int64_t edits_before = w.ServerCount("SELECT count(*) FROM edits");
  Run refused = (*a)({"sync"});
  CHECK(refused.code == 7);
  CHECK(w.ServerCount("SELECT count(*) FROM edits") == edits_before);
}

TEST_CASE("sync e2e: the server killed mid-push and a client killed mid-pull lose and repeat nothing",
          "[sync-e2e]") {
  World w;
  auto a = w.Device("w-a");
  // A commune's backlog after days without signal.
  std::ostringstream csv;
  csv << "full_name,sex,dob,ethnicity,birth_registered,village,living_with,caregiver_name,"
         "household_poverty,in_school,school_level,health_insurance,disability\n";
  for (int i = 0; i < 600; ++i) {
    csv << "Trẻ Số " << i << ",female,2015-03-21,tay,yes,Bản " << i % 9
        << ",relatives,Người " << i << ",poor,yes,primary,yes,no\n";
  }
  REQUIRE((*a)({"import", "child_profile", a->Write("backlog.csv", csv.str())}).code == 0);
  const std::string outbox_line = (*a)({"status"}).out;
  const int64_t made = std::stoll(outbox_line.substr(outbox_line.find("Thay đổi chờ gửi: ") + std::string("Thay đổi chờ gửi: ").size()));
  REQUIRE(made > 6000);

  // Push in the background and SIGKILL the server while it runs.
  std::thread pusher([&] { (*a)({"sync"}); });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  w.server->Stop(SIGKILL);
  pusher.join();
  w.server->Restart();
  Sync(*a);
  Sync(*a);
  CHECK(w.ServerCount("SELECT count(*) FROM edits") == made);
  CHECK(w.ServerCount("SELECT count(DISTINCT device || ':' || counter) FROM edits") == made);
  CHECK(Has((*a)({"status"}).out, "Thay đổi chờ gửi: 0"));

  // A fresh device pulls everything; kill it mid-pull, then pull again.
  auto b = w.Device("w-b");
  std::thread puller([&] { (*b)({"sync"}); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // Only this device's process: other tests may be syncing at the same time.
  std::system(("pkill -KILL -f " + Shell::Quote(b->store() + " sync") + " >/dev/null 2>&1").c_str());
  puller.join();
  Sync(*b);
  Run list = (*b)({"list", "--find", "tre so"});
  size_t lines = 0;
  for (char ch : list.out) lines += ch == '\n';
  CHECK(lines == 600);
  CHECK(Has((*b)({"list", "--find", "so 599"}).out, "Trẻ Số 599"));
  CHECK(Has((*b)({"status"}).out, "Hồ sơ: 600"));
}

TEST_CASE("sync e2e: a district officer's record names a commune and the server keeps it", "[sync-e2e]") {
  World w;
  auto d = w.Device("d-1");  // district 001: communes 01234 and 01235
  const std::string file = d->Write("child.json", R"({"full_name": "Hà Thị Mai", "sex": "female",
      "dob": "2015-03-21", "ethnicity": "tay", "birth_registered": "yes",
      "village": "Thôn Đông", "living_with": "relatives", "caregiver_name": "Hoàng Thị Lan",
      "household_poverty": "poor", "in_school": "yes", "school_level": "primary", "health_insurance": "yes",
      "disability": "no"})");

  // Without a commune the record would be the district's, which nobody keeps: refused, naming the option.
  Run bare = (*d)({"new", "child_profile", "--answers", file});
  CHECK(bare.code == 2);
  CHECK(Has(bare.err, "--commune"));
  CHECK(Has(bare.err, "01235  Xã Nà Hang"));
  // A commune of another district is not one this officer may record for.
  Run foreign = (*d)({"new", "child_profile", "--commune", "02001", "--answers", file});
  CHECK(foreign.code == 2);
  // The interview asks first, listing the communes by name with numbers.
  Run asked = (*d)({"new", "child_profile"}, "7\n");
  CHECK(asked.code == 2);
  CHECK(Has(asked.out, "2. Xã Nà Hang (01235)"));
  CHECK(Has(asked.out, "✗"));
  CHECK(Has((*d)({"status"}).out, "Hồ sơ: 0"));

  Run made = (*d)({"new", "child_profile", "--commune", "01235", "--answers", file});
  INFO(made.err);
  REQUIRE(made.code == 0);
  Sync(*d);
  CHECK(Has((*d)({"status"}).out, "Thay đổi chờ gửi: 0"));
  CHECK_FALSE(Has((*d)({"status"}).out, "từ chối"));
  CHECK(w.ServerCount("SELECT count(*) FROM records WHERE area = '01235'") == 1);
  CHECK(w.ServerCount("SELECT count(*) FROM rejected") == 0);
}

TEST_CASE("sync e2e: refused edits stay visible until the worker retries them after a fix or drops them",
          "[sync-e2e]") {
  World w;
  auto a = w.Device("w-a");
  // A form the district has not published yet: every edit of its records is refused.
  const std::string form = a->Write("home_visit.json", R"({
    "form": "home_visit", "version": 1, "title": {"vi": "Thăm nhà", "en": "Home visit"},
    "fields": [{"type": "text", "name": "family", "required": true, "label": {"vi": "Gia đình", "en": "Family"}}]})");
  REQUIRE((*a)({"forms", "add", form}).code == 0);
  const std::string visit = a->Write("visit.json", R"({"family": "Gia đình Lò Văn Páo"})");
  REQUIRE((*a)({"new", "home_visit", "--answers", visit}).code == 0);
  NewChild(*a, "Nguyễn Thị Ánh");

  Run sync = (*a)({"sync"});
  CHECK(sync.code == 9);
  CHECK(Has(sync.out, "bị từ chối: 5"));
  CHECK(Has(sync.out, "1 × the record's form is not published on this server"));  // reasons grouped
  CHECK(Has(sync.out, "4 × the record names no form and version"));
  CHECK(Has(sync.err, "sotay rejected"));
  Run status = (*a)({"status"});
  CHECK(Has(status.out, "Thay đổi chờ gửi: 0"));
  CHECK(Has(status.out, "Bị máy chủ từ chối: 5 (sotay rejected)"));
  Run listed = (*a)({"rejected"});
  CHECK(listed.code == 0);
  CHECK(Has(listed.out, "_form  the record's form is not published on this server"));
  CHECK(Has(listed.out, "family  the record names no form and version"));
  CHECK((*a)({"sync"}).code == 9);  // still there, still said

  // The district publishes the form: the kept edits go again and are stored.
  ServerAdmin({"admin", "publish-form", "--db", w.db, form});
  Run retry = (*a)({"rejected", "--retry"});
  CHECK(retry.code == 0);
  CHECK(Has((*a)({"status"}).out, "Thay đổi chờ gửi: 5"));
  Sync(*a);
  CHECK(w.ServerCount("SELECT count(*) FROM records WHERE form = 'home_visit'") == 1);
  CHECK_FALSE(Has((*a)({"status"}).out, "từ chối"));

  // A refusal the worker gives up on is dropped by its number.
  REQUIRE((*a)({"forms", "add", a->Write("home_visit2.json", R"({
    "form": "home_visit", "version": 2, "title": {"vi": "Thăm nhà", "en": "Home visit"},
    "fields": [{"type": "text", "name": "family", "required": true, "label": {"vi": "Gia đình", "en": "Family"}}]})")}).code == 0);
  REQUIRE((*a)({"new", "home_visit", "--answers", visit}).code == 0);
  CHECK((*a)({"sync"}).code == 9);
  CHECK((*a)({"rejected", "--drop", "123456"}).code == 5);
  CHECK((*a)({"rejected", "--drop", "all"}).code == 0);
  CHECK(Has((*a)({"rejected"}).out, "Không có thay đổi nào bị từ chối."));
  Sync(*a);
}

TEST_CASE("sync e2e: a server address changed in notebook.db with sqlite3 makes sotay sync fail, and sends nothing",
          "[sync-e2e][security][sqlite]") {
  World w;
  auto a = w.Device("w-a");
  NewChild(*a, "Trần Văn Bình");
  // Another server, where someone with the phone (but not its passphrase) would like
  // the children's records to go.
  TempDir other_dir;
  const std::string other_db = other_dir.File("server.db");
  std::string areas = other_dir.File("areas.csv");
  std::ofstream(areas) << kAreas;
  ServerAdmin({"admin", "init", "--db", other_db, "--areas", areas, "--forms", SOTAY_SCHEMAS_DIR});
  ServerAdmin({"admin", "add-user", "--db", other_db, "--id", "w-a", "--role", "worker", "--area", "01234"});
  // It even knows the device's key (as if it had copied the district's database), so
  // it would accept and store whatever the device sent.
  w.Sql("ATTACH '" + other_db + "' AS other; INSERT INTO other.devices SELECT * FROM main.devices; DETACH other;");
  ServerProcess other(other_db);
  {
    auto h = sotay::sqlite::Db::Open(a->store(), sotay::sqlite::Db::Mode::kReadWrite);
    REQUIRE(h.ok());
    auto st = h->Prepare("UPDATE meta SET value = ?1 WHERE key = 'server_url'");
    REQUIRE(st.ok());
    REQUIRE(st->Bind(1, other.url()).Run().ok());
    CHECK(h->changes() == 1);
  }
  Run r = (*a)({"--lang", "en", "sync"});
  INFO(r.out << r.err);
  CHECK(r.code != 0);
  CHECK(Has(r.err, "server address was changed outside sotay"));
  CHECK(sotay::testing::CountRows(other_db, "SELECT count(*) FROM edit_sets") == 0);
  CHECK(w.ServerCount("SELECT count(*) FROM edits") == 0);
}

TEST_CASE("sync e2e: a server at the enrolled address answering with another key is refused, the outbox kept",
          "[sync-e2e][security][sqlite]") {
  World w;
  auto a = w.Device("w-a");
  NewChild(*a, "Trần Văn Bình");
  // Another key pair answers at the same address (a taken-over name or machine).
  TempDir other_dir;
  const std::string other_db = other_dir.File("server.db");
  std::string areas = other_dir.File("areas.csv");
  std::ofstream(areas) << kAreas;
  ServerAdmin({"admin", "init", "--db", other_db, "--areas", areas, "--forms", SOTAY_SCHEMAS_DIR});
  w.server->Stop(SIGTERM);
  w.Sql("ATTACH '" + other_db + "' AS other; DELETE FROM main.server_keys;"
        " INSERT INTO main.server_keys SELECT * FROM other.server_keys; DETACH other;");
  w.server->Restart();
  Run r = (*a)({"--lang", "en", "sync"});
  INFO(r.out << r.err);
  CHECK(r.code != 0);
  CHECK(Has(r.err, "not signed by the server this device enrolled with"));
  const std::string status = (*a)({"--lang", "en", "status"}).out;
  CHECK(Has(status, "Changes waiting to be sent: "));
  CHECK_FALSE(Has(status, "Changes waiting to be sent: 0\n"));  // nothing was acknowledged
}

TEST_CASE("sync e2e: a void decided both ways at once is settled on a device with sotay resolve", "[sync-e2e]") {
  World w;
  auto a = w.Device("w-a");
  auto b = w.Device("w-b");
  const std::string id = NewChild(*a, "Nguyễn Thị Ánh");
  const std::string sid = id.substr(id.size() - 8);
  Sync(*a);
  Sync(*b);
  // A voids while B, offline, changes the village: the void missed that change.
  REQUIRE((*a)({"void", sid}).code == 0);
  REQUIRE((*b)({"edit", sid, "village=Bản Mới"}).code == 0);
  Sync(*a);
  Sync(*b);
  Sync(*a);
  for (Shell* sh : {a.get(), b.get()}) {
    Run c = (*sh)({"--lang", "en", "conflicts"});
    INFO(c.out);
    CHECK(Has(c.out, "Record status [_status]"));
    CHECK(Has(c.out, "Changes the void had not seen:"));
    CHECK(Has(c.out, "Bản Mới"));  // the change the void missed
    CHECK(Has(c.out, "sotay resolve " + sid + " _status"));
  }
  // Both decide at once, each as told: A voids again, B restores.
  REQUIRE((*a)({"void", sid}).code == 0);
  REQUIRE((*b)({"restore", sid}).code == 0);
  Sync(*a);
  Sync(*b);
  Sync(*a);
  for (Shell* sh : {a.get(), b.get()}) {
    Run show = (*sh)({"--lang", "en", "show", sid});
    INFO(show.out);
    CHECK(Has(show.out, "conflict"));
    CHECK(Has(show.out, "sotay resolve " + sid + " _status"));
    CHECK_FALSE(Has(show.out, "sotay restore"));
  }
  // The way the message names works, whichever value shows now.
  Run resolved = (*b)({"resolve", sid, "_status", "active"});
  INFO(resolved.out << resolved.err);
  REQUIRE(resolved.code == 0);
  Sync(*b);
  Sync(*a);
  for (Shell* sh : {a.get(), b.get()}) {
    CHECK(Has((*sh)({"conflicts"}).out, "Không có xung đột."));
    Run show = (*sh)({"--lang", "en", "show", sid});
    CHECK(Has(show.out, "Status: active"));
    CHECK(Has(show.out, "Bản Mới"));
  }
}

TEST_CASE("sync e2e: two fields in conflict count as two new conflicts, and resolve takes the number shown",
          "[sync-e2e]") {
  World w;
  auto a = w.Device("w-a");
  auto b = w.Device("w-b");
  const std::string id = NewChild(*a, "Nguyễn Thị Ánh");
  const std::string sid = id.substr(id.size() - 8);
  Sync(*a);
  Sync(*b);
  REQUIRE((*a)({"edit", sid, "village=Bản Phố", "caregiver_name=Lò Văn Một"}).code == 0);
  REQUIRE((*b)({"edit", sid, "village=Bản Dền", "caregiver_name=Lò Văn Hai"}).code == 0);
  Sync(*a);
  Run bsync = (*b)({"sync"});
  CHECK(Has(bsync.out, "xung đột mới: 2"));
  Sync(*a);

  Run show = (*b)({"show", sid});
  std::string line = show.out.substr(show.out.find("Thôn, bản, tổ dân phố: "));
  line = line.substr(0, line.find('\n'));
  CHECK(Has(line, "⚠"));  // the field's own line says it is in conflict
  // The numbers `sotay conflicts` shows are the ones resolve takes.
  Run list = (*b)({"conflicts"});
  std::string village = list.out.substr(list.out.find("[village]"));
  const std::string first = village.substr(village.find("1) ") + 3, village.find("   — ") - village.find("1) ") - 3);
  CHECK((first == "Bản Phố" || first == "Bản Dền"));
  Run ask = (*b)({"resolve", sid, "village"});  // no terminal: lists and asks for N
  CHECK(ask.code == 2);
  CHECK(Has(ask.out, "1) " + first));
  Run one = (*b)({"resolve", sid, "village", "1"});
  INFO(one.out << one.err);
  REQUIRE(one.code == 0);
  REQUIRE((*b)({"resolve", sid, "caregiver_name", "Lò Văn Ba"}).code == 0);  // a new value, checked like an edit
  CHECK((*b)({"resolve", sid, "caregiver_name", "x"}).code == 7);             // no longer in conflict
  Sync(*b);
  Sync(*a);
  for (Shell* sh : {a.get(), b.get()}) {
    CHECK(Has((*sh)({"conflicts"}).out, "Không có xung đột."));
    Run s = (*sh)({"show", sid});
    CHECK(Has(s.out, "Thôn, bản, tổ dân phố: " + first));
    CHECK(Has(s.out, "Lò Văn Ba"));
  }
}
