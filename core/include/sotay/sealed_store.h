// SealedStore: the encrypted SQLite file under the notebook (SECURITY.md, "On the
// device"; format in docs/store-format.md).
//
// Every row's payload is sealed with XChaCha20-Poly1305 under one random data key,
// with (table, key, index) as associated data, so a sealed row moved onto another
// row fails to open. The data key is sealed by a key derived from the passphrase
// with Argon2id; salt and limits are stored beside it, so changing the passphrase
// re-seals only the data key. Keys live in sodium_malloc'd (locked) memory and are
// wiped when the store closes.
//
// In clear are only the columns needed to find rows: the key (an id), the index
// (a record id or form id) and a stamp (ms). Callers must never put a name or an
// answer there.
//
// Thread-safety: not thread-safe; one SealedStore per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sotay/status.h"

namespace sotay {

namespace store {
class SecretBytes;
}

// Argon2id costs. Default() is at least libsodium's "interactive" limits and takes
// a fraction of a second on a cheap phone; tests use Fast() to stay quick.
struct KdfLimits {
  uint64_t opslimit = 0;
  size_t memlimit = 0;
  static KdfLimits Default();
  static KdfLimits Fast();  // libsodium's minimum: for tests only
};

// kSecrets holds the device's own keys (its Ed25519 signing key): sealed like the rest.
// kSummaries: a small sealed row per child's record for search (docs/store-format.md).
// kAttachments: a row per file kept on the device, kAttachmentChunks its sealed
// bytes (core/include/sotay/attachments.h).
enum class Table {
  kRecords, kEdits, kOutbox, kDrafts, kForms, kSecrets, kRejected, kSummaries,
  kAttachments, kAttachmentChunks, kLinks, kConflicts,
};
const char* TableName(Table t);

struct SealedRow {
  std::string key;
  std::string index;
  int64_t stamp = 0;
  Result<std::string> plaintext = Status::Corrupt("unset");  // Tampered if it failed to open
};

class SealedStore {
 public:
  // Creates a new store file at `path`. Fails with AlreadyExists if the file exists.
  // `extra_secret` (may be empty) is mixed into the key derivation: a mobile app
  // passes a key from the platform keystore so that the file alone is not enough.
  // `vfs` names a registered SQLite VFS to do the file I/O (a test's faulting one);
  // nullptr: SQLite's default.
  static Result<std::unique_ptr<SealedStore>> Create(const std::string& path,
                                                     std::string_view passphrase,
                                                     const KdfLimits& limits,
                                                     std::string_view extra_secret = {},
                                                     const char* vfs = nullptr);
  // Seals, in a store written before sealed meta (format 1), the settings its
  // owner kept in clear meta rows: run once, inside the transaction that marks the
  // store format 2, so both land or neither does.
  using Upgrade = std::function<Status(SealedStore&)>;
  // Opens an existing store. NotFound if there is no file, WrongPassphrase if the
  // passphrase does not open the data key, Corrupt if the file is not a store.
  // A failed open changes nothing in the file. The file, its -wal and -shm are
  // made owner-only (0600 on POSIX) if they were not. `vfs`: as for Create.
  static Result<std::unique_ptr<SealedStore>> Open(const std::string& path,
                                                   std::string_view passphrase,
                                                   std::string_view extra_secret = {},
                                                   const Upgrade& upgrade = {},
                                                   const char* vfs = nullptr);
  ~SealedStore();
  SealedStore(const SealedStore&) = delete;
  SealedStore& operator=(const SealedStore&) = delete;

  // Re-seals the data key under a new passphrase (new salt), atomically, then wipes
  // the key sealed under the old one from the files (a TRUNCATE checkpoint). If only
  // the wipe fails (another connection reading), the new passphrase is in force and
  // the error says the old sealed key is still on disk.
  Status ChangePassphrase(std::string_view new_passphrase, const KdfLimits& limits,
                          std::string_view extra_secret = {});

  // One transaction at a time. Everything between Begin and Commit lands or nothing
  // does. Rollback is safe to call when no transaction is open.
  Status Begin();
  Status Commit();
  void Rollback();

  // Clear bookkeeping (counters, clock, sync cursor): never personal data, and
  // nothing that decides where data goes or who wrote it.
  Status PutMeta(const std::string& key, const std::string& value);
  Result<std::optional<std::string>> GetMeta(const std::string& key);
  // Settings that steer data (the server's address and key, the author, the
  // commune): a meta row whose value is sealed with the data key, the row's key as
  // associated data, so changing, moving or forging one without the passphrase
  // reads as Tampered. The same key names as clear meta; do not mix the two on
  // one key (a clear value reads as Tampered here).
  Status PutSealedMeta(const std::string& key, std::string_view value);
  Result<std::optional<std::string>> GetSealedMeta(const std::string& key);

  // Inserts or replaces the row `key` of `table`, sealing `plaintext`.
  Status Put(Table table, const std::string& key, const std::string& index, int64_t stamp,
             std::string_view plaintext);
  // The row's plaintext; NotFound if absent, Tampered if it does not authenticate.
  Result<std::string> Get(Table table, const std::string& key);
  bool Has(Table table, const std::string& key);
  Status Delete(Table table, const std::string& key);

  // Visits rows in key order, only those whose index equals `*index` when given.
  // Each row comes with its plaintext or its Tampered status, so one bad row does not
  // hide the others. `visit` returns false to stop early.
  Status Scan(Table table, const std::optional<std::string>& index,
              const std::function<bool(const SealedRow&)>& visit);
  // As Scan over every row, from the first whose key is after `after_key` (bytewise).
  Status ScanAfter(Table table, const std::string& after_key, const std::function<bool(const SealedRow&)>& visit);
  // Keys starting with `prefix`, in order, without opening any row.
  Result<std::vector<std::string>> KeysWithPrefix(Table table, const std::string& prefix);
  // The key and index of the row with the greatest key at or before `key`
  // (bytewise), without opening the row.
  struct RowKey {
    std::string key, index;
  };
  Result<std::optional<RowKey>> KeyAtOrBefore(Table table, const std::string& key);
  // Every row's key and index, in key order, without opening any row.
  Result<std::vector<RowKey>> RowKeys(Table table);
  Result<int64_t> Count(Table table);

  // A keyed BLAKE2b (128 bits, hex) of `value` under a key derived from the data
  // key: an index that must group rows by something secret (the record a link
  // names) without writing it in clear. Without the passphrase the tag cannot be
  // computed for a guessed id, so it says only that rows share a value.
  std::string IndexTag(std::string_view value) const;

  const std::string& path() const { return path_; }

  class Impl;

 private:
  explicit SealedStore(std::unique_ptr<Impl> impl, std::string path);
  Status UpgradeFromFormat1(const store::SecretBytes& kek, const Upgrade& upgrade);
  std::unique_ptr<Impl> impl_;
  std::string path_;
};

}  // namespace sotay
