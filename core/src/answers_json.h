// One answer from a parsed JSON value, for the callers inside the logic library that
// parse JSON themselves (JSON Lines import). Everyone else calls AnswersFromJson in
// sotay/presentation.h, which applies this same rule to every key.
//
// Thread-safety: a pure function.
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "sotay/form.h"
#include "sotay/status.h"
#include "sotay/validate.h"

namespace sotay {

// Stores the answer for key `name` in `out` (null: nothing). On a value of no
// allowed shape returns InvalidArgument with the reason in `lang`, not naming the
// field (the caller does) and not quoting the value.
Status AnswerFromJson(const Form& form, const std::string& name, const nlohmann::json& value, const std::string& lang,
                      Answers& out);

}  // namespace sotay
