#include "indicator_count.h"

#include <algorithm>
#include <cmath>

#include "answer_context.h"
#include "sotay/register.h"

namespace sotay::indicator_count {

namespace {

// The day a record falls on for an indicator, or nullopt when it has none.
std::optional<int64_t> DayOf(const Indicator& ind, const Form& form, const ReportRecord& r, const CheckEnv& env) {
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

int64_t AsOfDay(const ReportPeriod& p, const CheckEnv& env) {
  const auto today = static_cast<int64_t>(std::floor(env.today_days));
  return p.to_day && *p.to_day < today ? *p.to_day : today;
}

FormCounter::FormCounter(const Form& form, const ReportPeriod& period, const CheckEnv& env)
    : form_(form),
      period_(period),
      env_(env),
      is_register_(IsRegisterForm(form)),
      as_of_day_(AsOfDay(period, env)),
      as_of_(AsOf(env, as_of_day_)) {}

void FormCounter::Count(const ReportRecord& r, size_t index, std::vector<std::vector<Hit>>& hits) const {
  hits.resize(form_.indicators.size());
  if (r.is_void) return;
  // A register's stock counts the children on it on one day (register.h); its other
  // indicators, and every other form's, count records as they are.
  const bool on_register = is_register_ && OnRegister(RegisterFactsOf(r.answers, r.created_ms), as_of_day_);
  for (size_t k = 0; k < form_.indicators.size(); ++k) {
    const Indicator& ind = form_.indicators[k];
    const bool stock = ind.period == Indicator::Period::kStock;
    const bool register_stock = is_register_ && stock;
    const std::optional<int64_t> day = DayOf(ind, form_, r, env_);
    if (!InPeriod(ind, day, period_)) continue;
    if (register_stock && !on_register) continue;
    AnswerContext ctx(form_, r.answers, register_stock ? as_of_ : env_);
    if (!ind.count.EvaluateBool(ctx)) continue;
    // A stock is counted on one day (ages on it); an undated flow record in an open
    // period counts as of today.
    hits[k].push_back(Hit{static_cast<uint32_t>(index), static_cast<int32_t>(stock || !day ? as_of_day_ : *day)});
  }
}

ChildNumbers::ChildNumbers(std::vector<std::string> known_ids, std::vector<int>* position_of) {
  std::vector<uint32_t> order(known_ids.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return known_ids[a] < known_ids[b]; });
  if (position_of != nullptr) position_of->assign(known_ids.size(), -1);
  known_.reserve(known_ids.size());
  for (uint32_t i : order) {
    if (known_.empty() || known_.back() != known_ids[i]) known_.push_back(std::move(known_ids[i]));
    if (position_of != nullptr) (*position_of)[i] = static_cast<int>(known_.size()) - 1;
  }
  alias_.assign(known_.size(), -1);
  next_ = static_cast<int>(known_.size());
}

std::string ChildNumbers::Full(const std::string& key) const {
  if (key.size() == 8) {  // a short link (links.h): the one known id that begins with it
    auto it = std::lower_bound(known_.begin(), known_.end(), key);
    if (it != known_.end() && it->compare(0, 8, key) == 0) {
      auto next = std::next(it);
      if (next == known_.end() || next->compare(0, 8, key) != 0) return *it;
    }
  }
  return key;
}

int ChildNumbers::Position(const std::string& id) const {
  auto it = std::lower_bound(known_.begin(), known_.end(), id);
  return it != known_.end() && *it == id ? static_cast<int>(it - known_.begin()) : -1;
}

int ChildNumbers::OwnOf(const std::string& id) {
  const int at = Position(id);
  if (at >= 0) return at;
  auto [pos, added] = others_.emplace(id, next_);
  if (added) ++next_;
  return pos->second;
}

int ChildNumbers::Of(const std::string& key) {
  const std::string full = Full(key);
  const int at = Position(full);
  if (at >= 0) return alias_[static_cast<size_t>(at)] >= 0 ? alias_[static_cast<size_t>(at)] : at;
  auto [pos, added] = others_.emplace(full, next_);
  if (added) ++next_;
  return pos->second;
}

void ChildNumbers::Alias(const std::string& id, const std::string& survivor) {
  const int number = Of(survivor);
  const int at = Position(id);
  if (at >= 0) {
    alias_[static_cast<size_t>(at)] = number;
  } else {
    others_[id] = number;
  }
}

}  // namespace sotay::indicator_count
