// The dashboard through App::Handle (sync-server/app.h), signed in: every page and
// form handler with the query, headers and body the fuzzer makes (fuzz/http_input.h
// describes the input). The session cookie and Host are added unless the input sets
// them; "{csrf}" in the body becomes the session's CSRF token, so that posts get
// past the check. A header "X-Fuzz-As: admin" uses the administrator's session,
// else the district user's. POST /login and /logout are skipped: the first runs
// Argon2 (slow by design), the second would end the session for the runs after.
// Any request is answered, never with a 500.
#include "http_input.h"
#include "server_fixture.h"

using namespace sotay;

namespace {

constexpr int kRunsPerWorld = 20000;  // then a fresh database, so it stays small

struct World {
  fuzz::ServerFixture server;
  std::pair<std::string, std::string> district, admin;  // cookie, CSRF token
};

std::unique_ptr<World> world;
int runs = 0;

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  for (size_t at = s->find(from); at != std::string::npos; at = s->find(from, at + to.size())) {
    s->replace(at, from.size(), to);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  server::HttpRequest req = fuzz::ParseHttpInput(fuzz::Input(data, size));
  if (req.path == "/logout" || (req.path == "/login" && req.method == "POST")) return 0;
  if (world == nullptr || ++runs % kRunsPerWorld == 0) {
    world.reset();
    world = std::make_unique<World>();
    world->server.AddRecords();
    world->district = world->server.SignIn("huyen");
    world->admin = world->server.SignIn("quantri");
  }
  const auto& [cookie, csrf] = req.Header("X-Fuzz-As") == "admin" ? world->admin : world->district;
  if (req.headers.count("Cookie") == 0) req.headers["Cookie"] = cookie;
  if (req.headers.count("Host") == 0) req.headers["Host"] = "dashboard.test";
  ReplaceAll(&req.body, "{csrf}", csrf);

  const server::HttpResponse res = world->server.app().Handle(req);
  if (res.status == 500) {
    std::fprintf(stderr, "500: %s\n", res.body.c_str());
    FUZZ_CHECK(res.status != 500);
  }
  return 0;
}
