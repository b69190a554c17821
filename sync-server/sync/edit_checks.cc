#include "sync/edit_checks.h"

#include "sotay/merge.h"

namespace sotay::server {

std::optional<std::string> CheckSender(const Edit& e, const Principal& who) {
  if (e.dot.device != who.device) return "the edit was made on another device; a device pushes only its own edits";
  return std::nullopt;
}

std::optional<std::string> AdmitReserved(const Edit& e, const AreaTree& areas, const Principal& who,
                                         const FormCatalog& forms, const std::string& current_area) {
  if (e.field == kFormField) {
    if (!forms.HasId(e.value)) return "the record's form is not published on this server";
  } else if (e.field == kAreaField) {
    if (current_area.empty() || e.value == current_area) {
      if (!CanEdit(areas, who, e.value)) return "the record's area is not a commune this user may edit";
    } else if (!areas.IsCommune(e.value)) {
      return "the record cannot move: its new area is not a commune this server knows";
    } else if (who.role != Role::kWorker && !CanEdit(areas, who, e.value)) {
      return "the record cannot move: its new commune is outside this user's area";
    }
  }
  return std::nullopt;
}

}  // namespace sotay::server
