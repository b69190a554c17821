// Answer validation (FORMS.md): types, required, constraints, choices and relevance,
// the same for the interview, `--answers` files, imports and the server.
//
// Answers are text in a canonical form: integers "12", decimals "3.5", dates
// "2015-03-21", select_multiple "a b c" (space-separated choice names), geopoints
// "lat lon [alt [accuracy]]". The empty string is "no answer".
//
// Messages come in the worker's language (vi or en) and never repeat the answer.
//
// No value of any type may hold a control character other than tab and newline, DEL,
// a C1 control or a bidi embedding/override/isolate (FirstForbiddenChar in text.h):
// the message names the field and the code point. Canonical() turns CRLF and a lone
// CR into a newline first, so an Excel cell with line breaks imports.
//
// Thread-safety: pure functions over the form and answers given; safe from any
// thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sotay/expr.h"
#include "sotay/form.h"

namespace sotay {

using Answers = std::map<std::string, std::string>;

// What validation needs from outside: the language and the date (never a clock).
struct CheckEnv {
  std::string lang = "vi";
  double today_days = 0;  // today() for expressions
  int64_t now_ms = 0;
  // For a repeat entry: the parent record's form and answers, visible to ${...}.
  const Form* parent_form = nullptr;
  const Answers* parent_answers = nullptr;
  // For an edit of a saved record: its answers before the edit. A constraint is then
  // checked only when its field or a field it names (${x}) changes, so a rule that
  // moves with today() (under sixteen) never fails an old record later. Null at
  // creation: every constraint is checked. Types, choices and `required` are always.
  const Answers* before = nullptr;
};

struct FieldIssue {
  std::string field;
  std::string message;
};

// The answers a record keeps and what is wrong with them.
struct Checked {
  Answers answers;  // relevant answers only, calculates computed
  std::vector<FieldIssue> issues;
  bool ok() const { return issues.empty(); }
};

// Checks a whole set of answers: unknown fields, non-relevant answers dropped,
// calculates computed, then every relevant field checked in form order.
Checked CheckAnswers(const Form& form, const Answers& input, const CheckEnv& env);

// Whether the field (and every group around it) is relevant given `answers`.
bool IsRelevant(const Form& form, const Field& field, const Answers& answers, const CheckEnv& env);

// Checks one value of one field in the context of the other answers: type, choice,
// required, constraint (on an edit, only when it changes; see CheckEnv::before).
// `value` must already be canonical (see Canonical()).
std::optional<FieldIssue> CheckValue(const Form& form, const Field& field, const std::string& value,
                                     const Answers& answers, const CheckEnv& env);

// Only the value's type, and for a select that its codes are in the field's list
// (whatever the choice filter): what a server checks of an edit on its own, without
// the rest of the record. `value` canonical; "" passes.
std::optional<FieldIssue> CheckType(const Form& form, const Field& field, const std::string& value,
                                    const std::string& lang);

// Tidies what a person typed into the canonical form: CRLF and CR -> LF, trims, "3,5" -> "3.5" for
// decimals, collapses spaces in select_multiple. Never changes the meaning.
std::string Canonical(const Field& field, const std::string& typed);

// The choices offered for a select field given the other answers (choice_filter).
std::vector<const Choice*> AvailableChoices(const Form& form, const Field& field,
                                            const Answers& answers, const CheckEnv& env);

// Recomputes every calculate field in form order.
void ComputeCalculates(const Form& form, Answers& answers, const CheckEnv& env);

// Whether `rule` holds of `answers` (an expression over the form's fields; an
// evaluation error counts as false), as skip logic would see it.
bool Holds(const Form& form, const Expression& rule, const Answers& answers, const CheckEnv& env);

// The record's display name from the form's instance_name ("" when none).
std::string InstanceName(const Form& form, const Answers& answers, const CheckEnv& env);

}  // namespace sotay
