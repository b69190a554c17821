// The rules an edit must keep to be stored anywhere: which fields are reserved and
// what makes an edit well formed. One header so that the device, the server and the
// wire decoders cannot drift apart (they did: the device took any "_x" as reserved
// and merged it, the server refused it).
//
// Each Check returns nullopt when the edit passes, else a reason a person can read:
// which rule, in English, naming the field but never the value.
//
// Who may do what (the sender's device, the areas a user may edit, the forms a
// server publishes) is not here: that is the server's policy (sync-server/sync/edit_checks.h).
//
// Thread-safety: pure functions; a CheckedIds is the caller's, one per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sotay/edit.h"
#include "sotay/form.h"

namespace sotay {

// Whether `id` is a well-formed device, record or field id: 1-64 ASCII letters,
// digits, '-', '_' or '.'.
bool IsWellFormedId(const std::string& id);

// Whether `field` is in the reserved namespace: it starts with '_'. A form's own
// fields never do, so such an edit describes the record, never an answer.
inline bool IsReservedField(const std::string& field) { return !field.empty() && field[0] == '_'; }

// Whether `field` is one of the reserved fields every replica knows: _status,
// _form, _version, _area, _parent. Any other reserved name is malformed.
bool IsKnownReservedField(const std::string& field);

// The least an edit needs to be merged at all: a record, a field and a dot. What the
// wire decoders and the device ask of edits they receive.
std::optional<std::string> CheckEditIdentity(const Edit& edit);

// The device and record ids CheckEditShape last found well formed. A push's
// thousands of edits come from one device in runs of one record: given the same
// CheckedIds edit after edit, each id is read once a run instead of once an edit.
struct CheckedIds {
  std::string device;
  std::string record;
};

// The whole shape of an edit from a device: its identity, ids well formed, counters
// and clock in range, a bounded base, a value of bounded size in UTF-8.
std::optional<std::string> CheckEditShape(const Edit& edit, CheckedIds* checked = nullptr);

// A reserved field's value, as far as it can be told without knowing the sender: a
// known reserved field, a known status, a positive version, a well-formed parent id,
// a short value.
std::optional<std::string> CheckReservedValue(const Edit& edit);

// The edit's clock stamp is at most kMaxClockLeadMs (sotay/hlc.h) ahead of the
// receiver's clock `now_ms`: a stamp years ahead, once stored, would carry every
// replica that pulls it into that year.
std::optional<std::string> CheckClock(const Edit& edit, int64_t now_ms);

// A form field's value against `form` (the record's form version): the field exists
// and holds a value, and the value has the field's type and choices. Constraints and
// required-ness depend on the other answers and the device's date: not checked here.
std::optional<std::string> CheckFieldValue(const Edit& edit, const Form& form);

}  // namespace sotay
