// Notebook: one page of the register (sotay/register_list.h), from the sealed
// search summaries. Every summary of the form is opened (a small row per child):
// the search words, the village and the name order are sealed, so no SQL can pick
// a page of them without opening them, and writing a name order in clear would
// tell whoever copies the file which records are whose (SECURITY.md). The records
// themselves are not opened.
#include <algorithm>
#include <map>

#include "search_summary.h"
#include "sotay/notebook.h"
#include "sotay/register.h"
#include "sotay/register_age.h"
#include "sotay/text.h"

namespace sotay {

namespace {

bool HasWord(const std::string& words, const std::string& word) {
  for (const std::string& w : SplitAtSpaces(words)) {
    if (w == word) return true;
  }
  return false;
}

}  // namespace

Result<RegisterPage> Notebook::RegisterList(const RegisterQuery& query, const std::string& lang) {
  if (!IsIdentityFormId(query.form)) {
    return Status::InvalidArgument("form '" + query.form + "' is not a register of children (no full_name and dob)");
  }
  const std::vector<std::string> words = SplitAtSpaces(FoldForSearch(query.query));
  const std::string village = FoldForSearch(query.village);
  const int64_t today = env_->TodayDays();
  std::vector<std::pair<std::string, RegisterRow>> found;  // (collation key, row)
  std::map<std::string, std::string> villages;             // folded -> as first answered
  Status s = ScanSummaries(query.form, [&](const std::string& id, SearchSummary& sum) {
    if (sum.is_void && !query.include_void) return;
    const std::string folded_village = FoldForSearch(sum.village);
    if (!sum.village.empty()) villages.emplace(folded_village, sum.village);
    if (!village.empty() && folded_village != village) return;
    if (!query.special.empty() && !HasWord(sum.special, query.special)) return;
    if (!query.status.empty()) {
      const std::string status = sum.register_status.empty() ? kRegisterActive : sum.register_status;
      if (status != query.status) return;
    }
    int age = -1;
    if (const auto born = RegisterFactsOf({{kRegisterBirthField, sum.birth_date}}, 0).birth_day) {
      age = AgeYears(*born, today);
    }
    if (!InAgeBand(query.age, age)) return;
    if (!SummaryMatches(sum, words)) return;
    RegisterRow row;
    row.id = id;
    row.name = std::move(sum.name);
    std::string key = std::move(sum.sort_key);
    if (row.name.empty()) {
      auto form = FindForm(query.form, sum.version);
      if (form.ok()) row.name = (*form)->title.Get(lang);
      key = CollationKey(row.name);
    }
    row.village = std::move(sum.village);
    row.birth_date = std::move(sum.birth_date);
    row.age_years = age;
    row.register_status = std::move(sum.register_status);
    row.is_void = sum.is_void;
    row.in_conflict = sum.in_conflict;
    row.updated_ms = sum.updated_ms;
    found.emplace_back(std::move(key), std::move(row));
  });
  if (!s.ok()) return s;
  RegisterPage page;
  page.total = found.size();
  const size_t first = std::min(query.offset, found.size());
  const size_t last = first + std::min(query.limit, found.size() - first);
  // Only the page needs its place in the order: a partial sort of indexes (not of
  // the rows themselves, which are costly to move) up to the page's end.
  std::vector<size_t> order(found.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto by_key = [&](size_t a, size_t b) {
    const int c = found[a].first.compare(found[b].first);
    return c != 0 ? c < 0 : found[a].second.id < found[b].second.id;
  };
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(last), order.end(), by_key);
  for (size_t i = first; i < last; ++i) page.rows.push_back(std::move(found[order[i]].second));
  std::vector<std::pair<std::string, std::string>> named;
  for (auto& [folded, shown] : villages) named.emplace_back(CollationKey(shown), std::move(shown));
  std::sort(named.begin(), named.end());
  for (auto& v : named) page.villages.push_back(std::move(v.second));
  return page;
}

}  // namespace sotay
