// The core's own messages to a worker, in Vietnamese and English. Form authors'
// messages (constraint_message, required_message) take precedence where given.
#pragma once

#include <string>

namespace sotay {

enum class Msg {
  kRequired, kInteger, kDecimal, kDate, kDateTime, kNotInList, kGeopoint, kPhone,
  kConstraint, kUnknownField, kReadOnly, kBadUtf8, kTooLong, kControlChar, kFileRef, kFileRules,
};

const char* Message(Msg id, const std::string& lang);

}  // namespace sotay
