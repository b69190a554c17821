// The per-field merge (SYNC.md, "The merge"): a pure function from a set of edits to
// a record's state. No I/O, no clock: the device store and the server call the same
// code, so a record reaches the same state on every replica from the same edits, in
// any order, however often an edit arrives.
//
// For each field the state keeps its heads: the edits not superseded by another
// known edit of the same field. The shown value is the head with the greatest
// (hlc, dot). Several heads with different values are an open conflict, kept until
// someone makes an edit whose base names them all.
//
// Fields with the kAppend policy (case notes) keep every edit and never conflict;
// kSet fields (select_multiple) show the union of concurrent heads, so concurrent
// additions are all kept (add wins over a concurrent removal).
//
// Thread-safety: RecordState is a value; no shared state.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sotay/edit.h"

namespace sotay {

// Reserved fields that describe the record; they merge like any other field.
inline constexpr const char* kFormField = "_form";        // form id
inline constexpr const char* kVersionField = "_version";  // form version, decimal text
inline constexpr const char* kAreaField = "_area";        // administrative code of the commune
inline constexpr const char* kParentField = "_parent";    // parent record id, for repeat entries

enum class MergePolicy { kRegister, kAppend, kSet };

// A value still standing for a field.
struct Head {
  Dot dot;
  Hlc hlc;
  std::string value;
  std::string author;
  std::vector<Dot> saw;  // the edit's base; kept for status heads only (a void's view)
};

struct FieldState {
  std::vector<Head> heads;   // sorted by (hlc, dot), greatest last
  std::set<Dot> superseded;  // dots named in the base of a known edit of this field

  // Heads with different values (kRegister policy only).
  bool InConflict() const;
};

// What applying one edit did, for counters and history.
enum class ApplyOutcome {
  kDuplicate,   // the dot was already known: nothing changed
  kApplied,     // it became a head (the field's value may have changed)
  kSuperseded,  // it arrived after an edit that had already replaced it: kept in history only
};

class RecordState {
 public:
  // A record's fields in name order. A sorted vector rather than a map: a new child's
  // 25 fields were 25 tree nodes to make, walk and free, a fifth of a push's merge.
  using Fields = std::vector<std::pair<std::string, FieldState>>;

  // Applies `edit`. REQUIRES: edit.record is this record's id (the caller routes).
  // `policy` is the field's policy as the form declares it (kRegister if unknown).
  ApplyOutcome Apply(const Edit& edit, MergePolicy policy = MergePolicy::kRegister);

  bool Knows(const Dot& dot) const { return std::binary_search(known_.begin(), known_.end(), dot); }

  // The shown value of a field ("" when it has none). For kAppend fields the entries
  // are joined in (hlc, dot) order with a blank line; for kSet fields the union.
  std::string Shown(const std::string& field) const;
  const FieldState* Field(const std::string& field) const;
  const Fields& fields() const { return fields_; }
  const std::map<std::string, MergePolicy>& policies() const { return policies_; }

  bool IsVoid() const { return Shown(kStatusField) == kStatusVoid; }

  // Every head of every field: what a void must name in its base.
  std::vector<Dot> AllHeads() const;
  // The dots a new edit of `field` must name in its base: all of its current heads.
  std::vector<Dot> HeadsOf(const std::string& field) const;

  // Fields with an open conflict: register fields with differing heads, plus
  // "_status" when the record is void and some head was not seen by the void.
  std::vector<std::string> Conflicts() const;
  // The changes a void missed: each head of another field that no void among the
  // status heads named in its base, with its field. Empty when no status head is a
  // void. What a person deciding a "_status" conflict needs to see.
  std::vector<std::pair<std::string, const Head*>> UnseenByVoid() const;
  bool HasConflict() const { return !Conflicts().empty(); }

  size_t known_count() const { return known_.size(); }
  const std::vector<Dot>& known() const { return known_; }  // in order, each once

  // Rebuilding from parts, for the codec. REQUIRES: parts came from a RecordState
  // (fields in name order, each name once; a row written otherwise is put in order).
  static RecordState FromParts(std::vector<Dot> known, Fields fields, std::map<std::string, MergePolicy> policies);

  friend bool operator==(const RecordState& a, const RecordState& b);

 private:
  // Sorted, each dot once: a vector, as a device's new dots arrive in order and are
  // appended (a set cost a node for each, made, compared and freed on every push).
  std::vector<Dot> known_;
  Fields fields_;
  std::map<std::string, MergePolicy> policies_;  // only fields whose policy is not kRegister

  FieldState& Slot(const std::string& field);  // the field's state, made empty if it has none
};

}  // namespace sotay
