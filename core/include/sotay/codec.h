// Binary encodings of edits and record states (CBOR): the device's sealed rows, the
// server's stored change sets, and the sets the sync wire carries as they are. The
// layout is documented in docs/store-format.md. Decoding never trusts its input:
// anything malformed, or a row in a layout written before these (one edit a row,
// devices named by their ids), is Corrupt with a reason. Pure functions: safe from
// any thread.
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

// Edits of one record, sealed as one row: a device stores what one transaction
// changed in a record together, not one row per field (27 rows for a new child).
// REQUIRES: every edit names the same record.
std::string EncodeEditGroup(const std::vector<Edit>& edits);
std::string EncodeEditGroup(const std::vector<const Edit*>& edits);  // the same, without copies
Result<std::vector<Edit>> DecodeEditGroup(std::string_view bytes);

std::string EncodeRecordState(const RecordState& state);
Result<RecordState> DecodeRecordState(std::string_view bytes);

}  // namespace sotay
