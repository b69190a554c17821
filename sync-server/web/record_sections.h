// A record's page, the parts that tell what is missing (issue 15): the banner of a
// running or passed 12-hour deadline, and the answers in form order with every
// section the form has, those the record left empty marked "chưa có thông tin"
// rather than hidden, so that a missing emergency intervention is seen.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "sotay/form.h"
#include "web/html.h"
#include "web/record_index.h"

namespace sotay::server::web {

// "Hạn can thiệp khẩn cấp: 28/11/2026 14:30 — quá hạn 2 giờ" as a banner, or ""
// when the record has no 12-hour deadline running or passed (case_deadlines.h).
// `now_local_ms`: the server's local time.
std::string DeadlineBanner(const Viewer& v, const IndexedRecord& rec, int64_t now_local_ms);

// The answers table (id "answers"): `form` nullptr shows the raw answers.
// `today_days` and `now_local_ms` evaluate the sections' relevance. An answer of a
// field `shows` says no to reads "(thông tin bảo mật)" (web/sensitive.h).
std::string AnswersTable(const Form* form, const RecordFacts& s, const Viewer& v, int64_t now_local_ms,
                         int64_t today_days, const std::function<bool(const std::string& field)>& shows);

}  // namespace sotay::server::web
