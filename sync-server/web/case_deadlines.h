// The deadlines of child-protection work the dashboard shows (issue 15): what is
// late, what is due soon, read from records' answers against the server's clock.
// The cases page (page_cases.cc) lists them; a case's page shows its own 12-hour
// deadline as a banner (record_sections.cc).
//
// Which deadlines, and why:
//  - 12 hours from the report (decree 56/2017/NĐ-CP, arts. 26 and 31), for every
//    open abuse report with no assessment yet (the commune assesses within 12 hours
//    of the report; the form has no rule for it, its hint says "update it when the
//    assessment is done") and, once assessed as an emergency (v2 `urgency` =
//    `serious`, v3 `risk_level` = `high`), for the emergency intervention until its
//    time is recorded (the form's own `late_intervention_note` rule: > 0.5 day).
//  - Due soon: within kDueSoonHours. Four hours, not twelve: a 12-hour deadline is
//    "due soon" from its start otherwise; four hours still leaves time to reach a
//    village and act, and is half a working shift.
//  - Dates, passed when before today: the next visit of a child whose latest home
//    visit found a high risk, and review dates (the case's `next_review_date`, its
//    latest follow-up's `next_review_date`, each case plan entry's
//    `plan_review_date`: form pack version 3; records without them have none).
//
// Thread-safety: pure functions over the records they are given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "web/html.h"
#include "web/record_index.h"

namespace sotay::server::web {

inline constexpr int64_t kDueSoonHours = 4;

// A 12-hour deadline of an abuse report that is not met yet.
struct UrgentDeadline {
  enum class Kind { kAssessment, kEmergency } kind = Kind::kAssessment;
  int64_t due_local_ms = 0;  // local time (the report's own clock), ms since 1970
};

// The running or passed 12-hour deadline of an abuse_case record, or nullopt (not
// an abuse report, void, closed, no report time, or the deadline met).
std::optional<UrgentDeadline> TwelveHourDeadline(const IndexedRecord& rec);

// A date that has passed: a high-risk child's next visit, or a review.
struct PassedDate {
  enum class Kind { kHighRiskVisit, kCaseReview, kFollowUpReview, kPlanReview } kind = Kind::kCaseReview;
  const IndexedRecord* holder = nullptr;  // the record whose answer holds the date
  const IndexedRecord* child = nullptr;   // the case or profile that names the child
  int64_t day = 0;                        // days since 1970
};

// Every passed date of the records (`today` in local days), each child record read
// only with its parent in the same commune (SECURITY.md: links obey the area rule).
std::vector<PassedDate> PassedDates(const std::vector<const IndexedRecord*>& records, int64_t today);

// The child's name and village as the record answers them ("" when not).
std::string ChildNameOf(const IndexedRecord& rec);
std::string VillageOf(const IndexedRecord& rec);

// "quá hạn 5 giờ" / "còn 3 giờ" (en "5 hours late" / "3 hours left"), for a
// deadline `due_minus_now_ms` away.
std::string HoursText(const Viewer& v, int64_t due_minus_now_ms);
// A local time (ms since 1970, local) as the viewer reads it: "28/11/2026 14:30".
std::string LocalTimeText(const Viewer& v, int64_t local_ms);
// What a 12-hour deadline is for: "Hạn can thiệp khẩn cấp" / "Hạn đánh giá ban đầu".
std::string DeadlineLabel(const Viewer& v, UrgentDeadline::Kind kind);

}  // namespace sotay::server::web
