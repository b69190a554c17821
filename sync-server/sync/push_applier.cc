#include "sync/push_applier.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "sotay/text.h"
#include "store/attachment_rows.h"
#include "sync/commune_answer.h"
#include "sync/edit_checks.h"
#include "sotay/apply_batch.h"

namespace sotay::server {

namespace {

constexpr size_t kMaxSetBytes = 64 * 1024;

class Applier {
 public:
  Applier(ServerStore& store, const AreaTree& areas, const FormCatalog& forms, const Principal& who,
          std::vector<Edit> edits, int64_t now_ms, std::optional<uint64_t> seen_through)
      : store_(store),
        areas_(areas),
        forms_(forms),
        who_(who),
        edits_(std::move(edits)),
        now_(now_ms),
        seen_through_(seen_through),
        one_(1) {
    // The server's side of the one apply path (sotay/apply_batch.h): it publishes
    // the forms it accepts, refuses a record of any other, and checks values.
    rules_.find_form = [this](const std::string& form, int version) { return forms_.Find(form, version); };
    rules_.unknown_form = UnknownForm::kRefuse;
    rules_.require_identity = true;
    rules_.check_values = true;
    rules_.admit_reserved = [this](const Edit& e) { return AdmitReserved(e, areas_, who_, forms_, current_area_); };
    for (Edit& e : edits_) e.author = who_.user;  // the enrolled user, whatever the device wrote
  }

  Result<PushOutcome> Run();

 private:
  Status ApplyRecord(const std::string& id, const std::vector<size_t>& ix, bool may_defer);
  Status Reject(size_t i, const std::string& reason);
  Status RejectAll(const std::vector<size_t>& ix, const std::string& reason);
  Result<std::optional<std::string>> ParentProblem(const std::string& id, const std::string& parent,
                                                   const std::vector<size_t>& ix);
  Result<bool> FollowsMove(const std::string& id, const std::vector<size_t>& ix);
  void ParentsFirst(std::vector<std::string>& order,
                    const std::unordered_map<std::string, std::vector<size_t>>& by_record) const;

  ServerStore& store_;
  const AreaTree& areas_;
  const FormCatalog& forms_;
  const Principal& who_;
  std::vector<Edit> edits_;  // owned: stored edits are moved out of it
  const int64_t now_;
  const std::optional<uint64_t> seen_through_;
  std::string current_area_;  // the stored area of the record being applied ("" for a new one)
  PushOutcome out_;
  std::set<std::string> deferred_records_;  // new records left for the next request
  ApplyRules rules_;
  // One record at a time: a child's parent must be stored before the child is checked.
  std::vector<RecordApply> one_;
  std::unordered_map<std::string, RecordRow> loaded_;  // the push's stored records, taken as applied
  // Records applied and not yet written: written together (StoreRecords), before
  // anything reads what they change and at the end.
  std::vector<ServerStore::RecordWrite> pending_;
  Status Flush();
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
  CheckedIds checked;
  for (size_t i = 0; i < edits_.size(); ++i) {
    const Edit& e = edits_[i];
    const bool first = e.dot.device == who_.device ? seen_mine.insert(e.dot.counter).second
                                                   : seen_other.insert(e.dot).second;
    if (!first) continue;  // the same dot twice in a batch: the first copy decides
    std::optional<std::string> why = CheckSender(e, who_);
    if (!why) why = CheckEditShape(e, &checked);
    if (why) {
      Status s = Reject(i, *why);
      if (!s.ok()) return s;
      continue;
    }
    if (known(e.dot.counter)) {  // shape checked: the dot is this device's
      out_.accepted.push_back(e.dot);
      continue;
    }
    if (auto late = CheckClock(e, now_)) {  // after `known`: a stored dot is accepted again
      Status s = Reject(i, *late);
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
  ParentsFirst(order, by_record);
  auto loaded = store_.LoadRecords(order);
  if (!loaded.ok()) return loaded.status();
  loaded_ = std::move(loaded).value();
  for (const std::string& id : order) {
    const std::vector<size_t>& ix = by_record[id];
    const bool may_defer = tail_start > 0 && ix.front() >= tail_start;
    Status s = ApplyRecord(id, ix, may_defer);
    if (!s.ok()) return s;
  }
  Status flushed = Flush();
  if (!flushed.ok()) return flushed;
  return std::move(out_);
}

Status Applier::Reject(size_t i, const std::string& reason) {
  const Edit& e = edits_[i];
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

// A parent pushed in the same request counts as existing: records whose parent is
// in the batch are applied after it (at any depth), so the parent is stored when
// the child is checked. Otherwise the batch order stays.
void Applier::ParentsFirst(std::vector<std::string>& order,
                           const std::unordered_map<std::string, std::vector<size_t>>& by_record) const {
  std::unordered_map<std::string, std::string> parent_of;  // only parents with edits in the batch
  for (const auto& [id, ix] : by_record) {
    for (size_t i : ix) {
      const Edit& e = edits_[i];
      if (e.field == kParentField && e.value != id && by_record.count(e.value) > 0) parent_of[id] = e.value;
    }
  }
  if (parent_of.empty()) return;
  auto depth = [&](const std::string& id) {
    size_t d = 0;
    for (auto it = parent_of.find(id); it != parent_of.end() && d <= order.size(); it = parent_of.find(it->second)) {
      ++d;  // bounded: a cycle of parents stops at the batch's size
    }
    return d;
  };
  std::unordered_map<std::string, size_t> depths;
  for (const std::string& id : order) depths[id] = depth(id);
  std::stable_sort(order.begin(), order.end(),
                   [&](const std::string& a, const std::string& b) { return depths[a] < depths[b]; });
}

// SECURITY.md: a record's links obey the same area rule as its own area. The
// parent must exist (stored, or stored earlier in this batch) and be in an area
// `who_` may edit. nullopt when it is fine; "" when the parent waits in the
// deferred part of this batch (the child waits with it).
Result<std::optional<std::string>> Applier::ParentProblem(const std::string& id, const std::string& parent,
                                                          const std::vector<size_t>& ix) {
  if (parent == id) return std::optional<std::string>("a record cannot be its own parent");
  if (deferred_records_.count(parent) > 0) return std::optional<std::string>("");
  Status flushed = Flush();  // a parent stored earlier in this push
  if (!flushed.ok()) return flushed;
  auto found = store_.LoadRecord(parent);
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<std::string>("the parent record does not exist on this server");
  if (!CanEdit(areas_, who_, (*found)->area)) {
    // A home visit made before its child moved away (in this push or while the
    // device could not know) follows the child, as an edit of a moved record does.
    auto follows = FollowsMove(parent, ix);
    if (!follows.ok()) return follows.status();
    if (!*follows) return std::optional<std::string>("the parent record belongs to an area this user may not edit");
  }
  return std::optional<std::string>();
}

// Whether the edits `ix` to a record that `who_` may no longer edit were made
// before the sender could know it moved: some move of it left a commune `who_`
// may edit after the sender's cursor, or after every one of these edits was stamped.
Result<bool> Applier::FollowsMove(const std::string& id, const std::vector<size_t>& ix) {
  Status flushed = Flush();  // a move stored earlier in this push
  if (!flushed.ok()) return flushed;
  auto moves = store_.MovesOf(id);
  if (!moves.ok()) return moves.status();
  int64_t newest = 0;
  for (size_t i : ix) newest = std::max(newest, edits_[i].hlc.ms);
  for (const MoveRow& m : *moves) {
    if (!CanEdit(areas_, who_, m.from)) continue;
    if (seen_through_ && *seen_through_ < static_cast<uint64_t>(m.seq)) return true;
    if (newest < m.moved_ms) return true;
  }
  return false;
}

Status Applier::ApplyRecord(const std::string& id, const std::vector<size_t>& ix, bool may_defer) {
  // Loaded with the others of the push; an id that is not UTF-8 could not be asked
  // for there and is read alone.
  Result<std::optional<RecordRow>> stored = std::optional<RecordRow>();
  if (auto cached = loaded_.find(id); cached != loaded_.end()) {
    stored = std::optional<RecordRow>(std::move(cached->second));
    loaded_.erase(cached);
  } else if (!IsValidUtf8(id)) {
    stored = store_.LoadRecord(id);
  }
  if (!stored.ok()) return stored.status();
  current_area_ = *stored ? (*stored)->area : "";
  if (!*stored) {
    // A new record's area is the one it was made in: its earliest _area edit. A
    // later one in the same push is a move (a child registered offline whose family
    // moved before the worker found signal), judged as a move is, not as the
    // record's first area.
    const Edit* first = nullptr;
    for (size_t i : ix) {
      if (edits_[i].field == kAreaField && (first == nullptr || edits_[i].hlc < first->hlc)) first = &edits_[i];
    }
    if (first != nullptr) current_area_ = first->value;
  }
  if (*stored && !CanEdit(areas_, who_, (*stored)->area)) {
    auto follows = FollowsMove(id, ix);
    if (!follows.ok()) return follows.status();
    if (!*follows) {
      auto moves = store_.MovesOf(id);
      if (!moves.ok()) return moves.status();
      return RejectAll(ix, moves->empty() ? "the record belongs to an area this user may not edit"
                               : "the record was transferred to another commune, and this device had received "
                                 "the transfer; it is edited there now");
    }
  }

  if (!*stored) {
    // A new record under a parent that waits for the next request waits with it.
    for (size_t i : ix) {
      if (edits_[i].field == kParentField && deferred_records_.count(edits_[i].value) > 0) {
        out_.deferred += ix.size();
        deferred_records_.insert(id);
        return Status::OK();
      }
    }
  }

  // The parent link needs the store, so it is checked here, before the merge: a
  // link to a parent left for the next request waits too; a refused one is refused.
  RecordApply& r = one_[0];
  r = RecordApply();
  r.id = id;
  r.edits.reserve(ix.size());
  std::optional<std::string> parent_refused;
  // The record's area once this batch lands: an old device's commune answer must name it.
  std::string landing_area = *stored ? (*stored)->area : std::string();
  for (size_t i : ix) {
    if (edits_[i].field == kAreaField && !CheckReservedValue(edits_[i])) landing_area = edits_[i].value;
  }
  for (size_t i : ix) {
    const Edit& e = edits_[i];
    if (auto wrong = CheckCommuneAnswer(e, landing_area)) {
      Status s = Reject(i, *wrong);
      if (!s.ok()) return s;
      continue;
    }
    if (e.field == kParentField && !e.value.empty() && !CheckReservedValue(e)) {
      auto problem = ParentProblem(id, e.value, ix);
      if (!problem.ok()) return problem.status();
      if (*problem && (*problem)->empty()) {  // the parent was left for the next request: so is the link
        ++out_.deferred;
        continue;
      }
      if (*problem) {
        parent_refused = *problem;
        Status s = Reject(i, **problem);
        if (!s.ok()) return s;
        continue;
      }
    }
    r.edits.push_back(i);
  }
  if (*stored) r.state = std::move((*stored)->state);

  ApplyBatch(edits_, one_, rules_);

  for (const Refusal& x : r.refused) {
    Status s = Reject(x.edit, x.reason);
    if (!s.ok()) return s;
  }
  if (parent_refused && !*stored) {
    // A new record whose link was refused is refused whole: kept without its parent
    // it would be a visit of no one.
    std::vector<size_t> rest = r.problem ? r.held : r.accepted;
    return RejectAll(rest, "the record's parent link was refused: " + *parent_refused);
  }
  if (r.problem) {
    if (r.deferrable && may_defer && !*stored) {
      out_.deferred += r.held.size();
      deferred_records_.insert(id);
      return Status::OK();
    }
    return RejectAll(r.held, *r.problem);
  }

  // The record's new sets, its state and its move, written with the others of the
  // push (Flush).
  ServerStore::RecordWrite write;
  std::vector<Edit> run;  // consecutive counters: one change set
  size_t run_bytes = 0;
  auto end_run = [&] {
    if (run.empty()) return;
    write.runs.push_back(std::move(run));
    run.clear();
    run_bytes = 0;
  };
  for (size_t i : r.accepted) out_.accepted.push_back(edits_[i].dot);
  run.reserve(r.fresh.size());
  const Form* form = forms_.Find(r.state.Shown(kFormField), std::atoi(r.state.Shown(kVersionField).c_str()));
  for (size_t i : r.fresh) {
    Edit& e = edits_[i];
    // A file answer names a file the records' readers may then fetch (sync/attachment_access.h).
    const Field* f = form != nullptr ? form->FindField(e.field) : nullptr;
    if (f != nullptr && (f->type == FieldType::kImage || f->type == FieldType::kFile)) {
      if (auto ref = ParseAttachmentRef(e.value); ref.ok()) {
        Status named = AddAttachmentRef(store_.db(), ref->sha256_hex, id);
        if (!named.ok()) return named;
      }
    }
    // A set is cut where counters jump, and at 64 KiB, so that a pull page (1 MiB)
    // can always end between sets.
    if (!run.empty() && (e.dot.counter != run.back().dot.counter + 1 || run_bytes + e.value.size() > kMaxSetBytes)) {
      end_run();
    }
    run_bytes += e.value.size();
    run.push_back(std::move(e));
    ++out_.stored;
  }
  end_run();
  if (write.runs.empty()) return Status::OK();  // nothing new to store
  out_.conflicts_opened += r.new_conflicts;
  // A new record moved in its first push moved too: from the area it was made in,
  // so the devices of that commune forget it as they would after two pushes.
  const std::string from = *stored ? (*stored)->area : current_area_;
  if (!from.empty() && r.state.Shown(kAreaField) != from) write.moved_from = from;
  write.state = std::move(r.state);
  pending_.push_back(std::move(write));
  return Status::OK();
}

Status Applier::Flush() {
  if (pending_.empty()) return Status::OK();
  Status s = store_.StoreRecords(pending_, now_);
  pending_.clear();
  return s;
}

}  // namespace

Result<PushOutcome> ApplyPush(ServerStore& store, const AreaTree& areas, const FormCatalog& forms,
                              const Principal& who, std::vector<Edit> edits, int64_t now_ms,
                              std::optional<uint64_t> seen_through) {
  return Applier(store, areas, forms, who, std::move(edits), now_ms, seen_through).Run();
}

}  // namespace sotay::server
