// Who is on the register on a day (register.h).

#include "sotay/register.h"

#include <cmath>

#include "sotay/expr.h"
#include "sotay/register_age.h"

namespace sotay {

bool IsRegisterForm(const Form& form) { return form.FindField(kRegisterStatusField) != nullptr; }

RegisterFacts RegisterFactsOf(const std::map<std::string, std::string>& answers, int64_t created_ms) {
  auto value = [&](const char* name) {
    auto it = answers.find(name);
    return it == answers.end() ? std::string() : it->second;
  };
  RegisterFacts f;
  // The same day a report dates a record by when it has no `when` (indicators.cc).
  f.created_day = static_cast<int64_t>(std::floor(static_cast<double>(created_ms) / 86400000.0));
  f.birth_day = ParseIsoDate(value(kRegisterBirthField));
  const std::string status = value(kRegisterStatusField);
  f.left = !status.empty() && status != kRegisterActive;
  f.merged = status == kRegisterMerged;
  if (f.left) f.left_day = ParseIsoDate(value(kRegisterLeftDateField));
  return f;
}

bool OnRegister(const RegisterFacts& f, int64_t day) {
  if (f.merged) return false;  // its child is counted by the profile that survived
  if (f.created_day > day) return false;
  if (f.left && f.left_day && *f.left_day <= day) return false;
  if (f.birth_day && !IsChildOn(*f.birth_day, day)) return false;
  return true;
}

}  // namespace sotay
