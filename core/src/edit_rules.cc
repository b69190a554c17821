#include "sotay/edit_rules.h"

#include <algorithm>
#include <limits>
#include <string_view>

#include "sotay/hlc.h"
#include "sotay/merge.h"
#include "sotay/text.h"
#include "sotay/validate.h"

namespace sotay {

namespace {

constexpr size_t kMaxIdBytes = 64;
constexpr size_t kMaxBaseDots = 4096;
constexpr size_t kMaxReservedValueBytes = 256;
constexpr size_t kMaxValueBytes = 64 * 1024;  // CheckValue has its own, smaller limit per answer
constexpr uint64_t kMaxCounter = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());  // stored as int64

bool IsIdChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
         c == '.';
}

// IsIdChar for every byte, looked up: a push checks three ids an edit.
struct IdChars {
  bool is[256] = {};
  IdChars() {
    for (int c = 0; c < 256; ++c) is[c] = IsIdChar(static_cast<char>(c));
  }
};

bool IsId(std::string_view s) {
  static const IdChars kIdChars;
  if (s.empty() || s.size() > kMaxIdBytes) return false;
  for (char c : s) {
    if (!kIdChars.is[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

// IsId, read only when `id` is not the last one found well formed (`last`, if given),
// which it then becomes.
bool IsIdOnce(std::string_view id, std::string* last) {
  if (last != nullptr && id == *last) return true;
  if (!IsId(id)) return false;
  if (last != nullptr) last->assign(id);
  return true;
}

bool IsPositiveNumber(const std::string& s) {
  if (s.empty() || s.size() > 6 || s[0] == '0') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool IsWellFormedId(const std::string& id) { return IsId(id); }

bool IsKnownReservedField(const std::string& field) {
  return field == kStatusField || field == kFormField || field == kVersionField || field == kAreaField ||
         field == kParentField;
}

std::optional<std::string> CheckEditIdentity(const Edit& e) {
  if (e.record.empty() || e.field.empty() || e.dot.device.empty() || e.dot.counter == 0) {
    return "the edit lacks a record, field or dot";
  }
  return std::nullopt;
}

std::optional<std::string> CheckEditShape(const Edit& e, CheckedIds* checked) {
  if (e.dot.counter == 0 || e.dot.counter > kMaxCounter) return "the edit counter is out of range";
  if (!IsIdOnce(e.dot.device.view(), checked ? &checked->device : nullptr)) return "the edit's device id is malformed";
  if (e.hlc.ms < 0) return "the edit's clock stamp is out of range";
  if (!IsIdOnce(e.record, checked ? &checked->record : nullptr)) return "the record id is malformed";
  if (!IsId(e.field)) return "the field name is malformed";
  if (e.base.size() > kMaxBaseDots) return "the edit names too many earlier edits in its base";
  for (const Dot& d : e.base) {
    if (!IsId(d.device) || d.counter == 0 || d.counter > kMaxCounter) return "the edit's base names a malformed edit";
  }
  if (e.value.size() > kMaxValueBytes) return "the value is too long";
  if (!IsValidUtf8(e.value)) return "the value is not valid UTF-8";
  return std::nullopt;
}

std::optional<std::string> CheckReservedValue(const Edit& e) {
  if (!IsKnownReservedField(e.field)) return "the field " + e.field + " is not a known reserved field";
  if (e.value.size() > kMaxReservedValueBytes) return "the value of " + e.field + " is too long";
  if (e.field == kStatusField) {
    if (e.value != kStatusActive && e.value != kStatusVoid) return "the record status must be active or void";
  } else if (e.field == kVersionField) {
    if (!IsPositiveNumber(e.value)) return "the form version is not a positive number";
  } else if (e.field == kParentField) {
    if (!e.value.empty() && !IsId(e.value)) return "the parent record id is malformed";
  }
  return std::nullopt;
}

std::optional<std::string> CheckClock(const Edit& e, int64_t now_ms) {
  if (e.hlc.ms > now_ms && e.hlc.ms - now_ms > kMaxClockLeadMs) {
    return "the edit's clock stamp is more than a day ahead of the server's clock: the device's date or time is wrong";
  }
  return std::nullopt;
}

std::optional<std::string> CheckFieldValue(const Edit& e, const Form& form) {
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

}  // namespace sotay
