// HttplibTransport: RunSync's HTTP (sotay/sync_run.h) over cpp-httplib, for the
// programs that run on a PC: `sotay sync` and bench/sync_bench. The answer's gzip is
// undone here rather than by httplib, so the bytes that crossed the network are
// known (HttpReply::wire_bytes: what a worker on a metered plan pays for), and each
// exchange's stall timeout (SetStallTimeoutMs) bounds every read and write. A phone
// app writes its own over the platform's HTTP stack.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <utility>

#include "sotay/attachment_upload.h"
#include "sotay/gzip.h"
#include "sotay/signing.h"
#include "sotay/sync_run.h"
#include "sotay/wire.h"
#include "sotay/zstd.h"

namespace sotay {

// httplib's answer as the core reads one (sync_run.h, enrollment.h): with the two
// headers of a signed answer, the only ones VerifyAnswer reads, and the two that say
// how it is packed (RunSync undoes zstd; httplib has undone gzip).
inline HttpReply ToReply(httplib::Result res) {
  HttpReply reply;
  if (!res) {
    reply.failure = httplib::to_string(res.error());
    return reply;
  }
  reply.answered = true;
  reply.status = res->status;
  reply.body = std::move(res->body);
  for (const char* name : {kServerSignatureHeader, kServerKeyHeader, kDictionaryHeader, "Content-Encoding"}) {
    if (res->has_header(name)) reply.headers.emplace_back(name, res->get_header_value(name));
  }
  return reply;
}

class HttplibTransport : public SyncTransport, public AttachmentTransport {
 public:
  // A sync answer unpacks to at most this (the server's pages are far smaller).
  static constexpr size_t kMaxAnswerBytes = 64u << 20;

  explicit HttplibTransport(std::unique_ptr<httplib::Client> client) : client_(std::move(client)) {
    client_->set_decompress(false);
  }

  HttpReply PostSync(const HttpHeaders& headers, const std::string& body) override {
    httplib::Result res =
        client_->Post("/v1/sync", httplib::Headers(headers.begin(), headers.end()), body, "application/cbor");
    std::string encoding = res ? res->get_header_value("Content-Encoding") : "";
    HttpReply reply = ToReply(std::move(res));
    reply.wire_bytes = reply.body.size();
    if (reply.answered && encoding == "gzip") {
      auto plain = Gunzip(reply.body, kMaxAnswerBytes);
      if (!plain) {
        // Not a whole gzip stream: cut on the way, as a lost answer is.
        HttpReply lost;
        lost.failure = "the answer arrived incomplete or damaged (" + std::to_string(reply.wire_bytes) + " bytes)";
        return lost;
      }
      reply.body = std::move(*plain);
    }
    return reply;
  }

  // Files on records (attachment_upload.h): plain bodies, plain answers.
  HttpReply SendAttachment(const std::string& method, const std::string& path, const HttpHeaders& headers,
                           const std::string& body, const std::string& content_type) override {
    const httplib::Headers h(headers.begin(), headers.end());
    return ToReply(method == "GET" ? client_->Get(path, h) : client_->Post(path, h, body, content_type));
  }

  // httplib bounds each read and write, not the exchange: a read that waits this
  // long with nothing arriving is a stall.
  void SetStallTimeoutMs(int64_t ms) override {
    const time_t s = static_cast<time_t>(ms / 1000);
    const time_t us = static_cast<time_t>((ms % 1000) * 1000);
    client_->set_read_timeout(s, us);
    client_->set_write_timeout(s, us);
  }

 private:
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace sotay
