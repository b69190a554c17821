// Random merge schedules (issue 12): several devices keep replicas of a few records
// and, step by step, edit the same or different fields, void and restore, resolve
// the conflicts they see (an edit whose base names every head, the core's only
// resolution), and exchange edits — in random order, with duplicates, only inside
// the current partition (groups of devices that reach each other for a while).
// Then the partition heals and everyone receives everything. One schedule is a
// pure function of its seed, so a failure replays from the seed alone.
//
// The properties checked (SYNC.md, "The merge"):
//  - convergence: every device's replica of a record is the same state;
//  - order and duplication do not matter: that state equals the merge of the union
//    of the edits applied once in the order they were made, and fresh replicas fed
//    the union shuffled and duplicated reach it too; applying it all again changes
//    nothing;
//  - no edit lost: each record knows exactly its edits;
//  - the heads are exactly the edits that no edit of the same field names in its
//    base (every edit, for an append-only field), and a field whose heads differ is
//    listed as a conflict.
//
// Used by the CI slice (tests/unit/merge_schedules_test.cc) and by the bench
// (bench/merge_schedules_bench.cc). No Catch2 here: a schedule reports its first
// broken property as text.
//
// Thread-safety: RunMergeSchedule uses only its own state.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sotay/hlc.h"
#include "sotay/merge.h"

namespace sotay::testing {

struct ScheduleFigures {
  std::string failure;      // "" when every property held
  size_t edits = 0;         // edits made
  size_t deliveries = 0;    // edits delivered to a replica, duplicates included
  size_t conflicts = 0;     // records with an open conflict at the end
  size_t resolutions = 0;   // edits that resolved a conflict
  size_t partitions = 0;    // times the network split
};

namespace merge_schedules_detail {

inline MergePolicy PolicyOf(const std::string& field) {
  if (field == "notes") return MergePolicy::kAppend;
  if (field == "services") return MergePolicy::kSet;
  return MergePolicy::kRegister;
}

inline std::string DotText(const Dot& d) { return d.device + ":" + std::to_string(d.counter); }

struct Replica {
  std::string id;
  HlcClock clock;
  uint64_t counter = 0;
  std::map<std::string, RecordState> records;
  std::vector<Edit> log;  // every edit this device holds, once each, for passing on
  explicit Replica(const std::string& name) : id(name), clock(name) {}

  void Receive(const Edit& e, int64_t now) {
    clock.Observe(e.hlc, now);
    if (records[e.record].Apply(e, PolicyOf(e.field)) != ApplyOutcome::kDuplicate) log.push_back(e);
  }
  Edit Make(const std::string& record, const std::string& field, const std::string& value,
            std::vector<Dot> base, int64_t now) {
    Edit e{{id, ++counter}, record, field, value, clock.Tick(now), std::move(base), "u-" + id};
    Receive(e, now);
    return e;
  }
};

template <class Rng>
size_t Pick(Rng& rng, size_t n) {
  return static_cast<size_t>(rng() % n);
}

// Delivers `edits` to `to` in a random order, some of them twice.
template <class Rng>
size_t Deliver(Rng& rng, std::vector<Edit> edits, Replica& to, int64_t now) {
  const size_t n = edits.size();
  for (size_t i = 0; i < n / 4 + 1 && n > 0; ++i) edits.push_back(edits[Pick(rng, n)]);
  std::shuffle(edits.begin(), edits.end(), rng);
  for (const Edit& e : edits) to.Receive(e, now);
  return edits.size();
}

inline std::string CheckHeads(const RecordState& state, const std::vector<Edit>& edits) {
  std::map<std::string, std::set<Dot>> named, expected;
  for (const Edit& e : edits) named[e.field].insert(e.base.begin(), e.base.end());
  for (const Edit& e : edits) {
    if (PolicyOf(e.field) == MergePolicy::kAppend || named[e.field].count(e.dot) == 0) {
      expected[e.field].insert(e.dot);
    }
  }
  const std::vector<std::string> conflicts = state.Conflicts();
  for (const auto& [field, dots] : expected) {
    std::set<Dot> heads;
    std::set<std::string> values;
    if (const FieldState* f = state.Field(field)) {
      for (const Head& h : f->heads) {
        heads.insert(h.dot);
        values.insert(h.value);
      }
    }
    if (heads != dots) return "the heads of " + field + " are not the edits no base names";
    const bool listed = std::find(conflicts.begin(), conflicts.end(), field) != conflicts.end();
    if (PolicyOf(field) == MergePolicy::kRegister && values.size() > 1 && !listed) {
      return field + " has differing heads but is not listed as a conflict";
    }
  }
  return "";
}

}  // namespace merge_schedules_detail

// One random schedule from `seed`.
inline ScheduleFigures RunMergeSchedule(uint64_t seed) {
  using namespace merge_schedules_detail;
  std::mt19937_64 rng(seed);
  ScheduleFigures out;
  static const char* const kFields[] = {"name", "school", "village", "notes", "services", "_status"};
  static const char* const kValues[] = {"a", "b", "c"};
  static const char* const kMembers[] = {"health", "legal", "education", "health legal"};

  const size_t n_devices = 2 + Pick(rng, 4);  // 2..5
  const size_t n_records = 1 + Pick(rng, 3);  // 1..3
  const size_t n_steps = 5 + Pick(rng, 56);   // 5..60
  std::vector<Replica> devices;
  for (size_t i = 0; i < n_devices; ++i) devices.emplace_back(std::string(1, static_cast<char>('A' + i)));
  std::vector<std::string> records;
  for (size_t r = 0; r < n_records; ++r) records.push_back("rec-" + std::to_string(r));
  std::vector<size_t> group(n_devices, 0);  // the partition: devices reach their own group only
  std::vector<Edit> all;
  int64_t now = 1000;

  // Each record is created by one device; the others edit it once they have it.
  for (size_t r = 0; r < n_records; ++r) {
    Replica& d = devices[r % n_devices];
    all.push_back(d.Make(records[r], kStatusField, kStatusActive, {}, now));
  }
  for (size_t step = 0; step < n_steps; ++step) {
    now += static_cast<int64_t>(Pick(rng, 3));  // coarse clocks: many equal milliseconds
    if (Pick(rng, 50) == 0) now -= 500;          // a phone's clock set back
    const size_t at = Pick(rng, n_devices);
    Replica& d = devices[at];
    std::vector<std::string> held;
    for (const auto& [id, state] : d.records) held.push_back(id);
    const size_t action = Pick(rng, 12);
    if (action == 0) {  // the network splits or heals
      ++out.partitions;
      const size_t groups = 1 + Pick(rng, n_devices);
      for (size_t& g : group) g = Pick(rng, groups);
    } else if (action <= 3) {  // d sends what it holds to a device it reaches, or a part of it
      const size_t to_at = Pick(rng, n_devices);
      if (to_at == at || group[to_at] != group[at]) continue;
      Replica& to = devices[to_at];
      std::vector<Edit> batch;
      const bool part = Pick(rng, 3) == 0;
      for (const Edit& e : d.log) {
        if (!part || Pick(rng, 2) == 0) batch.push_back(e);
      }
      out.deliveries += Deliver(rng, batch, to, now);
    } else if (!held.empty()) {
      const std::string& record = held[Pick(rng, held.size())];
      RecordState& state = d.records[record];
      const std::vector<std::string> open = state.Conflicts();
      if (action == 4) {  // void, having seen every head
        all.push_back(d.Make(record, kStatusField, kStatusVoid, state.AllHeads(), now));
      } else if (action == 5) {  // restore
        all.push_back(d.Make(record, kStatusField, kStatusActive, state.HeadsOf(kStatusField), now));
      } else if (action == 6 && !open.empty()) {  // resolve a conflict this device sees
        ++out.resolutions;
        const std::string& field = open[Pick(rng, open.size())];
        if (field == kStatusField) {  // keep or void, having seen every head
          const char* pick = Pick(rng, 2) == 0 ? kStatusActive : kStatusVoid;
          all.push_back(d.Make(record, field, pick, state.AllHeads(), now));
        } else {  // one of the heads' values, or a new one
          const std::vector<Head>& heads = state.Field(field)->heads;
          const std::string value = Pick(rng, 3) == 0 ? "z" : heads[Pick(rng, heads.size())].value;
          all.push_back(d.Make(record, field, value, state.HeadsOf(field), now));
        }
      } else {  // an answer changed, from what this device sees
        const std::string field = kFields[Pick(rng, 5)];
        std::string value = field == "services" ? kMembers[Pick(rng, 4)] : kValues[Pick(rng, 3)];
        if (field == "notes") value = "note " + std::to_string(step);
        all.push_back(d.Make(record, field, value, state.HeadsOf(field), now));
      }
    } else if (Pick(rng, 4) == 0) {  // d has no record yet: it starts one
      const std::string& record = records[Pick(rng, n_records)];
      all.push_back(d.Make(record, kStatusField, kStatusActive, {}, now));
    }
  }
  out.edits = all.size();

  // The partition heals: each device receives every edit, shuffled and duplicated.
  now += 10;
  for (Replica& d : devices) out.deliveries += Deliver(rng, all, d, now);

  std::map<std::string, std::vector<Edit>> by_record;
  for (const Edit& e : all) by_record[e.record].push_back(e);
  std::ostringstream why;
  for (const auto& [record, edits] : by_record) {
    RecordState reference;
    for (const Edit& e : edits) reference.Apply(e, PolicyOf(e.field));
    for (const Replica& d : devices) {
      auto it = d.records.find(record);
      if (it == d.records.end() || !(it->second == reference)) {
        why << "device " << d.id << " did not converge on " << record;
        out.failure = why.str();
        return out;
      }
    }
    RecordState fresh;
    std::vector<Edit> shuffled = edits;
    shuffled.insert(shuffled.end(), edits.begin(), edits.begin() + static_cast<long>(Pick(rng, edits.size() + 1)));
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    for (const Edit& e : shuffled) fresh.Apply(e, PolicyOf(e.field));
    if (!(fresh == reference)) {
      out.failure = "a fresh replica fed the edits of " + record + " shuffled and duplicated differs";
      return out;
    }
    RecordState again = reference;
    for (const Edit& e : edits) {
      if (again.Apply(e, PolicyOf(e.field)) != ApplyOutcome::kDuplicate) {
        out.failure = "edit " + DotText(e.dot) + " applied twice was not a duplicate";
        return out;
      }
    }
    if (!(again == reference)) {
      out.failure = "applying the edits of " + record + " again changed its state";
      return out;
    }
    if (reference.known_count() != edits.size()) {
      out.failure = record + " knows " + std::to_string(reference.known_count()) + " edits of " +
                    std::to_string(edits.size());
      return out;
    }
    const std::string heads = CheckHeads(reference, edits);
    if (!heads.empty()) {
      out.failure = record + ": " + heads;
      return out;
    }
    if (reference.HasConflict()) ++out.conflicts;
  }
  return out;
}

}  // namespace sotay::testing
