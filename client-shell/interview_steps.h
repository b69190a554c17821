// One question of an interview as the shell asks it (cmd_interview.cc, and the
// interactive edit in cmd_record_edits.cc): the question shown with its choices
// and the answer offered, a typed choice number read as the choice's name, the
// register searched for a link field (links.h), and the reasons an interview's
// answers were refused.
//
// Thread-safety: the shell is one thread; these print to std::cout and std::cerr.
#pragma once

#include <string>
#include <vector>

#include "shell.h"
#include "sotay/form.h"
#include "sotay/interview.h"

namespace sotay::shell {

// Prints field `f` as question `number`: its open groups, label, hint, the choices
// on offer, and the answer Enter keeps: the one it holds, else `from_link` (taken from
// a linked profile).
void ShowField(const Context& ctx, const Interview& iv, const Field& f, int number,
               const std::string& from_link = "");

// Turns "2" into the second offered choice's name; names pass through.
std::string ChoiceInput(const Form& form, const Field& f, const Interview& iv, const std::string& typed);

// Records of `f.link` (a child's profile) whose name without diacritics or personal
// number matches `query`, printed numbered with their name, birth date and village;
// their ids in that order (at most 20 shown).
Result<std::vector<std::string>> ShowLinkMatches(const Context& ctx, Notebook& nb, const Field& f,
                                                 const std::string& query);

// The full id of the one record of `f.link` in the notebook that `typed` (a full id
// or its first 8 characters) names; an error naming the field otherwise.
Result<std::string> ResolveLinkAnswer(Notebook& nb, const Field& f, const std::string& typed);

// Each refused field with its label and reason, on stderr.
void PrintFieldIssues(const Context& ctx, const Form& form, const std::vector<FieldIssue>& issues);

}  // namespace sotay::shell
