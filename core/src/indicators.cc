#include "sotay/indicators.h"

#include <cmath>
#include <cstdio>

#include "answer_context.h"
#include "sotay/lang.h"

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

}  // namespace

std::vector<IndicatorResult> ComputeIndicators(const Form& form, const std::vector<ReportRecord>& records,
                                               const ReportPeriod& period, const CheckEnv& env) {
  std::vector<IndicatorResult> out;
  std::map<std::string, size_t> position;
  for (const Indicator& ind : form.indicators) {
    IndicatorResult result;
    result.indicator = &ind;
    for (const ReportRecord& r : records) {
      if (r.is_void) continue;
      IndicatorValue& area = result.by_area[r.area];  // every area shows, even with 0
      if (!InPeriod(ind, DayOf(ind, form, r, env), period)) continue;
      AnswerContext ctx(form, r.answers, env);
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
