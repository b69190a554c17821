#include "web/report_cache.h"

#include <utility>

namespace sotay::server::web {

const CachedReport* ReportCache::FindUnchanged(const std::string& key, int64_t newest_set, const std::string& forms) {
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.confirmed_at_set != newest_set || it->second.from.forms != forms) {
    return nullptr;
  }
  it->second.used = ++clock_;
  return &it->second;
}

const CachedReport* ReportCache::Find(const std::string& key, const ReportFingerprint& from, int64_t newest_set) {
  auto it = entries_.find(key);
  if (it == entries_.end() || !(it->second.from == from)) return nullptr;
  it->second.confirmed_at_set = newest_set;
  it->second.used = ++clock_;
  return &it->second;
}

size_t ReportValues(const YearReport& report) {
  size_t n = 0;
  for (const YearReportRow& row : report.rows) {
    n += row.by_unit.size();
    for (const auto& [name, units] : row.breakdowns) {
      for (const auto& [unit, categories] : units) n += categories.size();
    }
  }
  return n;
}

const CachedReport& ReportCache::Put(const std::string& key, ReportFingerprint from, int64_t newest_set,
                                     YearReport report, int64_t now_ms) {
  entries_.erase(key);
  const size_t values = ReportValues(report);
  size_t held = 0;
  for (const auto& [k, e] : entries_) held += e.values;
  while (!entries_.empty() && (entries_.size() >= kMaxEntries || held + values > kMaxValues)) {
    auto oldest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.used < oldest->second.used) oldest = it;
    }
    held -= oldest->second.values;
    entries_.erase(oldest);
  }
  CachedReport& entry = entries_[key];
  entry.values = values;
  entry.from = std::move(from);
  entry.confirmed_at_set = newest_set;
  entry.report = std::make_shared<const YearReport>(std::move(report));
  entry.computed_ms = now_ms;
  entry.used = ++clock_;
  return entry;
}

}  // namespace sotay::server::web
