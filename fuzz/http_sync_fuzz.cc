// POST /v1/sync through App::Handle (sync-server/app.h), signed by an enrolled
// device, so that the fuzzer's bytes get past the signature to what reads them: the
// wire decoder, the edit checks, the push applier and the pull builder.
//
// The input is one byte of flags, then the body, which the target signs:
//   bit 0: device B (another worker of the same commune) instead of A
//   bit 1: a time 6 minutes old (refused as stale)
//   bit 2: the previous request's nonce (refused as a replay)
// A body is answered 200 with a body a device decodes, or 4xx with a reason; a 500
// (something inside failed on outside input) stops the run.
#include <nlohmann/json.hpp>

#include "server_fixture.h"

using namespace sotay;

namespace {

constexpr int kRunsPerWorld = 20000;  // then a fresh database, so it stays small

std::unique_ptr<fuzz::ServerFixture> world;
int runs = 0;
std::string last_nonce;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  if (world == nullptr || ++runs % kRunsPerWorld == 0) {
    world.reset();
    world = std::make_unique<fuzz::ServerFixture>();
    world->AddRecords();
    last_nonce = world->NextNonce();
  }
  const uint8_t flags = data[0];
  // A second a run: nonces older than the window are pruned, so their table stays small.
  world->env.now_ms += 1000;
  const fuzz::Device& d = (flags & 1) ? world->b : world->a;
  const int64_t time = (flags & 2) ? world->env.now_ms - 6 * 60 * 1000 : world->env.now_ms;
  const std::string nonce = (flags & 4) ? last_nonce : world->NextNonce();
  last_nonce = nonce;

  const server::HttpResponse res =
      world->app().Handle(fuzz::SignedSync(d, std::string(fuzz::Input(data + 1, size - 1)), time, nonce));
  if (res.status == 500) {
    std::fprintf(stderr, "500: %s\n", res.body.c_str());
    FUZZ_CHECK(res.status != 500);
  }
  if (res.status == 200) {
    FUZZ_CHECK(DecodeSyncResponse(res.body).ok());
  } else {
    const auto error = nlohmann::json::parse(res.body, nullptr, false);
    FUZZ_CHECK(error.is_object() && error.contains("error") && error.contains("reason"));
  }
  return 0;
}
