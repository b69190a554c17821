// merge_schedules_bench: the merge's properties over many random schedules
// (tests/support/merge_schedules.h: devices editing the same and different fields,
// delivery in any order with duplicates, partitions, voids, restores and
// resolutions, then full exchange).
//
//   merge_schedules_bench [COUNT] [--seed FIRST]   (COUNT default 1000000, FIRST default 1)
//
// Schedule i runs from seed FIRST + i. Prints schedules/s, the edits and deliveries
// made, the failures, and the first failing seed with its reason (replay it alone
// with `merge_schedules_bench 1 --seed SEED`). The last line is one JSON object.
// Exits 1 if any schedule failed.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <nlohmann/json.hpp>

#include "support/merge_schedules.h"

int main(int argc, char** argv) {
  uint64_t count = 1000000, first = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
      first = std::strtoull(argv[++i], nullptr, 10);
    } else if (argv[i][0] != '-') {
      count = std::strtoull(argv[i], nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: merge_schedules_bench [COUNT] [--seed FIRST]\n");
      return 2;
    }
  }
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  uint64_t failures = 0, first_failed = 0;
  std::string first_reason;
  size_t edits = 0, deliveries = 0, conflicts = 0, resolutions = 0, partitions = 0;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t seed = first + i;
    const sotay::testing::ScheduleFigures f = sotay::testing::RunMergeSchedule(seed);
    edits += f.edits;
    deliveries += f.deliveries;
    conflicts += f.conflicts;
    resolutions += f.resolutions;
    partitions += f.partitions;
    if (!f.failure.empty()) {
      if (failures++ == 0) {
        first_failed = seed;
        first_reason = f.failure;
      }
      std::printf("seed %llu FAILED: %s\n", static_cast<unsigned long long>(seed), f.failure.c_str());
    }
    if ((i + 1) % 100000 == 0) {
      std::printf("%llu schedules, %.1f s\n", static_cast<unsigned long long>(i + 1),
                  std::chrono::duration<double>(Clock::now() - start).count());
      std::fflush(stdout);
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double rate = seconds > 0 ? static_cast<double>(count) / seconds : 0;
  std::printf("%llu schedules from seed %llu in %.1f s: %.0f schedules/s\n", static_cast<unsigned long long>(count),
              static_cast<unsigned long long>(first), seconds, rate);
  std::printf("%zu edits, %zu deliveries (duplicates included), %zu records left in conflict, %zu resolutions, "
              "%zu partitions\n",
              edits, deliveries, conflicts, resolutions, partitions);
  if (failures == 0) {
    std::printf("failures: 0\n");
  } else {
    std::printf("failures: %llu; first: seed %llu (%s); replay: merge_schedules_bench 1 --seed %llu\n",
                static_cast<unsigned long long>(failures), static_cast<unsigned long long>(first_failed),
                first_reason.c_str(), static_cast<unsigned long long>(first_failed));
  }
  nlohmann::json j = {{"bench", "merge_schedules"}, {"schedules", count},      {"first_seed", first},
                      {"seconds", seconds},         {"schedules_per_s", rate}, {"edits", edits},
                      {"deliveries", deliveries},   {"conflicts_left", conflicts},
                      {"resolutions", resolutions}, {"partitions", partitions}, {"failures", failures}};
  if (failures > 0) j["first_failed_seed"] = first_failed;
  std::printf("%s\n", j.dump().c_str());
  return failures == 0 ? 0 : 1;
}
