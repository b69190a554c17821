// The dashboard tells a district officer what needs doing now (issue 15): the cases
// page's 12-hour deadlines against the server's clock (overdue with the hours late,
// due soon, not assessed; version 2's `urgency` and version 3's `risk_level`),
// high-risk children past their next visit, passed review dates, each with the
// responsible worker and their phone; a case's page with its deadline banner and
// its empty sections shown; a refused conflict value that keeps what was typed;
// staff names and phones set by the admin command.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "admin/admin_cli.h"
#include "admin/admin_ops.h"
#include "admin/user_contact.h"
#include "server_world.h"
#include "sotay/read_file.h"
#include "web_client.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

const char* kPassword = "mật khẩu dài đủ 12";
constexpr int64_t kHour = 3600LL * 1000;

std::string PackForm(const std::string& file) {
  auto text = ReadWholeFile(std::string(SOTAY_SCHEMAS_DIR) + "/" + file);
  REQUIRE(text.ok());
  return *text;
}

// The pack's abuse_case with the version 3 fields this page reads, as the FORMS
// lane adds them (not here yet): the server refuses answers to fields its published
// form lacks. Each is added only when the pack's form does not have it already.
nlohmann::json Field(const char* type, const char* name, const nlohmann::json& label) {
  return nlohmann::json::object({{"type", type}, {"name", name}, {"label", label}});
}

std::string AbuseCaseV3Fields() {
  auto form = nlohmann::json::parse(PackForm("abuse_case.json"));
  auto& fields = form["fields"];
  const nlohmann::json label = nlohmann::json::object({{"vi", "Trường thử"}, {"en", "Test field"}});
  auto has = [&](const std::string& name) {
    for (const auto& f : fields) {
      if (f.is_object() && f.value("name", "") == name) return true;
    }
    return false;
  };
  auto at = [&](const std::string& name) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].is_object() && fields[i].value("name", "") == name) return i;
    }
    FAIL("abuse_case has no field " + name);
    return size_t{0};
  };
  if (!has("risk_level")) {
    fields.insert(fields.begin() + static_cast<std::ptrdiff_t>(at("follow_ups")),
                  Field("select_one risk_level", "risk_level", label));
    form["choices"]["risk_level"] = nlohmann::json::array();
    for (const char* c : {"none", "low", "medium", "high"}) {
      form["choices"]["risk_level"].push_back(
          nlohmann::json::object({{"name", c}, {"label", nlohmann::json::object({{"vi", c}, {"en", c}})}}));
    }
  }
  // Version 2's scale, so one form here holds records of either version's answers.
  if (!has("urgency")) {
    fields.insert(fields.begin() + static_cast<std::ptrdiff_t>(at("follow_ups")),
                  Field("select_one urgency", "urgency", label));
    form["choices"]["urgency"] = nlohmann::json::array();
    for (const char* c : {"serious", "risk", "no_risk"}) {
      form["choices"]["urgency"].push_back(
          nlohmann::json::object({{"name", c}, {"label", nlohmann::json::object({{"vi", c}, {"en", c}})}}));
    }
  }
  // The case's only: the loader refuses the follow-up's of the same name in one
  // form file (FORMS.md names are unique in a form), so that one is not tested here.
  if (!has("next_review_date")) {
    fields.insert(fields.begin() + static_cast<std::ptrdiff_t>(at("follow_ups")),
                  Field("date", "next_review_date", label));
  }
  if (!has("case_plan")) {
    fields.push_back(Field("begin_repeat", "case_plan", label));
    fields.push_back(Field("text", "plan_action", label));
    fields.push_back(Field("date", "plan_review_date", label));
    fields.push_back(nlohmann::json::object({{"type", "end_repeat"}}));
  }
  return form.dump();
}

struct CasesWorld : ServerWorld {
  CasesWorld() {
    auto store = OpenStore();
    REQUIRE(AddUser(*store, "huyen", Role::kDistrict, "148", std::string(kPassword), &env).ok());
    REQUIRE(SetUserContact(*store, "w-a", std::string("Nguyễn Thị Lan"), std::string("0912 345 678")).ok());
    std::string name;
    REQUIRE(PublishForm(*store, PackForm("child_profile.json"), "child_profile.json", &env, &name).ok());
    auto published = PublishForm(*store, AbuseCaseV3Fields(), "abuse_case.json", &env, &name);
    INFO(published.status().ToString());
    REQUIRE(published.ok());
  }

  WebClient SignedIn(const std::string& user) {
    WebClient c(app());
    REQUIRE(c.Login(user, kPassword));
    return c;
  }
};

// The table (or empty note) with id `id`, as text.
std::string Section(const HttpResponse& r, const std::string& id) {
  const size_t at = r.body.find("id=\"" + id + "\"");
  REQUIRE(at != std::string::npos);
  const size_t end = r.body.find("</table>", at);
  const size_t p_end = r.body.find("</p>", at);
  return r.body.substr(at, (end == std::string::npos || p_end < end ? p_end : end) - at);
}

bool In(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("cases: 12-hour deadlines from the report, against the server's clock", "[web][cases]") {
  CasesWorld w;
  TestDevice a = w.Device("w-a");
  // The world's local time: 2026-09-21 21:13 (UTC+7).
  auto report = [&](int n, const std::string& child, std::vector<std::pair<std::string, std::string>> fields) {
    fields.emplace_back("child_name", child);
    fields.emplace_back("village", "Thôn " + std::to_string(n));
    auto pushed = w.Push(a, a.CreateRecord(RecordId(n), "01234", fields, "abuse_case"));
    if (!pushed.rejected.empty()) FAIL(pushed.rejected.front().reason);
  };
  report(1, "Trẻ Mười Giờ", {{"report_datetime", "2026-09-21T10:33"}, {"case_status", "open"}});
  report(2, "Trẻ Hai Mươi Giờ", {{"report_datetime", "2026-09-21T00:33"}, {"case_status", "open"}});
  report(3, "Trẻ Khẩn Cấp V2", {{"report_datetime", "2026-09-21T15:33"}, {"assessment_datetime", "2026-09-21T16:00"},
                                 {"urgency", "serious"}, {"case_status", "open"}});
  report(4, "Trẻ Khẩn Cấp V3", {{"report_datetime", "2026-09-21T05:00"}, {"assessment_datetime", "2026-09-21T06:00"},
                                 {"risk_level", "high"}, {"case_status", "open"}});
  report(5, "Trẻ Mới Báo", {{"report_datetime", "2026-09-21T19:33"}, {"case_status", "open"}});
  report(6, "Trẻ Đã Can Thiệp", {{"report_datetime", "2026-09-21T06:00"}, {"assessment_datetime", "2026-09-21T07:00"},
                                  {"urgency", "serious"}, {"intervention_datetime", "2026-09-21T09:00"},
                                  {"case_status", "open"}});
  report(7, "Trẻ Đã Đóng", {{"report_datetime", "2026-09-21T00:33"}, {"case_status", "closed"}});
  report(8, "Trẻ Đã Đánh Giá", {{"report_datetime", "2026-09-21T00:33"}, {"assessment_datetime", "2026-09-21T02:00"},
                                 {"urgency", "risk"}, {"case_status", "open"}});

  WebClient c = w.SignedIn("huyen");
  HttpResponse page = c.Get("/cases");
  REQUIRE(page.status == 200);
  const std::string overdue = Section(page, "overdue");
  CHECK(In(overdue, "Trẻ Hai Mươi Giờ"));
  CHECK(In(overdue, "Hạn đánh giá ban đầu"));
  CHECK(In(overdue, "21/09/2026 12:33"));
  CHECK(In(overdue, "quá hạn 8 giờ"));
  CHECK(In(overdue, "Trẻ Khẩn Cấp V3"));  // version 3's high risk is the emergency
  CHECK(In(overdue, "Hạn can thiệp khẩn cấp"));
  CHECK(In(overdue, "quá hạn 4 giờ"));  // due 17:00, 4 h 13 min ago
  CHECK(In(overdue, "Nguyễn Thị Lan"));  // the worker who took the report, and their phone
  CHECK(In(overdue, "0912 345 678"));
  CHECK(In(overdue, "Thôn 2"));
  CHECK(In(overdue, "class=\"late\""));
  const std::string soon = Section(page, "due-soon");
  CHECK(In(soon, "Trẻ Mười Giờ"));
  CHECK(In(soon, "21/09/2026 22:33"));
  CHECK(In(soon, "còn 1 giờ"));  // 1 h 19 min
  CHECK_FALSE(In(soon, "Trẻ Hai Mươi Giờ"));
  CHECK(In(Section(page, "unassessed"), "Trẻ Mới Báo"));
  CHECK(In(Section(page, "unassessed"), "còn 10 giờ"));
  CHECK(In(Section(page, "emergencies"), "Trẻ Khẩn Cấp V2"));  // version 2's serious, 6 hours left
  for (const char* done : {"Trẻ Đã Can Thiệp", "Trẻ Đã Đóng", "Trẻ Đã Đánh Giá"}) {
    for (const char* id : {"overdue", "due-soon", "unassessed", "emergencies"}) CHECK_FALSE(In(Section(page, id), done));
  }

  // Three hours later by the server's clock the 10-hour report is late too.
  w.env.now_ms += 3 * kHour;
  HttpResponse later = w.SignedIn("huyen").Get("/cases");  // a new session: the first went idle
  CHECK(In(Section(later, "overdue"), "Trẻ Mười Giờ"));
  CHECK(In(Section(later, "overdue"), "quá hạn 1 giờ"));
  CHECK_FALSE(In(Section(later, "due-soon"), "Trẻ Mười Giờ"));
  CHECK(In(Section(later, "due-soon"), "Trẻ Khẩn Cấp V2"));  // now 3 hours left
}

TEST_CASE("cases: a high-risk child past the next visit and passed review dates", "[web][cases]") {
  CasesWorld w;
  TestDevice a = w.Device("w-a");
  auto push = [&](int n, const std::string& form, std::vector<std::pair<std::string, std::string>> fields,
                  int parent = 0) {
    REQUIRE(w.Push(a, a.CreateRecord(RecordId(n), "01234", fields, form, parent ? RecordId(parent) : ""))
                .rejected.empty());
  };
  // Today is 2026-09-21.
  push(1, "child_profile", {{"full_name", "Lò Thị Mỷ"}, {"village", "Bản Pá"}});
  push(2, "child_profile.home_visits", {{"visit_date", "2026-09-01"}, {"risk_level", "high"},
                                        {"next_visit_date", "2026-09-15"}}, 1);
  push(3, "child_profile", {{"full_name", "Trẻ Đã Thăm Lại"}, {"village", "Bản Nà"}});
  push(4, "child_profile.home_visits", {{"visit_date", "2026-08-20"}, {"risk_level", "high"},
                                        {"next_visit_date", "2026-09-01"}}, 3);
  push(5, "child_profile.home_visits", {{"visit_date", "2026-09-10"}, {"risk_level", "low"},
                                        {"next_visit_date", "2026-09-12"}}, 3);  // the latest visit: low risk
  push(6, "child_profile", {{"full_name", "Trẻ Chưa Đến Hẹn"}});
  push(7, "child_profile.home_visits", {{"visit_date", "2026-09-10"}, {"risk_level", "high"},
                                        {"next_visit_date", "2026-09-30"}}, 6);
  push(10, "abuse_case", {{"child_name", "Trẻ Cần Rà Soát"}, {"report_datetime", "2026-08-01T09:00"},
                          {"assessment_datetime", "2026-08-01T10:00"}, {"risk_level", "medium"},
                          {"case_status", "open"}, {"next_review_date", "2026-09-20"}});
  push(12, "abuse_case.case_plan", {{"plan_action", "Hỗ trợ tâm lý"}, {"plan_review_date", "2026-09-19"}}, 10);
  push(13, "abuse_case", {{"child_name", "Trẻ Đã Đóng Hồ Sơ"}, {"report_datetime", "2026-08-01T09:00"},
                          {"urgency", "risk"}, {"case_status", "closed"}, {"next_review_date", "2026-09-01"}});

  WebClient c = w.SignedIn("huyen");
  HttpResponse page = c.Get("/cases");
  REQUIRE(page.status == 200);
  const std::string visits = Section(page, "visits");
  CHECK(In(visits, "Lò Thị Mỷ"));
  CHECK(In(visits, "Bản Pá"));
  CHECK(In(visits, "15/09/2026"));
  CHECK(In(visits, "quá hạn 6 ngày"));
  CHECK(In(visits, "Nguyễn Thị Lan"));
  CHECK_FALSE(In(visits, "Trẻ Đã Thăm Lại"));
  CHECK_FALSE(In(visits, "Trẻ Chưa Đến Hẹn"));
  const std::string reviews = Section(page, "reviews");
  CHECK(In(reviews, "Rà soát vụ việc"));
  CHECK(In(reviews, "quá hạn 1 ngày"));
  CHECK(In(reviews, "Rà soát kế hoạch hỗ trợ"));
  CHECK(In(reviews, "19/09/2026"));
  CHECK_FALSE(In(reviews, "Trẻ Đã Đóng Hồ Sơ"));
}

TEST_CASE("record page: a case's 12-hour deadline as a banner, its empty sections marked", "[web][cases]") {
  CasesWorld w;
  TestDevice a = w.Device("w-a");
  // Both names of the emergency, so the case reads as one in version 2 and 3.
  REQUIRE(w.Push(a, a.CreateRecord(RecordId(1), "01234",
                                   {{"child_name", "Trẻ Chờ Can Thiệp"}, {"report_datetime", "2026-09-21T06:00"},
                                    {"assessment_datetime", "2026-09-21T07:00"}, {"urgency", "serious"},
                                    {"risk_level", "high"}, {"case_status", "open"}},
                                   "abuse_case"))
              .rejected.empty());
  REQUIRE(w.Push(a, a.CreateRecord(RecordId(2), "01234",
                                   {{"child_name", "Trẻ Không Nguy Cơ"}, {"report_datetime", "2026-09-21T06:00"},
                                    {"assessment_datetime", "2026-09-21T07:00"}, {"urgency", "no_risk"},
                                    {"risk_level", "none"}, {"case_status", "open"}},
                                   "abuse_case"))
              .rejected.empty());
  WebClient c = w.SignedIn("huyen");
  HttpResponse page = c.Get("/records/" + RecordId(1));
  REQUIRE(page.status == 200);
  const size_t banner = page.body.find("id=\"deadline\"");
  REQUIRE(banner != std::string::npos);
  CHECK(banner < page.body.find("id=\"answers\""));  // at the top
  CHECK(In(page.body, "Hạn can thiệp khẩn cấp:</strong> 21/09/2026 18:00 — <strong>quá hạn 3 giờ"));
  // The emergency section the record left empty is there, marked.
  const size_t group = page.body.find("data-group=\"emergency\"");
  REQUIRE(group != std::string::npos);
  const std::string section = page.body.substr(group, page.body.find("data-group=", group + 1) - group);
  CHECK(In(section, "Can thiệp khẩn cấp"));
  CHECK(In(section, "chưa có thông tin"));

  HttpResponse calm = c.Get("/records/" + RecordId(2));
  REQUIRE(calm.status == 200);
  CHECK_FALSE(In(calm.body, "id=\"deadline\""));  // assessed, no emergency: nothing running
  CHECK_FALSE(In(calm.body, "data-group=\"emergency\""));  // not relevant to this case
}

TEST_CASE("conflicts: another value the form refuses shows the page again with what was typed", "[web][cases]") {
  CasesWorld w;
  TestDevice a = w.Device("w-a"), b = w.Device("w-b");
  const std::string id = RecordId(1);
  w.Push(a, a.CreateRecord(id, "01234", {{"full_name", "Vàng A Sình"}, {"age", "12"}}));
  const Dot created_name{a.id, 5}, created_age{a.id, 6};
  w.Push(b, {b.NewEdit(id, "full_name", "Vàng A Sinh", {created_name}), b.NewEdit(id, "age", "13", {created_age})});
  w.Push(a, {a.NewEdit(id, "full_name", "Vàng Á Sình", {created_name}), a.NewEdit(id, "age", "14", {created_age})});
  WebClient c = w.SignedIn("huyen");
  REQUIRE(In(c.Get("/conflicts").body, "2 xung đột đang mở"));

  // The constraint (a name has at least 2 letters) refuses "V".
  HttpResponse refused =
      c.Post("/conflicts/resolve", {{"record", id}, {"field", "full_name"}, {"pick", "other"}, {"other", "V"}});
  CHECK(refused.status == 400);
  const size_t card = refused.body.find("data-field=\"full_name\"");
  REQUIRE(card != std::string::npos);
  const std::string text = refused.body.substr(card, refused.body.find("</section>", card) - card);
  CHECK(In(text, "role=\"alert\""));
  CHECK(In(text, "Họ và tên"));  // the message names the field
  CHECK(In(text, "value=\"other\" checked"));
  CHECK(In(text, "value=\"V\""));
  CHECK(In(refused.body, "data-field=\"age\""));  // the other conflict is still there to settle

  // A wrong type, in English: the message in the viewer's language, the text kept.
  c.Get("/lang/en");
  HttpResponse mixed = c.Post("/conflicts/resolve", {{"record", id}, {"field", "age"}, {"pick", "other"}, {"other", "mười"}});
  CHECK(mixed.status == 400);
  CHECK(In(mixed.body, "value=\"mười\""));
  CHECK(In(mixed.body, "/age\">Age: "));  // the message in English, beside the age card
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action = 'conflict.resolve'") == 0);
  CHECK(c.Post("/conflicts/resolve", {{"record", id}, {"field", "age"}, {"pick", "other"}, {"other", "15"}}).status == 303);
}

TEST_CASE("admin: a staff member's name and phone, set by add-user and set-user, shown to administrators",
          "[web][cases][admin]") {
  CasesWorld w;
  auto admin = [&](std::vector<std::string> args) {
    std::ostringstream out, err;
    args.insert(args.end(), {"--db", w.db});
    const int code = RunAdmin(args, out, err, &w.env, "");
    INFO(err.str());
    return std::make_pair(code, out.str() + err.str());
  };
  CHECK(admin({"add-user", "--id", "lan", "--role", "worker", "--area", "01234", "--name", "Lò Thị Lan", "--phone",
               "0987 654 321"}).first == 0);
  auto bad_phone = admin({"set-user", "--user", "lan", "--phone", "gọi tôi"});
  CHECK(bad_phone.first != 0);
  CHECK(In(bad_phone.second, "phone number"));
  CHECK(admin({"set-user", "--user", "nobody", "--name", "X Y"}).first != 0);
  CHECK(admin({"set-user", "--user", "lan"}).first != 0);  // nothing to set
  CHECK(admin({"set-user", "--user", "w-b", "--name", "Hà Văn Hưng", "--phone", "+84 912 000 111"}).first == 0);
  auto store = w.OpenStore();
  auto contacts = store->UserContacts();
  REQUIRE(contacts.ok());
  CHECK(contacts->at("lan").name == "Lò Thị Lan");
  CHECK(contacts->at("lan").phone == "0987 654 321");
  CHECK(contacts->at("w-b").phone == "+84 912 000 111");
  CHECK(contacts->at("w-c").phone.empty());
  // The audit entry says what changed, never the number.
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action = 'user.contact' AND detail LIKE '%912%'") == 0);
  CHECK(CountRows(w.db, "SELECT count(*) FROM audit_log WHERE action = 'user.contact' AND target = 'w-b'") == 1);
  CHECK(admin({"set-user", "--user", "w-b", "--phone", ""}).first == 0);  // cleared
  auto after = store->UserContacts();
  REQUIRE(after.ok());
  CHECK(after->at("w-b").phone.empty());
  CHECK(after->at("w-b").name == "Hà Văn Hưng");

  REQUIRE(AddUser(*store, "quantri", Role::kAdmin, "", std::string(kPassword), &w.env).ok());
  HttpResponse users = w.SignedIn("quantri").Get("/admin/users");
  REQUIRE(users.status == 200);
  CHECK(In(users.body, "Lò Thị Lan"));
  CHECK(In(users.body, "0987 654 321"));
}
