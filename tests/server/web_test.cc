// The dashboard through App::Handle, as a browser would use it: sign-in and
// sessions, CSRF, who may see which record, search without diacritics, the history's
// parallel updates, conflicts resolved into edits that devices pull, reports against
// hand counts, the audit log and its verifier, and the admin pages.
//
// One file over 400 lines on purpose: the cases share the signed-in browser fixture
// and follow the dashboard page by page; splitting it would split that story.
#include <catch2/catch.hpp>


#include "admin/admin_ops.h"
#include "server_world.h"
#include "sotay/csv.h"
#include "sotay/merge.h"
#include "sotay/read_file.h"
#include "web/audit_log.h"
#include "web/dashboard_store.h"
#include "web_client.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

const char* kPassword = "mật khẩu dài đủ 12";

// A world with dashboard users: district staff of 148, a worker of 01237 (district
// 148), a worker of 01255 (another district), an administrator.
struct WebWorld : ServerWorld {
  WebWorld() {
    auto store = OpenStore();
    REQUIRE(AddUser(*store, "huyen", Role::kDistrict, "148", std::string(kPassword), &env).ok());
    REQUIRE(AddUser(*store, "xa-vm", Role::kWorker, "01237", std::string(kPassword), &env).ok());
    REQUIRE(AddUser(*store, "xa-md", Role::kWorker, "01255", std::string(kPassword), &env).ok());
    REQUIRE(AddUser(*store, "quantri", Role::kAdmin, "", std::string(kPassword), &env).ok());
  }

  WebClient SignedIn(const std::string& user) {
    WebClient c(app());
    REQUIRE(c.Login(user, kPassword));
    return c;
  }
};

bool Has(const HttpResponse& r, const std::string& text) { return r.body.find(text) != std::string::npos; }

int64_t EditCount(const std::string& db) { return CountRows(db, "SELECT count(*) FROM edits"); }

}  // namespace

TEST_CASE("web: without a session every page sends the browser to the sign-in page", "[web]") {
  WebWorld w;
  WebClient anon(w.app());
  for (const char* path : {"/records", "/records/x", "/conflicts", "/cases", "/reports", "/export", "/audit",
                           "/admin/devices"}) {
    HttpResponse r = anon.Get(path);
    INFO(path);
    CHECK(r.status == 303);
    CHECK(r.headers["Location"].rfind("/login?next=", 0) == 0);
  }
  HttpResponse post = anon.Post("/conflicts/resolve", {{"record", "x"}, {"field", "age"}, {"pick", "other"}}, false);
  CHECK(post.status == 303);
  CHECK(anon.Get("/login").status == 200);
  CHECK(anon.Get("/static/sotay.css").status == 200);
}

TEST_CASE("web: a wrong password opens no session - the right one sets a strict, HttpOnly cookie", "[web]") {
  WebWorld w;
  WebClient c(w.app());
  HttpResponse wrong = c.Post("/login", {{"user", "huyen"}, {"password", "not the password"}}, false);
  CHECK(wrong.status == 401);
  CHECK(c.cookie().empty());
  CHECK(Has(wrong, "không đúng"));
  HttpResponse unknown = c.Post("/login", {{"user", "nobody"}, {"password", kPassword}}, false);
  CHECK(unknown.status == 401);
  CHECK(c.cookie().empty());
  // A password typed into the user box never reaches the audit log.
  c.Post("/login", {{"user", "secret-typed-in-wrong-box"}, {"password", "x"}}, false);
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE actor LIKE '%secret%'") == 0);
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action = 'login.failed'") == 3);

  HttpResponse ok = c.Post("/login", {{"user", "huyen"}, {"password", kPassword}, {"next", "/cases"}}, false);
  CHECK(ok.status == 303);
  CHECK(ok.headers["Location"] == "/cases");
  CHECK(c.last_set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(c.last_set_cookie.find("SameSite=Strict") != std::string::npos);
  // Only the token's hash is stored.
  CHECK(CountRows(w.db, std::string(OnPostgres() ? "SELECT count(*) FROM web_sessions WHERE encode(token_hash, 'hex') = lower('"
                                                  : "SELECT count(*) FROM web_sessions WHERE hex(token_hash) = upper('") +
                            c.cookie().substr(14) + "')") == 0);
  CHECK(c.Get("/records").status == 200);

  // A redirect after sign-in never leaves the site.
  WebClient d(w.app());
  HttpResponse away = d.Post("/login", {{"user", "huyen"}, {"password", kPassword}, {"next", "//evil.example/"}}, false);
  CHECK(away.headers["Location"] == "/");
}

TEST_CASE("web: sessions end on sign-out, after 30 idle minutes and after a working day", "[web]") {
  WebWorld w;
  WebClient c = w.SignedIn("huyen");
  w.env.now_ms += 29 * 60 * 1000;
  CHECK(c.Get("/records").status == 200);
  w.env.now_ms += 31 * 60 * 1000;
  CHECK(c.Get("/records").status == 303);

  WebClient d = w.SignedIn("huyen");
  for (int i = 0; i < 17; ++i) {  // active all day, a request every 29 minutes
    w.env.now_ms += 29 * 60 * 1000;
    d.Get("/records");
  }
  CHECK(d.Get("/records").status == 303);

  WebClient e = w.SignedIn("huyen");
  CHECK(e.Post("/logout", {}).status == 303);
  CHECK(e.Get("/records").status == 303);
}

TEST_CASE("web: a change without the session's CSRF token, or from another site, is refused and changes nothing",
          "[web]") {
  WebWorld w;
  TestDevice a = w.Device("w-a"), b = w.Device("w-b");
  const std::string id = RecordId(1);
  w.Push(a, a.CreateRecord(id, "01234", {{"full_name", "Lò Văn Páo"}, {"age", "9"}}));
  w.Push(b, {b.NewEdit(id, "age", "10", {Dot{a.id, 7}})});
  w.Push(a, {a.NewEdit(id, "age", "11", {Dot{a.id, 7}})});
  WebClient c = w.SignedIn("huyen");
  const std::string before = Snapshot(w.db);
  const std::vector<std::pair<std::string, std::string>> pick = {
      {"record", id}, {"field", "age"}, {"pick", b.id + ":1"}};

  HttpResponse missing = c.Post("/conflicts/resolve", pick, false);
  CHECK(missing.status == 403);
  auto forged = pick;
  forged.emplace_back("csrf", std::string(64, 'a'));
  CHECK(c.Post("/conflicts/resolve", forged, false).status == 403);
  CHECK(c.Post("/conflicts/resolve", pick, true, "http://evil.example").status == 403);
  CHECK(c.Post("/admin/codes", {{"user", "w-a"}}, false).status == 403);
  CHECK(Snapshot(w.db) == before);
}

TEST_CASE("web: staff find a child without diacritics - only in their own communes - and open the record", "[web]") {
  WebWorld w;
  TestDevice a = w.Device("w-a"), c = w.Device("w-c"), x = w.Device("w-x");
  w.Push(a, a.CreateRecord(RecordId(1), "01234", {{"full_name", "Nguyễn Thị Ánh"}, {"sex", "female"}}));
  w.Push(a, a.CreateRecord(RecordId(2), "01234", {{"full_name", "Đặng Văn Đức"}, {"sex", "male"}}));
  w.Push(c, c.CreateRecord(RecordId(3), "01237", {{"full_name", "Nguyễn Thị Anh Thư"}}));
  w.Push(x, x.CreateRecord(RecordId(4), "01255", {{"full_name", "Nguyễn Thị Ánh Dương"}}));

  WebClient district = w.SignedIn("huyen");
  HttpResponse found = district.Post("/records", {{"q", "nguyen thi anh"}});
  REQUIRE(found.status == 200);
  CHECK(Has(found, "Nguyễn Thị Ánh"));
  CHECK(Has(found, "Nguyễn Thị Anh Thư"));         // another commune of the district
  CHECK_FALSE(Has(found, "Nguyễn Thị Ánh Dương"));  // another district
  CHECK_FALSE(Has(found, "Đặng Văn Đức"));
  CHECK(Has(found, "2 hồ sơ"));
  CHECK(Has(district.Post("/records", {{"q", "dang van duc"}}), "Đặng Văn Đức"));

  // Filters travel in the URL; names never do (the search is a POST).
  HttpResponse girls = district.Get("/records", {{"area", "01234"}});
  CHECK(Has(girls, "2 hồ sơ"));
  CHECK(girls.body.find("?q=") == std::string::npos);

  HttpResponse page = district.Get("/records/" + RecordId(1));
  CHECK(page.status == 200);
  CHECK(Has(page, "Nguyễn Thị Ánh"));
  CHECK(Has(page, "Nữ"));  // the choice's label, not its code
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action = 'record.view' AND target = '" + RecordId(1) +
                            "' AND actor = 'huyen'") == 1);

  // A worker of another commune reaches neither the record nor its name by URL.
  WebClient other = w.SignedIn("xa-md");
  HttpResponse denied = other.Get("/records/" + RecordId(1));
  CHECK(denied.status == 404);
  CHECK_FALSE(Has(denied, "Ánh"));
  CHECK_FALSE(Has(other.Post("/records", {{"q", "nguyen"}}), "Nguyễn Thị Ánh<"));
  CHECK(other.Get("/records/" + RecordId(4)).status == 200);
  // An administrator manages accounts, not children.
  CHECK(w.SignedIn("quantri").Get("/records/" + RecordId(1)).status == 404);
}

TEST_CASE("web: the history shows who changed what from what, and marks parallel updates", "[web]") {
  WebWorld w;
  TestDevice a = w.Device("w-a"), b = w.Device("w-b");
  const std::string id = RecordId(7);
  w.Push(a, a.CreateRecord(id, "01234", {{"full_name", "Hà Thị Mai"}, {"age", "8"}, {"sex", "female"}}));
  w.env.now_ms += 60 * 60 * 1000;
  // Both change different fields before either syncs: the merge keeps both.
  a.clock_ms = b.clock_ms = w.env.now_ms;
  Edit age = a.NewEdit(id, "age", "9", {Dot{a.id, 6}});
  Edit sex = b.NewEdit(id, "sex", "male", {Dot{a.id, 7}});
  w.env.now_ms += 5 * 60 * 1000;
  w.Push(a, {age});
  w.Push(b, {sex});
  // Later, b changes the age having seen a's change: not parallel.
  w.env.now_ms += 60 * 60 * 1000;
  b.clock_ms = w.env.now_ms;
  w.Push(b, {b.NewEdit(id, "age", "10", {age.dot})});

  WebClient c = w.SignedIn("huyen");
  HttpResponse page = c.Get("/records/" + id);
  REQUIRE(page.status == 200);
  const size_t table = page.body.find("id=\"history\"");
  REQUIRE(table != std::string::npos);
  const std::string history = page.body.substr(table);
  size_t parallel = 0;
  for (size_t at = history.find("class=\"parallel\""); at != std::string::npos;
       at = history.find("class=\"parallel\"", at + 1)) {
    ++parallel;
  }
  CHECK(parallel == 2);  // the two concurrent changes, each marked
  CHECK(history.find("<s>8</s> → 9") != std::string::npos);
  CHECK(history.find("<s>9</s> → 10") != std::string::npos);
  CHECK(history.find("<s>Nữ</s> → Nam") != std::string::npos);
  CHECK(history.find(a.id) != std::string::npos);
  CHECK(history.find(b.id) != std::string::npos);
}

TEST_CASE("web: a conflict resolved in the dashboard is an edit the devices pull, and it closes everywhere",
          "[web]") {
  WebWorld w;
  TestDevice a = w.Device("w-a"), b = w.Device("w-b");
  const std::string id = RecordId(9);
  w.Push(a, a.CreateRecord(id, "01234", {{"full_name", "Vàng A Sình"}, {"age", "12"}}));
  const Dot created_age{a.id, 6};
  w.Push(b, {b.NewEdit(id, "age", "13", {created_age})});
  w.Push(a, {a.NewEdit(id, "age", "14", {created_age})});

  WebClient c = w.SignedIn("huyen");
  HttpResponse queue = c.Get("/conflicts");
  CHECK(Has(queue, "1 xung đột đang mở"));
  CHECK(Has(queue, "data-field=\"age\""));
  CHECK(Has(queue, ">13<"));
  CHECK(Has(queue, ">14<"));
  CHECK(Has(queue, "w-a"));
  CHECK(Has(queue, "w-b"));

  // A value that breaks the field's type is refused with the reason, and nothing changes.
  const int64_t edits = EditCount(w.db);
  HttpResponse bad = c.Post("/conflicts/resolve", {{"record", id}, {"field", "age"}, {"pick", "other"}, {"other", "mười"}});
  CHECK(bad.status == 400);
  CHECK(EditCount(w.db) == edits);

  HttpResponse done = c.Post("/conflicts/resolve", {{"record", id}, {"field", "age"}, {"pick", "other"}, {"other", "15"}});
  CHECK(done.status == 303);
  CHECK(Has(c.Get("/conflicts"), "0 xung đột đang mở"));
  CHECK(EditCount(w.db) == edits + 1);
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action = 'conflict.resolve' AND actor = 'huyen'") == 1);

  // Both devices pull the resolution; applied to what they hold, it closes the conflict.
  for (TestDevice* d : {&a, &b}) {
    std::vector<Edit> pulled = w.PullAll(*d);
    REQUIRE_FALSE(pulled.empty());
    const Edit& last = pulled.back();
    CHECK(last.field == "age");
    CHECK(last.value == "15");
    CHECK(last.author == "huyen");
    CHECK(last.dot.device.view().rfind("web-", 0) == 0);
    CHECK(last.base.size() == 2);
  }
  // The server's own state: one value, no conflict.
  auto store = w.OpenStore();
  auto rec = store->LoadRecord(id);
  REQUIRE(rec.ok());
  REQUIRE(*rec);
  CHECK((*rec)->state.Shown("age") == "15");
  CHECK_FALSE((*rec)->state.HasConflict());
  // No device may enroll with the dashboard's kind of id.
  HttpResponse r = w.Enroll(w.IssueCode("w-a"), "web-0011223344556677", a.PublicKeyBase64());
  CHECK(r.status == 400);
}

TEST_CASE("web: the report's figures are the core's, per commune and in total", "[web]") {
  WebWorld w;
  TestDevice a = w.Device("w-a"), c = w.Device("w-c"), x = w.Device("w-x");
  // Hand count: 01234 has 2 girls of 3, 01237 has 1, 01255 (another district) 1.
  w.Push(a, a.CreateRecord(RecordId(1), "01234", {{"full_name", "Lý Thị Hoa"}, {"sex", "female"}}));
  w.Push(a, a.CreateRecord(RecordId(2), "01234", {{"full_name", "Lý Thị Lan"}, {"sex", "female"}}));
  w.Push(a, a.CreateRecord(RecordId(3), "01234", {{"full_name", "Lý Văn Minh"}, {"sex", "male"}}));
  w.Push(c, c.CreateRecord(RecordId(4), "01237", {{"full_name", "Sùng Thị Mỷ"}, {"sex", "female"}}));
  w.Push(x, x.CreateRecord(RecordId(5), "01255", {{"full_name", "Bùi Thị Nga"}, {"sex", "female"}}));
  // A voided record never counts.
  w.Push(a, a.CreateRecord(RecordId(6), "01234", {{"full_name", "Lý Thị Hủy"}, {"sex", "female"}}));
  auto store = w.OpenStore();
  auto six = store->LoadRecord(RecordId(6));
  REQUIRE(six.ok());
  w.Push(a, {a.NewEdit(RecordId(6), "_status", "void", (*six)->state.AllHeads())});

  WebClient district = w.SignedIn("huyen");
  HttpResponse r = district.Get("/reports", {{"year", "all"}});
  REQUIRE(r.status == 200);
  const size_t row = r.body.find("data-indicator=\"girls\"");
  REQUIRE(row != std::string::npos);
  const std::string tr = r.body.substr(row, r.body.find("</tr>", row) - row);
  CHECK(tr.find("data-area=\"01234\">2<") != std::string::npos);
  CHECK(tr.find("data-area=\"01237\">1<") != std::string::npos);
  CHECK(tr.find("data-area=\"total\">3<") != std::string::npos);
  CHECK(tr.find("01255") == std::string::npos);

  WebClient worker = w.SignedIn("xa-vm");
  HttpResponse own = worker.Get("/reports", {{"year", "all"}});
  const size_t wrow = own.body.find("data-indicator=\"girls\"");
  REQUIRE(wrow != std::string::npos);
  CHECK(own.body.find("data-area=\"total\">1<", wrow) != std::string::npos);
  CHECK(worker.Get("/reports", {{"area", "01234"}}).status == 404);
}

TEST_CASE("web: the audit log's verifier names the entry that was changed or removed", "[web]") {
  WebWorld w;
  TestDevice a = w.Device("w-a");
  w.Push(a, a.CreateRecord(RecordId(1), "01234", {{"full_name", "Hờ A Dế"}}));
  WebClient c = w.SignedIn("huyen");
  for (int i = 0; i < 3; ++i) c.Get("/records/" + RecordId(1));
  WebClient admin = w.SignedIn("quantri");
  HttpResponse page = admin.Get("/audit");
  REQUIRE(page.status == 200);
  CHECK(Has(page, "Chuỗi băm nguyên vẹn"));

  const int64_t n = CountRows(w.db, "SELECT count(*) FROM audit_log");
  REQUIRE(n >= 5);
  // Someone with the file goes around the triggers and rewrites entry 3.
  std::optional<sql::Db> h(OpenRaw(w.db));
  REQUIRE(h->Exec(h->postgres() ? "ALTER TABLE audit_log DISABLE TRIGGER USER;"
                                  "UPDATE audit_log SET actor = 'someone-else' WHERE id = 3;"
                                : "DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete;"
                                  "UPDATE audit_log SET actor = 'someone-else' WHERE id = 3;")
              .ok());
  {
    auto store = w.OpenStore();
    auto verdict = web::VerifyAudit(store->db());
    REQUIRE(verdict.ok());
    CHECK_FALSE(verdict->ok);
    CHECK(verdict->broken_at == 3);
    CHECK(verdict->reason.find("entry 3") != std::string::npos);
    CHECK(verdict->reason.find("changed") != std::string::npos);
  }
  HttpResponse broken = admin.Get("/audit");
  CHECK(Has(broken, "audit entry 3"));

  // Removing an entry instead is named too.
  REQUIRE(h->Exec("UPDATE audit_log SET actor = 'huyen' WHERE id = 3; DELETE FROM audit_log WHERE id = 4;").ok());
  h.reset();
  auto store = w.OpenStore();
  auto verdict = web::VerifyAudit(store->db());
  REQUIRE(verdict.ok());
  CHECK_FALSE(verdict->ok);
  CHECK(verdict->broken_at == 5);
  CHECK(verdict->reason.find("4 to 4 are missing") != std::string::npos);
}

TEST_CASE("web: administrators revoke devices and issue codes - others may not", "[web]") {
  WebWorld w;
  TestDevice a = w.Device("w-a");
  WebClient district = w.SignedIn("huyen");
  CHECK(district.Get("/admin/devices").status == 403);
  CHECK(district.Get("/audit").status == 403);
  CHECK(district.Post("/admin/devices/revoke", {{"device", a.id}}).status == 403);

  WebClient admin = w.SignedIn("quantri");
  HttpResponse list = admin.Get("/admin/devices");
  CHECK(Has(list, a.id));
  CHECK(admin.Get("/records").status == 403);
  CHECK(admin.Post("/admin/devices/revoke", {{"device", a.id}}).status == 303);
  HttpResponse refused = w.app().Handle(w.SignedSync(a, SyncRequest{}));
  CHECK(refused.status == 403);

  HttpResponse code = admin.Post("/admin/codes", {{"user", "w-b"}});
  CHECK(code.status == 200);
  const std::string marker = "id=\"code\">";
  const size_t at = code.body.find(marker);
  REQUIRE(at != std::string::npos);
  const std::string issued = code.body.substr(at + marker.size(), code.body.find('<', at) - at - marker.size());
  TestDevice fresh;
  crypto_sign_keypair(fresh.pk, fresh.sk);
  CHECK(w.Enroll(issued, "dev-fresh-1", fresh.PublicKeyBase64()).status == 200);
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action IN ('device.revoke', 'enroll_code.issue')") == 2);
}

TEST_CASE("web: pages speak English on request and keep Vietnamese by default", "[web]") {
  WebWorld w;
  WebClient c = w.SignedIn("huyen");
  CHECK(Has(c.Get("/records"), "Hồ sơ"));
  HttpResponse lang = c.Get("/lang/en", {{"next", "/cases"}});
  CHECK(lang.status == 303);
  CHECK(lang.headers["Location"] == "/cases");
  CHECK(lang.headers["Set-Cookie"].rfind("sotay_lang=en", 0) == 0);
  HttpResponse en = c.Get("/records");
  CHECK(Has(en, "Records"));
  CHECK(Has(en, "lang=\"en\""));
}

TEST_CASE("web: district staff download a form's records for Excel, and the download is in the audit log", "[web]") {
  WebWorld w;
  TestDevice a = w.Device("w-a"), x = w.Device("w-x");
  w.Push(a, a.CreateRecord(RecordId(1), "01234", {{"full_name", "Nguyễn Thị Ánh"}, {"sex", "female"}, {"age", "9"}}));
  w.Push(a, a.CreateRecord(RecordId(2), "01234", {{"full_name", "Giàng A Páo"}, {"sex", "male"}}));
  w.Push(x, x.CreateRecord(RecordId(3), "01255", {{"full_name", "Bùi Thị Nga"}, {"sex", "female"}}));
  w.Push(a, a.CreateRecord(RecordId(4), "01234", {{"visit_date", "2026-09-01"}}, "case_test.visits", RecordId(1)));

  WebClient c = w.SignedIn("huyen");
  CHECK(Has(c.Get("/export"), "data-export=\"case_test.csv\""));
  HttpResponse csv = c.Get("/export/file", {{"form", "case_test"}, {"format", "csv"}});
  REQUIRE(csv.status == 200);
  CHECK(csv.content_type.rfind("text/csv", 0) == 0);
  CHECK(csv.headers["Content-Disposition"].find("attachment; filename=\"case_test-") == 0);
  REQUIRE(csv.body.rfind("\xEF\xBB\xBF", 0) == 0);
  auto table = ParseCsv(csv.body);
  REQUIRE(table.ok());
  CHECK(table->rows.size() == 2);  // the district's two records; not the other district's, not the visit
  CHECK(Has(csv, "Nguyễn Thị Ánh"));
  CHECK(Has(csv, "Nữ"));
  CHECK_FALSE(Has(csv, "Bùi Thị Nga"));
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action = 'export.csv' AND target = 'case_test'"
                        " AND detail = '2 records' AND actor = 'huyen'") == 1);

  HttpResponse visits = c.Get("/export/file", {{"form", "case_test.visits"}, {"format", "xlsx"}});
  REQUIRE(visits.status == 200);
  CHECK(visits.body.rfind("PK", 0) == 0);
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action = 'export.xlsx'") == 1);

  // Workers and administrators may not export.
  CHECK(w.SignedIn("xa-vm").Get("/export/file", {{"form", "case_test"}, {"format", "csv"}}).status == 403);
  CHECK(w.SignedIn("quantri").Get("/export").status == 403);
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action LIKE 'export.%'") == 2);
}

TEST_CASE("web: cases to act on - past the 12-hour deadline, no visit for a month, new since the last sign-in",
          "[web]") {
  WebWorld w;
  {
    auto store = w.OpenStore();
    auto text = ReadWholeFile(std::string(SOTAY_SCHEMAS_DIR) + "/abuse_case.json");
    REQUIRE(text.ok());
    std::string name;
    REQUIRE(PublishForm(*store, *text, "abuse_case.json", &w.env, &name).ok());
  }
  TestDevice a = w.Device("w-a");
  // Local time in the world is 2026-09-21 20:33 (UTC+7).
  auto report = [&](int n, const std::string& child, std::vector<std::pair<std::string, std::string>> fields) {
    fields.emplace_back("child_name", child);
    w.Push(a, a.CreateRecord(RecordId(n), "01234", fields, "abuse_case"));
  };
  report(1, "Trẻ Quá Hạn", {{"risk_level", "high"}, {"report_datetime", "2026-09-21T06:00"}, {"case_status", "open"}});
  report(2, "Trẻ Còn Hạn", {{"risk_level", "high"}, {"report_datetime", "2026-09-21T19:00"}, {"case_status", "open"}});
  report(3, "Trẻ Đã Can Thiệp", {{"risk_level", "high"}, {"report_datetime", "2026-09-21T06:00"},
                                 {"intervention_datetime", "2026-09-21T08:00"}, {"case_status", "open"}});
  report(4, "Trẻ Đã Đóng", {{"risk_level", "high"}, {"report_datetime", "2026-09-21T06:00"}, {"case_status", "closed"}});
  report(5, "Trẻ Lâu Chưa Thăm", {{"risk_level", "medium"}, {"report_datetime", "2026-08-01T09:00"}, {"case_status", "open"}});
  report(6, "Trẻ Mới Thăm", {{"risk_level", "medium"}, {"report_datetime", "2026-08-01T09:00"}, {"case_status", "open"}});
  w.Push(a, a.CreateRecord(RecordId(7), "01234", {{"followup_date", "2026-08-10"}}, "abuse_case.follow_ups", RecordId(5)));
  w.Push(a, a.CreateRecord(RecordId(8), "01234", {{"followup_date", "2026-09-15"}}, "abuse_case.follow_ups", RecordId(6)));

  w.env.now_ms += 3600 * 1000;
  WebClient first = w.SignedIn("huyen");
  HttpResponse page = first.Get("/cases");
  REQUIRE(page.status == 200);
  auto section = [&](const HttpResponse& r, const std::string& id) {
    const size_t at = r.body.find("id=\"" + id + "\"");
    REQUIRE(at != std::string::npos);
    const size_t end = r.body.find("</table>", at);
    return r.body.substr(at, end == std::string::npos ? 200 : end - at);
  };
  const std::string overdue = section(page, "overdue");
  CHECK(overdue.find("Trẻ Quá Hạn") != std::string::npos);
  CHECK(overdue.find("Trẻ Còn Hạn") == std::string::npos);
  CHECK(overdue.find("Trẻ Đã Can Thiệp") == std::string::npos);
  CHECK(overdue.find("Trẻ Đã Đóng") == std::string::npos);
  const std::string stale = section(page, "stale");
  CHECK(stale.find("Trẻ Lâu Chưa Thăm") != std::string::npos);
  CHECK(stale.find("42 ngày chưa thăm") != std::string::npos);  // since the follow-up of 10/08
  CHECK(stale.find("Trẻ Mới Thăm") == std::string::npos);
  CHECK(Has(first.Get("/cases", {{"days", "3"}}), "Trẻ Mới Thăm"));  // 6 days is a long time to some
  CHECK(Has(page, "lần đăng nhập đầu tiên"));

  // Something new arrives; at the next sign-in it is listed, the old ones are not.
  w.env.now_ms += 3600 * 1000;
  a.clock_ms = w.env.now_ms;
  report(9, "Trẻ Mới Báo", {{"risk_level", "none"}, {"report_datetime", "2026-09-21T22:00"}, {"case_status", "open"}});
  w.env.now_ms += 3600 * 1000;
  WebClient second = w.SignedIn("huyen");
  const std::string fresh = section(second.Get("/cases"), "fresh");
  CHECK(fresh.find("Trẻ Mới Báo") != std::string::npos);
  CHECK(fresh.find("Trẻ Quá Hạn") == std::string::npos);
}

TEST_CASE("web: a void that crossed an edit is settled by keeping or voiding the record", "[web]") {
  WebWorld w;
  TestDevice a = w.Device("w-a"), b = w.Device("w-b");
  const std::string id = RecordId(3);
  w.Push(a, a.CreateRecord(id, "01234", {{"full_name", "Đinh Văn Tú"}, {"age", "7"}}));
  auto store = w.OpenStore();
  auto before = store->LoadRecord(id);
  REQUIRE(before.ok());
  // a voids the record while b, who has not seen the void, changes the age.
  w.Push(a, {a.NewEdit(id, "_status", "void", (*before)->state.AllHeads())});
  w.Push(b, {b.NewEdit(id, "age", "8", {Dot{a.id, 6}})});

  WebClient c = w.SignedIn("huyen");
  HttpResponse queue = c.Get("/conflicts");
  REQUIRE(Has(queue, "data-field=\"_status\""));
  CHECK(Has(queue, "Hủy hồ sơ"));
  CHECK(Has(queue, "Giữ hồ sơ"));
  CHECK_FALSE(Has(queue, "name=\"other\""));  // a status is picked, never typed
  CHECK(Has(queue, "Tuổi: 8"));  // the change the void had not seen, shown for the choice
  CHECK(c.Post("/conflicts/resolve", {{"record", id}, {"field", "_status"}, {"pick", "other"}}).status == 400);
  // The district keeps the record.
  CHECK(c.Post("/conflicts/resolve", {{"record", id}, {"field", "_status"}, {"pick", "active"}}).status == 303);
  auto after = store->LoadRecord(id);
  REQUIRE(after.ok());
  CHECK_FALSE((*after)->state.IsVoid());
  CHECK_FALSE((*after)->state.HasConflict());
  CHECK((*after)->state.Shown("age") == "8");
  CHECK(Has(c.Get("/conflicts"), "0 xung đột đang mở"));

  // The same crossing settled the other way: voided, knowing the change.
  w.Push(b, {b.NewEdit(id, "age", "9", {(*after)->state.HeadsOf("age")})});
  auto again = store->LoadRecord(id);
  REQUIRE(again.ok());
  w.Push(a, {a.NewEdit(id, "_status", "void", {(*again)->state.HeadsOf("_status")})});
  REQUIRE(Has(c.Get("/conflicts"), "data-field=\"_status\""));
  CHECK(c.Post("/conflicts/resolve", {{"record", id}, {"field", "_status"}, {"pick", "void"}}).status == 303);
  auto last = store->LoadRecord(id);
  REQUIRE(last.ok());
  CHECK((*last)->state.IsVoid());
  CHECK_FALSE((*last)->state.HasConflict());
}

TEST_CASE("web: a follow-up from another commune neither shows under a case nor stands for its visit", "[web]") {
  WebWorld w;
  {
    auto store = w.OpenStore();
    auto text = ReadWholeFile(std::string(SOTAY_SCHEMAS_DIR) + "/abuse_case.json");
    REQUIRE(text.ok());
    std::string name;
    REQUIRE(PublishForm(*store, *text, "abuse_case.json", &w.env, &name).ok());
  }
  TestDevice c = w.Device("w-c");  // 01237
  TestDevice d = w.Device("d-1");  // district 148: may edit 01234 and 01237
  auto created = c.CreateRecord(RecordId(1), "01237",
                                {{"child_name", "Trẻ Ở Vạn Mai"}, {"risk_level", "medium"},
                                 {"report_datetime", "2026-06-01T09:00"}, {"case_status", "open"}},
                                "abuse_case");
  REQUIRE(w.Push(c, created).rejected.empty());
  // A follow-up filed under commune 01234, linked to 01237's case.
  REQUIRE(w.Push(d, d.CreateRecord(RecordId(2), "01234", {{"followup_date", "2026-09-20"}, {"child_safe", "yes"}},
                                   "abuse_case.follow_ups", RecordId(1)))
              .rejected.empty());

  WebClient district = w.SignedIn("huyen");
  HttpResponse cases = district.Get("/cases");
  REQUIRE(cases.status == 200);
  const size_t stale = cases.body.find("id=\"stale\"");
  REQUIRE(stale != std::string::npos);
  CHECK(cases.body.find("Trẻ Ở Vạn Mai", stale) != std::string::npos);  // still waits for a visit

  WebClient worker = w.SignedIn("xa-vm");  // 01237
  HttpResponse page = worker.Get("/records/" + RecordId(1));
  REQUIRE(page.status == 200);
  CHECK_FALSE(Has(page, RecordId(2)));
}

TEST_CASE("web: lists - searches - conflicts and cases are in the audit log by record id and never by name", "[web]") {
  WebWorld w;
  TestDevice a = w.Device("w-a"), b = w.Device("w-b");
  const std::string pao = RecordId(1), dung = RecordId(2);
  w.Push(a, a.CreateRecord(pao, "01234", {{"full_name", "Lò Văn Páo"}, {"age", "9"}}));
  w.Push(a, a.CreateRecord(dung, "01234", {{"full_name", "Vàng Thị Dung"}}));
  w.Push(b, {b.NewEdit(pao, "age", "10", {Dot{a.id, 6}})});
  w.Push(a, {a.NewEdit(pao, "age", "11", {Dot{a.id, 6}})});
  WebClient c = w.SignedIn("huyen");
  auto logged = [&](const std::string& action, const std::string& id) {
    return CountRows(w.db, "SELECT count(*) FROM audit_log WHERE actor = 'huyen' AND action = '" + action +
                               "' AND detail LIKE '%" + id + "%'");
  };
  const int64_t lists = logged("record.list", pao);
  REQUIRE(c.Get("/records").status == 200);
  CHECK(logged("record.list", pao) == lists + 1);
  CHECK(logged("record.list", dung) == lists + 1);

  REQUIRE(c.Post("/records", {{"q", "lo van pao"}}).status == 200);
  CHECK(logged("record.search", pao) == 1);
  CHECK(logged("record.search", dung) == 0);  // only what was shown

  REQUIRE(c.Get("/conflicts").status == 200);
  CHECK(logged("conflict.list", pao) == 1);
  REQUIRE(c.Get("/cases").status == 200);
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE actor = 'huyen' AND action = 'case.list'") == 1);

  // Names and search text never land in the log.
  for (const char* secret : {"Páo", "pao", "Dung", "lo van"}) {
    INFO(secret);
    CHECK(CountRows(w.db, std::string("SELECT count(*) FROM audit_log WHERE detail LIKE '%") + secret +
                              "%' OR target LIKE '%" + secret + "%'") == 0);
  }
}

TEST_CASE("web: a signed-in user changes their own password with the old one", "[web]") {
  WebWorld w;
  WebClient c = w.SignedIn("huyen");
  WebClient elsewhere = w.SignedIn("huyen");  // another browser of the same user
  HttpResponse form = c.Get("/account/password");
  REQUIRE(form.status == 200);
  CHECK(Has(form, "name=\"csrf\""));
  const std::string fresh = "một mật khẩu mới rất dài";
  auto stored_hash = [&] {
    auto store = w.OpenStore();
    auto hash = web::DashboardStore(*store).PasswordHash("huyen");
    REQUIRE(hash.ok());
    return hash->value_or("");
  };
  const std::string before = stored_hash();

  CHECK(c.Post("/account/password", {{"old", kPassword}, {"new", fresh}, {"again", fresh}}, false).status == 403);
  HttpResponse wrong = c.Post("/account/password", {{"old", "not the password"}, {"new", fresh}, {"again", fresh}});
  CHECK(wrong.status == 400);
  CHECK(Has(wrong, "Mật khẩu hiện tại không đúng"));
  CHECK(c.Post("/account/password", {{"old", kPassword}, {"new", "ngắn"}, {"again", "ngắn"}}).status == 400);
  CHECK(c.Post("/account/password", {{"old", kPassword}, {"new", fresh}, {"again", fresh + "x"}}).status == 400);
  CHECK(stored_hash() == before);
  WebClient check_old(w.app());
  CHECK(check_old.Login("huyen", kPassword));  // unchanged so far

  HttpResponse done = c.Post("/account/password", {{"old", kPassword}, {"new", fresh}, {"again", fresh}});
  CHECK(done.status == 200);
  CHECK(Has(done, "Đã đổi mật khẩu"));
  CHECK(c.Get("/records").status == 200);          // this session goes on
  CHECK(elsewhere.Get("/records").status == 303);  // the others end
  WebClient old_password(w.app());
  CHECK_FALSE(old_password.Login("huyen", kPassword));
  WebClient new_password(w.app());
  CHECK(new_password.Login("huyen", fresh));
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action = 'user.password_change' AND actor = 'huyen'") ==
        1);
  CHECK(Snapshot(w.db).find(fresh) == std::string::npos);
}

TEST_CASE("web: the users page marks a disabled member of staff and offers them no enrollment code", "[web][admin]") {
  WebWorld w;
  WebClient admin = w.SignedIn("quantri");
  CHECK(Has(admin.Get("/admin/users"), "href=\"/account/password\""));  // one's own password, from any page
  {
    auto store = w.OpenStore();
    REQUIRE(DisableUser(*store, "xa-vm", &w.env).ok());
  }
  const std::string page = admin.Get("/admin/users").body;
  auto row_of = [&](const std::string& user) {
    const size_t at = page.find("<td>" + user + "</td>");
    return at == std::string::npos ? std::string() : page.substr(at, page.find("</tr>", at) - at);
  };
  auto has = [](const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; };
  REQUIRE_FALSE(row_of("xa-vm").empty());
  CHECK(has(row_of("xa-vm"), "đã bị khoá"));
  CHECK_FALSE(has(row_of("xa-vm"), "/admin/codes"));
  CHECK_FALSE(has(row_of("xa-md"), "đã bị khoá"));
  CHECK(has(row_of("xa-md"), "/admin/codes"));
}
