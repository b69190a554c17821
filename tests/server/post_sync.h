// A signed POST /v1/sync over real HTTP to a server process (or to nginx in front of
// one), as a device sends it: the two-server test and the deploy test use it.
#pragma once

#include <chrono>
#include <string>
#include <utility>

#include "serve_process.h"
#include "server_world.h"

namespace sotay::server::testing {

inline int64_t RealNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// POST /v1/sync to 127.0.0.1:port; the HTTP status and body (0 when no answer came).
inline std::pair<int, std::string> PostSync(int port, const TestDevice& d, const SyncRequest& r, int timeout_s = 10) {
  const HttpRequest req = ServerWorld::Signed(d, EncodeSyncRequest(r), RealNowMs());
  std::string raw = "POST /v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [name, value] : req.headers) raw += name + ": " + value + "\r\n";
  raw += "Content-Length: " + std::to_string(req.body.size()) + "\r\n\r\n" + req.body;
  const int fd = TryConnectTo(port, timeout_s);
  if (fd < 0) return {0, ""};  // a server killed already
  SendAll(fd, raw);
  const std::string answer = ReadAll(fd);
  close(fd);
  const size_t end = answer.find("\r\n\r\n");
  if (answer.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos) return {0, ""};
  return {std::stoi(answer.substr(9, 3)), answer.substr(end + 4)};
}

}  // namespace sotay::server::testing
