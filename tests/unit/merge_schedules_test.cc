// The merge under random schedules (support/merge_schedules.h): a slice of the
// million that bench/merge_schedules_bench.cc runs. A failure names its seed;
// `merge_schedules_bench 1 --seed SEED` replays it alone.
#include <catch2/catch.hpp>

#include <cstdint>

#include "support/merge_schedules.h"

using sotay::testing::RunMergeSchedule;
using sotay::testing::ScheduleFigures;

TEST_CASE("merge: every replica converges to the merge of all edits over thousands of random schedules "
          "(order, duplicates, partitions, voids, resolutions)",
          "[merge][property]") {
  constexpr uint64_t kSchedules = 3000;
  size_t conflicts = 0, resolutions = 0, partitions = 0, edits = 0;
  for (uint64_t seed = 1; seed <= kSchedules; ++seed) {
    const ScheduleFigures f = RunMergeSchedule(seed);
    INFO("seed " << seed << ": " << f.failure);
    REQUIRE(f.failure.empty());
    conflicts += f.conflicts;
    resolutions += f.resolutions;
    partitions += f.partitions;
    edits += f.edits;
  }
  // The generator must exercise what it claims, or the test proves little.
  CHECK(conflicts > kSchedules / 10);
  CHECK(resolutions > kSchedules / 10);
  CHECK(partitions > kSchedules);
  CHECK(edits > kSchedules * 10);
}

TEST_CASE("merge: a schedule replays the same from its seed", "[merge][property]") {
  const ScheduleFigures a = RunMergeSchedule(424242), b = RunMergeSchedule(424242);
  CHECK(a.edits == b.edits);
  CHECK(a.deliveries == b.deliveries);
  CHECK(a.conflicts == b.conflicts);
  CHECK(RunMergeSchedule(424243).deliveries != a.deliveries);
}
