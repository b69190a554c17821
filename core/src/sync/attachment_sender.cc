// One signed file request and its checked answer (sync/attachment_sender.h).
#include "sync/attachment_sender.h"

#include "sotay/refusal.h"
#include "sotay/signing.h"

namespace sotay {

AttachmentAnswer AttachmentSender::Send(const std::string& method, const std::string& path, const std::string& body,
                                        const std::string& type) {
  for (int attempt = 0;; ++attempt) {
    auto sig = store_.SignRequestDigest(method, path, Sha256Hex(body), offset_ms_);
    if (!sig.ok()) return {sig.status(), {}};
    HttpHeaders headers{{kDeviceHeader, store_.device_id()},
                        {kTimeHeader, sig->time},
                        {kNonceHeader, sig->nonce},
                        {kSignatureHeader, sig->signature}};
    HttpReply reply = transport_.SendAttachment(method, path, headers, body, type);
    tally_.bytes_up += body.size();
    if (!reply.answered) {
      tally_.unanswered = true;
      return {Status::IOError("no answer from the server: " + reply.failure), {}};
    }
    std::string signer;
    Status authentic = VerifyAnswer(path, sig->nonce, reply, server_key_, &signer);
    if (!authentic.ok()) {
      if (reply.status != 200 && reply.Header(kServerSignatureHeader).empty()) {
        return {Status::IOError("the server, or a proxy in between, answered HTTP " + std::to_string(reply.status) +
                                " without a Sotay signature; nothing of it was believed"),
                {}};
      }
      return {Status::Tampered(authentic.message() + ": refused"), {}};
    }
    if (reply.status == 200) return {Status::OK(), std::move(reply)};
    const ServerRefusal r = ParseRefusal(reply.status, reply.body);
    if (reply.status == 401 && r.error == "stale" && r.server_time_ms && attempt == 0) {
      offset_ms_ = *r.server_time_ms - std::stoll(sig->time) + offset_ms_;
      continue;
    }
    tally_.http_status = reply.status;
    tally_.server_error = r.error;
    if (reply.status == 404 && method == "GET") return {Status::NotFound(r.reason), {}};  // the file is not one to fetch
    return {reply.status >= 500 ? Status::IOError(r.reason) : Status::FailedPrecondition(r.reason), {}};
  }
}

}  // namespace sotay
