// Attachments: the files kept with records on the device (issue 20;
// docs/store-format.md, "Attachments"). A file is stored once per content (keyed by
// the SHA-256 of its bytes) in sealed chunks of kAttachmentChunkBytes, read from
// its file a chunk at a time, so a 5 MB photo is never whole in memory. Each chunk
// is a row of the store's `attachment_chunks` sealed with the data key; its key
// ("<hash>/<chunk number>") is in the associated data, so a chunk moved or
// swapped with another fails to open.
//
// The record holds only the reference (attachment.h); uploading is the sync's
// (attachment_upload.h), which asks for waiting files and marks chunks sent;
// another device's file is fetched only when asked for (attachment_fetch.h).
//
// Keep stores the bytes it is given: a photo is reduced to the form's `max-pixels`
// and stripped of its EXIF/GPS before it gets here (Notebook::Attach,
// sotay/image_reduce.h; docs/forms-files.md).
//
// Thread-safety: not thread-safe; one per store, on the store's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "sotay/attachment.h"
#include "sotay/env.h"
#include "sotay/sealed_store.h"
#include "sotay/status.h"

namespace sotay {

// A file this device keeps, and how far its upload got; or another device's file,
// fetched from the server, and how far that got.
struct KeptFile {
  AttachmentRef ref;
  int64_t sent_chunks = 0;  // chunks the server acknowledged, from the first
  bool uploaded = false;    // the server has it whole
  int64_t held_chunks = 0;  // chunks of it on this device, from the first
  bool whole() const { return held_chunks >= ref.Chunks(); }
};

class Attachments {
 public:
  // `store` and `env` must outlive this.
  Attachments(SealedStore& store, Env& env) : store_(store), env_(env) {}

  // Seals the file at `path` into the store (once per content) and returns its
  // reference, with the media type of its extension. Reads it twice, a chunk at a
  // time: once for the hash (a file stored already costs nothing more), once to
  // seal it, checking the hash again. `max_bytes`: refused before anything is read
  // when the file is larger. NotFound/IOError naming the path when it cannot be read;
  // FailedPrecondition when it changed while it was read.
  Result<AttachmentRef> Keep(const std::string& path, int64_t max_bytes);
  // The same for bytes in memory (a reduced photo, an upload), sealed from there, so
  // no clear copy is ever written to disk. `what` names them in errors; `ext` (no
  // dot) gives the media type.
  Result<AttachmentRef> KeepBytes(const std::string& bytes, const std::string& what, const std::string& ext,
                                  int64_t max_bytes);
  // The file's bytes written to `out_path` (created owner-only; AlreadyExists if
  // something is there), a chunk at a time, checked against its hash.
  Status WriteOut(const std::string& sha256_hex, const std::string& out_path);
  // One chunk's plaintext; NotFound when the file or chunk is not kept.
  Result<std::string> Chunk(const std::string& sha256_hex, int64_t n);
  Result<KeptFile> Find(const std::string& sha256_hex);
  // Files not yet uploaded whole, oldest first.
  Result<std::vector<KeptFile>> Waiting();
  // Records that the server holds the first `sent_chunks` chunks (whole when all).
  Status MarkSent(const std::string& sha256_hex, int64_t sent_chunks);

  // Another device's file, fetched from the server (attachment_fetch.h): chunk `n`
  // (the next after those held) sealed with its progress in one transaction, so a
  // fetch cut anywhere resumes at the next chunk. InvalidArgument when `n` is not
  // the next or its size is not the one `ref` implies.
  Status KeepFetchedChunk(const AttachmentRef& ref, int64_t n, const std::string& bytes);
  // After the last chunk: the chunks, read back, must hash to the reference; then
  // the file is whole (and counts as uploaded: the server has it). Corrupt, with
  // every chunk of it forgotten so the next fetch starts again, when they do not.
  Status FinishFetch(const AttachmentRef& ref);

 private:
  Status PutInfo(const KeptFile& f);
  // Keep's one path: `open` gives a fresh stream of the same bytes at each call.
  Result<AttachmentRef> KeepFrom(const std::function<std::unique_ptr<std::istream>()>& open, const std::string& path,
                                 int64_t size, const std::string& ext, int64_t max_bytes);
  SealedStore& store_;
  Env& env_;
};

// The key of a chunk row: "<hash>/<n, 8 digits>".
std::string AttachmentChunkKey(const std::string& sha256_hex, int64_t n);

}  // namespace sotay
