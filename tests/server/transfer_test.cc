// Transfers (issue 14, docs/sync-protocol.md "Transfers") through the server's
// handlers: a child moved on the dashboard while a device of the commune it left
// still edits it offline, the receiving commune's device pulling the child whole,
// who may move what, and pages that keep a catch-up whole.
#include <catch2/catch.hpp>

#include "admin/admin_ops.h"
#include "server_world.h"
#include "sotay/merge.h"
#include "web_client.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

const char* kPassword = "mật khẩu dài đủ 12";

// Huyện Mai Châu (148) holds 01234 and 01237; Tân Lạc (152) holds 01255; the
// province (17) holds both districts.
struct TransferWorld : ServerWorld {
  explicit TransferWorld(ServerLimits limits = {}) : ServerWorld(limits) {
    auto store = OpenStore();
    REQUIRE(AddUser(*store, "huyen", Role::kDistrict, "148", std::string(kPassword), &env).ok());
    REQUIRE(AddUser(*store, "tinh", Role::kDistrict, "17", std::string(kPassword), &env).ok());
  }
  WebClient SignedIn(const std::string& user) {
    WebClient c(app());
    REQUIRE(c.Login(user, kPassword));
    return c;
  }
  std::string AreaOf(const std::string& id) {
    sql::Db h = OpenRaw(db);
    auto st = h.Prepare("SELECT area FROM records WHERE id = ?1");
    REQUIRE(st.ok());
    st->Bind(1, id);
    auto row = st->Step();
    REQUIRE(row.ok());
    return *row ? st->Text(0) : "";
  }
  RecordState StateOf(const std::string& id) {
    auto store = OpenStore();
    auto row = store->LoadRecord(id);
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    return (**row).state;
  }
};

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
bool Has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

size_t CountField(const std::vector<Edit>& edits, const std::string& record, const std::string& field) {
  return static_cast<size_t>(std::count_if(edits.begin(), edits.end(), [&](const Edit& e) {
    return e.record == record && e.field == field;
  }));
}

}  // namespace

TEST_CASE("transfer: moved on the dashboard while a device edits offline, nothing is lost and the device forgets",
          "[transfer]") {
  TransferWorld w;
  TestDevice a = w.Device("w-a");  // Chiềng Châu, where the family lived
  TestDevice c = w.Device("w-c");  // Vạn Mai, where it moves
  const std::string child = RecordId(1), visit = RecordId(2);
  auto edits = a.CreateRecord(child, "01234", {{"full_name", "Lò Thị Hoa"}, {"sex", "female"}});
  auto v = a.CreateRecord(visit, "01234", {{"visit_date", "2026-09-01"}}, "case_test.visits", child);
  edits.insert(edits.end(), v.begin(), v.end());
  edits.push_back(a.NewEdit(child, "notes", "thăm lần đầu"));
  SyncResponse first = w.Push(a, edits);
  REQUIRE(first.rejected.empty());
  const uint64_t a_cursor = first.cursor;  // the device goes offline here
  SyncResponse c_first = w.Sync(c, SyncRequest{});
  CHECK(c_first.pull.empty());  // not Vạn Mai's child yet
  const uint64_t c_cursor = c_first.cursor;

  WebClient huyen = w.SignedIn("huyen");
  HttpResponse page = huyen.Get("/records/" + child);
  REQUIRE(page.status == 200);
  CHECK(Has(page.body, "action=\"/records/transfer\""));
  CHECK(Has(page.body, "Xã Vạn Mai (01237)"));
  CHECK_FALSE(Has(page.body, "01255"));  // another district: not offered
  HttpResponse moved = huyen.Post("/records/transfer", {{"record", child}, {"to", "01237"}});
  INFO(moved.body);
  REQUIRE(moved.status == 303);
  CHECK(w.AreaOf(child) == "01237");
  CHECK(w.AreaOf(visit) == "01237");
  CHECK(w.Count("SELECT count(*) FROM moves") == 2);
  CHECK(w.Count("SELECT count(*) FROM audit_log WHERE action = 'record.transfer'") == 2);
  HttpResponse after = huyen.Get("/records/" + child);
  CHECK(Has(after.body, "<s>Xã Chiềng Châu</s> → Xã Vạn Mai"));  // the history reads the move

  // The offline device still writes a note; its next sync carries its old cursor.
  const Edit note = a.NewEdit(child, "notes", "ghi chú khi chưa có sóng");
  SyncResponse back = w.Push(a, {note}, a_cursor);
  INFO(back.rejected.size());
  REQUIRE(back.rejected.empty());
  CHECK(HasDot(back.accepted, note.dot));
  CHECK(Has(back.gone, child));
  CHECK(Has(back.gone, visit));
  CHECK(Has(w.StateOf(child).Shown("notes"), "ghi chú khi chưa có sóng"));

  // Once it has pulled the move, a further edit from it is refused, naming the transfer.
  w.env.now_ms += 60 * 1000;
  a.clock_ms = w.env.now_ms;
  SyncResponse late = w.Push(a, {a.NewEdit(child, "notes", "sau khi chuyển")}, back.cursor);
  REQUIRE(late.rejected.size() == 1);
  CHECK(Has(late.rejected[0].reason, "transferred"));
  CHECK_FALSE(Has(late.rejected[0].reason, "Hoa"));

  // The receiving device pulls the child whole: its creation (before its cursor),
  // the visit, the offline note and the move.
  std::vector<Edit> pulled = w.PullAll(c, c_cursor);
  CHECK(CountField(pulled, child, "_form") == 1);
  CHECK(CountField(pulled, child, "full_name") == 1);
  CHECK(CountField(pulled, child, "notes") == 2);
  CHECK(CountField(pulled, child, "_area") == 2);  // created in 01234, moved to 01237
  CHECK(CountField(pulled, visit, "_parent") == 1);
  CHECK(CountField(pulled, visit, "visit_date") == 1);
}

TEST_CASE("transfer: district staff move between two districts only when their area holds both", "[transfer]") {
  TransferWorld w;
  TestDevice a = w.Device("w-a");
  const std::string child = RecordId(1);
  REQUIRE(w.Push(a, a.CreateRecord(child, "01234", {{"full_name", "Vì Văn Nam"}})).rejected.empty());

  WebClient huyen = w.SignedIn("huyen");
  HttpResponse refused = huyen.Post("/records/transfer", {{"record", child}, {"to", "01255"}});
  CHECK(refused.status == 400);
  CHECK(w.AreaOf(child) == "01234");
  CHECK(w.Count("SELECT count(*) FROM moves") == 0);

  WebClient tinh = w.SignedIn("tinh");
  CHECK(Has(tinh.Get("/records/" + child).body, "Xã Mãn Đức (01255)"));
  HttpResponse moved = tinh.Post("/records/transfer", {{"record", child}, {"to", "01255"}});
  REQUIRE(moved.status == 303);
  CHECK(w.AreaOf(child) == "01255");

  // Without the CSRF token nothing moves.
  HttpResponse forged = tinh.Post("/records/transfer", {{"record", child}, {"to", "01234"}}, false);
  CHECK(forged.status == 403);
  CHECK(w.AreaOf(child) == "01255");
}

TEST_CASE("transfer: a worker moves a child of their commune to any known commune, never one of another",
          "[transfer]") {
  TransferWorld w;
  TestDevice a = w.Device("w-a");  // 01234
  TestDevice c = w.Device("w-c");  // 01237
  const std::string mine = RecordId(1), theirs = RecordId(2);
  REQUIRE(w.Push(a, a.CreateRecord(mine, "01234", {{"full_name", "Hà Văn Tú"}})).rejected.empty());
  REQUIRE(w.Push(c, c.CreateRecord(theirs, "01237", {{"full_name", "Lò Văn Sơn"}})).rejected.empty());

  // To a commune of another district: the family moved there.
  SyncResponse moved = w.Push(a, {a.NewEdit(mine, "_area", "01255", w.StateOf(mine).HeadsOf("_area"))});
  CHECK(moved.rejected.empty());
  CHECK(w.AreaOf(mine) == "01255");

  SyncResponse foreign = w.Push(a, {a.NewEdit(theirs, "_area", "01234", w.StateOf(theirs).HeadsOf("_area"))});
  REQUIRE(foreign.rejected.size() == 1);
  CHECK(Has(foreign.rejected[0].reason, "may not edit"));
  CHECK(w.AreaOf(theirs) == "01237");

  SyncResponse unknown = w.Push(c, {c.NewEdit(theirs, "_area", "99999", w.StateOf(theirs).HeadsOf("_area"))});
  REQUIRE(unknown.rejected.size() == 1);
  CHECK(Has(unknown.rejected[0].reason, "not a commune this server knows"));
  CHECK(w.AreaOf(theirs) == "01237");
}

TEST_CASE("transfer: a pull page never ends inside a transferred child's history", "[transfer]") {
  ServerLimits limits;
  limits.pull.max_edits = 4;  // smaller than the child's history
  TransferWorld w(limits);
  TestDevice a = w.Device("w-a");
  TestDevice c = w.Device("w-c");
  const std::string child = RecordId(1);
  auto edits = a.CreateRecord(child, "01234", {{"full_name", "Đinh Thị Mai"}, {"sex", "female"}});
  REQUIRE(w.Push(a, edits).rejected.empty());
  for (int i = 0; i < 3; ++i) REQUIRE(w.Push(a, {a.NewEdit(child, "notes", "lần " + std::to_string(i))}).rejected.empty());
  uint64_t cursor = w.Sync(c, SyncRequest{}).cursor;
  REQUIRE(w.Push(a, {a.NewEdit(child, "_area", "01237", w.StateOf(child).HeadsOf("_area"))}).rejected.empty());

  SyncRequest r;
  r.cursor = cursor;
  r.forms = {"case_test@1"};
  SyncResponse page = w.Sync(c, r);
  // The move and everything before it in one page, over the page's limit.
  CHECK(CountField(page.pull, child, "_form") == 1);
  CHECK(CountField(page.pull, child, "notes") == 3);
  CHECK(CountField(page.pull, child, "_area") == 2);
  CHECK_FALSE(page.more);
}
