// The areas CSV (sync-server/admin/area_tree.h): the file an administrator gives
// `sotay-server init`. Any bytes: areas or an error naming the line; any areas: a
// tree or an error naming the code, never a crash or a loop.
#include "admin/area_tree.h"
#include "fuzz_support.h"

using namespace sotay;
using namespace sotay::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto areas = ParseAreasCsv(fuzz::Input(data, size));
  if (!areas.ok()) return 0;
  auto tree = AreaTree::Build(*areas);
  if (!tree.ok()) return 0;
  for (const Area& a : tree->areas()) {
    FUZZ_CHECK(IsAreaCode(a.code));
    FUZZ_CHECK(tree->Within(a.code, a.code));
    for (const std::string& c : tree->CommunesUnder(a.code)) {
      FUZZ_CHECK(tree->IsCommune(c) && tree->Within(c, a.code));
    }
  }
  return 0;
}
