// The register's duplicate scan (sotay/duplicates.h) on a generated province:
// 100,000 children over 150 communes with Vietnamese names drawn at realistic
// frequencies, and 2% more records planted as duplicates of some of them, made the
// way workers make them: diacritics left out, a typing mistake, the family name
// written last, day and month swapped, a birth date a few days off, the number left
// out, the child entered again in another commune.
//
// Prints recall and precision of the planted pairs (targets 95% and 90%) and the scan
// time (target under 2 s), each with its ratio to the target, and JSON on the last
// line. The generator is seeded: the same figures on every run but the time.
//
//   register_bench [children [--false]]   default 100000; --false lists the
//                                          candidates that were not planted
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "register_bench_data.h"

using namespace sotay;
using namespace sotay::bench;

namespace {

constexpr double kRecallTarget = 0.95, kPrecisionTarget = 0.90, kSecondsTarget = 2.0;

}  // namespace

int main(int argc, char** argv) {
  const int children = argc > 1 ? std::atoi(argv[1]) : 100000;
  Province province = GenerateProvince(children);
  std::vector<DuplicateProfile>& profiles = province.profiles;
  const auto& planted = province.planted;
  auto& kind_of = province.kind_of;
  auto& by_kind = province.by_kind;
  const int duplicates = province.duplicates;

  const auto start = std::chrono::steady_clock::now();
  std::vector<DuplicateCandidate> found = FindDuplicates(profiles);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // --false: the candidates that were not planted, on stderr, to see what they are.
  const bool show_false = argc > 2 && std::string(argv[2]) == "--false";
  std::map<std::string, const DuplicateProfile*> by_id;
  for (const DuplicateProfile& p : profiles) by_id[p.id] = &p;
  size_t true_found = 0;
  std::map<DuplicateReason, size_t> by_reason, false_by_reason;
  for (const DuplicateCandidate& c : found) {
    auto key = std::make_pair(c.first_id, c.second_id);
    ++by_reason[c.reason];
    if (planted.count(key) != 0) {
      ++true_found;
      ++by_kind[kind_of[key]].second;
    } else {
      ++false_by_reason[c.reason];
      if (show_false) {
        const DuplicateProfile& a = *by_id[c.first_id];
        const DuplicateProfile& b = *by_id[c.second_id];
        std::fprintf(stderr, "%s\t%s %s %s\t%s %s %s\n", DuplicateReasonName(c.reason), a.full_name.c_str(),
                     a.birth_date.c_str(), a.sex.c_str(), b.full_name.c_str(), b.birth_date.c_str(), b.sex.c_str());
      }
    }
  }
  const double recall = planted.empty() ? 1.0 : static_cast<double>(true_found) / static_cast<double>(planted.size());
  const double precision = found.empty() ? 1.0 : static_cast<double>(true_found) / static_cast<double>(found.size());

  std::printf("register_bench: %d children over %d communes, %d planted duplicates, %zu profiles scanned\n",
              children, kCommunes, duplicates, profiles.size());
  std::printf("  %-34s %8s %8s\n", "planted as", "planted", "found");
  for (const auto& [kind, counts] : by_kind) {
    std::printf("  %-34s %8d %8d\n", kind.c_str(), counts.first, counts.second);
  }
  for (const auto& [reason, count] : by_reason) {
    std::printf("  candidates, %-36s %6zu (not planted: %zu)\n", DuplicateReasonName(reason), count,
                false_by_reason[reason]);
  }
  std::printf("  recall     %6.1f%%  (target %.0f%%, ratio %.3f)\n", 100 * recall, 100 * kRecallTarget,
              recall / kRecallTarget);
  std::printf("  precision  %6.1f%%  (target %.0f%%, ratio %.3f)\n", 100 * precision, 100 * kPrecisionTarget,
              precision / kPrecisionTarget);
  std::printf("  scan       %6.3f s (target < %.1f s, ratio %.3f)\n", seconds, kSecondsTarget, seconds / kSecondsTarget);
  std::printf("{\"bench\":\"register\",\"children\":%d,\"communes\":%d,\"planted\":%d,\"candidates\":%zu,"
              "\"true_found\":%zu,\"recall\":%.4f,\"recall_target\":%.2f,\"precision\":%.4f,"
              "\"precision_target\":%.2f,\"scan_seconds\":%.3f,\"scan_target_seconds\":%.1f}\n",
              children, kCommunes, duplicates, found.size(), true_found, recall, kRecallTarget, precision,
              kPrecisionTarget, seconds, kSecondsTarget);
  return 0;
}
