// A child about to be saved twice (issue 14): the register's profiles in the
// notebook that a new profile's answers resemble, by the sure reasons only (the same
// personal number; the same name without diacritics and the same birth date), and how
// the shell names them. The other child is named by record id and name only: nothing
// else of their answers is shown.
//
// Thread-safety: the shell is one thread; PrintProfileMatches writes to `out`.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "shell.h"
#include "sotay/duplicates.h"
#include "sotay/form.h"

namespace sotay::shell {

struct ProfileMatch {
  std::string id;    // the record in the notebook
  std::string name;  // its full_name as shown
  DuplicateReason reason = DuplicateReason::kSamePersonalId;
};

// The notebook's profiles that `answers` (a new top-level record of `form`) may be
// the same child as, strongest first; none when `form` is not a register's, or when
// the answers do not pass validation (the save then says why).
Result<std::vector<ProfileMatch>> MatchingProfiles(const Context& ctx, Notebook& nb, const Form& form,
                                                   const Answers& answers);

// One line per match: "  ID  NAME: REASON", in the shell's language.
void PrintProfileMatches(const Context& ctx, const std::vector<ProfileMatch>& matches, std::ostream& out);

}  // namespace sotay::shell
