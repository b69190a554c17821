// Sending kept files to the server, chunk by chunk (sotay/attachment_upload.h).
#include "sotay/attachment_upload.h"

#include <set>

#include <nlohmann/json.hpp>

#include "sync/attachment_sender.h"

namespace sotay {

namespace {

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
  AttachmentSender sender(store, transport, *key, run);
  for (const KeptFile& file : *waiting) {
    const AttachmentRef& ref = file.ref;
    const std::string base = "/v1/attachments/" + ref.sha256_hex;
    const std::string declaration = nlohmann::json{{"size", ref.size}, {"media_type", ref.media_type}}.dump();
    AttachmentAnswer a = sender.Send("POST", base, declaration, "application/json");
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
