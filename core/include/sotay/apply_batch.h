// ApplyBatch: the one path by which a batch of edits lands in records, on the device
// (Notebook: its own saves and what a sync pulls) and on the server (a push). Pure:
// the caller reads the states of the records touched, calls ApplyBatch, and writes
// what it says changed. No I/O, no clock.
//
// For each record, in the order given:
//  1. Reserved fields first (edit_rules.h), so the record's form, and so each field's
//     merge policy, is known before its answers merge. A reserved edit with a
//     malformed value, or one the side's `admit_reserved` refuses, is refused.
//  2. The record's form: rules.find_form(_form, _version).
//     - `require_identity` (the server): a record that names no area, or no form and
//       version, lands nothing; it has a `problem` marked deferrable, and the caller
//       refuses its edits or waits for the rest of its creation.
//     - An unknown form version follows `unknown_form`. A device that has not yet
//       received a new version must not lose the edits made with it elsewhere:
//       kKeep merges them, each field with the policy the record already holds for
//       it (kRegister for a field never seen), and the form arrives on a later
//       sync. The server must not accept records of a form it does not publish:
//       kRefuse gives the record a problem (not deferrable) and lands nothing.
//  3. Form fields: with `check_values`, each value is checked against the form
//     (CheckFieldValue); a refused one is refused alone, the rest land.
//  4. The merge (merge.h) of every edit that passed.
//
// New conflicts count fields, not records: a field (the record's "_status" is one)
// that is in conflict after the batch and was not before. A person settles
// conflicts field by field, so two answers in conflict in one record are two
// decisions to make; and a record already in conflict that gains another is news.
// `sotay sync` and the server's sotay_conflicts_opened_total both count this.
//
// Thread-safety: a pure function of its arguments; ApplyRules' functions are called
// on the caller's thread.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sotay/edit.h"
#include "sotay/form.h"
#include "sotay/merge.h"

namespace sotay {

enum class UnknownForm { kKeep, kRefuse };

// Where the device and the server legitimately differ.
struct ApplyRules {
  // The form version a record names; nullptr when this side does not have it.
  std::function<const Form*(const std::string& form, int version)> find_form;
  UnknownForm unknown_form = UnknownForm::kKeep;
  bool require_identity = false;  // a record must name its area, form and version
  bool check_values = false;      // form fields checked against the form
  // A reserved field or value this version does not know (`_x`, a new status):
  // kept as a register rather than refused. A device pulling from a newer server
  // must not drop what it cannot read yet, or it would move its cursor past edits
  // it never gets again; its own edits, and the server, keep refusing them.
  bool keep_unknown_reserved = false;
  // The side's own rule for a well-formed reserved edit (the server: an area the
  // sender may edit, a published form); nullopt when it passes. Unset: all pass.
  std::function<std::optional<std::string>(const Edit&)> admit_reserved;
};

struct Refusal {
  size_t edit = 0;  // index into the batch
  std::string reason;
};

// One record of the batch: what the caller read, and what ApplyBatch made of it.
struct RecordApply {
  std::string id;
  RecordState state;          // in: as stored (empty when new); out: merged
  std::vector<size_t> edits;  // in: indices into the batch of this record's edits

  std::vector<size_t> accepted;  // out: landed or already known, in batch order
  std::vector<size_t> fresh;     // out: the accepted that were new, in batch order: to store
  std::vector<Refusal> refused;  // out: each with its reason
  // out: set when the record as a whole could not land. `held` are its edits not
  // refused on their own; the state is as it was read.
  std::optional<std::string> problem;
  bool deferrable = false;  // the problem is a creation cut short: the rest may come
  std::vector<size_t> held;
  size_t new_conflicts = 0;  // out: fields that came into conflict
};

struct BatchCounts {
  size_t fresh = 0, refused = 0, held = 0, new_conflicts = 0;
};

// Groups a batch's edits by record, records in the order of their first edit.
std::vector<RecordApply> GroupByRecord(const std::vector<Edit>& edits);

// Applies edits[r.edits] to each r.state by the rules above; fills the out parts.
BatchCounts ApplyBatch(const std::vector<Edit>& edits, std::vector<RecordApply>& records, const ApplyRules& rules);

}  // namespace sotay
