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

std::vector<std::vector<Hit>> CountForm(const Form& form, const std::vector<const ReportRecord*>& records,
                                        const ReportPeriod& period, const CheckEnv& env) {
  std::vector<std::vector<Hit>> out;
  out.reserve(form.indicators.size());
  // A register's stock counts the children on it on one day (register.h); its other
  // indicators, and every other form's, count records as they are.
  const bool is_register = IsRegisterForm(form);
  const int64_t as_of_day = AsOfDay(period, env);
  const CheckEnv as_of = AsOf(env, as_of_day);
  std::vector<char> on_register;
  if (is_register) {
    on_register.reserve(records.size());
    for (const ReportRecord* r : records) {
      on_register.push_back(OnRegister(RegisterFactsOf(r->answers, r->created_ms), as_of_day) ? 1 : 0);
    }
  }
  for (const Indicator& ind : form.indicators) {
    std::vector<Hit> hits;
    const bool stock = ind.period == Indicator::Period::kStock;
    const bool register_stock = is_register && stock;
    const CheckEnv& ind_env = register_stock ? as_of : env;
    for (size_t i = 0; i < records.size(); ++i) {
      const ReportRecord& r = *records[i];
      if (r.is_void) continue;
      const std::optional<int64_t> day = DayOf(ind, form, r, env);
      if (!InPeriod(ind, day, period)) continue;
      if (register_stock && on_register[i] == 0) continue;
      AnswerContext ctx(form, r.answers, ind_env);
      if (!ind.count.EvaluateBool(ctx)) continue;
      // A stock is counted on one day (ages on it); an undated flow record in an open
      // period counts as of today.
      hits.push_back(Hit{i, stock || !day ? as_of_day : *day});
    }
    out.push_back(std::move(hits));
  }
  return out;
}

ChildNumbers::ChildNumbers(std::vector<std::string> known_ids) : known_(std::move(known_ids)) {
  std::sort(known_.begin(), known_.end());
  known_.erase(std::unique(known_.begin(), known_.end()), known_.end());
}

int ChildNumbers::Of(const std::string& key) {
  std::string full = key;
  if (key.size() == 8) {  // a short link (links.h): the one known id that begins with it
    auto it = std::lower_bound(known_.begin(), known_.end(), key);
    if (it != known_.end() && it->compare(0, 8, key) == 0) {
      auto next = std::next(it);
      if (next == known_.end() || next->compare(0, 8, key) != 0) full = *it;
    }
  }
  auto [pos, added] = numbers_.emplace(std::move(full), next_);
  if (added) ++next_;
  return pos->second;
}

std::vector<std::string> FullLinks(const Field& link, const std::vector<const ReportRecord*>& records) {
  std::vector<std::string> out;
  for (const ReportRecord* r : records) {
    auto it = r->answers.find(link.name);
    if (it != r->answers.end() && it->second.size() > 8) out.push_back(it->second);
  }
  return out;
}

std::vector<int> ChildOfEach(const Field* link, const std::vector<const ReportRecord*>& records,
                             ChildNumbers& numbers, bool by_id) {
  std::vector<int> out;
  out.reserve(records.size());
  for (const ReportRecord* r : records) {
    if (link == nullptr) {
      out.push_back(by_id && !r->id.empty() ? numbers.Of(r->id) : numbers.Fresh());
      continue;
    }
    auto it = r->answers.find(link->name);
    // An unlinked record is a child of its own, whether or not the caller gave its id.
    out.push_back(it == r->answers.end() || it->second.empty() ? numbers.Fresh() : numbers.Of(it->second));
  }
  return out;
}

}  // namespace sotay::indicator_count
