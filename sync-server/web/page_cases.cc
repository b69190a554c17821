// GET /cases: what district staff must act on now.
//  - Serious abuse reports with no emergency intervention recorded 12 hours after
//    the report (decree 56/2017/NĐ-CP), still open.
//  - Open cases with no follow-up visit for `days` days (default 30).
//  - Records new since the viewer's previous sign-in.
// The first two rules name fields of the pack's abuse_case form; they are written as
// expressions in the form's own language and evaluated by the core, like skip logic.
#include <algorithm>
#include <cmath>
#include <mutex>

#include "sotay/validate.h"
#include "sotay/presentation.h"
#include "web/audit_log.h"
#include "web/web.h"

namespace sotay::server::web {

namespace {

constexpr const char* kCaseForm = "abuse_case";
constexpr const char* kFollowUpForm = "abuse_case.follow_ups";
// High risk (version 3's `risk_level`, version 2's `urgency`), no intervention yet,
// more than half a day since the report, not closed.
constexpr const char* kOverdueRule =
    "(${risk_level} = 'high' or ${urgency} = 'serious') and ${intervention_datetime} = '' "
    "and now() - ${report_datetime} > 0.5 "
    "and ${case_status} != 'closed'";
constexpr const char* kOpenRule = "${case_status} != 'closed'";

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
  return std::string("<table class=\"list\" id=\"") + id + "\"><thead><tr><th>" + v.T("Hồ sơ", "Record") + "</th><th>" +
         v.T("Xã", "Commune") + "</th><th></th></tr></thead><tbody>" + rows + "</tbody></table>";
}

}  // namespace

HttpResponse CasesPage(WebRequest& r) {
  const Viewer& v = r.viewer;
  if (v.role == Role::kAdmin) return AdminsSeeNoRecords(v);
  const int64_t days = ParseDays(r.http.Query("days"), 30);
  std::lock_guard<std::mutex> lock(r.app.mu);
  auto all = VisibleRecords(r);
  if (!all.ok()) return InternalError(r.note, all.status());
  const int64_t since = r.since_ms;  // the sign-in before this session's

  CheckEnv env;
  env.lang = v.lang;
  env.now_ms = r.app.env->LocalNowMs();
  env.today_days = static_cast<double>(r.app.env->TodayDays());
  auto overdue_rule = Expression::Parse(kOverdueRule);
  auto open_rule = Expression::Parse(kOpenRule);
  if (!overdue_rule.ok() || !open_rule.ok()) return InternalError(r.note, Status::InvalidArgument("a case rule does not parse"));

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

  std::vector<std::pair<std::string, std::string>> overdue, stale, fresh;  // (sort key, row)
  for (const IndexedRecord* rec : *all) {
    const RecordFacts& s = rec->summary;
    if (s.is_void) continue;
    if (s.created_ms > since && since > 0 && rec->ref.parent.empty()) {
      fresh.emplace_back(std::to_string(-s.created_ms), Row(r.app, v, *rec, FormatTime(v, s.created_ms)));
      listed.push_back(rec->ref.id);
    }
    if (rec->ref.form != kCaseForm) continue;
    const Form* form = r.app.forms.Find(rec->ref.form, rec->ref.version);
    if (form == nullptr) continue;
    auto reported = s.shown.find("report_datetime");
    const std::string reported_text =
        reported == s.shown.end() ? "" : AnswerText(*form, *form->FindField("report_datetime"), reported->second, v.lang);
    if (Holds(*form, *overdue_rule, s.shown, env)) {
      overdue.emplace_back(reported == s.shown.end() ? "" : reported->second,
                           Row(r.app, v, *rec, std::string(v.T("Tiếp nhận ", "Reported ")) + Esc(reported_text)));
      listed.push_back(rec->ref.id);
      continue;
    }
    if (!Holds(*form, *open_rule, s.shown, env)) continue;
    // Since the report (else since the record was made), or the latest follow-up.
    int64_t last = static_cast<int64_t>(std::floor(static_cast<double>(s.created_ms + v.utc_offset_ms) / 86400000.0));
    if (reported != s.shown.end()) {
      if (auto day = ParseIsoDate(reported->second.substr(0, 10))) last = *day;
    }
    auto visit = last_visit_day.find({rec->ref.id, rec->ref.area});
    if (visit != last_visit_day.end()) last = std::max(last, visit->second);
    const int64_t idle = r.app.env->TodayDays() - last;
    if (idle >= days) {
      stale.emplace_back(std::to_string(1000000 - idle),
                         Row(r.app, v, *rec, std::to_string(idle) + " " + v.T("ngày chưa thăm", "days without a visit")));
      listed.push_back(rec->ref.id);
    }
  }
  std::sort(listed.begin(), listed.end());
  listed.erase(std::unique(listed.begin(), listed.end()), listed.end());
  Status audited = Audit(r.app, v.user, "case.list", "", RecordsShownDetail(listed));
  if (!audited.ok()) return InternalError(r.note, audited);
  auto rows = [](std::vector<std::pair<std::string, std::string>>& list) {
    std::sort(list.begin(), list.end());
    std::string out;
    for (const auto& [key, row] : list) out += row;
    return out;
  };

  std::string b;
  b += std::string("<h2>") + v.T("Quá 12 giờ chưa can thiệp khẩn cấp", "Past the 12-hour emergency deadline") + " (" +
       std::to_string(overdue.size()) + ")</h2>";
  b += std::string("<p class=\"muted\">") +
       v.T("Vụ việc nguy cơ cao chưa ghi thời điểm can thiệp, đã quá 12 giờ kể từ khi tiếp nhận (Nghị định 56/2017/NĐ-CP).",
           "Serious cases with no intervention recorded more than 12 hours after the report (decree 56/2017/NĐ-CP).") +
       "</p>";
  b += Table(v, "overdue", rows(overdue), v.T("Không có.", "None."));
  b += std::string("<h2>") + v.T("Vụ việc lâu chưa được thăm", "Open cases without a recent visit") + " (" +
       std::to_string(stale.size()) + ")</h2>";
  b += "<form method=\"get\" action=\"/cases\" class=\"inline\"><label>" +
       std::string(v.T("Chưa thăm từ (ngày)", "No visit for (days)")) +
       " <input type=\"number\" name=\"days\" min=\"1\" max=\"3650\" value=\"" + std::to_string(days) +
       "\"></label><button>" + v.T("Xem", "Show") + "</button></form>";
  b += Table(v, "stale", rows(stale), v.T("Không có.", "None."));
  b += std::string("<h2>") + v.T("Hồ sơ mới từ lần đăng nhập trước", "New since your last sign-in") + " (" +
       std::to_string(fresh.size()) + ")</h2>";
  b += Table(v, "fresh", rows(fresh),
             since > 0 ? v.T("Không có hồ sơ mới.", "Nothing new.") : v.T("Đây là lần đăng nhập đầu tiên.", "This is your first sign-in."));
  return HtmlResponse(200, Page(v, v.T("Việc cần làm", "To act on"), "cases", b));
}

}  // namespace sotay::server::web
