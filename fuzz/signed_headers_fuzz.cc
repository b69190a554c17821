// The signed headers of a sync request (sync-server/sync/request_auth.h) and the base64
// and hex they carry: read from every request before anything is looked up. Any
// headers: the parsed values or a 400 naming the header, never a crash.
#include "fuzz_support.h"
#include "http_input.h"
#include "sync/request_auth.h"
#include "sotay/base64.h"
#include "sotay/signing.h"

using namespace sotay;
using namespace sotay::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const HttpRequest req = fuzz::ParseHttpInput(fuzz::Input(data, size));
  SignedHeaders h;
  if (auto error = ParseSignedHeaders(req, &h)) {
    FUZZ_CHECK(error->status == 400 && !error->reason.empty());
  } else {
    FUZZ_CHECK(h.signature.size() == kSignatureBytes && h.nonce.size() == 32);
  }
  for (const size_t want : {kSignatureBytes, kPublicKeyBytes}) {
    if (auto bytes = Base64Decode(req.body, want)) {
      FUZZ_CHECK(bytes->size() == want);
      FUZZ_CHECK(Base64Decode(Base64Encode(*bytes), want) == bytes);
    }
  }
  return 0;
}
