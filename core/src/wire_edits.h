// The compact layout of edits on the sync wire (layout 2, "E" in a request or an
// answer; docs/sync-protocol.md, "Edit layouts"). After compression the clock stamps
// were the largest part of a new child: each edit carried its dot counter and its
// stamp's milliseconds and counter, which differ from the previous edit's by one or
// by nothing. Here an edit says only what it does not share with the edit before it
// on the same device, so a new child's clocks cost a byte an edit before packing
// and almost nothing after. Private to sotay_logic; throws cbor::Error on malformed
// input, which the public decoders turn into a Status.
#pragma once

#include <string>
#include <vector>

#include "cbor.h"
#include "sotay/edit.h"
#include "wire_body.h"

namespace sotay::wire {

// The value of "E": `edits` as one flat CBOR array, their strings as indexes into
// `t` (which it fills: the caller writes the tables). Decoding gives back exactly
// these edits, in this order.
// REQUIRES: every edit's stamp within kMaxStampMs (what every decoder lets in) and
// stamped by the device of its dot (hlc.device == dot.device), as every edit is.
std::string EncodeCompactEdits(const std::vector<Edit>& edits, Tables& t);

// Reads the value of "E" with the tables `t` of its body.
std::vector<Edit> DecodeCompactEdits(cbor::Reader& r, const Decoded& t);

}  // namespace sotay::wire
