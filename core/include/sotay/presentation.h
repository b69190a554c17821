// Answers as people read and write them: the one place that turns a stored answer
// into text for a person (choice labels, dates in the language's order, the decimal
// mark, field labels and form titles, the before and after of a change) and a
// person's JSON answers into stored ones. The shell, the C API, import and the
// dashboard all go through it, so a worker on a phone and district staff on the
// dashboard read the same answer the same way. Escaping for a terminal or for HTML
// stays with each front end: everything here is plain UTF-8 text.
//
// `lang` is picked by the one rule in sotay/lang.h ("en" is English, anything else
// Vietnamese).
//
// Thread-safety: pure functions over immutable Forms.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sotay/edit.h"
#include "sotay/form.h"
#include "sotay/status.h"
#include "sotay/validate.h"

namespace sotay {

// ---- Reading: a stored answer as text ---------------------------------------

// A date "YYYY-MM-DD" in the language's order: "21/03/2015" in Vietnamese, as is in
// English. Anything that is not such a date is returned unchanged.
std::string DateText(const std::string& iso_date, const std::string& lang);
// A local date and time "YYYY-MM-DDTHH:MM[:SS]" as "21/03/2015 14:30" (English
// "2015-03-21 14:30"); seconds are dropped. A bare date is shown as DateText.
std::string DateTimeText(const std::string& iso, const std::string& lang);
// A UTC time in ms as the local "21/03/2015 14:30" (English "2015-03-21 14:30"),
// `utc_offset_ms` being local time minus UTC; "" for a time <= 0 (never set).
std::string TimeText(int64_t utc_ms, int64_t utc_offset_ms, const std::string& lang);
// A number written with '.' ("3.5") with the language's decimal mark ("3,5" in
// Vietnamese).
std::string DecimalText(std::string number, const std::string& lang);

// A select answer as people read it: the choice's label in `lang`, or for
// select_multiple the labels joined with "; ". A code no longer in the list shows as
// itself; other field types return `value` unchanged.
std::string ChoiceLabels(const Form& form, const Field& field, const std::string& value, const std::string& lang);

// An answer of `field` (canonical text as stored) as a person reads it: choice
// labels, dates and date-times in the language's order, decimals with its mark.
std::string AnswerText(const Form& form, const Field& field, const std::string& value, const std::string& lang);

// The value of any field of a record, reserved ones included: the record's status
// as "đang dùng"/"active" or "đã hủy"/"void", a form field through AnswerText, and
// anything else (no form, a field the form no longer has) unchanged.
std::string ValueText(const Form* form, const std::string& field, const std::string& value, const std::string& lang);

// The label of a field in `lang`: the reserved fields (status, commune, form,
// version, parent) by what they are, a form field by its label, else its name.
// `form` may be null.
std::string FieldLabel(const Form* form, const std::string& field, const std::string& lang);

// The title of a form or child form in `lang`, or `id` when there is none (`form` may
// be null: a form no longer installed).
std::string FormTitle(const Form* form, const std::string& id, const std::string& lang);

// One field's change in a record's history, as text.
struct ChangeText {
  std::string label;                // FieldLabel
  std::vector<std::string> before;  // the values it replaced (ValueText), in base order
  std::string after;                // the new value (ValueText)
  // It replaced several values: someone chose between conflicting ones.
  bool settles_conflict() const { return before.size() > 1; }
};
ChangeText DescribeChange(const Form* form, const std::string& field, const std::vector<std::string>& before,
                          const std::string& after, const std::string& lang);

// Whether a history shows this change. The form, version, commune and parent are
// set once when a record is created, which is not worth a line each; a later change
// of them (a record moved to another commune) is shown.
bool ShownInHistory(const std::string& field, bool replaces_a_value);

// A record's history as a person reads it: each edit of `edits` (as
// Notebook::History gives them, oldest first) that ShownInHistory keeps, with the
// values it replaced among the earlier edits of the same field.
struct HistoryLine {
  const Edit* edit;  // into `edits`
  ChangeText change;
};
std::vector<HistoryLine> DescribeHistory(const Form* form, const std::vector<Edit>& edits, const std::string& lang);

// ---- Writing: a person's answer as stored ------------------------------------

// The choice a person wrote for a select field: its code, or its label in any of
// the form's languages (case, spaces around and diacritics ignored: "nu" is "Nữ").
// Anything else is returned trimmed, for validation to say it is not in the list.
std::string ResolveChoice(const Form& form, const Field& field, const std::string& typed);

// A cell of a table (CSV) as the field stores it: a select_one's choice resolved; a
// select_multiple's codes separated by spaces, or its codes or labels separated by
// ';' or ',' (as a person types them in a spreadsheet), each resolved and joined by
// spaces, the canonical form. Other types are returned unchanged.
std::string AnswerFromCell(const Form& form, const Field& field, const std::string& cell);

// A JSON object {"field": value} (as `sotay new --answers`, JSON Lines import and the
// C API take it) as answers, by one rule: a string, number or boolean is its text;
// for a select field, a code or a label resolved to the code (a string as a cell,
// see AnswerFromCell); a list only for select_multiple, each item one choice (a
// label may hold spaces) resolved, joined by spaces; null is no answer. A key the
// form does not have keeps its text, for validation to report. Errors:
// InvalidArgument when the text is not a JSON object, or naming the field whose
// value is of no allowed shape; the message is in `lang` and holds no answer.
Result<Answers> AnswersFromJson(const Form& form, std::string_view json_object, const std::string& lang);

}  // namespace sotay
