#include "sotay/lang.h"

namespace sotay {

bool IsEnglish(std::string_view lang) { return lang == "en"; }

const char* Pick(std::string_view lang, const char* vi, const char* en) { return IsEnglish(lang) ? en : vi; }

std::string Pick(std::string_view lang, std::string vi, std::string en) {
  return IsEnglish(lang) ? std::move(en) : std::move(vi);
}

const char* LangCode(std::string_view lang) { return IsEnglish(lang) ? "en" : "vi"; }

}  // namespace sotay
