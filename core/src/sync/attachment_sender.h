// One signed request of the files' endpoints (/v1/attachments/...) and its checked
// answer, for the upload (attachment_upload.h) and the fetch (attachment_fetch.h)
// alike: signed as a sync request is, the answer believed only when signed by the
// pinned server key; a 401 "stale" is signed again once with the server's clock, as
// RunSync does.
//
// Thread-safety: as the store and transport it is given.
#pragma once

#include <cstdint>
#include <string>

#include "sotay/attachment_upload.h"

namespace sotay {

struct AttachmentAnswer {
  Status status;
  HttpReply reply;  // a 200's, when status is OK
};

class AttachmentSender {
 public:
  // `tally` counts what went up and says why a run stopped; all must outlive this.
  AttachmentSender(SyncStore& store, AttachmentTransport& transport, std::string server_key, FileWireTally& tally)
      : store_(store), transport_(transport), server_key_(std::move(server_key)), tally_(tally) {}

  AttachmentAnswer Send(const std::string& method, const std::string& path, const std::string& body,
                        const std::string& type);

 private:
  SyncStore& store_;
  AttachmentTransport& transport_;
  std::string server_key_;
  FileWireTally& tally_;
  int64_t offset_ms_ = 0;
};

}  // namespace sotay
