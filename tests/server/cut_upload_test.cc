// The real `sotay-server serve` when a phone loses its signal in the middle of an
// upload (issue 16): the server logs a cut upload, with the device its headers name,
// not a `malformed` request from nobody.
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "serve_process.h"
#include "server_world.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

// The server's log lines that contain every one of `words`, waiting for them a while
// (the server writes the line after it gave up on the body).
std::string LogLineWith(const std::string& path, const std::vector<std::string>& words) {
  for (int round = 0; round < 100; ++round) {  // at most 20 s on a loaded machine
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      bool all = true;
      for (const std::string& w : words) all = all && line.find(w) != std::string::npos;
      if (all) return line;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return "";
}

}  // namespace

TEST_CASE("edge: an upload cut by a lost link is logged as a cut upload, with the device", "[server][edge][link]") {
  ServerWorld w;
  TestDevice phone = w.Device("w-a");
  std::vector<Edit> edits;
  for (int i = 0; i < 60; ++i) edits.push_back(phone.NewEdit(PrefixedId("c", i), "full_name", "Lò Thị Mai"));
  SyncRequest r;
  r.push = edits;
  r.forms = {"case_test@1"};
  const HttpRequest signed_req = w.SignedSync(phone, r);
  const std::string log = w.dir.File("server.log");
  ServeProcess server(w.db, {}, log);

  std::ostringstream head;
  head << "POST /v1/sync HTTP/1.1\r\nHost: x\r\nContent-Length: " << signed_req.body.size() << "\r\n";
  for (const auto& [name, value] : signed_req.headers) head << name << ": " << value << "\r\n";
  head << "\r\n";
  const int fd = ConnectTo(server.port());
  REQUIRE(SendAll(fd, head.str() + signed_req.body.substr(0, signed_req.body.size() / 2)));
  close(fd);  // the signal is gone

  const std::string line = LogLineWith(log, {"cut_upload", phone.id});
  INFO("log: " << log);
  CHECK_FALSE(line.empty());
  CHECK(line.find("malformed") == std::string::npos);

  // A whole body that does not decode is still malformed, and names no cut.
  const std::string broken = RawExchange(server.port(), "POST /v1/sync HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                                        "Content-Length: 5\r\n\r\nhello");
  CHECK(broken.find("\"error\":\"malformed\"") != std::string::npos);
}
