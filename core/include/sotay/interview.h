// Interview: the order in which a worker is asked a form's questions, as a pure
// state machine, so the shell and a phone app walk a form the same way.
//
// It asks only relevant questions, in form order; notes are shown; calculates fill
// themselves; repeats are not part of it (their entries are child records, added
// once the parent is saved). An answer is checked before the
// interview moves on; Back() returns to the question asked before. The position can
// be saved with a draft and restored.
//
// Thread-safety: a value; no shared state. REQUIRES: the Form outlives it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sotay/validate.h"

namespace sotay {

class Interview {
 public:
  Interview(const Form& form, Answers initial, CheckEnv env);

  // The field to show now (a question or a note), or nullptr at the end.
  const Field* Current() const;
  bool Done() const { return Current() == nullptr; }

  // Checks `typed` (tidied by Canonical) for the current question; on success keeps
  // it and moves to the next relevant field. An empty answer clears the field.
  // For a note or a repeat, any input just moves on.
  std::optional<FieldIssue> Answer(const std::string& typed);
  // Returns to the field shown before this one; false when there is none.
  bool Back();

  // The answer the current question holds already (a draft, an edit), or its default
  // on a new record (never when editing a saved one: CheckEnv::before is set).
  std::string Suggested() const;

  // The groups entered since the previous field, outermost first (for headings).
  std::vector<std::string> GroupsOpened() const;

  const Answers& answers() const { return answers_; }
  const Form& form() const { return form_; }
  const CheckEnv& env() const { return env_; }

  // For drafts: where the interview stands.
  std::vector<size_t> trail() const;
  void Restore(const std::vector<size_t>& trail);

 private:
  size_t NextFrom(size_t from) const;  // first field index >= from to show, or size
  void Settle();                        // recompute calculates, drop non-relevant answers

  const Form& form_;
  Answers answers_;
  CheckEnv env_;
  std::vector<size_t> trail_;  // indices shown before, for Back()
  size_t at_ = 0;
};

}  // namespace sotay
