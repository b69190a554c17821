// The ExprContext that validation gives expressions: a record's answers, typed by
// their fields (numbers for integer/decimal, dates for date fields), and the
// parent's answers for a repeat entry.
#pragma once

#include "sotay/expr.h"
#include "sotay/validate.h"

namespace sotay {

class AnswerContext : public ExprContext {
 public:
  AnswerContext(const Form& form, const Answers& answers, const CheckEnv& env)
      : form_(form), answers_(answers), env_(env) {}

  void set_current(ExprValue v) { current_ = std::move(v); }
  void set_choice(const Choice* c) { choice_ = c; }

  std::optional<ExprValue> Field(const std::string& name) const override;
  ExprValue Current() const override { return current_; }
  std::optional<ExprValue> Property(const std::string& name) const override;
  double TodayDays() const override { return env_.today_days; }
  int64_t NowMs() const override { return env_.now_ms; }
  void Explain(const std::string& vi, const std::string& en) const override {
    if (why_.empty()) why_.by_lang = {{"vi", vi}, {"en", en}};
  }
  // What a function said of a false answer (Explain), empty when nothing.
  const LocalText& why() const { return why_; }

  // An answer as the expression sees it.
  static ExprValue Typed(const sotay::Field& field, const std::string& value);

 private:
  const Form& form_;
  const Answers& answers_;
  const CheckEnv& env_;
  ExprValue current_;
  const Choice* choice_ = nullptr;
  mutable LocalText why_;  // said during a const evaluation
};

}  // namespace sotay
