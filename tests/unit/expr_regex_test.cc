// regex() in form expressions: the patterns form authors write for Vietnamese data,
// matched by code point and in linear time (core/src/expr_regex.h).
#include <catch2/catch.hpp>

#include <string>

#include "expr_regex.h"

using sotay::expr::Regex;

namespace {

bool Matches(const std::string& pattern, const std::string& text) {
  auto re = Regex::Compile(pattern);
  INFO(pattern);
  REQUIRE(re.ok());
  return re->Search(text);
}

std::string WhyInvalid(const std::string& pattern) {
  auto re = Regex::Compile(pattern);
  return re.ok() ? "" : re.status().message();
}

}  // namespace

TEST_CASE("regex: the patterns of the form pack accept and refuse what a worker types", "[expr][regex]") {
  const std::string phone = "^(0|\\+84)(3|5|7|8|9)[0-9]{8}$";  // a Vietnamese mobile number
  CHECK(Matches(phone, "0912345678"));
  CHECK(Matches(phone, "+84912345678"));
  CHECK_FALSE(Matches(phone, "091234567"));   // a digit short
  CHECK_FALSE(Matches(phone, "0212345678"));  // a landline prefix
  CHECK_FALSE(Matches(phone, "0912345678 "));
  const std::string cccd = "^[0-9]{12}$";  // a citizen's identity card number
  CHECK(Matches(cccd, "001204012345"));
  CHECK_FALSE(Matches(cccd, "00120401234a"));
  CHECK(Matches("[0-9]+", "mã số 123"));  // anywhere, unless anchored
  CHECK_FALSE(Matches("^[0-9]+$", "mã số 123"));
  CHECK(Matches("^(nam|nữ|khác)$", "nữ"));
  CHECK_FALSE(Matches("^(nam|nữ|khác)$", "nữa"));
  CHECK(Matches("^\\d{2}/\\d{2}/\\d{4}$", "05/09/2019"));
  CHECK(Matches("^\\w+@\\w+\\.vn$", "xa_chieng@molisa.vn"));
  CHECK(Matches("^a{2,3}$", "aaa"));
  CHECK_FALSE(Matches("^a{2,3}$", "aaaa"));
  CHECK(Matches("^a{2,}$", "aaaaaaa"));
  CHECK(Matches("^(?:ab)+$", "ababab"));
  CHECK(Matches("\\bHoa\\b", "Lò Thị Hoa"));
  CHECK_FALSE(Matches("\\bHoa\\b", "Hoang"));
  CHECK(Matches("^[^0-9]*$", "Sùng A Páo"));
  CHECK(Matches("^a.c$", "a-c"));
  CHECK_FALSE(Matches("^a.c$", "a\nc"));
  CHECK(Matches("^x{1}y\\{2\\}$", "xy{2}"));
  CHECK(Matches("^a{,2}$", "a{,2}"));  // not a count: literal braces, as browsers read it
  CHECK(Matches("^$", ""));
  CHECK(Matches("", "anything"));
}

TEST_CASE("regex: a Vietnamese letter is one character, whatever its bytes", "[expr][regex]") {
  // A name of letters and spaces: every Vietnamese letter with its marks.
  const std::string name = "^[A-Za-zÀ-ỹ ]+$";
  CHECK(Matches(name, "Nguyễn Thị Ánh"));
  CHECK(Matches(name, "Đặng Văn Hùng"));
  CHECK_FALSE(Matches(name, "Nguyễn Thị Ánh 2"));
  CHECK(Matches("^H.$", "Hà"));        // '.' is one letter, not one byte
  CHECK(Matches("^.{6}$", "Ngọc Ý"));  // five letters and a space, in 9 bytes
  CHECK_FALSE(Matches("^.{6}$", "Ngọc"));
  CHECK(Matches("^[ăâđêôơư]+$", "ơư"));
  CHECK(Matches("^\\u0110$", "Đ"));
}

TEST_CASE("regex: nested repetition that makes a backtracking matcher take minutes answers at once",
          "[expr][regex]") {
  // Found by fuzz/expr_fuzz (10-minute run): std::regex backtracks on this and did
  // not finish within libFuzzer's 10 s; here each state is visited once per letter.
  std::string stars = "^(0|\\+84)";
  for (int i = 0; i < 30; ++i) stars += "*";
  // Not a pattern (a quantifier on a quantifier): refused with a reason.
  CHECK(WhyInvalid(stars + "(3|5)[0-9]{8}$") == "invalid pattern (nothing to repeat)");
  // The classic exponential cases, against a long answer that does not match.
  const std::string long_text = std::string(5000, 'a') + "!";
  CHECK_FALSE(Matches("^(a+)+$", long_text));
  CHECK_FALSE(Matches("^(a|aa)*$", long_text));
  CHECK_FALSE(Matches("^(a*)*b$", long_text));
  CHECK(Matches("^(a|aa)*!$", long_text));
}

TEST_CASE("regex: a pattern this matcher cannot run is refused with a reason", "[expr][regex]") {
  CHECK(WhyInvalid("(a)\\1") == "invalid pattern (back-references are not supported)");
  CHECK(WhyInvalid("a(?=b)") == "invalid pattern (lookahead and lookbehind are not supported)");
  CHECK(WhyInvalid("(?i)nam") == "invalid pattern (flags such as (?i) are not supported)");
  CHECK(WhyInvalid("^[[:digit:]]+$") == "invalid pattern (POSIX classes such as [:digit:] are not supported: use \\d)");
  CHECK(WhyInvalid("[0-9") == "invalid pattern (a '[' without its ']')");
  CHECK(WhyInvalid("(ab") == "invalid pattern (a '(' without its ')')");
  CHECK(WhyInvalid("ab)") == "invalid pattern (a ')' without its '(')");
  CHECK(WhyInvalid("*a") == "invalid pattern (nothing to repeat)");
  CHECK(WhyInvalid("a**") == "invalid pattern (nothing to repeat)");
  CHECK(WhyInvalid("^*") == "invalid pattern (nothing to repeat)");
  CHECK(WhyInvalid("a{1001}") == "invalid pattern (a count above 1000)");
  CHECK(WhyInvalid("a{3,2}") == "invalid pattern (a count range out of order)");
  CHECK(WhyInvalid("[z-a]") == "invalid pattern (a range out of order in [...])");
  CHECK(WhyInvalid("a\\") == "invalid pattern (a '\\' at the end)");
  CHECK(WhyInvalid("\\q") == "invalid pattern (an unknown escape)");
  CHECK(WhyInvalid("\\x4") == "invalid pattern (an escape cut short)");
  CHECK(WhyInvalid("((((a{1000}){1000}){1000}){1000})") == "invalid pattern (the pattern is too large)");
  CHECK(WhyInvalid(std::string(150, '(') + std::string(150, ')')) == "invalid pattern (groups nested too deep)");
  // Lazy quantifiers read the same: only whether it matches is asked.
  CHECK(WhyInvalid("a+?b*?c??d{1,2}?").empty());
}
