// Which language a person reads, decided in one place. Sotay speaks Vietnamese and
// English: every text shown to a person, in the core, the shell, the C API and the
// dashboard, is picked by Pick() (or a thin wrapper over it), so "what counts as
// English" is one rule and a new caller cannot disagree with the others.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace sotay {

// The rule: `lang` is English when it is exactly "en"; anything else (empty, "vi",
// a language Sotay does not speak) reads Vietnamese, the language of the users.
bool IsEnglish(std::string_view lang);

// `en` when `lang` is English, else `vi`.
const char* Pick(std::string_view lang, const char* vi, const char* en);
std::string Pick(std::string_view lang, std::string vi, std::string en);

// The language code a supported language is stored as: "en" or "vi".
const char* LangCode(std::string_view lang);

}  // namespace sotay
