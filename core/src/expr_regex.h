// The pattern matcher behind regex() in form expressions: the ECMAScript syntax form
// authors write (as ODK's Java regex reads it), matched in time linear in the text.
//
// Why not std::regex: libstdc++ backtracks, so a form's pattern such as
// `^(0|\+84)*...*$` against an answer took minutes on a phone (found by
// fuzz/expr_fuzz), and it recurses once per character; and it reads bytes, so `.`
// or `[À-ỹ]` did not match one Vietnamese letter. Here a pattern compiles to a small
// program run as a Thompson NFA over code points (as RE2 and Go's regexp do): every
// state is visited at most once per character.
//
// Supported: literals, `.`, classes `[a-z]` `[^...]` with `\d \w \s` and their
// negations, escapes (`\t \n \r \f \v \0 \xHH \uHHHH`, any escaped punctuation),
// groups `(...)` `(?:...)`, alternation, `* + ? {n} {n,} {n,m}` (lazy forms accepted:
// only whether it matches is asked), anchors `^ $ \b \B`. Refused with a reason:
// back-references and lookaround (not possible in linear time), counts above 1000,
// patterns that compile to more than kMaxInstructions.
//
// Thread-safety: a compiled Regex is immutable; Search may run on many threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sotay/status.h"

namespace sotay::expr {

class Regex {
 public:
  static constexpr size_t kMaxInstructions = 20000;

  // On failure the reason, without the pattern (it may come from an answer).
  static Result<Regex> Compile(std::string_view pattern);

  // Whether the pattern matches anywhere in `text` (regex_search, not regex_match:
  // anchor with ^ and $ to match the whole answer). Bytes that are not UTF-8 are
  // each read as one character.
  bool Search(std::string_view text) const;

  // One instruction of the program (public for the compiler in expr_regex.cc).
  struct Range {
    char32_t lo, hi;
  };
  struct Inst {
    enum Op : uint8_t { kChar, kAny, kSplit, kJmp, kBegin, kEnd, kWordBoundary, kNotWordBoundary, kMatch };
    Op op = kMatch;
    bool negated = false;       // kChar: matches what is NOT in the ranges
    uint32_t x = 0, y = 0;      // kSplit: both targets; kJmp: x
    std::vector<Range> ranges;  // kChar
  };

 private:
  std::vector<Inst> prog_;
};

}  // namespace sotay::expr
