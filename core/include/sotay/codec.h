// Binary encodings of edits and record states (CBOR), used for sealed rows on the
// device and, later, on the wire. The layout is documented in docs/store-format.md.
// Decoding never trusts its input: anything malformed is Corrupt with a reason.
#pragma once

#include <string>
#include <string_view>

#include "sotay/edit.h"
#include "sotay/merge.h"
#include "sotay/status.h"

namespace sotay {

std::string EncodeEdit(const Edit& edit);
Result<Edit> DecodeEdit(std::string_view bytes);

std::string EncodeRecordState(const RecordState& state);
Result<RecordState> DecodeRecordState(std::string_view bytes);

}  // namespace sotay
