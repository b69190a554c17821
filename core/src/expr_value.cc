// ExprValue: the four kinds of value of an expression and the XPath 1.0
// conversions between them (https://www.w3.org/TR/xpath-10/#section-Function-Calls).

#include <charconv>
#include <cmath>
#include <cstdio>

#include "expr_calendar.h"
#include "sotay/expr.h"

namespace sotay {

namespace {

bool IsXPathSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// XPath number(): optional white space, an optional '-', digits with an optional
// decimal point (no exponent, no '+'), optional white space. Anything else is NaN.
double StringToNumber(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && IsXPathSpace(s[b])) ++b;
  while (e > b && IsXPathSpace(s[e - 1])) --e;
  size_t i = b;
  if (i < e && s[i] == '-') ++i;
  size_t digits = 0;
  bool point = false;
  for (size_t j = i; j < e; ++j) {
    if (s[j] >= '0' && s[j] <= '9') {
      ++digits;
    } else if (s[j] == '.' && !point) {
      point = true;
    } else {
      return std::nan("");
    }
  }
  if (digits == 0) return std::nan("");
  std::string text = s.substr(b, e - b);
  if (text.back() == '.') text.push_back('0');
  size_t at = text[0] == '-' ? 1 : 0;
  if (text[at] == '.') text.insert(at, "0");
  double value = 0;
  auto res = std::from_chars(text.data(), text.data() + text.size(), value);
  if (res.ec != std::errc()) return std::nan("");
  return value;
}

// XPath string() of a number: integers without a decimal point, others with up to
// 15 significant digits and no trailing zeros.
std::string NumberToString(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return "0";  // also -0
  char buf[64];
  const double mag = std::fabs(d);
  if (d == std::trunc(d) && mag < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", d);
    return buf;
  }
  if (mag < 1e-6 || mag >= 1e15) {
    std::snprintf(buf, sizeof buf, "%.15g", d);
    return buf;
  }
  const int exponent = static_cast<int>(std::floor(std::log10(mag)));
  const int decimals = exponent >= 14 ? 0 : 14 - exponent;
  std::snprintf(buf, sizeof buf, "%.*f", decimals, d);
  std::string out = buf;
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  if (out == "-0") out = "0";
  return out;
}

}  // namespace

ExprValue ExprValue::String(std::string s) {
  ExprValue v;
  v.kind_ = Kind::kString;
  v.s_ = std::move(s);
  return v;
}

ExprValue ExprValue::Number(double d) {
  ExprValue v;
  v.kind_ = Kind::kNumber;
  v.d_ = d;
  return v;
}

ExprValue ExprValue::Bool(bool b) {
  ExprValue v;
  v.kind_ = Kind::kBool;
  v.b_ = b;
  return v;
}

ExprValue ExprValue::Date(double days) {
  ExprValue v;
  v.kind_ = Kind::kDate;
  v.d_ = days;
  return v;
}

std::string ExprValue::AsString() const {
  switch (kind_) {
    case Kind::kString: return s_;
    case Kind::kNumber: return NumberToString(d_);
    case Kind::kBool: return b_ ? "true" : "false";
    case Kind::kDate: return expr::FormatDays(d_);
  }
  return s_;
}

double ExprValue::AsNumber() const {
  switch (kind_) {
    case Kind::kString: return StringToNumber(s_);
    case Kind::kNumber:
    case Kind::kDate: return d_;
    case Kind::kBool: return b_ ? 1 : 0;
  }
  return std::nan("");
}

bool ExprValue::AsBool() const {
  switch (kind_) {
    case Kind::kString: return !s_.empty();
    case Kind::kNumber: return d_ != 0 && !std::isnan(d_);
    case Kind::kDate: return std::isfinite(d_);  // any real date is a value
    case Kind::kBool: return b_;
  }
  return false;
}

}  // namespace sotay
