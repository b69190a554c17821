// The syntax tree of a form expression and the recursive-descent parser that
// builds it (expr.h). Precedence, loosest first, as in XPath 1.0:
//
//   or < and < = != < < <= > >= < + - < * div mod < unary - < primary
//
// where a primary is a number, a string, ${field}, `.`, ( expr ), name(args) or a
// bare name (a choice property, for choice_filter). Binary operators associate to
// the left. Function names and argument counts are checked here, so a bad form is
// refused when it loads; a literal regex() pattern is compiled here too.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expr_functions.h"
#include "sotay/expr.h"
#include "sotay/status.h"

namespace sotay {

struct Expression::Node {
  enum class Op {
    kLiteral,   // `literal`
    kField,     // ${name}
    kCurrent,   // .
    kProperty,  // a bare name: a column of the choice being filtered
    kCall,      // fn(kids...)
    kNegate,    // -kids[0]
    kOr, kAnd, kEq, kNe, kLt, kLe, kGt, kGe, kAdd, kSub, kMul, kDiv, kMod,  // kids[0] op kids[1]
  };

  Op op = Op::kLiteral;
  int column = 1;  // of the token that made the node, for messages
  int depth = 1;   // height of the subtree, bounded so evaluation cannot exhaust the stack
  ExprValue literal;
  std::string name;                              // kField, kProperty
  const expr::FunctionSpec* fn = nullptr;        // kCall
  std::shared_ptr<const expr::Regex> pattern;     // kCall of regex() with a literal pattern
  std::vector<std::unique_ptr<const Node>> kids;
};

namespace expr {

// The deepest nesting of parentheses, calls and operators an expression may have.
constexpr int kMaxDepth = 200;

// Parses `text` into `*root` and lists its ${names} in order of first appearance
// into `*refs`. On failure returns InvalidArgument "column N: reason".
Status ParseTree(std::string_view text, std::unique_ptr<const Expression::Node>* root,
                 std::vector<std::string>* refs);

}  // namespace expr
}  // namespace sotay
