// The expression parser and evaluator (sotay/expr.h): a form's `relevant`,
// `constraint`, `calculate`... come from form files, and the values they see from
// workers' answers. Any text: an Expression or an InvalidArgument status naming the
// column; any expression evaluates to a value or a status, never a crash.
//
// The input is "expression" or "expression\nvalue": the value is what every field
// and `.` hold, so the fuzzer varies the data as well as the expression.
#include "fuzz_support.h"
#include "sotay/expr.h"

using namespace sotay;

namespace {

class Context : public ExprContext {
 public:
  explicit Context(std::string value) : value_(std::move(value)) {}
  std::optional<ExprValue> Field(const std::string& name) const override {
    if (name == "age") return ExprValue::Number(14);
    if (name == "dob") return ExprValue::Date(14000);
    if (name == "missing") return std::nullopt;
    return ExprValue::String(value_);
  }
  ExprValue Current() const override { return ExprValue::String(value_); }
  std::optional<ExprValue> Property(const std::string& name) const override {
    if (name == "district") return ExprValue::String("148");
    return std::nullopt;
  }
  double TodayDays() const override { return 19889; }           // 2024-06-15
  int64_t NowMs() const override { return 1718420645678; }      // 2024-06-15T03:04:05.678Z

 private:
  std::string value_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text;
  const std::string_view value = fuzz::TakeUntil(fuzz::Input(data, size), '\n', &text);
  auto e = Expression::Parse(text);
  if (!e.ok()) return 0;
  const Context ctx{std::string(value)};
  auto v = e->Evaluate(ctx);
  if (v.ok()) {
    (void)v->AsString();
    (void)v->AsNumber();
    (void)v->AsBool();
  }
  (void)e->EvaluateBool(ctx);
  // The calendar helpers see answers as typed.
  (void)ParseIsoDate(value);
  if (auto t = ParseIsoDateTime(value)) (void)FormatIsoDate(static_cast<int64_t>(*t));
  return 0;
}
