// Evaluation of a parsed expression (expr.h): operators with XPath 1.0 / ODK
// semantics; functions live in expr_functions.cc.
//
//   = and !=  a boolean on either side: compare as booleans; else a date or a
//             number on either side: compare as numbers (dates as days, a string
//             against a date parsed as an ISO date); else compare strings.
//   < <= > >= a date on either side, or two strings that are both ISO dates:
//             compare as days; else as numbers. NaN (an empty answer) is never
//             less, greater or equal.
//   + - * div mod  numbers; dates and ISO date strings count as days, so
//             today() - ${dob} is an age in days.

#include <cmath>

#include "expr_calendar.h"
#include "expr_functions.h"
#include "expr_parser.h"

namespace sotay {

namespace {

using Node = Expression::Node;
using Op = Node::Op;
using Kind = ExprValue::Kind;

// A value as an operand of arithmetic.
double Arith(const ExprValue& v) {
  const double d = v.AsNumber();
  if (std::isnan(d) && v.kind() == Kind::kString) return expr::AsDays(v);
  return d;
}

bool Equal(const ExprValue& a, const ExprValue& b) {
  if (a.kind() == Kind::kBool || b.kind() == Kind::kBool) return a.AsBool() == b.AsBool();
  if (a.kind() == Kind::kDate || b.kind() == Kind::kDate) {
    return expr::AsDays(a) == expr::AsDays(b);
  }
  if (a.kind() == Kind::kNumber || b.kind() == Kind::kNumber) {
    return a.AsNumber() == b.AsNumber();
  }
  return a.AsString() == b.AsString();
}

bool Relate(Op op, const ExprValue& a, const ExprValue& b) {
  bool as_dates = a.kind() == Kind::kDate || b.kind() == Kind::kDate;
  if (!as_dates && a.kind() == Kind::kString && b.kind() == Kind::kString) {
    as_dates = !std::isnan(expr::AsDays(a)) && !std::isnan(expr::AsDays(b));
  }
  const double x = as_dates ? expr::AsDays(a) : a.AsNumber();
  const double y = as_dates ? expr::AsDays(b) : b.AsNumber();
  switch (op) {
    case Op::kLt: return x < y;
    case Op::kLe: return x <= y;
    case Op::kGt: return x > y;
    case Op::kGe: return x >= y;
    default: return false;
  }
}

double Arithmetic(Op op, double x, double y) {
  switch (op) {
    case Op::kAdd: return x + y;
    case Op::kSub: return x - y;
    case Op::kMul: return x * y;
    case Op::kDiv: return x / y;  // IEEE: 1 div 0 is Infinity, 0 div 0 is NaN
    case Op::kMod: return std::fmod(x, y);  // XPath mod truncates, like fmod
    default: return std::nan("");
  }
}

class Evaluator {
 public:
  explicit Evaluator(const ExprContext& ctx) : ctx_(ctx) {}

  Result<ExprValue> Eval(const Node& n) const {
    switch (n.op) {
      case Op::kLiteral: return n.literal;
      case Op::kField: {
        std::optional<ExprValue> v = ctx_.Field(n.name);
        return v ? *v : ExprValue::String("");
      }
      case Op::kCurrent: return ctx_.Current();
      case Op::kProperty: {
        std::optional<ExprValue> v = ctx_.Property(n.name);
        return v ? *v : ExprValue::String("");
      }
      case Op::kCall: return Call(n);
      case Op::kNegate: {
        Result<ExprValue> v = Eval(*n.kids[0]);
        if (!v.ok()) return v;
        return ExprValue::Number(-Arith(*v));
      }
      case Op::kOr:
      case Op::kAnd: {
        Result<ExprValue> left = Eval(*n.kids[0]);
        if (!left.ok()) return left;
        const bool l = left->AsBool();
        if (n.op == Op::kOr ? l : !l) return ExprValue::Bool(l);  // short-circuit
        Result<ExprValue> right = Eval(*n.kids[1]);
        if (!right.ok()) return right;
        return ExprValue::Bool(right->AsBool());
      }
      default: break;
    }
    Result<ExprValue> left = Eval(*n.kids[0]);
    if (!left.ok()) return left;
    Result<ExprValue> right = Eval(*n.kids[1]);
    if (!right.ok()) return right;
    switch (n.op) {
      case Op::kEq: return ExprValue::Bool(Equal(*left, *right));
      case Op::kNe: return ExprValue::Bool(!Equal(*left, *right));
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe: return ExprValue::Bool(Relate(n.op, *left, *right));
      default: return ExprValue::Number(Arithmetic(n.op, Arith(*left), Arith(*right)));
    }
  }

 private:
  Result<ExprValue> Call(const Node& n) const {
    if (n.fn->impl == nullptr) {  // if(condition, then, else): only one branch runs
      Result<ExprValue> cond = Eval(*n.kids[0]);
      if (!cond.ok()) return cond;
      return Eval(*n.kids[cond->AsBool() ? 1 : 2]);
    }
    std::vector<ExprValue> args;
    args.reserve(n.kids.size());
    for (const auto& kid : n.kids) {
      Result<ExprValue> v = Eval(*kid);
      if (!v.ok()) return v;
      args.push_back(std::move(*v));
    }
    return n.fn->impl(expr::CallArgs{args, ctx_, n.pattern.get(), n.column});
  }

  const ExprContext& ctx_;
};

}  // namespace

Result<ExprValue> Expression::Evaluate(const ExprContext& ctx) const {
  if (!root_) return ExprValue::String("");  // a default-constructed Expression
  try {
    return Evaluator(ctx).Eval(*root_);
  } catch (const std::exception& e) {  // std::bad_alloc; functions report errors as values
    return Status::InvalidArgument(std::string("cannot evaluate: ") + e.what());
  }
}

bool Expression::EvaluateBool(const ExprContext& ctx) const {
  Result<ExprValue> v = Evaluate(ctx);
  return v.ok() && v->AsBool();
}

}  // namespace sotay
