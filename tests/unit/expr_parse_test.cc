// Parsing form expressions (expr.h): a bad expression is refused when the form
// loads, with the column of the problem; references() for the loader's checks; and
// a deterministic fuzz that no input crashes the parser or escapes the message shape.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "sotay/expr.h"
#include "support/expr_context.h"

using namespace sotay;
using namespace sotay::expr_testing;

TEST_CASE("expr: a form with a bad expression is refused with the column", "[expr]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "column 1: empty expression"},
      {"   ", "column 1: empty expression"},
      {"fooo(1)", "column 1: unknown function 'fooo'"},
      {"${age} + fooo(1)", "column 10: unknown function 'fooo'"},
      {"'Đặng' = fooo()", "column 10: unknown function 'fooo'"},
      {"count_selected(${x})",
       "column 1: unknown function 'count_selected' (did you mean count-selected()?)"},
      {"if(${a} = 1, 'x')", "column 1: if() takes 3 arguments, got 2"},
      {"1 + today(1)", "column 5: today() takes no arguments, got 1"},
      {"round()", "column 1: round() takes 1 or 2 arguments, got 0"},
      {"min()", "column 1: min() takes at least 1 argument, got 0"},
      {"(1 + 2", "column 7: expected ')' to close '(' at column 1, found end of expression"},
      {"((1) + 2", "column 9: expected ')' to close '(' at column 1, found end of expression"},
      {"if(1, 2, 3", "column 11: expected ')' to close the call to if(), found end of expression"},
      {"if(1, 2 3)", "column 9: expected ')' to close the call to if(), found '3'"},
      {"'Nguyễn' = 'abc", "column 12: unterminated string (no closing quote)"},
      {"1 2", "column 3: unexpected '2' (expected an operator or the end)"},
      {"1 + ", "column 5: unexpected end of expression"},
      {"1)", "column 2: unexpected ')' with no matching '('"},
      {"concat(1,)", "column 10: unexpected ')'"},
      {"and 1", "column 1: unexpected 'and'"},
      {"1 + * 2", "column 5: unexpected '*'"},
      {"${age", "column 6: expected '}' to close '${'"},
      {"${a b}", "column 4: expected '}' to close '${'"},
      {"${}", "column 1: empty field name in '${}'"},
      {"$age", "column 1: expected '{' after '$' (write ${name})"},
      {"${a} / 2", "column 6: unexpected '/' (use div to divide)"},
      {"${a} == 2", "column 7: unexpected '='"},
      {"'Hà' # 1", "column 6: unexpected character '#'"},
      {"! ${a}", "column 1: unexpected '!' (use != or not())"},
  };
  for (const auto& [text, want] : cases) {
    CHECK(ParseError(text) == want);
  }
  CHECK(StartsWith(ParseError("regex(., '[0-9')"), "column 10: regex(): invalid pattern ("));
}

TEST_CASE("expr: absurdly deep nesting is refused, ordinary nesting is not", "[expr]") {
  const std::string deep = std::string(300, '(') + "1" + std::string(300, ')');
  CHECK(ParseError(deep) == "column 201: expression nested too deeply");
  std::string long_sum = "1";
  for (int i = 0; i < 300; ++i) long_sum += " + 1";
  CHECK(ParseError(long_sum).find("nested too deeply") != std::string::npos);
  CHECK(ParseError(std::string(300, '-') + "1").find("nested too deeply") != std::string::npos);
  std::string sum = "1";
  for (int i = 0; i < 150; ++i) sum += " + 1";
  CHECK(Str(sum) == "151");
  CHECK(Str(std::string(50, '(') + "2" + std::string(50, ')') + " * 3") == "6");
}

TEST_CASE("expr: references list every field once, in order of first use", "[expr]") {
  auto e = Expression::Parse("${a} + ${b} * ${a} + if(${c.d}, ${b}, ${e-f})");
  REQUIRE(e.ok());
  CHECK(e->references() == std::vector<std::string>{"a", "b", "c.d", "e-f"});
  CHECK(e->text() == "${a} + ${b} * ${a} + if(${c.d}, ${b}, ${e-f})");
  CHECK(Expression::Parse("1 + 1")->references().empty());
  CHECK(Expression::Parse("'${not_a_ref}'")->references().empty());
}

TEST_CASE("expr: the parser survives random and mangled expressions", "[expr][fuzz]") {
  const std::vector<std::string> fragments = {
      "${age}", "${dob}", "${pattern}", "(", ")", "'x'", "\"Nguyễn\"", "'", "1", ".5", "18",
      ".", " ", "+", "-", "*", " div ", " mod ", " and ", " or ", "=", "!=", "<", "<=", ">",
      ">=", ",", "if(", "selected(", "regex(", "today()", "now()", "concat(", "date(",
      "string-length(", "format-date(", "substr(", "round(", "fooo(", "district", "$", "{",
      "}", "/", "ễ", "\xff", "\xc3", std::string(1, '\0')};
  const std::vector<std::string> seeds = {
      "${age} < 16 and selected(${c}, 'abandoned')",
      "if(${sex} = 'female', 'F', 'M')",
      "regex(., '^0[35789][0-9]{8}$')",
      "int((today() - ${dob}) div 365.25) >= 18",
      "format-date(date('2024-06-15'), '%d/%m/%Y')",
      "string-length('Nguyễn') = 6 or district = ${district}",
      "regex(${age}, ${pattern}) and substr(${dob}, 0, 4) != '2024'"};
  FormContext ctx;
  ctx.Set("age", "12").Set("dob", "2010-01-01").Set("pattern", "([a-");
  ctx.current = ExprValue::String("0912345678");
  std::mt19937 rng(20240615);
  auto pick = [&rng](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  int parsed = 0, refused = 0, bad_messages = 0, failed_evaluations = 0;
  std::string example;
  for (int i = 0; i < 4000; ++i) {
    std::string text;
    if (i % 2 == 0) {
      const size_t n = 1 + pick(12);
      for (size_t k = 0; k < n; ++k) text += fragments[pick(fragments.size())];
    } else {
      text = seeds[pick(seeds.size())];
      const size_t edits = 1 + pick(4);
      for (size_t k = 0; k < edits; ++k) {
        const size_t at = pick(text.size() + 1);
        switch (pick(4)) {
          case 0: text.insert(at, 1, static_cast<char>(pick(256))); break;
          case 1: if (at < text.size()) text.erase(at, 1); break;
          case 2: if (at < text.size()) text[at] = static_cast<char>(pick(128)); break;
          default: text.insert(at, fragments[pick(fragments.size())]); break;
        }
      }
    }
    auto e = Expression::Parse(text);
    if (!e.ok()) {
      ++refused;
      const std::string& m = e.status().message();
      const bool shaped = StartsWith(m, "column ") &&
                          e.status().code() == Status::Code::kInvalidArgument;
      const long column = shaped ? std::strtol(m.c_str() + 7, nullptr, 10) : 0;
      if (!shaped || column < 1 || column > static_cast<long>(text.size()) + 1) {
        ++bad_messages;
        example = text + " -> " + m;
      }
      continue;
    }
    ++parsed;
    auto v = e->Evaluate(ctx);
    if (!v.ok()) {
      ++failed_evaluations;
      if (!StartsWith(v.status().message(), "column ")) {
        ++bad_messages;
        example = text + " -> " + v.status().message();
      }
    }
  }
  INFO(example);
  CHECK(bad_messages == 0);
  CHECK(parsed > 200);   // the fuzz reaches the evaluator...
  CHECK(refused > 1000);  // ...and the error paths
  CHECK(failed_evaluations > 0);
}
