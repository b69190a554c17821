#include "web/case_deadlines.h"

#include <cmath>
#include <map>

#include "sotay/expr.h"

namespace sotay::server::web {

namespace {

constexpr const char* kCaseForm = "abuse_case";
constexpr const char* kFollowUpForm = "abuse_case.follow_ups";
constexpr const char* kPlanForm = "abuse_case.case_plan";
constexpr const char* kProfileForm = "child_profile";
constexpr const char* kVisitForm = "child_profile.home_visits";
constexpr int64_t kHourMs = 3600LL * 1000;

std::string Answer(const IndexedRecord& rec, const char* field) {
  auto it = rec.summary.shown.find(field);
  return it == rec.summary.shown.end() ? "" : it->second;
}

std::optional<int64_t> DateOf(const IndexedRecord& rec, const char* field) {
  const std::string text = Answer(rec, field);
  return text.empty() ? std::nullopt : ParseIsoDate(text.substr(0, 10));
}

bool OpenCase(const IndexedRecord& rec) {
  return rec.ref.form == kCaseForm && !rec.summary.is_void && Answer(rec, "case_status") != "closed";
}

}  // namespace

std::optional<UrgentDeadline> TwelveHourDeadline(const IndexedRecord& rec) {
  if (!OpenCase(rec)) return std::nullopt;
  const auto reported = ParseIsoDateTime(Answer(rec, "report_datetime"));
  if (!reported) return std::nullopt;
  // The report's time is local (the worker's phone); so is the deadline.
  const int64_t due = static_cast<int64_t>(std::llround(*reported * 86400000.0)) + 12 * kHourMs;
  // Version 2 names the emergency `urgency` = `serious`, version 3 `risk_level` = `high`.
  const bool emergency = Answer(rec, "urgency") == "serious" || Answer(rec, "risk_level") == "high";
  if (emergency) {
    if (!Answer(rec, "intervention_datetime").empty()) return std::nullopt;
    return UrgentDeadline{UrgentDeadline::Kind::kEmergency, due};
  }
  // Assessed: its time, or its result (records made before the time was asked).
  if (!Answer(rec, "assessment_datetime").empty() || !Answer(rec, "urgency").empty() ||
      !Answer(rec, "risk_level").empty()) {
    return std::nullopt;
  }
  return UrgentDeadline{UrgentDeadline::Kind::kAssessment, due};
}

std::vector<PassedDate> PassedDates(const std::vector<const IndexedRecord*>& records, int64_t today) {
  std::map<std::string, const IndexedRecord*> by_id;
  for (const IndexedRecord* rec : records) by_id[rec->ref.id] = rec;
  auto parent_of = [&](const IndexedRecord& rec) -> const IndexedRecord* {
    auto it = by_id.find(rec.ref.parent);
    if (it == by_id.end() || it->second->ref.area != rec.ref.area || it->second->summary.is_void) return nullptr;
    return it->second;
  };
  // The latest home visit of each profile and the latest follow-up of each case:
  // a later one replaces the plan an earlier one made.
  std::map<std::string, std::pair<int64_t, const IndexedRecord*>> latest_visit, latest_follow_up;
  auto keep_latest = [](std::map<std::string, std::pair<int64_t, const IndexedRecord*>>& latest,
                        const IndexedRecord* rec, int64_t day) {
    auto& slot = latest[rec->ref.parent];
    if (slot.second == nullptr || std::make_pair(day, rec->summary.created_ms) >
                                      std::make_pair(slot.first, slot.second->summary.created_ms)) {
      slot = {day, rec};
    }
  };
  std::vector<PassedDate> out;
  for (const IndexedRecord* rec : records) {
    if (rec->summary.is_void) continue;
    if (rec->ref.form == kCaseForm && OpenCase(*rec)) {
      if (auto day = DateOf(*rec, "next_review_date"); day && *day < today) {
        out.push_back(PassedDate{PassedDate::Kind::kCaseReview, rec, rec, *day});
      }
      continue;
    }
    const IndexedRecord* parent = rec->ref.parent.empty() ? nullptr : parent_of(*rec);
    if (parent == nullptr) continue;
    if (rec->ref.form == kVisitForm && parent->ref.form == kProfileForm) {
      keep_latest(latest_visit, rec, DateOf(*rec, "visit_date").value_or(0));
    } else if (rec->ref.form == kFollowUpForm && OpenCase(*parent)) {
      keep_latest(latest_follow_up, rec, DateOf(*rec, "followup_date").value_or(0));
    } else if (rec->ref.form == kPlanForm && OpenCase(*parent)) {
      if (auto day = DateOf(*rec, "plan_review_date"); day && *day < today) {
        out.push_back(PassedDate{PassedDate::Kind::kPlanReview, rec, parent, *day});
      }
    }
  }
  for (const auto& [parent, visit] : latest_visit) {
    const IndexedRecord& rec = *visit.second;
    if (Answer(rec, "risk_level") != "high") continue;
    if (auto day = DateOf(rec, "next_visit_date"); day && *day < today) {
      out.push_back(PassedDate{PassedDate::Kind::kHighRiskVisit, &rec, by_id[parent], *day});
    }
  }
  for (const auto& [parent, follow_up] : latest_follow_up) {
    // Version 3 names the follow-up's next date `next_followup_date` (a form may not
    // use one name twice, and the case has its own `next_review_date`).
    auto day = DateOf(*follow_up.second, "next_followup_date");
    if (!day) day = DateOf(*follow_up.second, "next_review_date");
    if (day && *day < today) {
      out.push_back(PassedDate{PassedDate::Kind::kFollowUpReview, follow_up.second, by_id[parent], *day});
    }
  }
  return out;
}

std::string ChildNameOf(const IndexedRecord& rec) {
  std::string name = Answer(rec, "child_name");
  return name.empty() ? Answer(rec, "full_name") : name;
}

std::string VillageOf(const IndexedRecord& rec) { return Answer(rec, "village"); }

std::string HoursText(const Viewer& v, int64_t due_minus_now_ms) {
  const bool late = due_minus_now_ms < 0;
  const int64_t hours = (late ? -due_minus_now_ms : due_minus_now_ms) / kHourMs;
  const std::string n = std::to_string(hours);
  if (late) {
    return hours < 1 ? v.T("quá hạn chưa đến 1 giờ", "less than an hour late")
                     : v.en() ? n + " hours late" : "quá hạn " + n + " giờ";
  }
  return hours < 1 ? v.T("còn dưới 1 giờ", "less than an hour left")
                   : v.en() ? n + " hours left" : "còn " + n + " giờ";
}

std::string LocalTimeText(const Viewer& v, int64_t local_ms) { return FormatTime(v, local_ms - v.utc_offset_ms); }

std::string DeadlineLabel(const Viewer& v, UrgentDeadline::Kind kind) {
  return kind == UrgentDeadline::Kind::kEmergency ? v.T("Hạn can thiệp khẩn cấp", "Emergency intervention due")
                                                  : v.T("Hạn đánh giá ban đầu", "Initial assessment due");
}

}  // namespace sotay::server::web
