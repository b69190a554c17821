// Import of the lists communes already keep (CSV from Excel, or JSON Lines): every
// row mapped to a form's fields and checked with the same validation as the
// interview. Pure: the caller stores the rows that pass (Notebook::CreateRecords).
//
// Thread-safety: pure functions over plain values; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sotay/duplicates.h"
#include "sotay/form.h"
#include "sotay/validate.h"

namespace sotay {

// A row that may be a child already on the register (duplicates.h).
struct ImportDuplicate {
  std::string record_id;     // the record in the notebook it resembles, or
  size_t line = 0;           // the earlier line of the file (when record_id is "")
  DuplicateReason reason = DuplicateReason::kSamePersonalId;
};

struct ImportRow {
  size_t line = 0;                  // where the row is in the file, from 1
  Answers answers;                  // canonical, relevant answers (when issues is empty)
  std::vector<FieldIssue> issues;   // why the row cannot be imported
  std::optional<ImportDuplicate> duplicate;  // set by MarkDuplicateRows
};

// CSV: the header names fields by name or by their Vietnamese or English label
// (diacritics and case ignored); choices may be given by name or label. An unknown
// column is an error for the whole file (InvalidArgument naming it), since its data
// would be lost silently.
Result<std::vector<ImportRow>> PlanCsvImport(const Form& form, std::string_view text, const CheckEnv& env);
// JSON Lines: one object per line, as `sotay new --answers` takes (AnswersFromJson in
// sotay/presentation.h); a value of no allowed shape is an issue of its row.
Result<std::vector<ImportRow>> PlanJsonLinesImport(const Form& form, std::string_view text, const CheckEnv& env);

// For a register's form (register.h): marks each row without issues that has the
// same personal number, or the same folded name and birth date, as a profile of
// `existing` or an earlier row without issues (MatchNewProfiles), naming the
// strongest match, a record before a line. Other forms' rows are left alone.
void MarkDuplicateRows(const Form& form, const std::vector<DuplicateProfile>& existing, std::vector<ImportRow>& rows);

}  // namespace sotay
