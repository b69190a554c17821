#include "sotay/merge.h"

#include <algorithm>
#include <tuple>

namespace sotay {

namespace {

bool NameOrder(const std::pair<std::string, FieldState>& a, const std::string& name) { return a.first < name; }

bool HeadOrder(const Head& a, const Head& b) {
  return std::tie(a.hlc, a.dot) < std::tie(b.hlc, b.dot);
}

bool SameHead(const Head& a, const Head& b) {
  return a.dot == b.dot && a.hlc == b.hlc && a.value == b.value && a.author == b.author &&
         a.saw == b.saw;
}

bool SameField(const FieldState& a, const FieldState& b) {
  if (a.superseded != b.superseded || a.heads.size() != b.heads.size()) return false;
  for (size_t i = 0; i < a.heads.size(); ++i) {
    if (!SameHead(a.heads[i], b.heads[i])) return false;
  }
  return true;
}

void InsertSorted(std::vector<Head>& heads, Head head) {
  auto at = std::upper_bound(heads.begin(), heads.end(), head, HeadOrder);
  heads.insert(at, std::move(head));
}

// Splits a select_multiple value ("a b c") into its tokens.
std::vector<std::string> Tokens(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace

bool FieldState::InConflict() const {
  for (size_t i = 1; i < heads.size(); ++i) {
    if (heads[i].value != heads[0].value) return true;
  }
  return false;
}

ApplyOutcome RecordState::Apply(const Edit& edit, MergePolicy policy) {
  if (known_.empty() || known_.back() < edit.dot) {
    known_.push_back(edit.dot);
  } else {
    auto at = std::lower_bound(known_.begin(), known_.end(), edit.dot);
    if (at != known_.end() && *at == edit.dot) return ApplyOutcome::kDuplicate;
    known_.insert(at, edit.dot);
  }
  if (policy != MergePolicy::kRegister) policies_[edit.field] = policy;

  FieldState& field = Slot(edit.field);
  Head head{edit.dot, edit.hlc, edit.value, edit.author, {}};
  if (edit.field == kStatusField) head.saw = edit.base;

  if (policy == MergePolicy::kAppend) {
    // Every entry of an append-only field stands: nothing supersedes anything.
    InsertSorted(field.heads, std::move(head));
    return ApplyOutcome::kApplied;
  }
  for (const Dot& seen : edit.base) {
    field.superseded.insert(seen);
  }
  auto gone = std::remove_if(field.heads.begin(), field.heads.end(), [&](const Head& h) {
    return field.superseded.count(h.dot) > 0;
  });
  field.heads.erase(gone, field.heads.end());
  if (field.superseded.count(edit.dot) > 0) return ApplyOutcome::kSuperseded;
  InsertSorted(field.heads, std::move(head));
  return ApplyOutcome::kApplied;
}

FieldState& RecordState::Slot(const std::string& field) {
  if (fields_.capacity() == 0) fields_.reserve(32);  // a new child's fields, without growing five times
  auto at = std::lower_bound(fields_.begin(), fields_.end(), field, NameOrder);
  if (at == fields_.end() || at->first != field) at = fields_.emplace(at, field, FieldState());
  return at->second;
}

const FieldState* RecordState::Field(const std::string& field) const {
  auto at = std::lower_bound(fields_.begin(), fields_.end(), field, NameOrder);
  return at == fields_.end() || at->first != field ? nullptr : &at->second;
}

std::string RecordState::Shown(const std::string& field) const {
  const FieldState* state = Field(field);
  if (state == nullptr || state->heads.empty()) return "";
  auto policy = policies_.find(field);
  if (policy == policies_.end() || policy->second == MergePolicy::kRegister) {
    return state->heads.back().value;
  }
  std::string out;
  if (policy->second == MergePolicy::kAppend) {
    for (const Head& h : state->heads) {
      if (h.value.empty()) continue;
      if (!out.empty()) out += "\n\n";
      out += h.value;
    }
    return out;
  }
  // kSet: the union of the heads' members, in the order they first appear.
  std::vector<std::string> members;
  for (const Head& h : state->heads) {
    for (std::string& token : Tokens(h.value)) {
      if (std::find(members.begin(), members.end(), token) == members.end()) {
        members.push_back(std::move(token));
      }
    }
  }
  for (const std::string& m : members) {
    if (!out.empty()) out += ' ';
    out += m;
  }
  return out;
}

std::vector<Dot> RecordState::AllHeads() const {
  std::vector<Dot> out;
  for (const auto& [name, state] : fields_) {
    for (const Head& h : state.heads) out.push_back(h.dot);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Dot> RecordState::HeadsOf(const std::string& field) const {
  std::vector<Dot> out;
  const FieldState* state = Field(field);
  if (state == nullptr) return out;
  auto policy = policies_.find(field);
  if (policy != policies_.end() && policy->second == MergePolicy::kAppend) return out;
  for (const Head& h : state->heads) out.push_back(h.dot);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> RecordState::Conflicts() const {
  std::vector<std::string> out;
  for (const auto& [name, state] : fields_) {
    auto policy = policies_.find(name);
    if (policy != policies_.end() && policy->second != MergePolicy::kRegister) continue;
    if (state.InConflict()) out.push_back(name);
  }
  // A void saw certain heads; an edit it did not see is concurrent with it, and
  // neither wins silently (SYNC.md): the record's status is in conflict.
  if (IsVoid() && !UnseenByVoid().empty() &&
      std::find(out.begin(), out.end(), kStatusField) == out.end()) {
    out.push_back(kStatusField);
  }
  return out;
}

std::vector<std::pair<std::string, const Head*>> RecordState::UnseenByVoid() const {
  std::vector<std::pair<std::string, const Head*>> out;
  const FieldState* status = Field(kStatusField);
  if (status == nullptr) return out;
  std::set<Dot> seen;
  bool voided = false;
  for (const Head& h : status->heads) {
    if (h.value != kStatusVoid) continue;
    voided = true;
    seen.insert(h.saw.begin(), h.saw.end());
  }
  if (!voided) return out;
  for (const auto& [name, state] : fields_) {
    if (name == kStatusField) continue;
    for (const Head& h : state.heads) {
      if (seen.count(h.dot) == 0) out.emplace_back(name, &h);
    }
  }
  return out;
}

RecordState RecordState::FromParts(std::vector<Dot> known, Fields fields, std::map<std::string, MergePolicy> policies) {
  RecordState s;
  // Stored in order, each once; a row written otherwise is put in order here.
  if (std::adjacent_find(known.begin(), known.end(), [](const Dot& a, const Dot& b) { return !(a < b); }) !=
      known.end()) {
    std::sort(known.begin(), known.end());
    known.erase(std::unique(known.begin(), known.end()), known.end());
  }
  s.known_ = std::move(known);
  // Likewise the fields; of a name written twice the first copy stands, as a map
  // built from the row kept it.
  auto before = [](const auto& a, const auto& b) { return a.first < b.first; };
  auto same = [](const auto& a, const auto& b) { return a.first == b.first; };
  auto not_before = [&](const auto& a, const auto& b) { return !before(a, b); };
  if (std::adjacent_find(fields.begin(), fields.end(), not_before) != fields.end()) {
    std::stable_sort(fields.begin(), fields.end(), before);
    fields.erase(std::unique(fields.begin(), fields.end(), same), fields.end());
  }
  s.fields_ = std::move(fields);
  s.policies_ = std::move(policies);
  for (auto& [name, state] : s.fields_) {
    std::sort(state.heads.begin(), state.heads.end(), HeadOrder);
  }
  return s;
}

bool operator==(const RecordState& a, const RecordState& b) {
  if (a.known_ != b.known_ || a.policies_ != b.policies_ || a.fields_.size() != b.fields_.size()) {
    return false;
  }
  auto ia = a.fields_.begin();
  auto ib = b.fields_.begin();
  for (; ia != a.fields_.end(); ++ia, ++ib) {
    if (ia->first != ib->first || !SameField(ia->second, ib->second)) return false;
  }
  return true;
}

}  // namespace sotay
