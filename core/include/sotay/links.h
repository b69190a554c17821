// Record links (schemas/README.md, "Links"): a text field with `"link": "FORM"`
// holds the record id of a record of FORM, as the case forms' `child_record_id`
// names the child's profile. This header says which fields link where, and whether
// an answer names a given record: the full id, or the 8-character prefix that
// records made before links were checked used. Used by the shell's picker, the
// dashboard's child page, the indicators' distinct children, and by whoever moves or
// merges a child ("which records link to profile P").
//
// An 8-character prefix is the first 32 bits of a time-ordered id, so profiles made
// within about a minute of each other share it: callers that must pick one record
// use ResolveLink, which refuses an ambiguous prefix rather than guess.
//
// Pure functions over plain values; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sotay/form.h"
#include "sotay/status.h"
#include "sotay/validate.h"

namespace sotay {

// How an answer names a record id.
enum class LinkMatch { kNone, kExact, kPrefix };
LinkMatch MatchLink(std::string_view answer, std::string_view record_id);
// True when `answer` is the full id or its 8-character prefix.
inline bool NamesRecord(std::string_view answer, std::string_view record_id) {
  return MatchLink(answer, record_id) != LinkMatch::kNone;
}

// True when `answer` looks like a link: 8 lower-case hex digits, or a whole
// 36-character id (8-4-4-4-12 hex).
bool IsLinkShaped(std::string_view answer);

// The fields of `form` that link to `target_form` ("" for any), in form order.
std::vector<const Field*> LinkFields(const Form& form, const std::string& target_form = "");

// The field naming whom a record is about: the first link field to another form
// (`child_record_id` of a case). A link to the form itself (`household_with` of a
// profile) relates two records of a kind and is no subject. nullptr when none.
const Field* SubjectLink(const Form& form);

// True when a link field of `form` to `target_form` names `record_id` in `answers`.
bool LinksTo(const Form& form, const Answers& answers, const std::string& target_form,
             const std::string& record_id);

// The one id of `ids` that `answer` names. NotFound when none, InvalidArgument when
// a prefix names several; both messages name `field`, never the answer's owner.
Result<std::string> ResolveLink(std::string_view answer, const std::vector<std::string>& ids,
                                const std::string& field);

// Every link of a pack that names a form not in it: "FILE: field 'F': links to
// form 'X', which is not in the pack". `pack` is (file, form) for each form.
std::vector<std::string> CheckLinks(const std::vector<std::pair<std::string, const Form*>>& pack);

// Answers a record linking to a child's profile may take from it, offered as
// defaults once the profile is picked: child_name, child_sex, child_dob,
// child_personal_id and village from the profile's full_name, sex, dob, personal_id
// and village, where both forms have the field with the same type and the profile
// answered it.
Answers OfferedFromProfile(const Form& form, const Form& profile_form, const Answers& profile);

}  // namespace sotay
