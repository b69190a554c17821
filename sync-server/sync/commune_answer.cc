#include "sync/commune_answer.h"

namespace sotay::server {

std::optional<std::string> CheckCommuneAnswer(const Edit& edit, const std::string& area) {
  if (edit.field != kLegacyCommuneField || edit.value.empty() || edit.value == area) return std::nullopt;
  return std::string(
      "the answer 'commune_code' names another commune than the record's own (its area): a record's commune is "
      "its area; update the forms (version 2 no longer asks it), or transfer the record to that commune");
}

}  // namespace sotay::server
