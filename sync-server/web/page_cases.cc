// GET /cases: what district staff must act on now, most pressing first.
//  - 12-hour deadlines from an abuse report (case_deadlines.h): passed ("Quá hạn",
//    with the hours late), due within kDueSoonHours ("Sắp đến hạn"), the rest of
//    the reports not yet assessed ("Chưa đánh giá") and emergencies still within
//    their 12 hours.
//  - Passed dates: high-risk children's next home visit, case reviews.
//  - Open cases with no follow-up visit for `days` days (default 30).
//  - Records new since the viewer's previous sign-in.
// Each row names the child, what is due and when, and the worker responsible: the
// user who made the record that holds the deadline (the report's taker, the
// visitor), with the phone their account gives (`admin set-user`).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <mutex>

#include "sotay/expr.h"
#include "sotay/validate.h"
#include "sotay/presentation.h"
#include "web/audit_log.h"
#include "web/case_deadlines.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

constexpr const char* kCaseForm = "abuse_case";
constexpr const char* kFollowUpForm = "abuse_case.follow_ups";
constexpr const char* kOpenRule = "${case_status} != 'closed'";
constexpr int64_t kHourMs = 3600LL * 1000;
static_assert(kDueSoonHours == 4, "the due-soon heading says 4 hours");

int64_t ParseDays(const std::string& text, int64_t fallback) {
  const long n = std::atol(text.c_str());
  return n >= 1 && n <= 3650 ? n : fallback;
}

std::string Row(AppContext& ctx, const Viewer& v, const IndexedRecord& rec, const std::string& note) {
  return "<tr><td><a href=\"/records/" + Esc(rec.ref.id) + "\">" + Esc(RecordName(ctx, rec, v)) + "</a></td><td>" +
         Esc(AreaName(ctx, rec.ref.area)) + "</td><td>" + note + "</td></tr>";
}

std::string Table(const Viewer& v, const char* id, const std::string& rows, const char* empty) {
  if (rows.empty()) return "<p class=\"muted\" id=\"" + std::string(id) + "\">" + empty + "</p>";
  return std::string("<div class=\"scroll\"><table class=\"list\" id=\"") + id + "\"><thead><tr><th>" +
         v.T("Hồ sơ", "Record") + "</th><th>" + v.T("Xã", "Commune") + "</th><th></th></tr></thead><tbody>" + rows +
         "</tbody></table></div>";
}

// One thing due: the child, what, when, and who is responsible.
struct DueRow {
  int64_t sort = 0;  // the due time or day: earliest first
  const IndexedRecord* child = nullptr;
  const IndexedRecord* holder = nullptr;
  std::string what, when, status;
  const char* urgency = "";  // the row's class: "late", "soon" or ""
};

class DueTable {
 public:
  DueTable(WebRequest& r, const std::map<std::string, UserContact>& contacts) : r_(r), contacts_(contacts) {}

  // The worker who made `rec` (the first value of its form field), or "".
  Result<std::string> Maker(const IndexedRecord& rec) {
    auto row = r_.app.store->LoadRecord(rec.ref.id);
    if (!row.ok()) return row.status();
    if (!*row) return std::string();
    const FieldState* made = (*row)->state.Field(kFormField);
    return made != nullptr && !made->heads.empty() ? made->heads.front().author : std::string();
  }

  Result<std::string> Render(std::vector<DueRow>& rows, const char* id, const char* empty) {
    const Viewer& v = r_.viewer;
    if (rows.empty()) return "<p class=\"muted\" id=\"" + std::string(id) + "\">" + empty + "</p>";
    std::stable_sort(rows.begin(), rows.end(), [](const DueRow& a, const DueRow& b) { return a.sort < b.sort; });
    std::string h = std::string("<div class=\"scroll\"><table class=\"list due\" id=\"") + id + "\"><thead><tr><th>" +
                    v.T("Trẻ em", "Child") + "</th><th>" + v.T("Việc cần làm", "What is due") + "</th><th>" +
                    v.T("Hạn", "Due") + "</th><th>" + v.T("Cán bộ phụ trách", "Responsible worker") +
                    "</th></tr></thead><tbody>";
    for (const DueRow& row : rows) {
      auto maker = Maker(*row.holder);
      if (!maker.ok()) return maker.status();
      const IndexedRecord& child = *row.child;
      std::string name = ChildNameOf(child);
      if (name.empty()) name = RecordName(r_.app, child, v);
      std::string place = AreaName(r_.app, child.ref.area);
      if (!VillageOf(child).empty()) place += " · " + VillageOf(child);
      h += std::string("<tr class=\"") + row.urgency + "\" data-record=\"" + Esc(row.holder->ref.id) + "\"><td><a href=\"/records/" +
           Esc(child.ref.id) + "\">" + Esc(name) + "</a><br><small>" + Esc(place) + "</small></td>";
      h += "<td><a href=\"/records/" + Esc(row.holder->ref.id) + "\">" + Esc(row.what) + "</a></td>";
      h += "<td>" + Esc(row.when) + "<br><strong class=\"due-status\">" + Esc(row.status) + "</strong></td><td>";
      if (!maker->empty()) {
        auto who = contacts_.find(*maker);
        const UserContact none;
        const UserContact& c = who != contacts_.end() ? who->second : none;
        h += c.name.empty() ? Esc(*maker) : Esc(c.name) + " <small>(" + Esc(*maker) + ")</small>";
        if (!c.phone.empty()) h += "<br><a class=\"phone\" href=\"tel:" + Esc(c.phone) + "\">" + Esc(c.phone) + "</a>";
      }
      h += "</td></tr>";
      listed.push_back(row.holder->ref.id);
      listed.push_back(child.ref.id);
    }
    return h + "</tbody></table></div>";
  }

  std::vector<std::string> listed;  // for the audit log

 private:
  WebRequest& r_;
  const std::map<std::string, UserContact>& contacts_;
};

std::string PassedWhat(const Viewer& v, PassedDate::Kind kind) {
  switch (kind) {
    case PassedDate::Kind::kHighRiskVisit:
      return v.T("Thăm lại trẻ có nguy cơ cao", "Visit again a child at high risk");
    case PassedDate::Kind::kCaseReview:
      return v.T("Rà soát vụ việc", "Review the case");
    case PassedDate::Kind::kFollowUpReview:
      return v.T("Rà soát sau lần theo dõi", "Review after the follow-up");
    case PassedDate::Kind::kPlanReview:
      return v.T("Rà soát kế hoạch hỗ trợ", "Review the case plan");
  }
  return "";
}

std::string DaysLate(const Viewer& v, int64_t days) {
  const std::string n = std::to_string(days);
  return v.en() ? n + (days == 1 ? " day late" : " days late") : "quá hạn " + n + " ngày";
}

std::string Heading(const std::string& text, size_t count) {
  return "<h2>" + text + " (" + std::to_string(count) + ")</h2>";
}

}  // namespace

// What the page reads, not every record: the case forms and home visits, the
// profiles those visits belong to, and what was made since the viewer last signed in.
Result<std::vector<IndexedRecord>> CaseRecords(WebRequest& r) {
  RecordQuery q = VisibleQuery(r);
  q.forms = {kCaseForm, kFollowUpForm, "abuse_case.case_plan", "child_profile.home_visits"};
  auto out = SelectRecords(r, q);
  if (!out.ok()) return out.status();
  std::set<std::string> have, parents;
  for (const IndexedRecord& rec : *out) {
    have.insert(rec.ref.id);
    if (!rec.ref.parent.empty()) parents.insert(rec.ref.parent);
  }
  RecordQuery of_visits = VisibleQuery(r);
  for (const std::string& id : parents) {
    if (have.count(id) == 0) of_visits.ids.push_back(id);
  }
  std::vector<RecordQuery> more;
  if (!of_visits.ids.empty()) more.push_back(std::move(of_visits));
  if (r.since_ms > 0) {
    RecordQuery fresh = VisibleQuery(r);
    fresh.top_level = true;
    fresh.created_from_ms = r.since_ms + 1;
    more.push_back(std::move(fresh));
  }
  for (const RecordQuery& m : more) {
    auto got = SelectRecords(r, m);
    if (!got.ok()) return got.status();
    for (IndexedRecord& rec : *got) {
      if (have.insert(rec.ref.id).second) out->push_back(std::move(rec));
    }
  }
  return out;
}

HttpResponse CasesPage(WebRequest& r) {
  const Viewer& v = r.viewer;
  if (v.role == Role::kAdmin) return AdminsSeeNoRecords(v);
  const int64_t days = ParseDays(r.http.Query("days"), 30);
  std::lock_guard<std::mutex> lock(r.app.mu);
  auto read = CaseRecords(r);
  if (!read.ok()) return InternalError(r.note, read.status());
  std::vector<const IndexedRecord*> pointers;
  for (const IndexedRecord& rec : *read) pointers.push_back(&rec);
  const std::vector<const IndexedRecord*>* all = &pointers;
  auto contacts = r.app.store->UserContacts();
  if (!contacts.ok()) return InternalError(r.note, contacts.status());
  const int64_t since = r.since_ms;  // the sign-in before this session's
  const int64_t now_local = r.app.env->LocalNowMs();
  const int64_t today = r.app.env->TodayDays();

  CheckEnv env;
  env.lang = v.lang;
  env.now_ms = now_local;
  env.today_days = static_cast<double>(today);
  auto open_rule = Expression::Parse(kOpenRule);
  if (!open_rule.ok()) return InternalError(r.note, Status::InvalidArgument("the open-case rule does not parse"));

  // 12-hour deadlines.
  std::vector<DueRow> late, soon, unassessed, emergencies;
  for (const IndexedRecord* rec : *all) {
    auto due = TwelveHourDeadline(*rec);
    if (!due) continue;
    const int64_t left = due->due_local_ms - now_local;
    DueRow row{due->due_local_ms, rec, rec, DeadlineLabel(v, due->kind), LocalTimeText(v, due->due_local_ms),
               HoursText(v, left), ""};
    if (left < 0) {
      row.urgency = "late";
      late.push_back(std::move(row));
    } else if (left <= kDueSoonHours * kHourMs) {
      row.urgency = "soon";
      soon.push_back(std::move(row));
    } else if (due->kind == UrgentDeadline::Kind::kAssessment) {
      unassessed.push_back(std::move(row));
    } else {
      emergencies.push_back(std::move(row));
    }
  }
  // Passed dates.
  std::vector<DueRow> visits, reviews;
  for (const PassedDate& p : PassedDates(*all, today)) {
    DueRow row{p.day, p.child, p.holder, PassedWhat(v, p.kind), FormatDate(v, FormatIsoDate(p.day)),
               DaysLate(v, today - p.day), "late"};
    (p.kind == PassedDate::Kind::kHighRiskVisit ? visits : reviews).push_back(std::move(row));
  }

  // The newest follow-up per case. Only follow-ups in the case's own commune count
  // (SECURITY.md: links obey the area rule): one filed elsewhere and pointed at the
  // case must not make its missing visit disappear.
  std::map<std::pair<std::string, std::string>, int64_t> last_visit_day;  // (case id, area)
  for (const IndexedRecord* rec : *all) {
    if (rec->ref.form != kFollowUpForm || rec->summary.is_void) continue;
    auto it = rec->summary.shown.find("followup_date");
    if (it == rec->summary.shown.end()) continue;
    if (auto day = ParseIsoDate(it->second)) {
      int64_t& best = last_visit_day[{rec->ref.parent, rec->ref.area}];
      best = std::max(best, *day);
    }
  }
  std::vector<std::string> listed;  // for the audit log
  std::vector<std::pair<std::string, std::string>> stale, fresh;  // (sort key, row)
  for (const IndexedRecord* rec : *all) {
    const RecordFacts& s = rec->summary;
    if (s.is_void) continue;
    if (s.created_ms > since && since > 0 && rec->ref.parent.empty()) {
      fresh.emplace_back(std::to_string(-s.created_ms), Row(r.app, v, *rec, FormatTime(v, s.created_ms)));
      listed.push_back(rec->ref.id);
    }
    if (rec->ref.form != kCaseForm) continue;
    const Form* form = r.app.forms.Find(rec->ref.form, rec->ref.version);
    if (form == nullptr || !Holds(*form, *open_rule, s.shown, env)) continue;
    // Since the report (else since the record was made), or the latest follow-up.
    int64_t last = static_cast<int64_t>(std::floor(static_cast<double>(s.created_ms + v.utc_offset_ms) / 86400000.0));
    auto reported = s.shown.find("report_datetime");
    if (reported != s.shown.end()) {
      if (auto day = ParseIsoDate(reported->second.substr(0, 10))) last = *day;
    }
    auto visit = last_visit_day.find({rec->ref.id, rec->ref.area});
    if (visit != last_visit_day.end()) last = std::max(last, visit->second);
    const int64_t idle = today - last;
    if (idle >= days) {
      stale.emplace_back(std::to_string(1000000 - idle),
                         Row(r.app, v, *rec, std::to_string(idle) + " " + v.T("ngày chưa thăm", "days without a visit")));
      listed.push_back(rec->ref.id);
    }
  }
  auto rows = [](std::vector<std::pair<std::string, std::string>>& list) {
    std::sort(list.begin(), list.end());
    std::string out;
    for (const auto& [key, row] : list) out += row;
    return out;
  };

  DueTable due(r, *contacts);
  const char* none = v.T("Không có.", "None.");
  std::string b;
  b += std::string("<p class=\"muted\">") +
       v.T("Hạn 12 giờ kể từ khi tiếp nhận thông tin: đánh giá ban đầu, và can thiệp khẩn cấp khi trẻ có nguy cơ cao "
           "(Nghị định 56/2017/NĐ-CP). Cán bộ phụ trách: người lập hồ sơ.",
           "12 hours from the report: the initial assessment, and the emergency intervention for a child at high risk "
           "(decree 56/2017/NĐ-CP). Responsible worker: who made the record.") +
       "</p>";
  struct Section {
    std::vector<DueRow>* rows;
    const char* id;
    const char* vi;
    const char* en;
  };
  const Section sections[] = {
      {&late, "overdue", "Quá hạn", "Overdue"},
      {&soon, "due-soon", "Sắp đến hạn (trong 4 giờ tới)", "Due within 4 hours"},
      {&unassessed, "unassessed", "Chưa đánh giá", "Not assessed yet"},
      {&emergencies, "emergencies", "Chờ can thiệp khẩn cấp, còn trong hạn", "Emergencies still within 12 hours"},
      {&visits, "visits", "Trẻ có nguy cơ cao quá ngày thăm lại", "High-risk children past their next visit"},
      {&reviews, "reviews", "Quá ngày rà soát", "Reviews past their date"},
  };
  for (const Section& s : sections) {
    b += Heading(v.T(s.vi, s.en), s.rows->size());
    auto table = due.Render(*s.rows, s.id, none);
    if (!table.ok()) return InternalError(r.note, table.status());
    b += *table;
  }
  b += Heading(v.T("Vụ việc lâu chưa được thăm", "Open cases without a recent visit"), stale.size());
  b += "<form method=\"get\" action=\"/cases\" class=\"inline\"><label>" +
       std::string(v.T("Chưa thăm từ (ngày)", "No visit for (days)")) +
       " <input type=\"number\" name=\"days\" min=\"1\" max=\"3650\" value=\"" + std::to_string(days) +
       "\"></label><button>" + v.T("Xem", "Show") + "</button></form>";
  b += Table(v, "stale", rows(stale), none);
  b += Heading(v.T("Hồ sơ mới từ lần đăng nhập trước", "New since your last sign-in"), fresh.size());
  b += Table(v, "fresh", rows(fresh),
             since > 0 ? v.T("Không có hồ sơ mới.", "Nothing new.") : v.T("Đây là lần đăng nhập đầu tiên.", "This is your first sign-in."));

  listed.insert(listed.end(), due.listed.begin(), due.listed.end());
  std::sort(listed.begin(), listed.end());
  listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
  Status audited = Audit(r.app, v.user, "case.list", "", RecordsShownDetail(listed));
  if (!audited.ok()) return InternalError(r.note, audited);
  return HtmlResponse(200, Page(v, v.T("Việc cần làm", "To act on"), "cases", b));
}

}  // namespace sotay::server::web
