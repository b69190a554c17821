// Pulled edits: only the communes the user may see, in pages, with the forms the
// device lacks.
#include <set>

#include "server_world.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {
std::set<std::string> Records(const std::vector<Edit>& edits) {
  std::set<std::string> out;
  for (const Edit& e : edits) out.insert(e.record);
  return out;
}
}  // namespace

TEST_CASE("pull: a worker never pulls another commune's records", "[server][pull][access]") {
  ServerWorld w;
  TestDevice a = w.Device("w-a");   // 01234
  TestDevice b = w.Device("w-b");   // 01234
  TestDevice c = w.Device("w-c");   // 01237, same district
  TestDevice x = w.Device("w-x");   // 01255
  REQUIRE(w.Push(a, a.CreateRecord(RecordId(1), "01234", {{"full_name", "Mùa A Dính"}})).rejected.empty());
  REQUIRE(w.Push(c, c.CreateRecord(RecordId(2), "01237", {{"full_name", "Hà Văn Tú"}})).rejected.empty());
  CHECK(w.PullAll(x).empty());
  CHECK(Records(w.PullAll(c)) == std::set<std::string>{});  // its own record is not sent back
  CHECK(Records(w.PullAll(b)) == std::set<std::string>{RecordId(1)});
  const auto pulled = w.PullAll(b);
  for (const Edit& e : pulled) CHECK(e.author == "w-a");
}

TEST_CASE("pull: district staff pull every commune of their district", "[server][pull][access]") {
  ServerWorld w;
  TestDevice a = w.Device("w-a");  // 01234
  TestDevice c = w.Device("w-c");  // 01237
  TestDevice x = w.Device("w-x");  // 01255, district 152
  TestDevice d = w.Device("d-1");  // district 148
  TestDevice admin = w.Device("adm");
  auto ra = a.CreateRecord(RecordId(1), "01234", {{"full_name", "Lò Thị En"}});
  auto rc = c.CreateRecord(RecordId(2), "01237", {{"full_name", "Vi Văn Nam"}});
  auto rx = x.CreateRecord(RecordId(3), "01255", {{"full_name", "Bùi Thị Lan"}});
  REQUIRE(w.Push(a, ra).rejected.empty());
  REQUIRE(w.Push(c, rc).rejected.empty());
  REQUIRE(w.Push(x, rx).rejected.empty());
  const auto pulled = w.PullAll(d);
  CHECK(Records(pulled) == std::set<std::string>{RecordId(1), RecordId(2)});
  CHECK(pulled.size() == ra.size() + rc.size());
  CHECK(w.PullAll(admin).empty());
}

TEST_CASE("pull: pages of at most 5000 edits in whole change sets, with `more` until the end", "[server][pull]") {
  ServerWorld w;
  TestDevice a = w.Device("w-a");
  TestDevice b = w.Device("w-b");
  std::vector<Edit> batch;
  for (int r = 0; r < 200; ++r) {
    auto edits = a.CreateRecord(RecordId(r), "01234", {{"full_name", "Trẻ " + std::to_string(r)}});
    for (int i = 0; i < 25; ++i) edits.push_back(a.NewEdit(RecordId(r), "notes", "ghi chú " + std::to_string(i)));
    batch.insert(batch.end(), edits.begin(), edits.end());
    if (batch.size() > 1500) {
      REQUIRE(w.Push(a, batch).rejected.empty());
      batch.clear();
    }
  }
  REQUIRE(w.Push(a, batch).rejected.empty());
  const int64_t total = w.Count("SELECT count(*) FROM edits");
  REQUIRE(total == 200 * 30);

  SyncRequest req;
  req.forms = {"case_test@1"};
  SyncResponse p1 = w.Sync(b, req);
  // Pages end between change sets (here a record's 30 edits): the first holds as
  // many whole sets as fit in 5000 edits.
  CHECK(p1.pull.size() <= 5000);
  CHECK(p1.pull.size() > 5000 - 30);
  CHECK(p1.more);
  req.cursor = p1.cursor;
  SyncResponse p2 = w.Sync(b, req);
  CHECK(p1.pull.size() + p2.pull.size() == 6000);
  CHECK_FALSE(p2.more);
  CHECK(p2.cursor == static_cast<uint64_t>(w.Count("SELECT max(seq) FROM edits")));
  std::set<Dot> seen;
  for (const auto* page : {&p1, &p2}) {
    for (const Edit& e : page->pull) CHECK(seen.insert(e.dot).second);
  }
  req.cursor = p2.cursor;
  SyncResponse p3 = w.Sync(b, req);
  CHECK(p3.pull.empty());
  CHECK(p3.cursor == p2.cursor);
}

TEST_CASE("pull: a page stops near 1 MiB", "[server][pull]") {
  ServerWorld w;
  TestDevice a = w.Device("w-a");
  TestDevice b = w.Device("w-b");
  auto edits = a.CreateRecord(RecordId(1), "01234", {});
  const std::string long_note(15000, 'n');
  for (int i = 0; i < 150; ++i) edits.push_back(a.NewEdit(RecordId(1), "notes", long_note));  // ~2.2 MB
  REQUIRE(w.Push(a, edits).rejected.empty());
  SyncRequest req;
  req.forms = {"case_test@1"};
  SyncResponse p1 = w.Sync(b, req);
  CHECK(p1.more);
  size_t bytes = 0;
  for (const Edit& e : p1.pull) bytes += e.value.size();
  CHECK(bytes <= 1024 * 1024);
  CHECK(bytes > 900 * 1024);
  CHECK(w.PullAll(b, p1.cursor).size() + p1.pull.size() == edits.size());
}

TEST_CASE("pull: the device gets the published forms it lacks, once", "[server][pull]") {
  ServerWorld w;
  TestDevice a = w.Device("w-a");
  SyncRequest req;
  SyncResponse r = w.Sync(a, req);
  REQUIRE(r.forms.size() == 1);
  CHECK(r.forms[0] == kTestForm);
  req.forms = {"case_test@1"};
  CHECK(w.Sync(a, req).forms.empty());

  // A form published while the server runs is offered on the next exchange.
  std::string v2 = kTestForm;
  v2.replace(v2.find("\"version\": 1"), 12, "\"version\": 2");
  {
    auto store = w.OpenStore();
    std::string name;
    REQUIRE(PublishForm(*store, v2, "v2", &w.env, &name).ok());
  }
  r = w.Sync(a, req);
  REQUIRE(r.forms.size() == 1);
  CHECK(r.forms[0] == v2);
}

TEST_CASE("pull: a device that reads stored sets gets the same edits, pages and cursors as one that reads edits",
          "[server][pull]") {
  ServerWorld w;
  TestDevice a = w.Device("w-a");
  TestDevice b = w.Device("w-b");
  TestDevice c = w.Device("w-b");  // the same worker's second phone, which reads sets
  std::vector<Edit> batch;
  for (int r = 0; r < 300; ++r) {
    auto edits = a.CreateRecord(RecordId(r), "01234", {{"full_name", "Trẻ " + std::to_string(r)}});
    for (int i = 0; i < 15; ++i) edits.push_back(a.NewEdit(RecordId(r), "notes", "ghi chú " + std::to_string(i)));
    batch.insert(batch.end(), edits.begin(), edits.end());
    if (batch.size() > 1500) {
      REQUIRE(w.Push(a, batch).rejected.empty());
      batch.clear();
    }
  }
  REQUIRE(w.Push(a, batch).rejected.empty());
  uint64_t cursor_b = 0, cursor_c = 0;
  size_t pages = 0, total = 0;
  for (bool more = true; more; ++pages) {
    SyncRequest by_edit;
    by_edit.cursor = cursor_b;
    by_edit.forms = {"case_test@1"};
    SyncRequest by_set = by_edit;
    by_set.cursor = cursor_c;
    by_set.reads_sets = true;
    HttpResponse raw = w.app().Handle(w.SignedSync(c, by_set));
    REQUIRE(raw.status == 200);
    const SyncResponse edits = w.Sync(b, by_edit);
    auto sets = DecodeSyncResponse(raw.body);
    REQUIRE(sets.ok());
    CHECK(raw.body.size() < EncodeSyncResponse(edits).size() * 2);  // sets are not much larger on the wire
    REQUIRE(sets->pull.size() == edits.pull.size());
    for (size_t i = 0; i < edits.pull.size(); ++i) {
      CHECK(sets->pull[i].dot == edits.pull[i].dot);
      CHECK(sets->pull[i].record == edits.pull[i].record);
      CHECK(sets->pull[i].field == edits.pull[i].field);
      CHECK(sets->pull[i].value == edits.pull[i].value);
      CHECK(sets->pull[i].hlc == edits.pull[i].hlc);
      CHECK(sets->pull[i].author == edits.pull[i].author);
    }
    CHECK(sets->cursor == edits.cursor);
    CHECK(sets->more == edits.more);
    cursor_b = edits.cursor;
    cursor_c = sets->cursor;
    total += edits.pull.size();
    more = edits.more;
  }
  CHECK(pages >= 2);
  CHECK(total == 300 * 20);
}
