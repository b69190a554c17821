// Serving an App over HTTP or HTTPS with cpp-httplib. This file pair is the only
// place that includes httplib.h: it converts requests and responses to the plain
// structs of http_message.h and back, reads bodies within the size limit (after
// undoing Content-Encoding: gzip or zstd), and packs large CBOR answers with zstd
// (and the pack's dictionary) or gzip, as the client accepts (docs/sync-protocol.md).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "app.h"

namespace sotay::server {

struct ServeOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0: an ephemeral port
  std::string tls_cert, tls_key;  // both set: HTTPS
  // Plain HTTP only (http_connection.h): a request's head must arrive within
  // header_timeout_s, the whole request within request_timeout_s (longer while its
  // body keeps coming).
  int header_timeout_s = 15;
  int request_timeout_s = 120;
  // Addresses of reverse proxies whose X-Forwarded-For names the client.
  std::vector<std::string> trusted_proxies;
};

// Serves until SIGTERM or SIGINT, then finishes the requests under way and returns
// 0. Prints exactly one line on `out` once connections are accepted:
// "listening on http://HOST:PORT" (https for TLS). Returns 1 when it cannot listen.
int Serve(App& app, const ServeOptions& options, std::ostream& out, std::ostream& err);

}  // namespace sotay::server
