// The bytes of files on records, on the server's disk (issue 20; docs/sync-protocol.md,
// "Files"): outside the SQLite file, under `<database>.files/<first two hex digits of
// the hash>/<the rest>`, encrypted at rest. What the server knows of each file (size,
// chunks received, records naming it) is in the database (store/attachment_rows.h).
//
// Each chunk (kAttachmentChunkBytes of plaintext, the last shorter) is sealed on its
// own with XChaCha20-Poly1305 under the server's file key, a fresh random nonce, and
// "sotay-file/1 <hash> <n>" as associated data, so a chunk moved to another place or
// file does not open. Chunk n sits at n × (chunk + 40) bytes: chunks may arrive in any
// order and again after a cut. A file is written to `<name>.partial` and renamed once
// its last chunk arrived and every chunk, opened in order, hashes to its name.
//
// The key is 32 random bytes in `<database>.files.key`, made owner-only on first use.
// Losing it loses the files: `admin backup` copies it with them.
//
// Thread-safety: none; the server calls it under its store mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sotay/status.h"

namespace sotay::server {

class AttachmentFiles {
 public:
  // Opens (and on first use makes) the folder and the key beside `db_path`.
  static Result<std::unique_ptr<AttachmentFiles>> Open(const std::string& db_path) {
    return OpenFolder(FolderFor(db_path));
  }
  // Opens (and on first use makes) `folder` and its key, `<folder>.key`: the
  // folder a server on PostgreSQL is given (ServerStore::FilesFolder).
  static Result<std::unique_ptr<AttachmentFiles>> OpenFolder(const std::string& folder);
  ~AttachmentFiles();
  AttachmentFiles(const AttachmentFiles&) = delete;
  AttachmentFiles& operator=(const AttachmentFiles&) = delete;

  // Seals and writes chunk `n` of the file `hash` into its .partial file. The caller
  // writes only chunks of files its database says are not whole: a whole file found
  // on disk then (named, but its transaction lost) becomes the .partial again.
  Status WriteChunk(const std::string& hash, int64_t n, const std::string& bytes);
  // Opens every chunk of the .partial in order and checks the whole file's SHA-256
  // and size: true and renamed into place when they match; false (the .partial
  // deleted, so the file is sent again) when not.
  Result<bool> Finish(const std::string& hash, int64_t size);
  // Chunk `n` of a whole file, opened. Tampered when it does not open.
  Result<std::string> ReadChunk(const std::string& hash, int64_t n, int64_t size);
  // Forgets what arrived of an unfinished file.
  void DropPartial(const std::string& hash);
  // Deletes a whole file's bytes (a purge, store/attachment_purge.h). OK when they
  // are gone already; IOError naming the file when they cannot be deleted.
  Status Remove(const std::string& hash);

  const std::string& folder() const { return folder_; }
  const std::string& key_path() const { return key_path_; }
  // Where the files of a database at `db_path` live.
  static std::string FolderFor(const std::string& db_path) { return db_path + ".files"; }
  static std::string KeyPathFor(const std::string& db_path) { return FolderFor(db_path) + ".key"; }

 private:
  AttachmentFiles(std::string folder, std::string key_path, std::string key);
  std::string PathOf(const std::string& hash) const;
  std::string folder_, key_path_;
  std::string key_;  // wiped when this goes
};

}  // namespace sotay::server
