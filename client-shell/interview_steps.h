// One question of an interview as the shell asks it (cmd_interview.cc, and the
// interactive edit in cmd_record_edits.cc): the question shown with its choices
// and the answer offered, a typed choice number read as the choice's name, and the
// reasons an interview's answers were refused.
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
// on offer, and the answer Enter keeps.
void ShowField(const Context& ctx, const Interview& iv, const Field& f, int number);

// Turns "2" into the second offered choice's name; names pass through.
std::string ChoiceInput(const Form& form, const Field& f, const Interview& iv, const std::string& typed);

// Each refused field with its label and reason, on stderr.
void PrintFieldIssues(const Context& ctx, const Form& form, const std::vector<FieldIssue>& issues);

}  // namespace sotay::shell
