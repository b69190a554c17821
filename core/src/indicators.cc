#include "sotay/indicators.h"

#include <cmath>
#include <cstdio>

#include "answer_context.h"
#include "sotay/lang.h"
#include "sotay/register.h"

namespace sotay {

std::optional<double> IndicatorValue::share() const {
  if (of <= 0) return std::nullopt;
  return static_cast<double>(count) / static_cast<double>(of);
}

std::string FormatIndicatorValue(const IndicatorValue& v, const std::string& lang) {
  std::string out = std::to_string(v.count);
  if (!v.is_share()) return out;
  out += " / " + std::to_string(v.of);
  if (auto share = v.share()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", *share * 100.0);
    std::string pct = buf;
    if (!IsEnglish(lang)) {
      for (char& c : pct) {
        if (c == '.') c = ',';  // Vietnamese decimal comma
      }
    }
    out += " (" + pct + " %)";
  }
  return out;
}

namespace {

// The day a record falls on for an indicator, or nullopt when it has none.
std::optional<int64_t> DayOf(const Indicator& ind, const Form& form, const ReportRecord& r,
                             const CheckEnv& env) {
  if (!ind.when) return static_cast<int64_t>(std::floor(static_cast<double>(r.created_ms) / 86400000.0));
  AnswerContext ctx(form, r.answers, env);
  auto v = ind.when->Evaluate(ctx);
  if (!v.ok()) return std::nullopt;
  if (v->kind() == ExprValue::Kind::kDate) return static_cast<int64_t>(std::floor(v->AsNumber()));
  const std::string s = v->AsString();
  if (auto d = ParseIsoDate(s.substr(0, 10))) return *d;
  return std::nullopt;
}

bool InPeriod(const Indicator& ind, std::optional<int64_t> day, const ReportPeriod& p) {
  if (!day) return !p.from_day && !p.to_day;  // undated records count only in an open period
  if (p.to_day && *day > *p.to_day) return false;
  if (ind.period == Indicator::Period::kStock) return true;
  return !p.from_day || *day >= *p.from_day;
}

// The day a register's stock is counted on: the period's end, or today while the
// period has not ended (an open period is "as of today").
int64_t AsOfDay(const ReportPeriod& p, const CheckEnv& env) {
  const auto today = static_cast<int64_t>(std::floor(env.today_days));
  return p.to_day && *p.to_day < today ? *p.to_day : today;
}

// today() and now() as of the end of `day`, so that an age in a register's
// definition is the age on the day the stock is counted, not when it is asked.
CheckEnv AsOf(const CheckEnv& env, int64_t day) {
  CheckEnv out = env;
  if (static_cast<double>(day) < std::floor(env.today_days)) {
    out.today_days = static_cast<double>(day);
    out.now_ms = (day + 1) * 86400000 - 1;
  }
  return out;
}

}  // namespace

std::vector<IndicatorResult> ComputeIndicators(const Form& form, const std::vector<ReportRecord>& records,
                                               const ReportPeriod& period, const CheckEnv& env) {
  std::vector<IndicatorResult> out;
  std::map<std::string, size_t> position;
  // A register's stock counts the children on it on one day (register.h); its other
  // indicators, and every other form's, count records as they are.
  const bool is_register = IsRegisterForm(form);
  const int64_t as_of_day = AsOfDay(period, env);
  const CheckEnv as_of = AsOf(env, as_of_day);
  for (const Indicator& ind : form.indicators) {
    IndicatorResult result;
    result.indicator = &ind;
    const bool register_stock = is_register && ind.period == Indicator::Period::kStock;
    const CheckEnv& ind_env = register_stock ? as_of : env;
    for (const ReportRecord& r : records) {
      if (r.is_void) continue;
      IndicatorValue& area = result.by_area[r.area];  // every area shows, even with 0
      if (!InPeriod(ind, DayOf(ind, form, r, env), period)) continue;
      if (register_stock && !OnRegister(RegisterFactsOf(r.answers, r.created_ms), as_of_day)) continue;
      AnswerContext ctx(form, r.answers, ind_env);
      if (ind.count.EvaluateBool(ctx)) {
        ++area.count;
        ++result.total.count;
      }
    }
    position[ind.name] = out.size();
    out.push_back(std::move(result));
  }
  // Shares take their denominator from the indicator they name, area by area.
  for (IndicatorResult& result : out) {
    if (result.indicator->of.empty()) continue;
    auto base = position.find(result.indicator->of);
    if (base == position.end()) continue;
    const IndicatorResult& denominator = out[base->second];
    for (auto& [area, value] : result.by_area) {
      auto it = denominator.by_area.find(area);
      value.of = it == denominator.by_area.end() ? 0 : it->second.count;
    }
    result.total.of = denominator.total.count;
  }
  return out;
}

}  // namespace sotay
