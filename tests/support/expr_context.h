// A form as an expression sees it, for the expression tests: answers, the current
// value, a choice's columns, and a clock fixed at 2024-06-15T03:04:05.678Z. Plus
// helpers that parse and evaluate in one step and fail the test on an error.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "sotay/expr.h"

namespace sotay::expr_testing {

inline constexpr double kToday = 19889;  // 2024-06-15
// 2024-06-15T03:04:05.678Z
inline constexpr int64_t kNowMs = 19889LL * 86400000 + ((3 * 60 + 4) * 60 + 5) * 1000 + 678;

class FormContext : public ExprContext {
 public:
  std::map<std::string, ExprValue> fields;
  std::map<std::string, ExprValue> properties;
  ExprValue current;

  FormContext& Set(const std::string& name, ExprValue v) {
    fields[name] = std::move(v);
    return *this;
  }
  FormContext& Set(const std::string& name, const char* s) {
    return Set(name, ExprValue::String(s));
  }

  std::optional<ExprValue> Field(const std::string& name) const override {
    auto it = fields.find(name);
    if (it == fields.end()) return std::nullopt;
    return it->second;
  }
  ExprValue Current() const override { return current; }
  std::optional<ExprValue> Property(const std::string& name) const override {
    auto it = properties.find(name);
    if (it == properties.end()) return std::nullopt;
    return it->second;
  }
  double TodayDays() const override { return kToday; }
  int64_t NowMs() const override { return kNowMs; }
};

inline ExprValue Eval(const std::string& text, const FormContext& ctx = FormContext()) {
  auto e = Expression::Parse(text);
  INFO(text << " -> " << e.status().message());
  REQUIRE(e.ok());
  auto v = e->Evaluate(ctx);
  INFO("evaluation: " << v.status().message());
  REQUIRE(v.ok());
  return *v;
}
inline std::string Str(const std::string& text, const FormContext& ctx = FormContext()) {
  return Eval(text, ctx).AsString();
}
inline bool Truth(const std::string& text, const FormContext& ctx = FormContext()) {
  return Eval(text, ctx).AsBool();
}
inline std::string ParseError(const std::string& text) {
  auto e = Expression::Parse(text);
  INFO(text);
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().code() == Status::Code::kInvalidArgument);
  return e.status().message();
}
inline bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace sotay::expr_testing
