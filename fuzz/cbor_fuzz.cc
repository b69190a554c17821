// The CBOR reader and the codecs on top of it (sotay/codec.h): the rows a device
// unseals and the change sets the server sends as they are. Any bytes: a value or a
// Corrupt status, never a crash; what decodes encodes and decodes to the same.
#include "cbor.h"
#include "fuzz_support.h"
#include "sotay/codec.h"

using namespace sotay;

namespace {

// Reads every item the generic way, as a reader that skips unknown keys does.
void Walk(std::string_view in) {
  cbor::Reader r(in);
  try {
    while (!r.AtEnd()) {
      switch (r.Peek()) {
        case cbor::Type::kUint: r.Uint(); break;
        case cbor::Type::kNegative: r.Int(); break;
        case cbor::Type::kText: r.Text(); break;
        case cbor::Type::kBytes: r.Bytes(); break;
        case cbor::Type::kArray: r.Array(); break;  // the items follow, read in turn
        case cbor::Type::kMap: r.Map(); break;
        default: r.Skip(); break;
      }
    }
  } catch (const cbor::Error&) {
  }
  cbor::Reader skipper(in);
  try {
    skipper.Skip();
    skipper.ExpectEnd();
  } catch (const cbor::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in = fuzz::Input(data, size);
  Walk(in);

  if (auto group = DecodeEditGroup(in); group.ok() && !group->empty()) {
    bool one_record = true;
    for (const Edit& e : *group) one_record = one_record && e.record == group->front().record;
    if (one_record) {  // EncodeEditGroup REQUIRES it
      auto again = DecodeEditGroup(EncodeEditGroup(*group));
      FUZZ_CHECK(again.ok() && fuzz::SameEdits(*group, *again));
    }
  }
  if (auto state = DecodeRecordState(in); state.ok()) {
    auto again = DecodeRecordState(EncodeRecordState(*state));
    FUZZ_CHECK(again.ok() && *again == *state);
  }
  return 0;
}
