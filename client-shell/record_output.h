// The record commands' shared pieces (cmd_records.cc, cmd_record_edits.cc,
// cmd_conflicts.cc): opening the record a command names, and printing what came
// from data. Whatever came from data (answers, names, authors, device ids, labels)
// is printed through Safe(): a control character or a bidi override stored before
// the core refused them is shown as \u001b, never run by the terminal.
//
// Thread-safety: the shell is one thread; these print to std::cout and std::cerr.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "shell.h"
#include "sotay/form.h"
#include "sotay/text.h"

namespace sotay::shell {

inline std::string Safe(const std::string& s) { return EscapeForTerminal(s); }

// Pads by characters, not bytes, so Vietnamese columns line up.
std::string Pad(const std::string& s, size_t width);

struct Opened {
  std::unique_ptr<Notebook> nb;
  std::string id;
  int code = kOk;
};

// Opens the notebook and resolves the record id given as the first argument.
Opened OpenRecord(Context& ctx, const char* usage_vi, const char* usage_en);

std::string Label(const Form* form, const std::string& field, const Context& ctx);

// What a person typed for `f`, as the form stores it: a choice's code or label
// ("Nữ", "nu") taken for its code, then tidied (Canonical).
std::string TypedValue(const Form& form, const Field& f, const std::string& typed);

// A value as text for the terminal; an empty one says so, since a blank reads as a
// missing line.
std::string Shown(const Form* form, const std::string& field, const std::string& value, const Context& ctx);

// "Nothing was saved:" and the reason for each field, on stderr.
void PrintNotSaved(const Context& ctx, const std::vector<FieldIssue>& issues);

// A field in conflict on `v`: its values, who holds each, and how to settle it
// (cmd_conflicts.cc).
void PrintConflict(const Context& ctx, const Form* form, const RecordView& v, const std::string& field);

}  // namespace sotay::shell
