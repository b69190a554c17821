// A register profile's identity as the duplicate scan reads it, and the scan's
// reasons in a worker's words (duplicates.h).
#include "sotay/duplicates.h"
#include "sotay/lang.h"

namespace sotay {

const char* DuplicateReasonLabel(DuplicateReason r, const std::string& lang) {
  switch (r) {
    case DuplicateReason::kSamePersonalId: return Pick(lang, "cùng số định danh cá nhân", DuplicateReasonName(r));
    case DuplicateReason::kSameNameAndBirth: return Pick(lang, "cùng họ tên và ngày sinh", DuplicateReasonName(r));
    case DuplicateReason::kSimilarNameAndBirth:
      return Pick(lang, "họ tên và ngày sinh gần giống", DuplicateReasonName(r));
  }
  return DuplicateReasonName(r);
}

DuplicateProfile ProfileFromAnswers(const std::string& id, const std::map<std::string, std::string>& answers,
                                    const std::string& area) {
  auto get = [&](const char* field) {
    auto it = answers.find(field);
    return it == answers.end() ? std::string() : it->second;
  };
  return DuplicateProfile{id, get(kProfileNameField), get(kProfileBirthField), get(kProfileSexField),
                          get(kProfilePersonalIdField), area};
}

}  // namespace sotay
