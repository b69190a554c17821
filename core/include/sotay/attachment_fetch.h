// FetchAttachment: another device's file on a record, fetched from the server only
// when asked (`sotay attachment get`, a record opened on a phone), never by the sync:
// a 2G link must not pull every photo of the commune (docs/sync-protocol.md,
// "Files"). Chunk by chunk over GET /v1/attachments/{hash}/chunks/{n}, each request
// signed and each answer checked against the pinned server key; each chunk is sealed
// into the notebook as it arrives (Attachments::KeepFetchedChunk), so a cut costs at
// most the chunk in flight and the next call resumes at the next chunk. The whole
// file must hash to its reference before it counts as kept.
//
// Thread-safety: the store and the files must not be used elsewhere during the call.
#pragma once

#include <cstddef>
#include <functional>

#include "sotay/attachment_upload.h"

namespace sotay {

struct FetchRun : FileWireTally {
  Status status;                // OK when the file is whole on this device
  bool already_here = false;    // nothing was asked of the server
  size_t chunks_fetched = 0;    // in this call
  size_t bytes_down = 0;        // chunk bytes received in this call
};

// NotFound when the server has no such file or this device may not fetch it (the
// server says the same for both); FailedPrecondition when the server does not have
// it whole yet (its device has not finished sending it). `progress` after each chunk.
FetchRun FetchAttachment(SyncStore& store, Attachments& files, AttachmentTransport& transport,
                         const AttachmentRef& ref, const std::function<void(const FetchRun&)>& progress = {});

}  // namespace sotay
