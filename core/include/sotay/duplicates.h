// Potential duplicates in the children's register: two profiles that may be the same
// child, for a person to settle ("same child" or "not the same"). Three reasons, the
// strongest named when several hold:
//
//   kSamePersonalId       the same structurally valid personal number (personal_id.h)
//   kSameNameAndBirth     the same name once folded (no diacritics, case or extra
//                         spaces: "Nguyễn Văn An" = "nguyen  van an") and birth date
//   kSimilarNameAndBirth  not of different sex, and a name and birth date that differ
//                         as mistakes do: the name folded equal, with the family
//                         name written last (or first), or one or two typing
//                         mistakes away (two from ten
//                         letters on), and the birth date equal, with day and month
//                         swapped, or up to three days apart. A name a few mistakes
//                         away needs the same, known sex.
//
// A name so common that namesakes are born a few days apart by chance (more than one
// child in ten of that name would have one) needs an equal or swapped date.
// Two profiles whose valid personal numbers differ are never "similar": the numbers
// say they are two children. A typo is told from another name by frequency: where
// both differing words are common in the profiles given ("An" and "Anh"), they are
// two names, not one mistyped.
//
// The scan is blocked (by number; by the folded name's words; by sex and birth date,
// as a window of days and as day-month swaps), so it is near linear: 100,000 profiles take well under two seconds (bench/register_bench.cc).
// Pure; thread-safe (no shared state).
#pragma once

#include "sotay/status.h"

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <unordered_map>
#include <functional>
#include <optional>
#include <vector>

namespace sotay {

// What the scan reads of a child's profile.
struct DuplicateProfile {
  std::string id;           // record id
  std::string full_name;    // as answered
  std::string birth_date;   // "YYYY-MM-DD"; anything else counts as unknown
  std::string sex;          // the form's choice name; "" unknown
  std::string personal_id;  // "" when none
  std::string area;         // commune code
};

enum class DuplicateReason { kSamePersonalId, kSameNameAndBirth, kSimilarNameAndBirth };

// "same personal identification number", ...: for logs and tests, not for workers.
const char* DuplicateReasonName(DuplicateReason r);

struct DuplicateCandidate {
  std::string first_id, second_id;  // first_id < second_id
  DuplicateReason reason;
  bool same_area = false;           // both in the same commune
};

// A pair of record ids in the order the "not the same" set keeps them (smaller first).
std::pair<std::string, std::string> DuplicatePairKey(const std::string& a, const std::string& b);

// The answers a register's profile (register.h) gives its identity by.
inline constexpr char kProfileNameField[] = "full_name";
inline constexpr char kProfileBirthField[] = "dob";
inline constexpr char kProfileSexField[] = "sex";
inline constexpr char kProfilePersonalIdField[] = "personal_id";

// The scan's view of a profile from its shown answers.
DuplicateProfile ProfileFromAnswers(const std::string& id, const std::map<std::string, std::string>& answers,
                                    const std::string& area = "");

// The reason in the worker's language ("cùng số định danh cá nhân", ...).
const char* DuplicateReasonLabel(DuplicateReason r, const std::string& lang);

// One profile a new one may be the same child as.
struct DuplicateMatch {
  size_t other = 0;          // index in `existing`, or in `incoming` when in_incoming
  bool in_incoming = false;  // an earlier profile of the same batch (an import's line)
  DuplicateReason reason = DuplicateReason::kSamePersonalId;
};

// For each of `incoming`, in order, what it may duplicate: a profile of `existing`,
// or one of `incoming` before it. The rules are FindDuplicates' over both sets
// together; reasons weaker than `weakest` are left out (a worker saving a child is
// asked only about the sure ones, kSameNameAndBirth). Pairs within `existing` are not
// reported, and ids are not read (a new profile has none yet). Each list is sorted by
// reason, strongest first, then existing before incoming, then by index.
std::vector<std::vector<DuplicateMatch>> MatchNewProfiles(
    const std::vector<DuplicateProfile>& existing, const std::vector<DuplicateProfile>& incoming,
    DuplicateReason weakest = DuplicateReason::kSimilarNameAndBirth);

// Every candidate pair among `profiles`, each pair once, sorted by (first_id,
// second_id), leaving out pairs in `not_same` (keys from DuplicatePairKey) and pairs of
// a record with itself. Profiles with an empty id are ignored.
std::vector<DuplicateCandidate> FindDuplicates(
    const std::vector<DuplicateProfile>& profiles,
    const std::set<std::pair<std::string, std::string>>& not_same = {});

// A register too large to hold at once (a province's, on its server) is scanned in
// slices by date of birth. Every rule but the personal number compares profiles born
// at most kDuplicateNearDays apart or in the same year (day and month swapped), so the
// profiles born in one calendar year and kDuplicateNearDays either side hold every
// such pair one of them makes; what a rule also needs of the whole register is how
// often each name and word occurs (a name common there is no typing mistake), counted
// in a first reading.
inline constexpr int64_t kDuplicateNearDays = 3;

struct DuplicateNameCounts {
  std::unordered_map<std::string, size_t> words;  // folded words
  std::unordered_map<size_t, size_t> names;       // by a hash of the folded name
  size_t profiles = 0;
  void Add(const DuplicateProfile& p);
};

// Which profiles a reading gives: all of them, or (with a range) at least those born
// within it, days since 1970 inclusive.
struct DuplicateSlice {
  std::optional<int64_t> born_from, born_to;
};
using DuplicateProfileSource =
    std::function<Status(const DuplicateSlice&, const std::function<void(DuplicateProfile&&)>&)>;

// FindDuplicates' pairs, read through `read` a slice at a time: every profile three
// times (counts; births year by year; the personal numbers seen twice), holding one
// year of births and the counts. `profiles` gets how many were compared.
Result<std::vector<DuplicateCandidate>> FindDuplicatesBySlices(
    const DuplicateProfileSource& read, size_t* profiles,
    const std::set<std::pair<std::string, std::string>>& not_same = {});

// FindDuplicates' pairs among `slice` by the rules on names and births, judged by the
// whole register's `counts`; pairs by personal number are FindSamePersonalId's.
std::vector<DuplicateCandidate> FindDuplicatesByBirth(
    const std::vector<DuplicateProfile>& slice, const DuplicateNameCounts& counts,
    const std::set<std::pair<std::string, std::string>>& not_same = {});
// FindDuplicates' pairs by the same valid personal number alone.
std::vector<DuplicateCandidate> FindSamePersonalId(
    const std::vector<DuplicateProfile>& profiles,
    const std::set<std::pair<std::string, std::string>>& not_same = {});

}  // namespace sotay
