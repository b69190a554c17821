// Sensitive answers on the server (schemas/README.md, "Sensitive"): the pull sends
// them only to their author's devices (and what replaces their values), staff see them only when an administrator
// allowed it (by the command line, in the audit log), and a conflict over one is
// neither shown nor settled by staff who may not see it.
#include <catch2/catch.hpp>

#include <sstream>

#include "admin/admin_cli.h"
#include "admin/admin_ops.h"
#include "server_world.h"
#include "web_client.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

const char* kPassword = "mật khẩu dài đủ 12";

// Version 2 of the test form marks `dob` sensitive; records of version 1 are kept
// back by it too.
void PublishSensitiveVersion(ServerWorld& w) {
  std::string text = sotay::testing::kTestForm;
  auto at = [&](const std::string& s) { return text.find(s); };
  text.replace(at("\"version\": 1"), 12, "\"version\": 2");
  text.replace(at("\"name\": \"dob\","), 14, "\"name\": \"dob\", \"sensitive\": true,");
  auto store = w.OpenStore();
  std::string name;
  auto published = PublishForm(*store, text, "case_test v2", &w.env, &name);
  INFO(published.status().ToString());
  REQUIRE(published.ok());
}

bool Holds(const std::vector<Edit>& edits, const std::string& field) {
  for (const Edit& e : edits) {
    if (e.field == field) return true;
  }
  return false;
}

std::string Admin(ServerWorld& w, const std::vector<std::string>& args, int* code) {
  std::ostringstream out, err;
  *code = RunAdmin(args, out, err, &w.env, "");
  return out.str() + err.str();
}

bool Has(const HttpResponse& r, const std::string& text) { return r.body.find(text) != std::string::npos; }

std::vector<Dot> AreaHeads(ServerWorld& w, const std::string& id) {
  auto store = w.OpenStore();
  auto row = store->LoadRecord(id);
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  return (**row).state.HeadsOf("_area");
}

}  // namespace

TEST_CASE("pull: a sensitive answer reaches its author's devices only, the rest of its change every device",
          "[server][pull][sensitive]") {
  ServerWorld w;
  PublishSensitiveVersion(w);
  TestDevice a1 = w.Device("w-a"), a2 = w.Device("w-a"), b = w.Device("w-b"), d = w.Device("d-1");
  auto created = a1.CreateRecord(RecordId(1), "01234", {{"full_name", "Mùa A Dính"}, {"dob", "2015-03-21"}});
  REQUIRE(w.Push(a1, created).rejected.empty());
  CHECK(Holds(w.PullAll(a2), "dob"));  // the same worker's other phone
  const std::vector<Edit> on_b = w.PullAll(b);
  CHECK(Holds(on_b, "full_name"));
  CHECK_FALSE(Holds(on_b, "dob"));
  CHECK_FALSE(Holds(w.PullAll(d), "dob"));  // district devices too: the dashboard is where staff are allowed

  // A change of the sensitive answer alone: the other devices get nothing, and move on.
  SyncResponse before = w.Sync(b, SyncRequest{});
  REQUIRE(w.Push(a1, {a1.NewEdit(RecordId(1), "dob", "2015-04-01", {created.back().dot})}).rejected.empty());
  SyncRequest next;
  next.cursor = before.cursor;
  SyncResponse after = w.Sync(b, next);
  CHECK(after.pull.empty());
  CHECK(after.cursor > before.cursor);
  CHECK(Holds(w.PullAll(a2), "dob"));

  // The other worker's change lands beside it and erases nothing.
  Dot name_dot;
  for (const Edit& e : on_b) {
    if (e.field == "full_name") name_dot = e.dot;
  }
  REQUIRE(w.Push(b, {b.NewEdit(RecordId(1), "full_name", "Mùa Thị Dính", {name_dot})}).rejected.empty());
  auto store = w.OpenStore();
  auto row = store->LoadRecord(RecordId(1));
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  CHECK((*row)->state.Shown("dob") == "2015-04-01");
  CHECK((*row)->state.Shown("full_name") == "Mùa Thị Dính");
  CHECK((*row)->state.Conflicts().empty());
}

TEST_CASE("admin: grant-sensitive is for district staff, shown on the users page, and each change is audited",
          "[server][admin][sensitive]") {
  ServerWorld w;
  {
    auto store = w.OpenStore();
    REQUIRE(AddUser(*store, "quantri", Role::kAdmin, "", std::string(kPassword), &w.env).ok());
  }
  int code = 0;
  std::string said = Admin(w, {"grant-sensitive", "--db", w.db, "--user", "w-a"}, &code);
  CHECK(code == 7);
  CHECK(said.find("user w-a is worker: only district staff") != std::string::npos);
  said = Admin(w, {"grant-sensitive", "--db", w.db, "--user", "nobody"}, &code);
  CHECK(code == 5);
  CHECK(said.find("no user nobody") != std::string::npos);
  said = Admin(w, {"grant-sensitive", "--db", w.db, "--user", "d-1"}, &code);
  CHECK(code == 0);
  Admin(w, {"grant-sensitive", "--db", w.db, "--user", "d-1"}, &code);  // again: nothing new
  CHECK(code == 0);
  CHECK(w.Count("SELECT count(*) FROM audit_log WHERE action = 'user.grant_sensitive' AND target = 'd-1'") == 1);
  CHECK(w.Count("SELECT count(*) FROM users WHERE id = 'd-1' AND sensitive_granted_ms IS NOT NULL") == 1);

  WebClient admin(w.app());
  REQUIRE(admin.Login("quantri", kPassword));
  CHECK(Has(admin.Get("/admin/users"), "data-sensitive=\"yes\""));

  Admin(w, {"revoke-sensitive", "--db", w.db, "--user", "d-1"}, &code);
  CHECK(code == 0);
  CHECK(w.Count("SELECT count(*) FROM audit_log WHERE action = 'user.revoke_sensitive' AND target = 'd-1'") == 1);
  CHECK(w.Count("SELECT count(*) FROM users WHERE sensitive_granted_ms IS NOT NULL") == 0);
  CHECK_FALSE(Has(admin.Get("/admin/users"), "data-sensitive=\"yes\""));
}

TEST_CASE("web: a conflict over a sensitive answer shows no value to staff not allowed, who cannot settle it",
          "[server][web][sensitive]") {
  ServerWorld w;
  PublishSensitiveVersion(w);
  {
    auto store = w.OpenStore();
    REQUIRE(AddUser(*store, "huyen", Role::kDistrict, "148", std::string(kPassword), &w.env).ok());
    REQUIRE(AddUser(*store, "huyen-bm", Role::kDistrict, "148", std::string(kPassword), &w.env).ok());
    REQUIRE(store->SetSensitiveGrant("huyen-bm", w.env.now_ms).ok());
  }
  TestDevice a1 = w.Device("w-a"), a2 = w.Device("w-a"), b = w.Device("w-b");
  auto created = a1.CreateRecord(RecordId(1), "01234", {{"full_name", "Mùa A Dính"}, {"dob", "2015-03-21"}});
  REQUIRE(w.Push(a1, created).rejected.empty());
  const Dot first = created.back().dot;
  // Two phones of the same worker change it without seeing each other.
  REQUIRE(w.Push(a1, {a1.NewEdit(RecordId(1), "dob", "2015-01-09", {first})}).rejected.empty());
  REQUIRE(w.Push(a2, {a2.NewEdit(RecordId(1), "dob", "2014-12-30", {first})}).rejected.empty());

  WebClient no(w.app()), yes(w.app());
  REQUIRE(no.Login("huyen", kPassword));
  REQUIRE(yes.Login("huyen-bm", kPassword));
  HttpResponse hidden = no.Get("/conflicts");
  CHECK(Has(hidden, "data-field=\"dob\""));
  CHECK(Has(hidden, "(thông tin bảo mật)"));
  for (const char* value : {"09/01/2015", "2015-01-09", "30/12/2014", "2014-12-30"}) CHECK_FALSE(Has(hidden, value));
  HttpResponse record = no.Get("/records/" + RecordId(1));
  CHECK(Has(record, "Mùa A Dính"));
  for (const char* value : {"21/03/2015", "2015-03-21", "09/01/2015", "2015-01-09"}) {
    CHECK_FALSE(Has(record, value));  // neither the answer nor its history
  }
  CHECK(no.Post("/conflicts/resolve", {{"record", RecordId(1)}, {"field", "dob"}, {"pick", "other"},
                                       {"other", "2015-02-02"}}).status == 403);

  HttpResponse shown = yes.Get("/conflicts");
  CHECK((Has(shown, "09/01/2015") || Has(shown, "2015-01-09")));
  CHECK((Has(shown, "30/12/2014") || Has(shown, "2014-12-30")));
  HttpResponse full = yes.Get("/records/" + RecordId(1));
  CHECK((Has(full, "21/03/2015") || Has(full, "2015-03-21")));  // in the history
  CHECK(yes.Post("/conflicts/resolve", {{"record", RecordId(1)}, {"field", "dob"}, {"pick", "other"},
                                        {"other", "2015-02-02"}}).status == 303);

  // The settlement replaces the worker's two answers: it reaches the worker's phones,
  // which would otherwise show the conflict for ever, and still no other worker's.
  auto settled = [](const std::vector<Edit>& edits) {
    for (const Edit& e : edits) {
      if (e.field == "dob" && e.value == "2015-02-02") return true;
    }
    return false;
  };
  CHECK(settled(w.PullAll(a1)));
  CHECK(settled(w.PullAll(a2)));
  CHECK_FALSE(Holds(w.PullAll(b), "dob"));
}

TEST_CASE("pull: a record moved to another commune arrives whole, but for another worker's sensitive answer",
          "[server][pull][sensitive][transfer]") {
  ServerWorld w;
  PublishSensitiveVersion(w);
  TestDevice a = w.Device("w-a");  // 01234
  TestDevice c = w.Device("w-c");  // 01237, where the child moves
  REQUIRE(w.Push(a, a.CreateRecord(RecordId(1), "01234", {{"full_name", "Mùa A Dính"}, {"dob", "2015-03-21"}}))
              .rejected.empty());
  SyncResponse before = w.Sync(c, SyncRequest{});
  CHECK(before.pull.empty());
  REQUIRE(w.Push(a, {a.NewEdit(RecordId(1), "_area", "01237", AreaHeads(w, RecordId(1)))}).rejected.empty());
  const std::vector<Edit> arrived = w.PullAll(c, before.cursor);
  CHECK(Holds(arrived, "full_name"));
  CHECK(Holds(arrived, "_area"));
  CHECK_FALSE(Holds(arrived, "dob"));
}
