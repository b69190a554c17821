// Sending kept files to the server, chunk by chunk (sotay/attachment_upload.h).
#include "sotay/attachment_upload.h"

#include <set>

#include <nlohmann/json.hpp>

#include "sotay/refusal.h"
#include "sotay/signing.h"

namespace sotay {

namespace {

struct Answer {
  Status status;
  HttpReply reply;
};

// One signed request and its checked answer. A 401 "stale" is signed again once
// with the server's clock, as RunSync does.
class Sender {
 public:
  Sender(SyncStore& store, AttachmentTransport& transport, std::string server_key, UploadRun& run)
      : store_(store), transport_(transport), server_key_(std::move(server_key)), run_(run) {}

  Answer Send(const std::string& method, const std::string& path, const std::string& body, const std::string& type) {
    for (int attempt = 0;; ++attempt) {
      auto sig = store_.SignRequestDigest(method, path, Sha256Hex(body), offset_ms_);
      if (!sig.ok()) return {sig.status(), {}};
      HttpHeaders headers{{kDeviceHeader, store_.device_id()},
                          {kTimeHeader, sig->time},
                          {kNonceHeader, sig->nonce},
                          {kSignatureHeader, sig->signature}};
      HttpReply reply = transport_.SendAttachment(method, path, headers, body, type);
      run_.bytes_up += body.size();
      if (!reply.answered) {
        run_.unanswered = true;
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
      run_.http_status = reply.status;
      run_.server_error = r.error;
      return {reply.status >= 500 ? Status::IOError(r.reason) : Status::FailedPrecondition(r.reason), {}};
    }
  }

 private:
  SyncStore& store_;
  AttachmentTransport& transport_;
  std::string server_key_;
  UploadRun& run_;
  int64_t offset_ms_ = 0;
};

struct ServerHas {
  std::set<int64_t> chunks;
  bool complete = false;
};

Result<ServerHas> ParseStatus(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object() || !j.contains("have") || !j["have"].is_array() || !j.contains("complete") ||
      !j["complete"].is_boolean()) {
    return Status::Corrupt("the server's file status is not the JSON the protocol names");
  }
  ServerHas h;
  h.complete = j["complete"].get<bool>();
  for (const auto& n : j["have"]) {
    if (n.is_number_integer()) h.chunks.insert(n.get<int64_t>());
  }
  return h;
}

// Chunks from the first that the server has, unbroken: what the device may mark sent.
int64_t Prefix(const std::set<int64_t>& have) {
  int64_t n = 0;
  while (have.count(n) > 0) ++n;
  return n;
}

}  // namespace

UploadRun UploadAttachments(SyncStore& store, Attachments& files, AttachmentTransport& transport,
                            const std::function<void(const UploadRun&)>& progress) {
  UploadRun run;
  auto waiting = files.Waiting();
  if (!waiting.ok()) {
    run.status = waiting.status();
    return run;
  }
  run.files_left = waiting->size();
  if (waiting->empty()) return run;
  auto key = store.ServerKey();
  if (!key.ok()) {
    run.status = key.status();
    return run;
  }
  if (key->empty()) {
    run.status = Status::FailedPrecondition("the server's key is not pinned yet: files are sent after a first sync");
    return run;
  }
  Sender sender(store, transport, *key, run);
  for (const KeptFile& file : *waiting) {
    const AttachmentRef& ref = file.ref;
    const std::string base = "/v1/attachments/" + ref.sha256_hex;
    const std::string declaration = nlohmann::json{{"size", ref.size}, {"media_type", ref.media_type}}.dump();
    Answer a = sender.Send("POST", base, declaration, "application/json");
    if (!a.status.ok()) {
      run.status = a.status.Annotate("file " + ref.sha256_hex.substr(0, 12));
      return run;
    }
    auto has = ParseStatus(a.reply.body);
    if (!has.ok()) {
      run.status = has.status();
      return run;
    }
    for (int64_t n = 0; n < ref.Chunks() && !has->complete; ++n) {
      if (has->chunks.count(n) > 0) continue;  // resumed: the server has it from an earlier run
      auto chunk = files.Chunk(ref.sha256_hex, n);
      if (!chunk.ok()) {
        run.status = chunk.status();
        return run;
      }
      a = sender.Send("POST", base + "/chunks/" + std::to_string(n), *chunk, "application/octet-stream");
      if (!a.status.ok()) {
        run.status = a.status.Annotate("file " + ref.sha256_hex.substr(0, 12) + " chunk " + std::to_string(n));
        return run;
      }
      has = ParseStatus(a.reply.body);
      if (!has.ok()) {
        run.status = has.status();
        return run;
      }
      ++run.chunks_sent;
      // Best kept: the server's answer to the next declaration says the same.
      Status marked = files.MarkSent(ref.sha256_hex, has->complete ? ref.Chunks() : Prefix(has->chunks));
      if (!marked.ok()) {
        run.status = marked;
        return run;
      }
      if (progress) progress(run);
    }
    if (!has->complete) {
      run.status = Status::Corrupt("file " + ref.sha256_hex.substr(0, 12) + ": every chunk was sent but the server does not have it whole");
      return run;
    }
    Status marked = files.MarkSent(ref.sha256_hex, ref.Chunks());
    if (!marked.ok()) {
      run.status = marked;
      return run;
    }
    ++run.files_done;
    --run.files_left;
  }
  return run;
}

}  // namespace sotay
