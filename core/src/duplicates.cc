// Potential duplicates in the register (duplicates.h): three blocked passes, each
// comparing only profiles that share a key, and one table of pairs keeping the
// strongest reason.
//
// Over 400 lines on purpose: the passes share the profile's folded forms, the
// blocking keys and the pair table, and the thresholds only read right side by side.

#include "sotay/duplicates.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "expr_calendar.h"
#include "sotay/expr.h"
#include "sotay/personal_id.h"
#include "sotay/text.h"

namespace sotay {

namespace {

// "A few days apart": a date typed a day or two off, or a birth registered late and
// rounded. Wider windows bring in more twins of common names than real mistakes.
constexpr int64_t kNearDays = kDuplicateNearDays;

// The typing mistakes allowed between two folded names (insert, delete, replace,
// swap two neighbours): two in a name of this many characters or more, one below.
constexpr int kMaxTypos = 2;
constexpr size_t kTwoTyposFrom = 10;

// Two children of a very common name are born a few days apart by chance: where more
// than this share of the children of a name would have a namesake within the window,
// a near date is no evidence (an equal or swapped date still is).
// The register's children are born over sixteen years. 1 in 50 keeps recall above 95%
// on register_bench's province while a near date of a common name stops flooding the
// queue (0.1 gave 99% recall but 84% precision: namesakes born days apart by chance).
constexpr double kChanceLimit = 0.02;
constexpr double kRegisterDays = 16 * 365.25;

// A word seen this often among the profiles is a name, not a typo; at least 3, and
// one in 2,000 profiles, so that a mistake repeated by chance stays a mistake.
constexpr size_t kCommonWordMin = 3;
constexpr size_t kCommonWordPer = 2000;

// What a comparison reads of a profile. A province's register holds 100,000
// profiles and more, so the names derived from it for some comparisons (the words
// in another order) are made when compared, not kept.
struct Prepared {
  std::string name;  // the folded name's words joined by one space
  bool has_birth = false;
  int64_t days = 0;
  int year = 0;
  unsigned month = 0, day = 0;
  bool valid_pid = false;
};

std::vector<std::string> Words(const std::string& folded) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && (folded[i] == ' ' || folded[i] == '\t' || folded[i] == '\n')) ++i;
    size_t j = i;
    while (j < folded.size() && folded[j] != ' ' && folded[j] != '\t' && folded[j] != '\n') ++j;
    if (j > i) out.push_back(folded.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out.push_back(' ');
    out += w;
  }
  return out;
}

Prepared Prepare(const DuplicateProfile& p) {
  Prepared out;
  out.name = Join(Words(FoldForSearch(p.full_name)));
  expr::CivilTime t;
  if (auto days = ParseIsoDate(p.birth_date); days && expr::SplitDays(static_cast<double>(*days), &t)) {
    out.has_birth = true;
    out.days = *days;
    out.year = static_cast<int>(t.year);
    out.month = t.month;
    out.day = t.day;
  }
  out.valid_pid = !p.personal_id.empty() && CheckPersonalId(p.personal_id).empty();
  return out;
}

// The words sorted, joined: a key for any word order.
std::string SortedName(const Prepared& p) {
  std::vector<std::string> sorted = Words(p.name);
  std::sort(sorted.begin(), sorted.end());
  return Join(sorted);
}

// A count by name, keyed by the name's hash: two names sharing a 64-bit hash among a
// province's would only count as one name a little more often.
size_t NameKey(std::string_view name) { return std::hash<std::string_view>()(name); }

// Sorted by ids, each pair once with its strongest reason (the enum is strongest first).
void KeepStrongest(std::vector<DuplicateCandidate>& pairs) {
  std::sort(pairs.begin(), pairs.end(), [](const DuplicateCandidate& x, const DuplicateCandidate& y) {
    return std::tie(x.first_id, x.second_id, x.reason) < std::tie(y.first_id, y.second_id, y.reason);
  });
  pairs.erase(std::unique(pairs.begin(), pairs.end(),
                          [](const DuplicateCandidate& x, const DuplicateCandidate& y) {
                            return x.first_id == y.first_id && x.second_id == y.second_id;
                          }),
              pairs.end());
}

// One profile's folded name into `counts`.
void CountName(const std::string& name, DuplicateNameCounts& counts) {
  for (const std::string& w : Words(name)) ++counts.words[w];
  ++counts.names[NameKey(name)];
  ++counts.profiles;
}

// Optimal string alignment distance, computed only in the band |i - j| <= limit;
// anything over `limit` is limit + 1.
int BoundedTypos(std::string_view a, std::string_view b, int limit) {
  const int la = static_cast<int>(a.size()), lb = static_cast<int>(b.size());
  if (std::abs(la - lb) > limit) return limit + 1;
  const int inf = limit + 1;
  std::vector<int> before(lb + 1, inf), prev(lb + 1, inf), cur(lb + 1, inf);
  for (int j = 0; j <= std::min(lb, limit); ++j) prev[j] = j;
  for (int i = 1; i <= la; ++i) {
    std::fill(cur.begin(), cur.end(), inf);
    if (i <= limit) cur[0] = i;
    int row_min = cur[0];
    for (int j = std::max(1, i - limit); j <= std::min(lb, i + limit); ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = std::min(v, before[j - 2] + 1);
      cur[j] = std::min(v, inf);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return inf;
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[lb];
}

class Scan {
 public:
  // With `counts`, names are judged by them (a slice of a larger register); without,
  // by these profiles' own.
  explicit Scan(const std::vector<DuplicateProfile>& profiles, const DuplicateNameCounts* counts = nullptr)
      : profiles_(profiles), counts_(counts != nullptr ? counts : &own_) {
    prepared_.reserve(profiles.size());
    for (const DuplicateProfile& p : profiles) prepared_.push_back(Prepare(p));
    if (counts == nullptr) {
      for (const Prepared& p : prepared_) CountName(p.name, own_);
    }
    common_from_ = std::max(kCommonWordMin, counts_->profiles / kCommonWordPer);
  }

  void SamePersonalId() {
    std::unordered_map<std::string, std::vector<size_t>> by_number;
    for (size_t i = 0; i < profiles_.size(); ++i) {
      if (prepared_[i].valid_pid) by_number[profiles_[i].personal_id].push_back(i);
    }
    for (const auto& [number, group] : by_number) {
      for (size_t x = 0; x < group.size(); ++x) {
        for (size_t y = x + 1; y < group.size(); ++y) Add(group[x], group[y], DuplicateReason::kSamePersonalId);
      }
    }
  }

  // Names equal or with the family name moved, births equal, swapped or a few days
  // apart; blocked by the sorted words, which both share.
  //
  // The blocks are runs of one sorted vector keyed by the sorted words' hash, not a
  // map of lists: 16 bytes a profile instead of about 130, for a slice of 100,000. A
  // shared hash only puts two names in one block; CompareSameWords compares names.
  void SameWords() {
    std::vector<std::pair<size_t, size_t>> keyed;  // (sorted words' hash, profile)
    for (size_t i = 0; i < profiles_.size(); ++i) {
      if (prepared_[i].has_birth && !prepared_[i].name.empty()) keyed.emplace_back(NameKey(SortedName(prepared_[i])), i);
    }
    std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
      return std::tie(a.first, prepared_[a.second].days) < std::tie(b.first, prepared_[b.second].days);
    });
    std::vector<size_t> group;
    for (size_t start = 0, end = 0; start < keyed.size(); start = end) {
      end = start + 1;
      while (end < keyed.size() && keyed[end].first == keyed[start].first) ++end;
      if (end - start < 2) continue;
      group.clear();
      for (size_t k = start; k < end; ++k) group.push_back(keyed[k].second);
      for (size_t x = 0; x < group.size(); ++x) {
        const Prepared& a = prepared_[group[x]];
        for (size_t y = x + 1; y < group.size() && prepared_[group[y]].days - a.days <= kNearDays; ++y) {
          CompareSameWords(group[x], group[y]);
        }
        // The other order of a swap is found from the other profile.
        if (a.day <= 12 && a.day != a.month) {
          const int64_t swapped = expr::DaysFromCivil(a.year, a.day, a.month);
          if (swapped - a.days > kNearDays) {
            auto from = std::lower_bound(group.begin(), group.end(), swapped,
                                         [&](size_t i, int64_t d) { return prepared_[i].days < d; });
            for (; from != group.end() && prepared_[*from].days == swapped; ++from) CompareSameWords(group[x], *from);
          }
        }
      }
    }
  }

  // Same sex, births a few days apart: names a few typing mistakes apart. A window
  // over the profiles sorted by sex and birth date.
  void TyposNearBirth() {
    std::vector<size_t> order;
    for (size_t i = 0; i < profiles_.size(); ++i) {
      if (prepared_[i].has_birth && !profiles_[i].sex.empty() && !prepared_[i].name.empty()) order.push_back(i);
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return std::tie(profiles_[a].sex, prepared_[a].days) < std::tie(profiles_[b].sex, prepared_[b].days);
    });
    for (size_t x = 0; x < order.size(); ++x) {
      const size_t a = order[x];
      for (size_t y = x + 1; y < order.size(); ++y) {
        const size_t b = order[y];
        if (profiles_[b].sex != profiles_[a].sex || prepared_[b].days - prepared_[a].days > kNearDays) break;
        CompareTypos(a, b);
      }
    }
  }

  // Same sex, day and month swapped: names a few typing mistakes apart. Blocks of
  // (sex, year, the smaller and the larger of day and month).
  void TyposSwappedBirth() {
    using Key = std::tuple<std::string, int, unsigned, unsigned>;
    struct KeyHash {
      size_t operator()(const Key& k) const {
        return std::hash<std::string>()(std::get<0>(k)) ^
               (static_cast<size_t>(std::get<1>(k)) * 1000003u + std::get<2>(k) * 37u + std::get<3>(k));
      }
    };
    std::unordered_map<Key, std::vector<size_t>, KeyHash> blocks;
    for (size_t i = 0; i < profiles_.size(); ++i) {
      const Prepared& p = prepared_[i];
      if (!p.has_birth || profiles_[i].sex.empty() || p.name.empty() || p.day > 12 || p.day == p.month) continue;
      blocks[Key{profiles_[i].sex, p.year, std::min(p.month, p.day), std::max(p.month, p.day)}].push_back(i);
    }
    for (const auto& [key, group] : blocks) {
      for (size_t x = 0; x < group.size(); ++x) {
        for (size_t y = x + 1; y < group.size(); ++y) {
          if (prepared_[group[x]].month != prepared_[group[y]].month) CompareTypos(group[x], group[y]);
        }
      }
    }
  }

  // Pairs (a < b) with b at or after `first_new`, the later one's matches.
  std::vector<std::vector<DuplicateMatch>> MatchesFrom(size_t first_new, DuplicateReason weakest) const {
    std::vector<std::vector<DuplicateMatch>> out(profiles_.size() - first_new);
    for (const auto& [key, reason] : pairs_) {
      if (key.second < first_new || reason > weakest) continue;
      const bool incoming = key.first >= first_new;
      out[key.second - first_new].push_back(
          DuplicateMatch{incoming ? key.first - first_new : key.first, incoming, reason});
    }
    for (auto& list : out) {
      std::sort(list.begin(), list.end(), [](const DuplicateMatch& x, const DuplicateMatch& y) {
        return std::tie(x.reason, x.in_incoming, x.other) < std::tie(y.reason, y.in_incoming, y.other);
      });
    }
    return out;
  }

  std::vector<DuplicateCandidate> Result(const std::set<std::pair<std::string, std::string>>& not_same) const {
    std::vector<DuplicateCandidate> out;
    out.reserve(pairs_.size());
    for (const auto& [key, reason] : pairs_) {
      const DuplicateProfile& a = profiles_[key.first];
      const DuplicateProfile& b = profiles_[key.second];
      if (a.id.empty() || b.id.empty() || a.id == b.id) continue;
      auto ids = DuplicatePairKey(a.id, b.id);
      if (not_same.count(ids) != 0) continue;
      out.push_back(DuplicateCandidate{ids.first, ids.second, reason, a.area == b.area});
    }
    // The same two ids twice (a record given twice) keep the strongest reason.
    KeepStrongest(out);
    return out;
  }

 private:
  struct PairHash {
    size_t operator()(const std::pair<size_t, size_t>& p) const { return p.first * 0x9E3779B97F4A7C15ull ^ p.second; }
  };

  void Add(size_t a, size_t b, DuplicateReason reason) {
    if (a > b) std::swap(a, b);
    auto [it, inserted] = pairs_.emplace(std::make_pair(a, b), reason);
    if (!inserted && reason < it->second) it->second = reason;  // the enum is strongest first
  }

  bool NumbersDiffer(size_t a, size_t b) const {
    return prepared_[a].valid_pid && prepared_[b].valid_pid && profiles_[a].personal_id != profiles_[b].personal_id;
  }

  bool SexesDiffer(size_t a, size_t b) const {
    return !profiles_[a].sex.empty() && !profiles_[b].sex.empty() && profiles_[a].sex != profiles_[b].sex;
  }

  void CompareSameWords(size_t a, size_t b) {
    const Prepared& x = prepared_[a];
    const Prepared& y = prepared_[b];
    if (x.name == y.name && x.days == y.days) {
      Add(a, b, DuplicateReason::kSameNameAndBirth);
    } else if ((x.name == y.name || FamilyMoved(x, y)) && !SexesDiffer(a, b) && !NumbersDiffer(a, b) &&
               (IsSwap(x, y) || !ChanceNamesake(x))) {
      Add(a, b, DuplicateReason::kSimilarNameAndBirth);
    }
  }

  void CompareTypos(size_t a, size_t b) {
    const Prepared& x = prepared_[a];
    const Prepared& y = prepared_[b];
    if (x.days != y.days && !IsSwap(x, y) && ChanceNamesake(x) && ChanceNamesake(y)) return;
    if (!NumbersDiffer(a, b) && Typos(x, y)) Add(a, b, DuplicateReason::kSimilarNameAndBirth);
  }

  static bool IsSwap(const Prepared& a, const Prepared& b) {
    return a.year == b.year && a.month == b.day && a.day == b.month;
  }

  // Whether a namesake born within the window is expected by chance (kChanceLimit).
  bool ChanceNamesake(const Prepared& p) const {
    auto count = counts_->names.find(NameKey(p.name));
    const double others = count == counts_->names.end() ? 0.0 : static_cast<double>(count->second - 1);
    return others * (2 * kNearDays + 1) / kRegisterDays > kChanceLimit;
  }

  bool Common(const std::string& word) const {
    auto it = counts_->words.find(word);
    return it != counts_->words.end() && it->second >= common_from_;
  }

  // "Văn An Nguyễn" for "Nguyễn Văn An", and the reverse. Other orders make other
  // names: Minh Đức is not Đức Minh.
  static bool FamilyMoved(const Prepared& a, const Prepared& b) {
    if (a.name.size() != b.name.size()) return false;
    std::vector<std::string> moved = Words(a.name);
    if (moved.size() < 2) return false;
    std::rotate(moved.begin(), moved.begin() + 1, moved.end());  // the first word moved to the end
    if (Join(moved) == b.name) return true;
    std::rotate(moved.rbegin(), moved.rbegin() + 2, moved.rend());  // the last word moved to the front
    return Join(moved) == b.name;
  }

  // A few typing mistakes apart, and not two different common names.
  bool Typos(const Prepared& a, const Prepared& b) const {
    if (a.name == b.name || FamilyMoved(a, b)) return true;
    const size_t shorter = std::min(a.name.size(), b.name.size());
    const int limit = shorter >= kTwoTyposFrom ? kMaxTypos : 1;
    if (BoundedTypos(a.name, b.name, limit) > limit) return false;
    const std::vector<std::string> aw = Words(a.name), bw = Words(b.name);
    if (aw.size() == bw.size()) {
      for (size_t i = 0; i < aw.size(); ++i) {
        if (aw[i] != bw[i] && Common(aw[i]) && Common(bw[i])) return false;
      }
    }
    return true;
  }

  const std::vector<DuplicateProfile>& profiles_;
  std::vector<Prepared> prepared_;
  DuplicateNameCounts own_;
  const DuplicateNameCounts* counts_;
  size_t common_from_ = kCommonWordMin;
  std::unordered_map<std::pair<size_t, size_t>, DuplicateReason, PairHash> pairs_;
};

}  // namespace

const char* DuplicateReasonName(DuplicateReason r) {
  switch (r) {
    case DuplicateReason::kSamePersonalId: return "same personal identification number";
    case DuplicateReason::kSameNameAndBirth: return "same name and date of birth";
    case DuplicateReason::kSimilarNameAndBirth: return "similar name and date of birth";
  }
  return "unknown";
}

std::vector<std::vector<DuplicateMatch>> MatchNewProfiles(const std::vector<DuplicateProfile>& existing,
                                                          const std::vector<DuplicateProfile>& incoming,
                                                          DuplicateReason weakest) {
  // One scan over both, so a new profile meets the same rules (and the same name
  // frequencies) as the district's queue applies.
  std::vector<DuplicateProfile> all;
  all.reserve(existing.size() + incoming.size());
  all.insert(all.end(), existing.begin(), existing.end());
  all.insert(all.end(), incoming.begin(), incoming.end());
  Scan scan(all);
  scan.SamePersonalId();
  scan.SameWords();
  scan.TyposNearBirth();
  scan.TyposSwappedBirth();
  return scan.MatchesFrom(existing.size(), weakest);
}

std::pair<std::string, std::string> DuplicatePairKey(const std::string& a, const std::string& b) {
  return a < b ? std::make_pair(a, b) : std::make_pair(b, a);
}

std::vector<DuplicateCandidate> FindDuplicates(const std::vector<DuplicateProfile>& profiles,
                                               const std::set<std::pair<std::string, std::string>>& not_same) {
  Scan scan(profiles);
  scan.SamePersonalId();
  scan.SameWords();
  scan.TyposNearBirth();
  scan.TyposSwappedBirth();
  return scan.Result(not_same);
}

void DuplicateNameCounts::Add(const DuplicateProfile& p) {
  CountName(Join(Words(FoldForSearch(p.full_name))), *this);
}

std::vector<DuplicateCandidate> FindDuplicatesByBirth(const std::vector<DuplicateProfile>& slice,
                                                      const DuplicateNameCounts& counts,
                                                      const std::set<std::pair<std::string, std::string>>& not_same) {
  Scan scan(slice, &counts);
  scan.SameWords();
  scan.TyposNearBirth();
  scan.TyposSwappedBirth();
  return scan.Result(not_same);
}

std::vector<DuplicateCandidate> FindSamePersonalId(const std::vector<DuplicateProfile>& profiles,
                                                   const std::set<std::pair<std::string, std::string>>& not_same) {
  Scan scan(profiles);
  scan.SamePersonalId();
  return scan.Result(not_same);
}

Result<std::vector<DuplicateCandidate>> FindDuplicatesBySlices(
    const DuplicateProfileSource& read, size_t* profiles,
    const std::set<std::pair<std::string, std::string>>& not_same) {
  // First: how often each name and word occurs, the years of birth, and how often
  // each personal number (by its hash: a shared hash is checked below).
  DuplicateNameCounts counts;
  std::unordered_map<size_t, uint32_t> numbers;
  std::map<int, size_t> years;  // profiles born in each year
  expr::CivilTime t;
  Status s = read(DuplicateSlice{}, [&](DuplicateProfile&& p) {
    counts.Add(p);
    if (!p.personal_id.empty()) ++numbers[std::hash<std::string>()(p.personal_id)];
    if (auto born = ParseIsoDate(p.birth_date); born && expr::SplitDays(static_cast<double>(*born), &t)) {
      ++years[static_cast<int>(t.year)];
    }
  });
  if (!s.ok()) return s;
  std::vector<DuplicateCandidate> pairs;
  // Then a year of births at a time, kNearDays either side: every pair the rules on
  // births find is in the slice of the earlier-born's year.
  for (const auto& [year, born_in_year] : years) {
    DuplicateSlice slice;
    slice.born_from = expr::DaysFromCivil(year, 1, 1) - kNearDays;
    slice.born_to = expr::DaysFromCivil(year, 12, 31) + kNearDays;
    std::vector<DuplicateProfile> in;
    // The year's count and a little for the days either side: a vector grown by
    // doubling would hold the old and the new copy of a large slice at once.
    in.reserve(born_in_year + born_in_year / 32 + 16);
    s = read(slice, [&](DuplicateProfile&& p) {
      auto born = ParseIsoDate(p.birth_date);
      if (born && *born >= *slice.born_from && *born <= *slice.born_to) in.push_back(std::move(p));
    });
    if (!s.ok()) return s;
    std::vector<DuplicateCandidate> found = FindDuplicatesByBirth(in, counts, not_same);
    pairs.insert(pairs.end(), found.begin(), found.end());
  }
  // Last: the profiles whose number another has too, whatever their births.
  std::vector<DuplicateProfile> shared;
  s = read(DuplicateSlice{}, [&](DuplicateProfile&& p) {
    if (p.personal_id.empty()) return;
    auto n = numbers.find(std::hash<std::string>()(p.personal_id));
    if (n != numbers.end() && n->second > 1) shared.push_back(std::move(p));
  });
  if (!s.ok()) return s;
  std::vector<DuplicateCandidate> by_number = FindSamePersonalId(shared, not_same);
  pairs.insert(pairs.end(), by_number.begin(), by_number.end());
  // Each pair once, with its strongest reason (a pair near a year's end is in two slices).
  KeepStrongest(pairs);
  if (profiles != nullptr) *profiles = counts.profiles;
  return pairs;
}

}  // namespace sotay
