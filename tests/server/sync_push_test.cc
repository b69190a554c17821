// Pushed edits: merged, stored once, checked against the form and the user's area;
// a refused edit never stops the rest of its batch.
#include "server_world.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {
const Rejection* RejectionOf(const SyncResponse& r, const Dot& d) {
  for (const Rejection& x : r.rejected) {
    if (x.dot == d) return &x;
  }
  return nullptr;
}
}  // namespace

TEST_CASE("push: a resent batch is accepted again and stored once", "[server][push]") {
  ServerWorld w;
  TestDevice dev = w.Device("w-a");
  const auto edits = dev.CreateRecord(RecordId(1), "01234", {{"full_name", "Lò Văn Minh"}, {"age", "9"}});
  SyncResponse first = w.Push(dev, edits);
  REQUIRE(first.accepted.size() == edits.size());
  const int64_t stored = w.Count("SELECT count(*) FROM edits");
  const std::string record_before = std::to_string(w.Count("SELECT updated_seq FROM records"));
  const uint64_t applied = w.app().metrics().edits_applied();

  SyncResponse again = w.Push(dev, edits);  // the answer was lost: the device sends the same batch
  CHECK(again.accepted.size() == edits.size());
  CHECK(again.rejected.empty());
  CHECK(w.Count("SELECT count(*) FROM edits") == stored);
  CHECK(w.Count("SELECT count(*) FROM records") == 1);
  CHECK(std::to_string(w.Count("SELECT updated_seq FROM records")) == record_before);
  CHECK(w.app().metrics().edits_applied() == applied);

  // The same dot twice inside one batch is one edit too.
  Edit note = dev.NewEdit(RecordId(1), "notes", "Đã gặp gia đình.");
  SyncResponse twice = w.Push(dev, {note, note});
  CHECK(twice.accepted.size() == 1);
  CHECK(w.Count("SELECT count(*) FROM edits") == stored + 1);
}

TEST_CASE("push: edits of records made in turns are stored once however a resend overlaps them", "[server][push]") {
  ServerWorld w;
  TestDevice dev = w.Device("w-a");
  // Counters go to one record, then another, then the first again: the history
  // holds them as three change sets of consecutive counters.
  std::vector<Edit> batch = dev.CreateRecord(RecordId(1), "01234", {{"full_name", "Lò Văn Minh"}});
  const auto second = dev.CreateRecord(RecordId(2), "01234", {{"full_name", "Vàng Thị Dung"}});
  batch.insert(batch.end(), second.begin(), second.end());
  batch.push_back(dev.NewEdit(RecordId(1), "notes", "Đã gặp gia đình."));
  batch.push_back(dev.NewEdit(RecordId(1), "age", "9"));
  const std::vector<Edit> first_half(batch.begin(), batch.begin() + 7);
  REQUIRE(w.Push(dev, first_half).rejected.empty());
  const int64_t sets_before = w.Count("SELECT count(*) FROM edit_sets");
  // The whole batch comes again (its answer was lost after the first half landed).
  SyncResponse all = w.Push(dev, batch);
  CHECK(all.accepted.size() == batch.size());
  CHECK(all.rejected.empty());
  CHECK(w.Count("SELECT count(*) FROM edits") == static_cast<int64_t>(batch.size()));
  CHECK(w.Count("SELECT count(DISTINCT device || ':' || counter) FROM edits") == static_cast<int64_t>(batch.size()));
  CHECK(w.Count("SELECT count(*) FROM edit_sets") > sets_before);
  CHECK(w.Count("SELECT count(*) FROM edit_sets WHERE last_counter - first_counter + 1 <>"
                " (SELECT count(*) FROM edits e WHERE e.seq = edit_sets.seq)") == 0);
  auto store = ServerStore::Open(w.db, ServerStore::Mode::kOpen);
  REQUIRE(store.ok());
  auto stored = (*store)->HistoryOf(RecordId(1));
  REQUIRE(stored.ok());
  CHECK(stored->back().edit.field == "age");
  // Once more: nothing new is stored.
  CHECK(w.Push(dev, batch).accepted.size() == batch.size());
  CHECK(w.Count("SELECT count(*) FROM edits") == static_cast<int64_t>(batch.size()));
}

TEST_CASE("push: a choice that is not in the list is rejected while the rest of the batch lands",
          "[server][push]") {
  ServerWorld w;
  TestDevice dev = w.Device("w-a");
  auto edits = dev.CreateRecord(RecordId(1), "01234", {{"full_name", "Hà Thị Mai"}, {"sex", "unicorn"}, {"age", "7"}});
  const Dot bad = edits[5].dot;
  REQUIRE(edits[5].field == "sex");
  SyncResponse r = w.Push(dev, edits);
  REQUIRE(r.rejected.size() == 1);
  CHECK(r.rejected[0].dot == bad);
  CHECK(r.rejected[0].reason.find("sex") != std::string::npos);
  CHECK(r.rejected[0].reason.find("unicorn") == std::string::npos);  // never the value
  CHECK(r.accepted.size() == edits.size() - 1);
  CHECK_FALSE(HasDot(r.accepted, bad));
  CHECK(w.Count("SELECT count(*) FROM edits") == static_cast<int64_t>(edits.size() - 1));
  CHECK(w.Count("SELECT count(*) FROM edits WHERE field = 'sex'") == 0);
  CHECK(w.Count("SELECT count(*) FROM records") == 1);
  // Kept aside for review, with the sender and the reason.
  CHECK(w.Count("SELECT count(*) FROM rejected WHERE field = 'sex' AND value = 'unicorn' AND sender = '" + dev.id +
                "' AND reason LIKE '%not in the list%'") == 1);
  CHECK(w.app().metrics().Render().find("sotay_edits_rejected_total 1") != std::string::npos);
}

TEST_CASE("push: values are checked for type and field, not for cross-field rules", "[server][push]") {
  ServerWorld w;
  TestDevice dev = w.Device("w-a");
  REQUIRE(w.Push(dev, dev.CreateRecord(RecordId(1), "01234", {})).rejected.empty());
  const std::string id = RecordId(1);
  const Edit not_int = dev.NewEdit(id, "age", "seven");
  const Edit unknown = dev.NewEdit(id, "favourite_colour", "blue");
  const Edit note = dev.NewEdit(id, "info", "x");
  const Edit reserved = dev.NewEdit(id, "_secret", "x");
  const Edit bad_status = dev.NewEdit(id, "_status", "deleted");
  const Edit short_name = dev.NewEdit(id, "full_name", "A");  // the constraint is not the server's to check
  const Edit cleared = dev.NewEdit(id, "full_name", "");      // nor is "required"
  SyncResponse r = w.Push(dev, {not_int, unknown, note, reserved, bad_status, short_name, cleared});
  CHECK(r.rejected.size() == 5);
  for (const Edit* e : {&not_int, &unknown, &note, &reserved, &bad_status}) {
    INFO(e->field);
    CHECK(RejectionOf(r, e->dot) != nullptr);
  }
  CHECK(HasDot(r.accepted, short_name.dot));
  CHECK(HasDot(r.accepted, cleared.dot));
}

TEST_CASE("push: a worker cannot push into another commune", "[server][push][access]") {
  ServerWorld w;
  TestDevice a = w.Device("w-a");  // 01234
  TestDevice c = w.Device("w-c");  // 01237, same district
  TestDevice x = w.Device("w-x");  // 01255, another district
  REQUIRE(w.Push(a, a.CreateRecord(RecordId(1), "01234", {{"full_name", "Vì Thị Hoa"}})).rejected.empty());
  const std::string before = std::to_string(w.Count("SELECT count(*) FROM edits"));

  // A new record in someone else's commune.
  auto foreign = x.CreateRecord(RecordId(2), "01234", {{"full_name", "Người Lạ"}});
  SyncResponse r = w.Push(x, foreign);
  CHECK(r.accepted.empty());
  REQUIRE(r.rejected.size() == foreign.size());
  for (const Rejection& j : r.rejected) CHECK_FALSE(j.reason.empty());
  CHECK(RejectionOf(r, foreign[3].dot)->reason.find("area") != std::string::npos);

  // An edit to an existing record of another commune, and moving it into one's own.
  const Edit change = c.NewEdit(RecordId(1), "full_name", "Đổi Tên");
  const Edit move = c.NewEdit(RecordId(1), "_area", "01237");
  r = w.Push(c, {change, move});
  CHECK(r.accepted.empty());
  CHECK(r.rejected.size() == 2);
  CHECK(RejectionOf(r, change.dot)->reason == "the record belongs to an area this user may not edit");
  CHECK(std::to_string(w.Count("SELECT count(*) FROM edits")) == before);
  CHECK(w.Count("SELECT count(*) FROM records") == 1);
  CHECK(w.Count("SELECT count(*) FROM records WHERE area = '01234'") == 1);
}

TEST_CASE("push: district staff edit every commune of their district and no other", "[server][push][access]") {
  ServerWorld w;
  TestDevice d = w.Device("d-1");
  TestDevice admin = w.Device("adm");
  CHECK(w.Push(d, d.CreateRecord(RecordId(1), "01234", {})).rejected.empty());
  CHECK(w.Push(d, d.CreateRecord(RecordId(2), "01237", {})).rejected.empty());
  CHECK(w.Push(d, {d.NewEdit(RecordId(1), "_area", "01237")}).rejected.empty());  // moved within the district
  CHECK(w.Count("SELECT count(*) FROM records WHERE area = '01237'") == 2);
  CHECK(w.Push(d, d.CreateRecord(RecordId(3), "01255", {})).accepted.empty());
  CHECK(w.Push(d, d.CreateRecord(RecordId(4), "148", {})).accepted.empty());  // a district is not a commune
  CHECK(w.Push(admin, admin.CreateRecord(RecordId(5), "01234", {})).accepted.empty());
  CHECK(w.Count("SELECT count(*) FROM records") == 2);
}

TEST_CASE("push: unpublished forms and other devices' dots are rejected", "[server][push]") {
  ServerWorld w;
  TestDevice dev = w.Device("w-a");
  TestDevice other = w.Device("w-b");
  auto unknown_form = dev.CreateRecord(RecordId(1), "01234", {{"full_name", "Tòng Văn Sơn"}}, "no_such_form");
  unknown_form.push_back(dev.NewEdit(RecordId(9), "_status", "active"));  // so the record is not the batch's tail
  SyncResponse r = w.Push(dev, unknown_form);
  CHECK(r.rejected.size() == unknown_form.size() - 1);  // the last one is a cut record, left for later
  CHECK(RejectionOf(r, unknown_form[1].dot)->reason.find("not published") != std::string::npos);

  auto wrong_version = dev.CreateRecord(RecordId(2), "01234", {});
  wrong_version[2].value = "2";
  wrong_version.push_back(dev.NewEdit(RecordId(9), "_status", "active"));
  r = w.Push(dev, wrong_version);
  CHECK(RejectionOf(r, wrong_version[0].dot)->reason == "form case_test version 2 is not published on this server");

  Edit forged = other.NewEdit(RecordId(3), "_status", "active");
  r = w.Push(dev, {forged});
  REQUIRE(r.rejected.size() == 1);
  CHECK(r.rejected[0].reason.find("another device") != std::string::npos);
  CHECK(w.Count("SELECT count(*) FROM records") == 0);
}

TEST_CASE("push: a record cut at the end of a batch is left for the next request, not rejected",
          "[server][push]") {
  ServerWorld w;
  TestDevice dev = w.Device("w-a");
  auto first = dev.CreateRecord(RecordId(1), "01234", {{"full_name", "Lường Thị Xuân"}});
  auto second = dev.CreateRecord(RecordId(2), "01234", {{"full_name", "Cầm Văn Thắng"}});
  // The device's batch ends after the second record's _status and _form.
  std::vector<Edit> batch = first;
  batch.insert(batch.end(), second.begin(), second.begin() + 2);
  SyncResponse r = w.Push(dev, batch);
  CHECK(r.rejected.empty());
  CHECK(r.accepted.size() == first.size());  // the cut edits are neither accepted nor rejected
  CHECK(w.Count("SELECT count(*) FROM records") == 1);

  r = w.Push(dev, second);  // the next batch starts with them
  CHECK(r.rejected.empty());
  CHECK(r.accepted.size() == second.size());
  CHECK(w.Count("SELECT count(*) FROM records") == 2);

  // A record without an area anywhere else in a batch is rejected: the queue moves.
  auto lost = dev.CreateRecord(RecordId(3), "01234", {});
  lost.erase(lost.begin() + 3);  // no _area
  r = w.Push(dev, lost);
  CHECK(r.accepted.empty());
  CHECK(r.rejected.size() == lost.size());
}

TEST_CASE("push: concurrent edits of one field open one conflict - different fields none", "[server][push]") {
  ServerWorld w;
  TestDevice a = w.Device("w-a");
  TestDevice b = w.Device("w-b");
  auto create = a.CreateRecord(RecordId(1), "01234", {{"full_name", "Sùng A Páo"}, {"age", "8"}});
  REQUIRE(w.Push(a, create).rejected.empty());
  const Dot name_dot = create[4].dot;
  const Dot age_dot = create[5].dot;
  REQUIRE(w.Push(a, {a.NewEdit(RecordId(1), "age", "9", {age_dot})}).rejected.empty());
  REQUIRE(w.Push(b, {b.NewEdit(RecordId(1), "full_name", "Sùng A Pao", {name_dot})}).rejected.empty());
  CHECK(w.app().metrics().Render().find("sotay_conflicts_opened_total 0") != std::string::npos);
  REQUIRE(w.Push(a, {a.NewEdit(RecordId(1), "full_name", "Sùng Á Páo", {name_dot})}).rejected.empty());
  CHECK(w.app().metrics().Render().find("sotay_conflicts_opened_total 1") != std::string::npos);
  auto store = w.OpenStore();
  auto record = store->LoadRecord(RecordId(1));
  REQUIRE(record.ok());
  REQUIRE(*record);
  CHECK((*record)->state.Conflicts() == std::vector<std::string>{"full_name"});
  CHECK((*record)->state.Shown("age") == "9");
}

TEST_CASE("push: repeat entries use the parent form's version", "[server][push]") {
  ServerWorld w;
  TestDevice dev = w.Device("w-a");
  REQUIRE(w.Push(dev, dev.CreateRecord(RecordId(1), "01234", {})).rejected.empty());
  auto visit = dev.CreateRecord(RecordId(2), "01234", {{"visit_date", "2026-09-01"}}, "case_test.visits", RecordId(1));
  SyncResponse r = w.Push(dev, visit);
  CHECK(r.rejected.empty());
  CHECK(w.Count("SELECT count(*) FROM records WHERE form = 'case_test.visits' AND parent = '" + RecordId(1) + "'") ==
        1);
  r = w.Push(dev, {dev.NewEdit(RecordId(2), "visit_date", "2026-02-30")});
  CHECK(r.rejected.size() == 1);
}

TEST_CASE("push: an edit stamped more than a day ahead of the server is refused with a reason naming the clock",
          "[server][push][clock]") {
  ServerWorld w;
  TestDevice a = w.Device("w-a"), b = w.Device("w-b");
  REQUIRE(w.Push(a, a.CreateRecord(RecordId(1), "01234", {{"full_name", "Lò Văn Minh"}})).rejected.empty());
  Edit future = a.NewEdit(RecordId(1), "age", "9");
  future.hlc.ms = 4000000000000000000;  // the year 126 million
  Edit fast = a.NewEdit(RecordId(1), "notes", "Đã gặp gia đình.");
  fast.hlc.ms = w.env.now_ms + kMaxClockLeadMs;  // a phone a day fast still syncs
  SyncResponse r = w.Push(a, {future, fast});  // the request itself is answered (200)
  REQUIRE(r.rejected.size() == 1);
  CHECK(r.rejected[0].dot == future.dot);
  CHECK(r.rejected[0].reason.find("clock") != std::string::npos);
  CHECK(HasDot(r.accepted, fast.dot));
  CHECK(w.Count("SELECT count(*) FROM rejected WHERE reason LIKE '%clock%'") == 1);
  // Nothing from the far future reaches a colleague.
  for (const Edit& e : w.PullAll(b)) CHECK(e.hlc.ms <= w.env.now_ms + kMaxClockLeadMs);
}

TEST_CASE("push: a follow-up cannot be attached to another commune's case", "[server][push][access]") {
  ServerWorld w;
  TestDevice a = w.Device("w-a");  // 01234
  TestDevice c = w.Device("w-c");  // 01237, same district
  REQUIRE(w.Push(c, c.CreateRecord(RecordId(1), "01237", {{"full_name", "Vì Thị Hoa"}})).rejected.empty());

  // A new visit of commune 01234 whose parent is 01237's case: the whole record is refused.
  auto visit = a.CreateRecord(RecordId(2), "01234", {{"visit_date", "2026-09-01"}}, "case_test.visits", RecordId(1));
  SyncResponse r = w.Push(a, visit);
  CHECK(r.accepted.empty());
  CHECK(r.rejected.size() == visit.size());
  CHECK(RejectionOf(r, visit[4].dot)->reason.find("parent") != std::string::npos);
  CHECK(RejectionOf(r, visit[4].dot)->reason.find("area") != std::string::npos);

  // A parent that does not exist on the server.
  auto orphan = a.CreateRecord(RecordId(3), "01234", {{"visit_date", "2026-09-01"}}, "case_test.visits", RecordId(99));
  r = w.Push(a, orphan);
  CHECK(r.accepted.empty());
  CHECK(RejectionOf(r, orphan[4].dot)->reason.find("does not exist") != std::string::npos);

  // One's own visit, stored, cannot be moved under the other commune's case later.
  REQUIRE(w.Push(a, a.CreateRecord(RecordId(4), "01234", {{"full_name", "Lò Văn Páo"}})).rejected.empty());
  REQUIRE(w.Push(a, a.CreateRecord(RecordId(5), "01234", {}, "case_test.visits", RecordId(4))).rejected.empty());
  const Edit relink = a.NewEdit(RecordId(5), "_parent", RecordId(1));
  r = w.Push(a, {relink});
  CHECK(r.rejected.size() == 1);
  CHECK(w.Count("SELECT count(*) FROM records WHERE parent = '" + RecordId(1) + "'") == 0);
  CHECK(w.Count("SELECT count(*) FROM records WHERE parent = '" + RecordId(4) + "'") == 1);
}

TEST_CASE("push: a parent sent in the same request or an earlier one counts as existing", "[server][push]") {
  ServerWorld w;
  TestDevice a = w.Device("w-a"), b = w.Device("w-b");
  // Parent then visit in one batch, and the other way round.
  auto parent = a.CreateRecord(RecordId(1), "01234", {{"full_name", "Lò Văn Páo"}});
  auto visit = a.CreateRecord(RecordId(2), "01234", {{"visit_date", "2026-09-01"}}, "case_test.visits", RecordId(1));
  std::vector<Edit> batch = parent;
  batch.insert(batch.end(), visit.begin(), visit.end());
  SyncResponse r = w.Push(a, batch);
  CHECK(r.rejected.empty());
  CHECK(r.accepted.size() == batch.size());

  auto parent2 = a.CreateRecord(RecordId(3), "01234", {{"full_name", "Vàng Thị Dung"}});
  auto visit2 = a.CreateRecord(RecordId(4), "01234", {{"visit_date", "2026-09-02"}}, "case_test.visits", RecordId(3));
  std::vector<Edit> reversed = visit2;
  reversed.insert(reversed.end(), parent2.begin(), parent2.end());
  r = w.Push(a, reversed);
  CHECK(r.rejected.empty());
  CHECK(r.accepted.size() == reversed.size());

  // A parent another device of the commune pushed earlier.
  auto visit3 = b.CreateRecord(RecordId(5), "01234", {{"visit_date", "2026-09-03"}}, "case_test.visits", RecordId(1));
  CHECK(w.Push(b, visit3).rejected.empty());
  CHECK(w.Count("SELECT count(*) FROM records WHERE parent IS NOT NULL") == 3);
}

// Found by fuzz/http_sync_fuzz: an edit refused for its shape is kept aside with its
// base as JSON text, and a device id there that is not UTF-8 made the JSON library
// throw: a 500 for the whole batch. It is refused like any malformed edit.
TEST_CASE("push: an edit whose base names a device id that is not UTF-8 is refused and the batch lands",
          "[server][push]") {
  ServerWorld w;
  TestDevice a = w.Device("w-a");
  std::vector<Edit> edits = a.CreateRecord(RecordId(1), "01234", {{"full_name", "Lò Văn Páo"}});
  Edit bad = a.NewEdit(RecordId(1), "age", "9", {Dot{"dev-\xff\x09", 1}});
  edits.push_back(bad);
  SyncRequest r;
  r.push = edits;
  r.forms = {"case_test@1"};
  HttpResponse res = w.app().Handle(w.SignedSync(a, r));
  INFO(res.body);
  REQUIRE(res.status == 200);
  auto answer = DecodeSyncResponse(res.body);
  REQUIRE(answer.ok());
  REQUIRE(RejectionOf(*answer, bad.dot) != nullptr);
  CHECK(RejectionOf(*answer, bad.dot)->reason.find("base") != std::string::npos);
  CHECK(answer->accepted.size() == edits.size() - 1);
}
