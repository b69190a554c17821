// One list, one meaning, across a pack (schemas/README.md, "Shared lists"): when two
// forms of a pack each have a choice list of the same name (`ethnicity`, `sex`,
// `yes_no`), the lists must be the same choices in the same order, with the same
// codes and labels, so a child's ethnicity reads and counts alike whichever form
// recorded it. `sotay forms check` with several files runs this after each file
// loads.
//
// Pure function over plain values; thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sotay/form.h"

namespace sotay {

// Every pair of forms whose lists of one name differ, one line each, naming both
// files, the list and the first difference: "A: list 'ethnicity' differs from B's:
// choice 2: 'tay' here, 'thai' there". `pack` is (file, form) for each form; each
// list is compared with the first form of the pack that has it.
std::vector<std::string> CheckSharedLists(const std::vector<std::pair<std::string, const Form*>>& pack);

}  // namespace sotay
