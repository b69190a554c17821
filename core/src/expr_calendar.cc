#include "expr_calendar.h"

#include <cmath>
#include <cstdio>

namespace sotay {

namespace expr {

namespace {

constexpr double kMsPerDay = 86400000.0;
// About a million years either side of 1970: far beyond any form's dates, far
// inside what int64_t arithmetic below can hold.
constexpr double kMaxAbsDays = 4.0e8;

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29u : kDays[m - 1];
}

// Reads exactly `n` ASCII digits at s[*pos]; advances *pos.
bool Digits(std::string_view s, size_t* pos, size_t n, unsigned* out) {
  if (*pos + n > s.size()) return false;
  unsigned v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

// "YYYY-MM-DD" at the start of `s`; advances *pos past it.
std::optional<int64_t> DatePart(std::string_view s, size_t* pos) {
  unsigned y = 0, m = 0, d = 0;
  if (!Digits(s, pos, 4, &y) || !Expect(s, pos, '-') || !Digits(s, pos, 2, &m) ||
      !Expect(s, pos, '-') || !Digits(s, pos, 2, &d)) {
    return std::nullopt;
  }
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  return DaysFromCivil(y, m, d);
}

// "[Z|±HH:MM|±HHMM]" at s[*pos] to the end; the offset east of UTC in minutes.
std::optional<int> ZonePart(std::string_view s, size_t* pos) {
  if (*pos == s.size()) return 0;
  if (s[*pos] == 'Z') return ++*pos == s.size() ? std::optional<int>(0) : std::nullopt;
  const char sign = s[*pos];
  if (sign != '+' && sign != '-') return std::nullopt;
  ++*pos;
  unsigned hh = 0, mm = 0;
  if (!Digits(s, pos, 2, &hh)) return std::nullopt;
  if (*pos < s.size() && s[*pos] == ':') ++*pos;
  if (!Digits(s, pos, 2, &mm) || *pos != s.size() || hh > 23 || mm > 59) return std::nullopt;
  const int minutes = static_cast<int>(hh * 60 + mm);
  return sign == '-' ? -minutes : minutes;
}

}  // namespace

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  const int64_t y = year - (month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);                   // [0, 399]
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;  // [0, 365]
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;              // [0, 146096]
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool SplitDays(double days, CivilTime* out) {
  if (!std::isfinite(days) || std::fabs(days) > kMaxAbsDays) return false;
  const double whole = std::floor(days);
  auto z = static_cast<int64_t>(whole);
  auto ms = static_cast<int64_t>(std::llround((days - whole) * kMsPerDay));
  if (ms >= static_cast<int64_t>(kMsPerDay)) {  // rounding reached midnight
    ++z;
    ms = 0;
  }
  // civil_from_days
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);                // [0, 146096]
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);            // [0, 365]
  const unsigned mp = (5 * doy + 2) / 153;                                 // [0, 11]
  out->day = doy - (153 * mp + 2) / 5 + 1;
  out->month = mp < 10 ? mp + 3 : mp - 9;
  out->year = static_cast<int64_t>(yoe) + era * 400 + (out->month <= 2 ? 1 : 0);
  const auto ums = static_cast<unsigned>(ms);
  out->hour = ums / 3600000;
  out->minute = ums / 60000 % 60;
  out->second = ums / 1000 % 60;
  out->millisecond = ums % 1000;
  return true;
}

double AsDays(const ExprValue& v) {
  switch (v.kind()) {
    case ExprValue::Kind::kDate:
    case ExprValue::Kind::kNumber:
    case ExprValue::Kind::kBool:
      return v.AsNumber();
    case ExprValue::Kind::kString: {
      const std::string s = v.AsString();
      if (auto d = ParseIsoDate(s)) return static_cast<double>(*d);
      if (auto dt = ParseIsoDateTime(s)) return *dt;
      return std::nan("");
    }
  }
  return std::nan("");
}

std::string FormatDays(double days) {
  CivilTime t;
  if (!SplitDays(days, &t)) return "";
  char buf[64];
  if (t.hour == 0 && t.minute == 0 && t.second == 0 && t.millisecond == 0) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(t.year), t.month,
                  t.day);
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u",
                  static_cast<long long>(t.year), t.month, t.day, t.hour, t.minute, t.second);
  }
  return buf;
}

}  // namespace expr

std::optional<int64_t> ParseIsoDate(std::string_view s) {
  size_t pos = 0;
  auto days = expr::DatePart(s, &pos);
  if (!days || pos != s.size()) return std::nullopt;
  return days;
}

std::optional<double> ParseIsoDateTime(std::string_view s) {
  size_t pos = 0;
  auto days = expr::DatePart(s, &pos);
  unsigned hh = 0, mm = 0, ss = 0;
  if (!days || !expr::Expect(s, &pos, 'T') || !expr::Digits(s, &pos, 2, &hh) ||
      !expr::Expect(s, &pos, ':') || !expr::Digits(s, &pos, 2, &mm)) {
    return std::nullopt;
  }
  double fraction = 0;
  if (expr::Expect(s, &pos, ':')) {
    if (!expr::Digits(s, &pos, 2, &ss)) return std::nullopt;
    if (expr::Expect(s, &pos, '.')) {
      double scale = 0.1;
      const size_t start = pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        fraction += scale * (s[pos] - '0');
        scale /= 10;
        ++pos;
      }
      if (pos == start) return std::nullopt;
    }
  }
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  auto zone = expr::ZonePart(s, &pos);
  if (!zone) return std::nullopt;
  const double seconds = hh * 3600.0 + mm * 60.0 + ss + fraction - *zone * 60.0;
  return static_cast<double>(*days) + seconds / 86400.0;
}

std::string FormatIsoDate(int64_t days) {
  if (static_cast<double>(days) > expr::kMaxAbsDays ||
      static_cast<double>(days) < -expr::kMaxAbsDays) {
    return "";
  }
  return expr::FormatDays(static_cast<double>(days));
}

}  // namespace sotay
