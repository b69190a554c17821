// Binary encodings of edits and record states (CBOR), used for sealed rows on the
// device and, later, on the wire. The layout is documented in docs/store-format.md.
// Decoding never trusts its input: anything malformed is Corrupt with a reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sotay/edit.h"
#include "sotay/merge.h"
#include "sotay/status.h"

namespace sotay {

// The widest clock stamp (Hlc::ms) any encoding carries, either side of the epoch:
// the sync wire sends the difference of two stamps, which must not overflow, so
// every decoder refuses stamps beyond it as malformed (real ones are about 1.8e12).
inline constexpr int64_t kMaxStampMs = INT64_MAX / 2;

std::string EncodeEdit(const Edit& edit);
Result<Edit> DecodeEdit(std::string_view bytes);

// Edits of one record, sealed as one row: a device stores what one transaction
// changed in a record together, not one row per field (27 rows for a new child).
// REQUIRES: every edit names the same record. DecodeEditGroup also reads a single
// EncodeEdit row (the layout before groups) as a group of one.
std::string EncodeEditGroup(const std::vector<Edit>& edits);
std::string EncodeEditGroup(const std::vector<const Edit*>& edits);  // the same, without copies
Result<std::vector<Edit>> DecodeEditGroup(std::string_view bytes);

std::string EncodeRecordState(const RecordState& state);
Result<RecordState> DecodeRecordState(std::string_view bytes);

}  // namespace sotay
