// The function table (expr_functions.h). Semantics follow ODK / JavaRosa where
// XLSForm authors rely on them, XPath 1.0 otherwise.

#include "expr_functions.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>

#include "expr_calendar.h"
#include "expr_lexer.h"
#include "sotay/personal_id.h"
#include "sotay/register_age.h"

namespace sotay {
namespace expr {

namespace {

// libstdc++'s regex recurses per character and per nesting level; these bounds
// keep a hostile answer from exhausting the stack.
constexpr size_t kMaxPatternBytes = 1000;
constexpr size_t kMaxRegexTextBytes = 10000;

using Value = ExprValue;
using R = Result<ExprValue>;

std::string Str(const CallArgs& c, size_t i) { return c.args[i].AsString(); }
double Num(const CallArgs& c, size_t i) { return c.args[i].AsNumber(); }
R Text(std::string s) { return Value::String(std::move(s)); }
R Number(double d) { return Value::Number(d); }
R Bool(bool b) { return Value::Bool(b); }

bool IsSpace(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

// A select_multiple answer "a b c" as its choice names.
std::vector<std::string> Choices(const std::string& list) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && IsSpace(list[i])) ++i;
    size_t j = i;
    while (j < list.size() && !IsSpace(list[j])) ++j;
    if (j > i) out.push_back(list.substr(i, j - i));
    i = j;
  }
  return out;
}

// Normalizes white space as XPath's normalize-space() does.
std::string NormalizeSpace(const std::string& s) {
  std::string out;
  for (const std::string& word : Choices(s)) {
    if (!out.empty()) out.push_back(' ');
    out += word;
  }
  return out;
}

// A code-point index from a number: NaN is 0, and huge values are clamped.
int64_t ToIndex(double d) {
  if (std::isnan(d)) return 0;
  return static_cast<int64_t>(std::clamp(std::trunc(d), -1e15, 1e15));
}

std::string Join(const std::vector<std::string_view>& cps, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to && i < cps.size(); ++i) out.append(cps[i]);
  return out;
}

R Selected(const CallArgs& c) {
  const std::vector<std::string> list = Choices(Str(c, 0));
  const std::string want = NormalizeSpace(Str(c, 1));
  return Bool(std::find(list.begin(), list.end(), want) != list.end());
}
R CountSelected(const CallArgs& c) {
  return Number(static_cast<double>(Choices(Str(c, 0)).size()));
}
R SelectedAt(const CallArgs& c) {
  const std::vector<std::string> list = Choices(Str(c, 0));
  const double i = Num(c, 1);
  if (!(i >= 0) || i >= static_cast<double>(list.size())) return Text("");
  return Text(list[static_cast<size_t>(i)]);
}
R StringLength(const CallArgs& c) {
  return Number(static_cast<double>(CountCodePoints(Str(c, 0))));
}
R Today(const CallArgs& c) { return Value::Date(c.ctx.TodayDays()); }
R Now(const CallArgs& c) { return Value::Date(static_cast<double>(c.ctx.NowMs()) / 86400000.0); }
R Int(const CallArgs& c) { return Number(std::trunc(Num(c, 0))); }
R Round(const CallArgs& c) {
  const double x = Num(c, 0);
  if (c.args.size() == 1) return Number(std::floor(x + 0.5));  // XPath round()
  const double digits = std::trunc(Num(c, 1));
  if (std::isnan(digits) || std::fabs(digits) > 300) return Number(std::nan(""));
  // Half away from zero, as ODK. A negative `digits` rounds to tens, hundreds...
  const double scale = std::pow(10.0, std::fabs(digits));
  if (digits < 0) return Number(std::round(x / scale) * scale);
  return Number(std::isfinite(x * scale) ? std::round(x * scale) / scale : x);
}
R ToNumber(const CallArgs& c) { return Number(Num(c, 0)); }
R ToString(const CallArgs& c) { return Text(Str(c, 0)); }
R ToBoolean(const CallArgs& c) { return Bool(c.args[0].AsBool()); }
R Concat(const CallArgs& c) {
  std::string out;
  for (const Value& v : c.args) out += v.AsString();
  return Text(std::move(out));
}
R Regex(const CallArgs& c) {
  const std::string where = "column " + std::to_string(c.column) + ": regex(): ";
  std::shared_ptr<const expr::Regex> compiled;
  const expr::Regex* re = c.pattern;
  if (re == nullptr) {
    auto r = CompileRegex(Str(c, 1));
    if (!r.ok()) return Status::InvalidArgument(where + r.status().message());
    compiled = *r;
    re = compiled.get();
  }
  const std::string text = Str(c, 0);
  if (text.size() > kMaxRegexTextBytes) {
    return Status::InvalidArgument(where + "text too long to match");
  }
  return Bool(re->Search(text));
}
R Not(const CallArgs& c) { return Bool(!c.args[0].AsBool()); }
R True(const CallArgs&) { return Bool(true); }
R False(const CallArgs&) { return Bool(false); }
R Coalesce(const CallArgs& c) { return Str(c, 0).empty() ? c.args[1] : c.args[0]; }
R Contains(const CallArgs& c) { return Bool(Str(c, 0).find(Str(c, 1)) != std::string::npos); }
R StartsWith(const CallArgs& c) { return Bool(Str(c, 0).rfind(Str(c, 1), 0) == 0); }
R EndsWith(const CallArgs& c) {
  const std::string s = Str(c, 0), t = Str(c, 1);
  return Bool(s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0);
}
// ODK substr(s, start[, end]): 0-based, end exclusive, negative counts from the end.
R Substr(const CallArgs& c) {
  const std::string s = Str(c, 0);
  const std::vector<std::string_view> cps = CodePoints(s);
  const auto len = static_cast<int64_t>(cps.size());
  int64_t start = ToIndex(Num(c, 1));
  int64_t end = c.args.size() == 3 ? ToIndex(Num(c, 2)) : len;
  if (start < 0) start += len;
  if (end < 0) end += len;
  end = std::clamp<int64_t>(end, 0, len);
  start = std::clamp<int64_t>(start, 0, end);
  return Text(Join(cps, static_cast<size_t>(start), static_cast<size_t>(end)));
}
// XPath substring(s, start[, length]): 1-based, rounded positions.
R Substring(const CallArgs& c) {
  const std::string s = Str(c, 0);
  const std::vector<std::string_view> cps = CodePoints(s);
  const double first = std::floor(Num(c, 1) + 0.5);
  const double last = c.args.size() == 3 ? first + std::floor(Num(c, 2) + 0.5)
                                         : std::numeric_limits<double>::infinity();
  std::string out;
  for (size_t i = 0; i < cps.size(); ++i) {
    const double pos = static_cast<double>(i + 1);
    if (pos >= first && pos < last) out.append(cps[i]);
  }
  return Text(std::move(out));
}
R SubstringBefore(const CallArgs& c) {
  const std::string s = Str(c, 0);
  const size_t at = s.find(Str(c, 1));
  return Text(at == std::string::npos ? "" : s.substr(0, at));
}
R SubstringAfter(const CallArgs& c) {
  const std::string s = Str(c, 0), t = Str(c, 1);
  const size_t at = s.find(t);
  return Text(at == std::string::npos ? "" : s.substr(at + t.size()));
}
R Translate(const CallArgs& c) {
  const std::string s = Str(c, 0), from_s = Str(c, 1), to_s = Str(c, 2);
  const std::vector<std::string_view> from = CodePoints(from_s), to = CodePoints(to_s);
  std::string out;
  for (std::string_view cp : CodePoints(s)) {
    auto it = std::find(from.begin(), from.end(), cp);
    if (it == from.end()) {
      out.append(cp);
    } else if (auto i = static_cast<size_t>(it - from.begin()); i < to.size()) {
      out.append(to[i]);
    }
  }
  return Text(std::move(out));
}
R NormalizeSpaceFn(const CallArgs& c) { return Text(NormalizeSpace(Str(c, 0))); }
R DateFn(const CallArgs& c) {
  const double days = AsDays(c.args[0]);
  if (!std::isfinite(days)) return Text("");  // an empty or unreadable date stays empty
  return Value::Date(days);
}
R DecimalDateTime(const CallArgs& c) { return Number(AsDays(c.args[0])); }
// format-date(date, format): %Y %y %m %n %d %e %H %h %M %S %3 and %%.
R FormatDate(const CallArgs& c) {
  CivilTime t;
  if (!SplitDays(AsDays(c.args[0]), &t)) return Text("");
  const std::string fmt = Str(c, 1);
  std::string out;
  char buf[32];
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%' || i + 1 == fmt.size()) {
      out.push_back(fmt[i]);
      continue;
    }
    const char f = fmt[++i];
    buf[0] = '\0';
    switch (f) {
      case 'Y': std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(t.year)); break;
      case 'y':
        std::snprintf(buf, sizeof buf, "%02lld",
                      static_cast<long long>((t.year % 100 + 100) % 100));
        break;
      case 'm': std::snprintf(buf, sizeof buf, "%02u", t.month); break;
      case 'n': std::snprintf(buf, sizeof buf, "%u", t.month); break;
      case 'd': std::snprintf(buf, sizeof buf, "%02u", t.day); break;
      case 'e': std::snprintf(buf, sizeof buf, "%u", t.day); break;
      case 'H': std::snprintf(buf, sizeof buf, "%02u", t.hour); break;
      case 'h': std::snprintf(buf, sizeof buf, "%u", t.hour); break;
      case 'M': std::snprintf(buf, sizeof buf, "%02u", t.minute); break;
      case 'S': std::snprintf(buf, sizeof buf, "%02u", t.second); break;
      case '3': std::snprintf(buf, sizeof buf, "%03u", t.millisecond); break;
      case '%': std::snprintf(buf, sizeof buf, "%%"); break;
      default: std::snprintf(buf, sizeof buf, "%%%c", f); break;  // kept as written
    }
    out += buf;
  }
  return Text(std::move(out));
}
R Abs(const CallArgs& c) { return Number(std::fabs(Num(c, 0))); }
R Min(const CallArgs& c) {
  double m = std::numeric_limits<double>::infinity();
  for (const Value& v : c.args) {
    const double d = v.AsNumber();
    if (std::isnan(d)) return Number(d);
    m = std::min(m, d);
  }
  return Number(m);
}
R Max(const CallArgs& c) {
  double m = -std::numeric_limits<double>::infinity();
  for (const Value& v : c.args) {
    const double d = v.AsNumber();
    if (std::isnan(d)) return Number(d);
    m = std::max(m, d);
  }
  return Number(m);
}
R Floor(const CallArgs& c) { return Number(std::floor(Num(c, 0))); }
R Ceiling(const CallArgs& c) { return Number(std::ceil(Num(c, 0))); }
R Pow(const CallArgs& c) { return Number(std::pow(Num(c, 0), Num(c, 1))); }
R Sqrt(const CallArgs& c) { return Number(std::sqrt(Num(c, 0))); }
R Once(const CallArgs& c) { return c.args[0]; }
R BooleanFromString(const CallArgs& c) {
  const std::string s = Str(c, 0);
  return Bool(s == "true" || s == "1");
}
// personal-id-ok(number[, sex[, date of birth]]): the number's structure
// (personal_id.h), and that it agrees with the sex and birth year where answered.
// An empty number is ok: whether it is required is `required`'s business.
R PersonalIdOk(const CallArgs& c) {
  const std::string number = Str(c, 0);
  if (number.empty()) return Bool(true);
  PersonalIdAnswers answered;
  if (c.args.size() >= 2) answered.sex = Str(c, 1);
  CivilTime born;
  if (c.args.size() >= 3 && SplitDays(AsDays(c.args[2]), &born)) {
    answered.birth_year = static_cast<int>(born.year);
  }
  const std::vector<PersonalIdIssue> issues = CheckPersonalId(number, answered);
  if (issues.empty()) return Bool(true);
  c.ctx.Explain(issues.front().vi, issues.front().en);
  return Bool(false);
}
// age-on(date of birth, date): completed years on that date (register_age.h); '' when
// either is not a date, so that a comparison with it is false, as with any unanswered
// question. A date-time counts as its (UTC) day, as int() of it does.
R AgeOn(const CallArgs& c) {
  const double birth = AsDays(c.args[0]), on = AsDays(c.args[1]);
  if (!std::isfinite(birth) || !std::isfinite(on) || std::fabs(birth) > 1e7 || std::fabs(on) > 1e7) {
    return Text("");
  }
  return Number(AgeYears(static_cast<int64_t>(std::floor(birth)), static_cast<int64_t>(std::floor(on))));
}

const FunctionSpec kFunctions[] = {
    {"if", 3, 3, nullptr},
    {"selected", 2, 2, Selected},
    {"count-selected", 1, 1, CountSelected},
    {"selected-at", 2, 2, SelectedAt},
    {"string-length", 1, 1, StringLength},
    {"today", 0, 0, Today},
    {"now", 0, 0, Now},
    {"int", 1, 1, Int},
    {"round", 1, 2, Round},
    {"number", 1, 1, ToNumber},
    {"string", 1, 1, ToString},
    {"boolean", 1, 1, ToBoolean},
    {"concat", 0, kAnyCount, Concat},
    {"regex", 2, 2, Regex},
    {"not", 1, 1, Not},
    {"true", 0, 0, True},
    {"false", 0, 0, False},
    {"coalesce", 2, 2, Coalesce},
    {"contains", 2, 2, Contains},
    {"starts-with", 2, 2, StartsWith},
    {"ends-with", 2, 2, EndsWith},
    {"substr", 2, 3, Substr},
    {"substring", 2, 3, Substring},
    {"substring-before", 2, 2, SubstringBefore},
    {"substring-after", 2, 2, SubstringAfter},
    {"translate", 3, 3, Translate},
    {"normalize-space", 1, 1, NormalizeSpaceFn},
    {"date", 1, 1, DateFn},
    {"decimal-date-time", 1, 1, DecimalDateTime},
    {"format-date", 2, 2, FormatDate},
    {"format-date-time", 2, 2, FormatDate},
    {"abs", 1, 1, Abs},
    {"min", 1, kAnyCount, Min},
    {"max", 1, kAnyCount, Max},
    {"floor", 1, 1, Floor},
    {"ceiling", 1, 1, Ceiling},
    {"pow", 2, 2, Pow},
    {"sqrt", 1, 1, Sqrt},
    {"once", 1, 1, Once},
    {"boolean-from-string", 1, 1, BooleanFromString},
    {"personal-id-ok", 1, 3, PersonalIdOk},
    {"age-on", 2, 2, AgeOn},
};

std::string Plural(int n) { return std::to_string(n) + (n == 1 ? " argument" : " arguments"); }

}  // namespace

const FunctionSpec* FindFunction(std::string_view name) {
  for (const FunctionSpec& fn : kFunctions) {
    if (name == fn.name) return &fn;
  }
  return nullptr;
}

std::string DescribeArity(const FunctionSpec& fn) {
  const std::string head = std::string(fn.name) + "() takes ";
  if (fn.max_args == kAnyCount) return head + "at least " + Plural(fn.min_args);
  if (fn.min_args == fn.max_args) {
    return head + (fn.min_args == 0 ? std::string("no arguments") : Plural(fn.min_args));
  }
  if (fn.max_args == fn.min_args + 1) {
    return head + std::to_string(fn.min_args) + " or " + Plural(fn.max_args);
  }
  return head + std::to_string(fn.min_args) + " to " + Plural(fn.max_args);
}

Result<std::shared_ptr<const expr::Regex>> CompileRegex(const std::string& pattern) {
  if (pattern.size() > kMaxPatternBytes) return Status::InvalidArgument("pattern too long");
  auto re = expr::Regex::Compile(pattern);
  if (!re.ok()) return re.status();
  return std::shared_ptr<const expr::Regex>(std::make_shared<const expr::Regex>(std::move(re).value()));
}

std::vector<std::string_view> CodePoints(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i + 1;
    while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
    out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace expr
}  // namespace sotay
