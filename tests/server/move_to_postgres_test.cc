// `admin move-to-postgres` (issue 17): a district's SQLite file moves into an empty
// PostgreSQL database, and the devices go on syncing with the server on it as if
// nothing happened: same server key, same device keys, their cursors still right,
// the audit chain whole with one more entry. Only in the pg. run (it needs a
// PostgreSQL database); tagged [postgres].
#include <sstream>

#include "admin/admin_cli.h"
#include "server_world.h"
#include "web/record_index.h"
#include "web_client.h"

namespace sotay::server::testing {
namespace {

int Admin(FakeEnv& env, const std::vector<std::string>& args, std::string* out_text = nullptr,
          std::string* err_text = nullptr) {
  std::ostringstream out, err;
  const int code = RunAdmin(args, out, err, &env, "");
  if (out_text != nullptr) *out_text = out.str();
  if (err_text != nullptr) *err_text = err.str();
  return code;
}

TEST_CASE("move-to-postgres: a district's file moves whole, and its devices sync on as before", "[server][admin][postgres]") {
  REQUIRE(OnPostgres());
  ServerWorld w{SqliteFile{}};
  REQUIRE_FALSE(w.database.postgres());
  TestDevice a = w.Device("w-a");
  TestDevice b = w.Device("w-b");
  REQUIRE(w.Push(a, a.CreateRecord(RecordId(1), "01234", {{"full_name", "Lò Thị Mai"}, {"age", "9"}})).rejected.empty());
  REQUIRE(w.Push(a, a.CreateRecord(RecordId(2), "01234", {{"full_name", "Vàng A Páo"}})).rejected.empty());
  // A refused edit kept for review, and a transfer to another commune.
  SyncResponse refused = w.Push(a, {a.NewEdit(RecordId(3), "full_name", "x")});
  REQUIRE_FALSE(refused.rejected.empty());
  const std::vector<Edit> b_has = w.PullAll(b);
  REQUIRE(b_has.size() > 10);
  SyncResponse b_at = w.Push(b, {}, 0);
  const uint64_t b_cursor = b_at.cursor;

  // What the devices pinned at enrollment.
  auto old_store = w.OpenStore();
  auto old_key = ServerKey::Load(old_store->db());
  REQUIRE(old_key.ok());
  {  // The dashboard's index, as a district officer's first page fills it.
    web::DashboardStore dashboard(*old_store);
    web::RecordIndex index;
    REQUIRE(index.Refresh(dashboard, FormCatalog()).ok());
  }
  REQUIRE(CountRows(w.db, "SELECT count(*) FROM record_facts") == 2);
  const int64_t sets_before = CountRows(w.db, "SELECT count(*) FROM edit_sets");
  const int64_t audit_before = CountRows(w.db, "SELECT count(*) FROM audit_log");
  old_store.reset();

  TestDatabase target(w.dir.File("unused"));
  REQUIRE(target.postgres());
  std::string out, err;
  const int code = Admin(w.env, {"move-to-postgres", "--from", w.db, "--to", target.target()}, &out, &err);
  INFO(err);
  REQUIRE(code == 0);
  CHECK(out.find("edit_sets " + std::to_string(sets_before) + ",") != std::string::npos);
  CHECK(out.find("chain verified") != std::string::npos);
  CHECK(CountRows(target.target(), "SELECT count(*) FROM edit_sets") == sets_before);
  CHECK(CountRows(target.target(), "SELECT count(*) FROM audit_log") == audit_before + 1);
  CHECK(CountRows(target.target(), "SELECT count(*) FROM audit_log WHERE action = 'store.move_to_postgres'") == 1);
  CHECK(CountRows(target.target(), "SELECT count(*) FROM rejected") == 1);
  CHECK(CountRows(target.target(), "SELECT count(*) FROM record_facts") == 2);

  // A second move into it is refused and changes nothing.
  std::string again_err;
  CHECK(Admin(w.env, {"move-to-postgres", "--from", w.db, "--to", target.target()}, nullptr, &again_err) != 0);
  CHECK(again_err.find("already holds") != std::string::npos);
  CHECK(CountRows(target.target(), "SELECT count(*) FROM edit_sets") == sets_before);

  // The server on PostgreSQL: the same key, the devices known, b's cursor still right.
  auto moved = ServerStore::Open(target.target(), ServerStore::Mode::kOpen);
  REQUIRE(moved.ok());
  auto new_key = ServerKey::Load((*moved)->db());
  REQUIRE(new_key.ok());
  CHECK((*new_key)->public_key_base64() == (*old_key)->public_key_base64());
  auto app = App::Create(std::move(moved).value(), &w.env, nullptr, ServerLimits{});
  REQUIRE(app.ok());
  auto sync = [&](const TestDevice& d, const SyncRequest& r) {
    HttpResponse res = (*app)->Handle(w.SignedSync(d, r));
    INFO(res.body);
    REQUIRE(res.status == 200);
    CHECK(res.headers[kServerKeyHeader] == (*old_key)->public_key_base64());
    auto decoded = DecodeSyncResponse(res.body);
    REQUIRE(decoded.ok());
    return std::move(decoded).value();
  };
  SyncRequest nothing_new;
  nothing_new.cursor = b_cursor;
  nothing_new.forms = {"case_test@1"};
  SyncResponse b_now = sync(b, nothing_new);
  CHECK(b_now.pull.empty());  // nothing sent twice
  // A new edit from a: stored after the moved history, and b receives exactly it.
  SyncRequest more;
  more.push = {a.NewEdit(RecordId(1), "age", "10", {})};
  more.forms = {"case_test@1"};
  SyncResponse a_now = sync(a, more);
  CHECK(a_now.accepted.size() == 1);
  SyncResponse b_next = sync(b, nothing_new);
  REQUIRE(b_next.pull.size() == 1);
  CHECK(b_next.pull[0].value == "10");
  CHECK(b_next.cursor > b_cursor);
  CHECK(CountRows(target.target(), "SELECT count(*) FROM edit_sets") == sets_before + 1);

  // Refusals: the wrong way round, and no file.
  CHECK(Admin(w.env, {"move-to-postgres", "--from", target.target(), "--to", target.target()}) != 0);
  CHECK(Admin(w.env, {"move-to-postgres", "--from", w.dir.File("absent.db"), "--to", target.target()}) != 0);
  CHECK(Admin(w.env, {"move-to-postgres", "--from", w.db}) == 2);
}

}  // namespace
}  // namespace sotay::server::testing
