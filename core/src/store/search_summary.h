// The sealed search summary of one record (docs/store-format.md, table
// `summaries`): what the device's search-as-you-type and the duplicate check before
// a save need of a child's profile, so they open a small row per child instead of
// decoding every record's whole state. A row per record rather than one blob for
// the notebook: a save rewrites one small row in its own transaction, not the
// summary of every child.
//
// Kept only for records of a form with identity facts (HasIdentityFacts). Sealed
// like every row: the folded name and search text are never in clear.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sotay/form.h"
#include "sotay/record_facts.h"
#include "sotay/status.h"

namespace sotay {

struct SearchSummary {
  int version = 0;            // the record's form version
  std::string name;           // the instance name, as `list` shows it
  std::string sort_key;       // CollationKey(name): computed once, not at every keystroke
  std::string search_text;    // folded (FoldForSearch): the name and every text answer
  std::string full_name;      // as answered, for the duplicate check
  std::string birth_date, sex, personal_id, area, village, register_status;
  bool is_void = false;
  bool in_conflict = false;
  int64_t updated_ms = 0;
  std::string special;        // special_circumstances as answered (choice names), layout 2 on
};

// A top-level form whose records are children the register knows by name and birth
// date (`full_name` and `dob`, duplicates.h).
bool HasIdentityFacts(const Form& form);

// The summary of a record of `form`; `name` is its instance name, computed by the
// caller (it needs the device's date and language).
SearchSummary SummaryOf(const Form& form, const RecordFacts& facts, const std::string& name);

// Layout: 0x02, then each field as its length (4 bytes, little-endian) and bytes,
// in the order of the struct; numbers and flags as decimal ASCII. Layout 0x01 (no
// `special`) still decodes: a notebook rebuilds its summaries at the first open
// (kMetaIndexVersion), but a summary read before that must not fail.
std::string EncodeSearchSummary(const SearchSummary& s);
// Corrupt, naming the record, when the bytes are not a summary of this layout.
Result<SearchSummary> DecodeSearchSummary(const std::string& record_id, const std::string& bytes);

// Every word of the (already folded) query occurs in the summary's folded text.
bool SummaryMatches(const SearchSummary& s, const std::vector<std::string>& folded_words);

}  // namespace sotay
