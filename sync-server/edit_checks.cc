#include "edit_checks.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "sotay/hlc.h"
#include "sotay/merge.h"
#include "sotay/text.h"
#include "sotay/validate.h"

namespace sotay::server {

namespace {

constexpr size_t kMaxIdBytes = 64;
constexpr size_t kMaxBaseDots = 4096;
constexpr size_t kMaxReservedValueBytes = 256;
constexpr size_t kMaxValueBytes = 64 * 1024;  // CheckValue has its own, smaller limit per answer

bool IsIdChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
         c == '.';
}

bool IsId(std::string_view s) {
  return !s.empty() && s.size() <= kMaxIdBytes && std::all_of(s.begin(), s.end(), IsIdChar);
}

bool IsPositiveNumber(const std::string& s) {
  if (s.empty() || s.size() > 6 || s[0] == '0') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool IsWellFormedId(const std::string& id) { return IsId(id); }

bool IsReservedField(const std::string& field) { return !field.empty() && field[0] == '_'; }

std::optional<std::string> CheckEditShape(const Edit& e, const Principal& who) {
  if (e.dot.device != who.device) return "the edit was made on another device; a device pushes only its own edits";
  if (e.dot.counter == 0 || e.dot.counter > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return "the edit counter is out of range";
  }
  if (e.hlc.ms < 0) return "the edit's clock stamp is out of range";
  if (!IsId(e.record)) return "the record id is malformed";
  if (!IsId(e.field)) return "the field name is malformed";
  if (e.base.size() > kMaxBaseDots) return "the edit names too many earlier edits in its base";
  for (const Dot& d : e.base) {
    if (!IsId(d.device) || d.counter == 0 ||
        d.counter > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return "the edit's base names a malformed edit";
    }
  }
  if (e.value.size() > kMaxValueBytes) return "the value is too long";
  if (!IsValidUtf8(e.value)) return "the value is not valid UTF-8";
  return std::nullopt;
}

std::optional<std::string> CheckReservedEdit(const Edit& e, const AreaTree& areas, const Principal& who,
                                             const FormCatalog& forms) {
  if (e.value.size() > kMaxReservedValueBytes) return "the value of " + e.field + " is too long";
  if (e.field == kStatusField) {
    if (e.value != kStatusActive && e.value != kStatusVoid) return "the record status must be active or void";
  } else if (e.field == kFormField) {
    if (!forms.HasId(e.value)) return "the record's form is not published on this server";
  } else if (e.field == kVersionField) {
    if (!IsPositiveNumber(e.value)) return "the form version is not a positive number";
  } else if (e.field == kAreaField) {
    if (!CanEdit(areas, who, e.value)) return "the record's area is not a commune this user may edit";
  } else if (e.field == kParentField) {
    if (!e.value.empty() && !IsId(e.value)) return "the parent record id is malformed";
  } else {
    return "the field " + e.field + " is not a reserved field the server knows";
  }
  return std::nullopt;
}

std::optional<std::string> CheckClock(const Edit& e, int64_t now_ms) {
  if (e.hlc.ms > now_ms && e.hlc.ms - now_ms > kMaxClockLeadMs) {
    return "the edit's clock stamp is more than a day ahead of the server's clock: the device's date or time is wrong";
  }
  return std::nullopt;
}

std::optional<std::string> CheckFieldEdit(const Edit& e, const Form& form) {
  auto where = [&] { return "form " + form.id + " version " + std::to_string(form.version); };
  const Field* f = form.FindField(e.field);
  if (f == nullptr) return "the field " + e.field + " is not in " + where();
  if (!f->HoldsValue()) return "the field " + e.field + " of " + where() + " holds no value";
  // Type and choices only: no constraint, no choice filter, nothing required (those
  // depend on the other answers, which may arrive later or merge differently).
  if (auto issue = CheckType(form, *f, e.value, "en")) {
    return "the value does not fit the field " + e.field + ": " + issue->message;
  }
  return std::nullopt;
}

}  // namespace sotay::server
