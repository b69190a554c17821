// HttplibTransport: RunSync's HTTP (sotay/sync_run.h) over cpp-httplib, for the
// programs that run on a PC: `sotay sync` and bench/sync_bench. httplib undoes the
// answer's gzip. A phone app writes its own over the platform's HTTP stack.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <utility>

#include "sotay/signing.h"
#include "sotay/sync_run.h"
#include "sotay/wire.h"

namespace sotay {

// httplib's answer as the core reads one (sync_run.h, enrollment.h): with the two
// headers of a signed answer, the only ones VerifyAnswer reads.
inline HttpReply ToReply(httplib::Result res) {
  HttpReply reply;
  if (!res) {
    reply.failure = httplib::to_string(res.error());
    return reply;
  }
  reply.answered = true;
  reply.status = res->status;
  reply.body = std::move(res->body);
  for (const char* name : {kServerSignatureHeader, kServerKeyHeader}) {
    if (res->has_header(name)) reply.headers.emplace_back(name, res->get_header_value(name));
  }
  return reply;
}

class HttplibTransport : public SyncTransport {
 public:
  explicit HttplibTransport(std::unique_ptr<httplib::Client> client) : client_(std::move(client)) {}

  HttpReply PostSync(const HttpHeaders& headers, const std::string& body) override {
    return ToReply(client_->Post("/v1/sync", httplib::Headers(headers.begin(), headers.end()), body,
                                 "application/cbor"));
  }

 private:
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace sotay
