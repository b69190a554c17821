// ComputeYearReport (year_report.h) and the engine under it and ComputeIndicators:
// each record is counted once per indicator (indicator_count.h), then into its
// commune and every unit above it, children kept distinct per unit, so a subtotal is
// computed, never summed.
#include "sotay/year_report.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "indicator_count.h"
#include "sotay/links.h"
#include "sotay/register.h"
#include "year_report_children.h"
#include "year_report_engine.h"

namespace sotay {
namespace year_report {

namespace {

using indicator_count::Hit;
using CategoryIndexes = std::array<int, kBreakdownCount>;

// Units depth first, each followed by the units under it, by code; a unit whose
// parent is not among them is a top, and shows no parent.
std::vector<ReportUnit> DepthFirst(const std::vector<ReportUnit>& units) {
  std::set<std::string> codes;
  for (const ReportUnit& u : units) codes.insert(u.code);
  std::map<std::string, std::vector<const ReportUnit*>> under;
  std::vector<const ReportUnit*> tops;
  for (const ReportUnit& u : units) {
    if (u.parent.empty() || codes.count(u.parent) == 0 || u.parent == u.code) {
      tops.push_back(&u);
    } else {
      under[u.parent].push_back(&u);
    }
  }
  auto by_code = [](const ReportUnit* a, const ReportUnit* b) { return a->code < b->code; };
  std::sort(tops.begin(), tops.end(), by_code);
  for (auto& [parent, list] : under) std::sort(list.begin(), list.end(), by_code);
  std::vector<ReportUnit> out;
  std::set<std::string> seen;  // a cycle or a repeated code is visited once
  std::function<void(const ReportUnit*, bool)> visit = [&](const ReportUnit* u, bool top) {
    if (!seen.insert(u->code).second) return;
    out.push_back(*u);
    if (top) out.back().parent.clear();
    for (const ReportUnit* c : under[u->code]) visit(c, false);
  };
  for (const ReportUnit* t : tops) visit(t, true);
  return out;
}

// One indicator's figures, unit by unit: distinct children (or records) and, with
// breakdowns, each child in the categories of its latest counted record, so that a
// breakdown's categories add up to the unit's total.
struct Tally {
  const std::vector<Hit>& hits;
  const std::vector<int>& child;      // per record
  const std::vector<int>& unit;       // per record: its commune's unit, or -1
  const std::vector<ChildFacts>* facts;  // per record; null: no breakdowns
  bool counts_children = false;

  void Into(YearReportRow& row, const YearReport& report, const std::vector<std::vector<size_t>>& chain,
            const Categories& cats) const {
    const size_t n = report.units.size();
    std::unordered_map<int, std::pair<int64_t, CategoryIndexes>> latest;
    if (facts != nullptr) {
      for (const Hit& h : hits) {
        const ChildFacts& f = (*facts)[h.record];
        auto [it, added] = latest.try_emplace(child[h.record]);
        if (!added && it->second.first >= h.day) continue;
        it->second = {h.day, CategoryIndexes{f.sex, AgeBandOn(cats, f.birth_day, h.day), f.ethnicity}};
      }
    }
    std::vector<std::vector<int>> kids(n);
    std::vector<int64_t> records(n, 0);
    std::vector<std::array<std::vector<int64_t>, kBreakdownCount>> by_category(facts != nullptr ? n : 0);
    for (auto& b : by_category) {
      for (int k = 0; k < kBreakdownCount; ++k) b[k].assign(cats.breakdowns[k].categories.size(), 0);
    }
    for (const Hit& h : hits) {
      if (unit[h.record] < 0) continue;
      const int c = child[h.record];
      for (size_t u : chain[static_cast<size_t>(unit[h.record])]) {
        kids[u].push_back(c);
        ++records[u];
        if (facts != nullptr) {
          const CategoryIndexes& ci = latest[c].second;
          for (int k = 0; k < kBreakdownCount; ++k) ++by_category[u][k][static_cast<size_t>(ci[k])];
        }
      }
    }
    auto value = [&](int64_t children, int64_t recs) {
      IndicatorValue v;
      v.count = counts_children ? children : recs;
      if (counts_children) v.records = recs;
      return v;
    };
    for (size_t u = 0; u < n; ++u) {
      std::vector<int>& k = kids[u];
      std::sort(k.begin(), k.end());
      k.erase(std::unique(k.begin(), k.end()), k.end());
      const std::string& code = report.units[u].code;
      row.by_unit[code] = value(static_cast<int64_t>(k.size()), records[u]);
      if (facts == nullptr) continue;
      for (int b = 0; b < kBreakdownCount; ++b) {
        const std::vector<Breakdown::Category>& list = cats.breakdowns[b].categories;
        std::vector<int64_t> children(list.size(), 0);
        for (int c : k) ++children[static_cast<size_t>(latest[c].second[b])];
        std::vector<IndicatorValue>& out = row.breakdowns[cats.breakdowns[b].name][code];
        out.resize(list.size());
        for (size_t i = 0; i < list.size(); ++i) out[i] = value(children[i], by_category[u][b][i]);
      }
    }
  }
};

// A share's denominator: the indicator it names, unit by unit and category by category.
void SetDenominators(std::vector<YearReportRow>& rows, size_t first) {
  std::map<std::string, size_t> position;
  for (size_t i = first; i < rows.size(); ++i) position[rows[i].indicator->name] = i;
  for (size_t i = first; i < rows.size(); ++i) {
    YearReportRow& row = rows[i];
    auto base = position.find(row.indicator->of);
    if (row.indicator->of.empty() || base == position.end()) continue;
    const YearReportRow& of = rows[base->second];
    for (auto& [code, v] : row.by_unit) v.of = of.by_unit.at(code).count;
    for (auto& [name, units] : row.breakdowns) {
      for (auto& [code, cats] : units) {
        const std::vector<IndicatorValue>& whole = of.breakdowns.at(name).at(code);
        for (size_t c = 0; c < cats.size() && c < whole.size(); ++c) cats[c].of = whole[c].count;
      }
    }
  }
}

}  // namespace

Result<YearReport> Run(const std::vector<const Form*>& forms, const RecordSource& records,
                       const std::vector<ReportUnit>& units, const ReportPeriod& period, const CheckEnv& env,
                       bool with_breakdowns) {
  YearReport report;
  report.period = period;
  report.as_of_day = indicator_count::AsOfDay(period, env);
  report.units = DepthFirst(units);
  const size_t n_units = report.units.size();
  std::unordered_map<std::string, size_t> unit_of;
  for (size_t i = 0; i < n_units; ++i) unit_of.emplace(report.units[i].code, i);
  std::vector<std::vector<size_t>> chain(n_units);  // a unit and every unit above it
  for (size_t i = 0; i < n_units; ++i) {
    for (size_t at = i;;) {
      chain[i].push_back(at);
      const std::string& parent = report.units[at].parent;
      auto it = unit_of.find(parent);
      if (parent.empty() || it == unit_of.end()) break;
      at = it->second;
    }
  }
  const Categories cats = MakeCategories(forms);
  if (with_breakdowns) report.breakdowns = cats.breakdowns;
  std::unordered_map<std::string, size_t> form_of;
  for (size_t f = 0; f < forms.size(); ++f) form_of.emplace(forms[f]->id, f);
  std::vector<const Field*> subject(forms.size());
  std::vector<char> is_register(forms.size());
  for (size_t f = 0; f < forms.size(); ++f) {
    is_register[f] = IsRegisterForm(*forms[f]) ? 1 : 0;
    subject[f] = is_register[f] ? nullptr : SubjectLink(*forms[f]);
  }

  // First reading: whom each record is about. A register's records are its children
  // (by id), a form about a child names one through its subject link (links.h), any
  // other record stands alone; a duplicate merged into another profile (register.h)
  // is that child, so links to either count once. What a case's breakdowns take from
  // its child's profile is kept by the profile's id.
  std::vector<std::string> known;
  std::vector<std::pair<std::string, std::string>> merged;  // (duplicate, survivor)
  std::vector<std::pair<size_t, ChildFacts>> profile_facts;  // (its id's place in `known`, facts)
  Status read = records([&](const ReportRecord& r) {
    auto f = form_of.find(r.form);
    if (f == form_of.end()) return Status::OK();  // other forms' records are not counted
    if (is_register[f->second]) {
      auto status = r.answers.find(kRegisterStatusField);
      auto into = r.answers.find(kRegisterMergedIntoField);
      if (status != r.answers.end() && status->second == kRegisterMerged && into != r.answers.end() &&
          !into->second.empty() && into->second != r.id) {
        merged.emplace_back(r.id, into->second);
      }
      if (with_breakdowns) profile_facts.emplace_back(known.size(), FactsOf(cats, Answers(), &r.answers));
      known.push_back(r.id);
    } else if (const Field* link = subject[f->second]) {
      auto it = r.answers.find(link->name);
      if (it != r.answers.end() && it->second.size() > 8) known.push_back(it->second);
    }
    return Status::OK();
  });
  if (!read.ok()) return read;
  std::vector<int> position;
  indicator_count::ChildNumbers numbers(std::move(known), &position);
  // A profile's facts by its number (its id's position), the first record of an id kept.
  std::vector<ChildFacts> profile_of(numbers.known());
  std::vector<char> has_profile(numbers.known(), 0);
  for (const auto& [input, facts] : profile_facts) {
    const auto at = static_cast<size_t>(position[input]);
    if (has_profile[at] == 0) {
      profile_of[at] = facts;
      has_profile[at] = 1;
    }
  }
  profile_facts = {};
  position = {};
  for (const auto& [id, survivor] : merged) numbers.Alias(id, survivor);
  auto profile_facts_of = [&](int child) -> const ChildFacts* {
    const auto at = static_cast<size_t>(child);
    return child >= 0 && at < has_profile.size() && has_profile[at] != 0 ? &profile_of[at] : nullptr;
  };

  // Second reading: each record counted, kept only as small numbers per form.
  struct FormRecords {
    std::vector<int> child, unit;
    std::vector<ChildFacts> facts;
    std::vector<std::vector<Hit>> hits;
  };
  std::vector<FormRecords> by_form(forms.size());
  std::vector<indicator_count::FormCounter> counters;
  counters.reserve(forms.size());
  for (const Form* form : forms) counters.emplace_back(*form, period, env);
  std::vector<int64_t> population(n_units, 0);
  read = records([&](const ReportRecord& r) {
    auto found = form_of.find(r.form);
    if (found == form_of.end()) return Status::OK();
    const size_t f = found->second;
    FormRecords& in = by_form[f];
    const size_t index = in.child.size();
    int child;
    if (is_register[f]) {
      child = r.id.empty() ? numbers.Fresh() : numbers.OwnOf(r.id);
    } else if (const Field* link = subject[f]) {
      auto it = r.answers.find(link->name);
      // An unlinked record is a child of its own.
      child = it == r.answers.end() || it->second.empty() ? numbers.Fresh() : numbers.Of(it->second);
    } else {
      child = numbers.Fresh();
    }
    in.child.push_back(child);
    auto u = unit_of.find(r.area);
    in.unit.push_back(u != unit_of.end() ? static_cast<int>(u->second) : -1);
    if (with_breakdowns) {
      in.facts.push_back(FactsOf(cats, r.answers, is_register[f] ? nullptr : profile_facts_of(child)));
    }
    // The rates' denominator: the children on the register on the day stocks count on.
    if (is_register[f] && in.unit.back() >= 0 && !r.is_void &&
        OnRegister(RegisterFactsOf(r.answers, r.created_ms), report.as_of_day)) {
      for (size_t at : chain[static_cast<size_t>(in.unit.back())]) ++population[at];
    }
    counters[f].Count(r, index, in.hits);
    return Status::OK();
  });
  if (!read.ok()) return read;

  report.child_population.clear();
  for (size_t u = 0; u < n_units; ++u) report.child_population[report.units[u].code] = population[u];
  for (size_t f = 0; f < forms.size(); ++f) {
    const Form& form = *forms[f];
    FormRecords& in = by_form[f];
    in.hits.resize(form.indicators.size());
    const bool counts_children = !is_register[f] && subject[f] != nullptr;
    const size_t first = report.rows.size();
    for (size_t k = 0; k < form.indicators.size(); ++k) {
      YearReportRow row;
      row.form = form.id;
      row.indicator = &form.indicators[k];
      Tally{in.hits[k], in.child, in.unit, with_breakdowns ? &in.facts : nullptr, counts_children}.Into(
          row, report, chain, cats);
      report.rows.push_back(std::move(row));
    }
    SetDenominators(report.rows, first);
  }
  for (YearReportRow& row : report.rows) {
    for (const auto& [code, v] : row.by_unit) {
      const int64_t population_of = report.child_population[code];
      row.rate_per_1000[code] = v.is_share() || population_of <= 0
                                    ? std::nullopt
                                    : std::optional<double>(static_cast<double>(v.count) * 1000.0 /
                                                            static_cast<double>(population_of));
    }
  }
  return report;
}

}  // namespace year_report

RecordSource RecordsOf(const std::vector<ReportRecord>& records, const std::vector<const Form*>& forms) {
  // Form by form, in the order of `forms`: as the engine read them when it took them
  // grouped, so a chain of merged duplicates resolves the same way.
  return [&records, &forms](const std::function<Status(const ReportRecord&)>& each) -> Status {
    std::unordered_map<std::string, size_t> form_of;
    for (size_t f = 0; f < forms.size(); ++f) form_of.emplace(forms[f]->id, f);
    std::vector<std::vector<const ReportRecord*>> by_form(forms.size());
    for (const ReportRecord& r : records) {
      auto it = form_of.find(r.form);
      if (it != form_of.end()) by_form[it->second].push_back(&r);
    }
    for (const auto& list : by_form) {
      for (const ReportRecord* r : list) {
        Status s = each(*r);
        if (!s.ok()) return s;
      }
    }
    return Status::OK();
  };
}

YearReport ComputeYearReport(const std::vector<const Form*>& forms, const std::vector<ReportRecord>& records,
                             const std::vector<ReportUnit>& units, const ReportPeriod& period, const CheckEnv& env) {
  // Records in memory cannot fail to be read.
  return std::move(year_report::Run(forms, RecordsOf(records, forms), units, period, env, true)).value();
}

Result<YearReport> ComputeYearReport(const std::vector<const Form*>& forms, const RecordSource& records,
                                     const std::vector<ReportUnit>& units, const ReportPeriod& period,
                                     const CheckEnv& env) {
  return year_report::Run(forms, records, units, period, env, true);
}

IndicatorValue YearReport::CategoryValue(const YearReportRow& row, const std::string& breakdown,
                                         const std::string& unit, const std::string& category) const {
  for (const Breakdown& b : breakdowns) {
    if (b.name != breakdown) continue;
    auto by = row.breakdowns.find(breakdown);
    if (by == row.breakdowns.end()) return {};
    auto in_unit = by->second.find(unit);
    if (in_unit == by->second.end()) return {};
    for (size_t i = 0; i < b.categories.size() && i < in_unit->second.size(); ++i) {
      if (b.categories[i].name == category) return in_unit->second[i];
    }
  }
  return {};
}

}  // namespace sotay
