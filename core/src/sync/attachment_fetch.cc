// Fetching another device's file when asked (sotay/attachment_fetch.h).
#include "sotay/attachment_fetch.h"

#include <nlohmann/json.hpp>

#include "sync/attachment_sender.h"

namespace sotay {

FetchRun FetchAttachment(SyncStore& store, Attachments& files, AttachmentTransport& transport,
                         const AttachmentRef& ref, const std::function<void(const FetchRun&)>& progress) {
  FetchRun run;
  const std::string name = "file " + ref.sha256_hex.substr(0, 12);
  int64_t next = 0;
  auto kept = files.Find(ref.sha256_hex);
  if (kept.ok() && kept->whole()) {
    run.already_here = true;
    return run;
  }
  if (kept.ok()) next = kept->held_chunks;  // resumed after a cut
  if (!kept.ok() && kept.status().code() != Status::Code::kNotFound) {
    run.status = kept.status();
    return run;
  }
  auto key = store.ServerKey();
  if (!key.ok() || key->empty()) {
    run.status = key.ok() ? Status::FailedPrecondition(name + ": not on this device, and the server's key is not "
                                                              "pinned yet: fetch it after a first sync")
                          : key.status();
    return run;
  }
  AttachmentSender sender(store, transport, *key, run);
  const std::string base = "/v1/attachments/" + ref.sha256_hex;
  // The status first: a file its device has not finished sending cannot be fetched,
  // and the server's size must be the record's.
  AttachmentAnswer a = sender.Send("GET", base, "", "");
  if (!a.status.ok()) {
    run.status = a.status.Annotate(name);
    return run;
  }
  nlohmann::json st = nlohmann::json::parse(a.reply.body, nullptr, false);
  if (!st.is_object() || !st.contains("complete") || !st["complete"].is_boolean() || !st.contains("size") ||
      !st["size"].is_number_integer()) {
    run.status = Status::Corrupt(name + ": the server's file status is not the JSON the protocol names");
    return run;
  }
  if (st["size"].get<int64_t>() != ref.size) {
    run.status = Status::Corrupt(name + ": the server holds " + std::to_string(st["size"].get<int64_t>()) +
                                 " bytes where the record names " + std::to_string(ref.size));
    return run;
  }
  if (!st["complete"].get<bool>()) {
    run.status = Status::FailedPrecondition(name + ": the server does not have it whole yet; the device that "
                                                   "attached it has not finished sending it");
    return run;
  }
  for (int64_t n = next; n < ref.Chunks(); ++n) {
    a = sender.Send("GET", base + "/chunks/" + std::to_string(n), "", "");
    if (!a.status.ok()) {
      run.status = a.status.Annotate(name + " chunk " + std::to_string(n));
      return run;
    }
    Status s = files.KeepFetchedChunk(ref, n, a.reply.body);
    if (!s.ok()) {
      run.status = s;
      return run;
    }
    ++run.chunks_fetched;
    run.bytes_down += a.reply.body.size();
    if (progress) progress(run);
  }
  run.status = files.FinishFetch(ref);
  return run;
}

}  // namespace sotay
