#include "sotay/interview.h"

namespace sotay {

Interview::Interview(const Form& form, Answers initial, CheckEnv env)
    : form_(form), answers_(std::move(initial)), env_(std::move(env)) {
  Settle();
  at_ = NextFrom(0);
}

void Interview::Settle() {
  ComputeCalculates(form_, answers_, env_);
  for (const Field& f : form_.fields) {
    if (answers_.count(f.name) && !IsRelevant(form_, f, answers_, env_)) answers_.erase(f.name);
  }
}

size_t Interview::NextFrom(size_t from) const {
  for (size_t i = from; i < form_.fields.size(); ++i) {
    const Field& f = form_.fields[i];
    // Calculates fill themselves; repeat entries are added after the record is saved.
    if (f.type == FieldType::kCalculate || f.type == FieldType::kRepeat) continue;
    if (!IsRelevant(form_, f, answers_, env_)) continue;
    return i;
  }
  return form_.fields.size();
}

const Field* Interview::Current() const {
  return at_ < form_.fields.size() ? &form_.fields[at_] : nullptr;
}

std::optional<FieldIssue> Interview::Answer(const std::string& typed) {
  const Field* f = Current();
  if (f == nullptr) return std::nullopt;
  if (f->IsQuestion() && !f->read_only) {
    const std::string value = Canonical(*f, typed);
    if (auto issue = CheckValue(form_, *f, value, answers_, env_)) return issue;
    if (value.empty()) answers_.erase(f->name);
    else answers_[f->name] = value;
    Settle();
  }
  trail_.push_back(at_);
  at_ = NextFrom(at_ + 1);
  return std::nullopt;
}

bool Interview::Back() {
  // Skip back over fields that are no longer relevant after later answers changed.
  while (!trail_.empty()) {
    size_t prev = trail_.back();
    trail_.pop_back();
    if (IsRelevant(form_, form_.fields[prev], answers_, env_)) {
      at_ = prev;
      return true;
    }
  }
  return false;
}

std::string Interview::Suggested() const {
  const Field* f = Current();
  if (f == nullptr) return "";
  auto it = answers_.find(f->name);
  if (it != answers_.end()) return it->second;
  // A default is the answer of a new record (XLSForm): editing a saved one, an
  // unanswered question (a question its version did not have) stays unanswered
  // unless the worker answers it, so no one asserts what nobody asked.
  if (env_.before != nullptr) return "";
  return f->default_value;
}

std::vector<std::string> Interview::GroupsOpened() const {
  const Field* f = Current();
  if (f == nullptr) return {};
  std::vector<std::string> before;
  if (!trail_.empty()) before = form_.fields[trail_.back()].groups;
  std::vector<std::string> out;
  for (size_t i = 0; i < f->groups.size(); ++i) {
    if (i >= before.size() || before[i] != f->groups[i]) {
      out.assign(f->groups.begin() + static_cast<std::ptrdiff_t>(i), f->groups.end());
      break;
    }
  }
  return out;
}

std::vector<size_t> Interview::trail() const {
  std::vector<size_t> out = trail_;
  out.push_back(at_);
  return out;
}

void Interview::Restore(const std::vector<size_t>& trail) {
  trail_.clear();
  at_ = NextFrom(0);
  if (trail.empty()) return;
  for (size_t i = 0; i + 1 < trail.size(); ++i) {
    if (trail[i] < form_.fields.size()) trail_.push_back(trail[i]);
  }
  at_ = trail.back() <= form_.fields.size() ? trail.back() : form_.fields.size();
  if (at_ < form_.fields.size() && !IsRelevant(form_, form_.fields[at_], answers_, env_)) {
    at_ = NextFrom(at_);
  }
}

}  // namespace sotay
