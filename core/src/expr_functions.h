// The functions a form expression may call (XLSForm / ODK names): one table that
// the parser checks names and argument counts against and the evaluator calls.
//
// Functions are pure: they see their evaluated arguments and the context (for
// today() and now()), and fail only on data (regex() with an invalid pattern).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expr_regex.h"
#include "sotay/expr.h"
#include "sotay/status.h"

namespace sotay {
namespace expr {

struct CallArgs {
  const std::vector<ExprValue>& args;
  const ExprContext& ctx;
  const Regex* pattern;      // regex(): compiled at parse time when a literal, else null
  int column;                 // of the function's name, for error messages
};

using FunctionImpl = Result<ExprValue> (*)(const CallArgs&);

constexpr int kAnyCount = -1;

struct FunctionSpec {
  const char* name;
  int min_args;
  int max_args;       // kAnyCount: no limit
  FunctionImpl impl;  // null for if(), which the evaluator runs lazily
};

// The function called `name`, or null when there is none.
const FunctionSpec* FindFunction(std::string_view name);

// "if() takes 3 arguments", "round() takes 1 or 2 arguments", ...
std::string DescribeArity(const FunctionSpec& fn);

// Compiles a pattern for regex() (expr_regex.h); on failure the reason, without the
// pattern (it may come from an answer).
Result<std::shared_ptr<const Regex>> CompileRegex(const std::string& pattern);

// UTF-8 helpers shared with the evaluator: the code points of `s`, each as a
// byte range (a stray continuation byte is its own code point).
std::vector<std::string_view> CodePoints(std::string_view s);

}  // namespace expr
}  // namespace sotay
