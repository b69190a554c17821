// UploadAttachments: sends the files kept on the device (sotay/attachments.h) to the
// server, after the edits (docs/sync-protocol.md, "Files"): for each file waiting, a
// declaration (size and type) whose answer says which chunks the server has, then
// each missing chunk, one request each, so a cut costs at most the chunk in flight
// and the next run resumes from what the server acknowledged. Every request is
// signed as a sync request is (SyncStore::SignRequestDigest) and every answer must
// be signed by the pinned server key (VerifyAnswer), or nothing of it is believed.
//
// Thread-safety: the store and the files must not be used elsewhere during the run.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "sotay/attachments.h"
#include "sotay/status.h"
#include "sotay/sync_run.h"
#include "sotay/sync_store.h"

namespace sotay {

class AttachmentTransport {
 public:
  virtual ~AttachmentTransport() = default;
  // One request ("GET" or "POST") to `path` with these headers and body (sent as is,
  // `content_type`); the answer with at least the two signed-answer headers.
  virtual HttpReply SendAttachment(const std::string& method, const std::string& path, const HttpHeaders& headers,
                                   const std::string& body, const std::string& content_type) = 0;
};

// What a run of file requests met on the wire (uploads and fetches alike).
struct FileWireTally {
  bool unanswered = false;   // stopped because the transport got no answer
  int http_status = 0;       // of a refusing answer
  std::string server_error;  // and its code: "quota", "file_too_large", "not_found", ...
  size_t bytes_up = 0;       // request bodies sent (chunks and declarations)
};

struct UploadRun : FileWireTally {
  Status status;             // OK when every waiting file is on the server whole
  size_t files_done = 0;     // files the server has whole now (sent in this run or before)
  size_t chunks_sent = 0;    // chunks the server acknowledged in this run
  size_t files_left = 0;     // still waiting when the run ended
};

// `progress` is called after each acknowledged chunk.
UploadRun UploadAttachments(SyncStore& store, Attachments& files, AttachmentTransport& transport,
                            const std::function<void(const UploadRun&)>& progress = {});

}  // namespace sotay
