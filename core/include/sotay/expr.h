// The expression evaluator for forms (FORMS.md): XLSForm / XPath 1.0 syntax for
// `relevant`, `constraint`, `calculate`, `required` and `choice_filter`.
//
//   ${age} < 16 and selected(${circumstances}, 'b')
//   if(${sex} = 'female', 'F', 'M')      . >= date('2000-01-01')
//
// One evaluator for the shell, the server and any app. Parsing checks function
// names and argument counts, so a form with a bad expression is refused when it
// loads, with the column of the problem; evaluation then only fails on data
// (a bad regex built at run time), never throws.
//
// Values follow XPath: a string, a number (double), a boolean, or a date (days since
// 1970-01-01, fractional for a date-time). An unanswered field is the empty string;
// comparing it with a number is false, as in ODK.
//
// Time comes from the Context (today, now), never from a clock inside.
//
// Thread-safety: an Expression is immutable and may be shared between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sotay/status.h"

namespace sotay {

class ExprValue {
 public:
  enum class Kind { kString, kNumber, kBool, kDate };

  ExprValue() : kind_(Kind::kString) {}
  static ExprValue String(std::string s);
  static ExprValue Number(double d);
  static ExprValue Bool(bool b);
  static ExprValue Date(double days);  // days since 1970-01-01 (UTC)

  Kind kind() const { return kind_; }
  // XPath conversions.
  std::string AsString() const;  // numbers without a trailing ".0"; dates as YYYY-MM-DD
  double AsNumber() const;       // NaN when a string is not a number; dates as days
  bool AsBool() const;           // strings: non-empty; numbers: non-zero and not NaN

 private:
  Kind kind_;
  std::string s_;
  double d_ = 0;
  bool b_ = false;
};

// What an expression can see. Implemented by the validation layer and by tests.
class ExprContext {
 public:
  virtual ~ExprContext() = default;
  // The value of ${name}; nullopt when the form has no such field.
  virtual std::optional<ExprValue> Field(const std::string& name) const = 0;
  // The value of `.` (the field being checked).
  virtual ExprValue Current() const { return ExprValue(); }
  // A bare name in a choice_filter (a column of the choice list, e.g. `district`).
  virtual std::optional<ExprValue> Property(const std::string& name) const {
    (void)name;
    return std::nullopt;
  }
  virtual double TodayDays() const = 0;  // today() as days since the epoch, local date
  virtual int64_t NowMs() const = 0;      // now() in ms since the epoch
  // A function that answers false may say precisely why, in both languages
  // (personal-id-ok names the digit that disagrees), so that a constraint's message
  // can lead with it. A context that shows no message ignores it; the first one
  // said in an evaluation is the one kept.
  virtual void Explain(const std::string& vi, const std::string& en) const {
    (void)vi;
    (void)en;
  }
};

class Expression {
 public:
  // Parses `text`. On failure the Status is InvalidArgument with a message like
  // "column 12: expected ')' to close the call to if()" (columns count characters,
  // from 1).
  static Result<Expression> Parse(std::string_view text);

  // Evaluates against `ctx`. Fails only on data (e.g. an invalid regex pattern that
  // came from a field); the message names the function and the reason.
  Result<ExprValue> Evaluate(const ExprContext& ctx) const;

  // Convenience: evaluation errors count as false / "".
  bool EvaluateBool(const ExprContext& ctx) const;

  const std::string& text() const { return text_; }
  // Every ${name} the expression mentions, in order of first appearance.
  const std::vector<std::string>& references() const { return refs_; }

  struct Node;  // private to the implementation

 private:
  std::string text_;
  std::shared_ptr<const Node> root_;
  std::vector<std::string> refs_;
};

// Calendar helpers shared by the evaluator and validation (pure, UTC).
// Parses "YYYY-MM-DD" into days since 1970-01-01; nullopt if not a real date.
std::optional<int64_t> ParseIsoDate(std::string_view s);
// Parses "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]" into fractional days; nullopt if invalid.
std::optional<double> ParseIsoDateTime(std::string_view s);
std::string FormatIsoDate(int64_t days);

}  // namespace sotay
