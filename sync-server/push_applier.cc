#include "push_applier.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "edit_checks.h"

namespace sotay::server {

namespace {

constexpr size_t kMaxSetBytes = 64 * 1024;

class Applier {
 public:
  Applier(ServerStore& store, const AreaTree& areas, const FormCatalog& forms, const Principal& who,
          std::vector<Edit> edits, int64_t now_ms)
      : store_(store), areas_(areas), forms_(forms), who_(who), edits_(std::move(edits)), now_(now_ms) {}

  Result<PushOutcome> Run();

 private:
  Status ApplyRecord(const std::string& id, const std::vector<size_t>& ix, bool may_defer);
  Status Reject(size_t i, const std::string& reason);
  Status RejectAll(const std::vector<size_t>& ix, const std::string& reason);

  ServerStore& store_;
  const AreaTree& areas_;
  const FormCatalog& forms_;
  const Principal& who_;
  std::vector<Edit> edits_;  // owned: stored edits are moved out of it
  const int64_t now_;
  PushOutcome out_;
};

Result<PushOutcome> Applier::Run() {
  // What the store already holds of this device's counters in the batch: one lookup
  // per batch instead of one per edit.
  uint64_t lo = UINT64_MAX, hi = 0;
  for (const Edit& e : edits_) {
    if (e.dot.device != who_.device) continue;
    lo = std::min(lo, e.dot.counter);
    hi = std::max(hi, e.dot.counter);
  }
  std::vector<CounterRange> known_ranges;
  if (lo <= hi) {
    auto ranges = store_.KnownRanges(who_.device, lo, hi);
    if (!ranges.ok()) return ranges.status();
    known_ranges = std::move(ranges).value();
  }
  auto known = [&](uint64_t counter) {
    return std::any_of(known_ranges.begin(), known_ranges.end(),
                       [&](const CounterRange& r) { return r.first <= counter && counter <= r.last; });
  };
  // Dots seen in this batch: the device's own by counter (the only ones that can be
  // accepted, and thousands a batch), any other's whole.
  std::unordered_set<uint64_t> seen_mine;
  std::set<Dot> seen_other;
  std::vector<std::string> order;
  std::unordered_map<std::string, std::vector<size_t>> by_record;
  for (size_t i = 0; i < edits_.size(); ++i) {
    const Edit& e = edits_[i];
    const bool first = e.dot.device == who_.device ? seen_mine.insert(e.dot.counter).second
                                                   : seen_other.insert(e.dot).second;
    if (!first) continue;  // the same dot twice in a batch: the first copy decides
    if (auto why = CheckEditShape(e, who_)) {
      Status s = Reject(i, *why);
      if (!s.ok()) return s;
      continue;
    }
    if (known(e.dot.counter)) {  // shape checked: the dot is this device's
      out_.accepted.push_back(e.dot);
      continue;
    }
    if (auto why = CheckClock(e, now_)) {  // after `known`: a stored dot is accepted again
      Status s = Reject(i, *why);
      if (!s.ok()) return s;
      continue;
    }
    auto [it, fresh] = by_record.try_emplace(e.record);
    if (fresh) order.push_back(e.record);
    it->second.push_back(i);
  }
  // The run of edits that ends the batch, all of one record (see the header).
  size_t tail_start = edits_.size();
  while (tail_start > 0 && edits_[tail_start - 1].record == edits_.back().record) --tail_start;
  for (const std::string& id : order) {
    const std::vector<size_t>& ix = by_record[id];
    const bool may_defer = tail_start > 0 && ix.front() >= tail_start;
    Status s = ApplyRecord(id, ix, may_defer);
    if (!s.ok()) return s;
  }
  return std::move(out_);
}

Status Applier::Reject(size_t i, const std::string& reason) {
  Edit e = edits_[i];
  e.author = who_.user;
  out_.rejected.push_back(Rejection{e.dot, reason});
  return store_.KeepRejected(e, who_.device, reason, now_);
}

Status Applier::RejectAll(const std::vector<size_t>& ix, const std::string& reason) {
  for (size_t i : ix) {
    Status s = Reject(i, reason);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status Applier::ApplyRecord(const std::string& id, const std::vector<size_t>& ix, bool may_defer) {
  auto stored = store_.LoadRecord(id);
  if (!stored.ok()) return stored.status();
  RecordState state = *stored ? (*stored)->state : RecordState();
  if (*stored && !CanEdit(areas_, who_, (*stored)->area)) {
    return RejectAll(ix, "the record belongs to an area this user may not edit");
  }

  // Reserved fields first: they say which area and form the record has.
  std::vector<size_t> passed, fields;
  RecordState scratch = state;
  for (size_t i : ix) {
    const Edit& e = edits_[i];
    if (!IsReservedField(e.field)) {
      fields.push_back(i);
    } else if (auto why = CheckReservedEdit(e, areas_, who_, forms_)) {
      Status s = Reject(i, *why);
      if (!s.ok()) return s;
    } else {
      scratch.Apply(e);
      passed.push_back(i);
    }
  }
  const std::string area = scratch.Shown(kAreaField);
  const std::string form_id = scratch.Shown(kFormField);
  const int version = std::atoi(scratch.Shown(kVersionField).c_str());
  std::optional<std::string> problem;
  bool deferrable = false;
  const Form* form = nullptr;
  if (area.empty()) {
    problem = "the record names no area: its _area edit is missing";
    deferrable = true;
  } else if (form_id.empty() || version <= 0) {
    problem = "the record names no form and version: its _form or _version edit is missing";
    deferrable = true;
  } else if ((form = forms_.Find(form_id, version)) == nullptr) {
    problem = "form " + form_id + " version " + std::to_string(version) + " is not published on this server";
  }
  std::vector<size_t> rest = passed;
  rest.insert(rest.end(), fields.begin(), fields.end());
  if (problem) {
    if (deferrable && may_defer && !*stored) {
      out_.deferred += rest.size();
      return Status::OK();
    }
    return RejectAll(rest, *problem);
  }

  for (size_t i : fields) {
    if (auto why = CheckFieldEdit(edits_[i], *form)) {
      Status s = Reject(i, *why);
      if (!s.ok()) return s;
    } else {
      passed.push_back(i);
    }
  }
  std::sort(passed.begin(), passed.end());  // batch order, for the history

  const std::vector<std::string> before = state.Conflicts();
  std::vector<Edit> run;  // consecutive counters: one change set
  size_t run_bytes = 0;
  int64_t last_seq = 0;
  auto store_run = [&]() -> Status {
    if (run.empty()) return Status::OK();
    auto seq = store_.AppendSet(run, now_);
    if (!seq.ok()) return seq.status();
    last_seq = *seq;
    run.clear();
    run_bytes = 0;
    return Status::OK();
  };
  for (size_t i : passed) {
    Edit& e = edits_[i];
    e.author = who_.user;  // the enrolled user, whatever the device wrote
    out_.accepted.push_back(e.dot);
    if (state.Apply(e, form->PolicyOf(e.field)) == ApplyOutcome::kDuplicate) continue;
    // A set is cut where counters jump, and at 64 KiB, so that a pull page (1 MiB)
    // can always end between sets.
    if (!run.empty() && (e.dot.counter != run.back().dot.counter + 1 || run_bytes + e.value.size() > kMaxSetBytes)) {
      Status s = store_run();
      if (!s.ok()) return s;
    }
    run_bytes += e.value.size();
    run.push_back(std::move(e));
    ++out_.stored;
  }
  Status last_run = store_run();
  if (!last_run.ok()) return last_run;
  if (last_seq == 0) return Status::OK();
  for (const std::string& f : state.Conflicts()) {
    if (std::find(before.begin(), before.end(), f) == before.end()) ++out_.conflicts_opened;
  }
  return store_.SaveRecord(id, state, last_seq);
}

}  // namespace

Result<PushOutcome> ApplyPush(ServerStore& store, const AreaTree& areas, const FormCatalog& forms,
                              const Principal& who, std::vector<Edit> edits, int64_t now_ms) {
  return Applier(store, areas, forms, who, std::move(edits), now_ms).Run();
}

}  // namespace sotay::server
