// Tokens of a form expression (expr.h): the first stage of Expression::Parse.
//
// Columns count UTF-8 code points from 1, so "column 9" points at the ninth
// character a form author sees, even after Vietnamese text in a string literal.
// `and`, `or`, `div` and `mod` come out as names; the parser decides whether a
// name is an operator, a function or a choice property.
//
// Pure functions; no state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sotay/status.h"

namespace sotay {
namespace expr {

enum class TokenKind {
  kNumber,    // 12, 1.5, .5, 5.
  kString,    // 'text' or "text"; `text` holds the contents without quotes
  kFieldRef,  // ${name}; `text` holds the name
  kDot,       // .
  kName,      // count-selected, district, and, div
  kLParen,
  kRParen,
  kComma,
  kPlus,
  kMinus,
  kStar,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kEnd,  // after the last token; its column is one past the last character
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;   // see TokenKind
  std::string raw;    // the source text of the token, for messages
  double number = 0;  // for kNumber
  int column = 1;     // 1-based, in code points
};

// Splits `text` into tokens ending with one kEnd token. On failure returns
// InvalidArgument "column N: reason" (an unterminated string, an unclosed ${,
// a character that has no meaning here) and `out` is unspecified.
Status Tokenize(std::string_view text, std::vector<Token>* out);

// The number of code points in `s` (a stray continuation byte counts as one).
size_t CountCodePoints(std::string_view s);

// "column N: what": the one shape of every parse error.
Status ColumnError(int column, const std::string& what);

// `raw` shortened for a message: at most 24 code points, then "...".
std::string Quote(std::string_view raw);

}  // namespace expr
}  // namespace sotay
