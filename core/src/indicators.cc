#include "sotay/indicators.h"

#include <cmath>
#include <cstdio>
#include <set>

#include "answer_context.h"
#include "sotay/lang.h"
#include "sotay/links.h"
#include "sotay/register.h"

namespace sotay {

std::optional<double> IndicatorValue::share() const {
  if (of <= 0) return std::nullopt;
  return static_cast<double>(count) / static_cast<double>(of);
}

std::string FormatIndicatorValue(const IndicatorValue& v, const std::string& lang) {
  std::string out = std::to_string(v.count);
  const bool records_differ = v.records >= 0 && v.records != v.count;
  const std::string records =
      records_differ ? std::to_string(v.records) + (IsEnglish(lang) ? " records" : " hồ sơ") : "";
  if (!v.is_share()) return records_differ ? out + " (" + records + ")" : out;
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
    out += " (" + pct + " %" + (records_differ ? "; " + records : "") + ")";
  } else if (records_differ) {
    out += " (" + records + ")";
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

// Whom each record is about, for counting children: the full id its subject link
// names, else the record itself (a prefix that names no one full id stands alone).
std::vector<std::string> ChildKeys(const Field& link, const std::vector<ReportRecord>& records) {
  std::set<std::string> full;
  for (const ReportRecord& r : records) {
    auto it = r.answers.find(link.name);
    if (it != r.answers.end() && it->second.size() > 8) full.insert(it->second);
  }
  std::vector<std::string> keys;
  for (size_t i = 0; i < records.size(); ++i) {
    const ReportRecord& r = records[i];
    auto it = r.answers.find(link.name);
    // An unlinked record is a child of its own, whether or not the caller gave its id.
    std::string key = it == r.answers.end() || it->second.empty() ? "#" + std::to_string(i) : it->second;
    if (key.size() == 8) {
      std::vector<std::string> ids(full.begin(), full.end());
      auto one = ResolveLink(key, ids, link.name);
      if (one.ok()) key = *one;
    }
    keys.push_back(std::move(key));
  }
  return keys;
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
  // A form about a child counts children (links.h); a register's records are its children.
  const Field* subject = is_register ? nullptr : SubjectLink(form);
  const std::vector<std::string> child_keys = subject != nullptr ? ChildKeys(*subject, records) : std::vector<std::string>{};
  for (const Indicator& ind : form.indicators) {
    IndicatorResult result;
    result.indicator = &ind;
    std::map<std::string, std::set<std::string>> children_by_area;
    std::set<std::string> children;
    const bool register_stock = is_register && ind.period == Indicator::Period::kStock;
    const CheckEnv& ind_env = register_stock ? as_of : env;
    for (size_t i = 0; i < records.size(); ++i) {
      const ReportRecord& r = records[i];
      if (r.is_void) continue;
      IndicatorValue& area = result.by_area[r.area];  // every area shows, even with 0
      if (!InPeriod(ind, DayOf(ind, form, r, env), period)) continue;
      if (register_stock && !OnRegister(RegisterFactsOf(r.answers, r.created_ms), as_of_day)) continue;
      AnswerContext ctx(form, r.answers, ind_env);
      if (ind.count.EvaluateBool(ctx)) {
        ++area.count;
        ++result.total.count;
        if (subject != nullptr) {
          children_by_area[r.area].insert(child_keys[i]);
          children.insert(child_keys[i]);
        }
      }
    }
    if (subject != nullptr) {  // the records counted stand beside the children
      for (auto& [code, value] : result.by_area) {
        value.records = value.count;
        value.count = static_cast<int64_t>(children_by_area[code].size());
      }
      result.total.records = result.total.count;
      result.total.count = static_cast<int64_t>(children.size());
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
