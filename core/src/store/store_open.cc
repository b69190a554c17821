// SealedStore: creating and opening the file, the schema's steps (run by the one
// runner, sqlite_migrate.h), and the data key sealed under the passphrase. Format and threat model: docs/store-format.md.
#include <sqlite3.h>

#include <charconv>
#include <cstdint>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "sotay/sealed_store.h"
#include "platform/file_mode.h"
#include "sqlite_migrate.h"
#include "store/sealed_store_impl.h"

namespace sotay {

namespace {

namespace fs = std::filesystem;

constexpr int kBusyTimeoutMs = 5000;  // another process (the shell) may hold the lock
// Format 2: the caller's settings that steer data (PutSealedMeta) are sealed, and
// the data key's AD names the format, so a file cannot be turned back to 1.
// Format 1 stores are upgraded when they are opened (Open's `upgrade`).
constexpr int kStoreFormat = 2;
constexpr char kKdfName[] = "argon2id13";

// Meta rows in clear that hold the sealed data key and how to derive its KEK.
constexpr char kMetaFormat[] = "store.format";
constexpr char kMetaKdf[] = "store.kdf";
constexpr char kMetaSalt[] = "store.kdf_salt";
constexpr char kMetaOps[] = "store.kdf_opslimit";
constexpr char kMetaMem[] = "store.kdf_memlimit";
constexpr char kMetaDataKey[] = "store.data_key";

// The schema's steps for the one runner (sqlite_migrate.h): step i takes PRAGMA
// user_version from i to i + 1. Append only: a shipped step never changes. Table
// names must match TableName().
const std::vector<sqlite::Migration>& SchemaSteps() {
  static const std::vector<sqlite::Migration> steps = {
    {R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
CREATE TABLE records(key TEXT PRIMARY KEY, idx TEXT NOT NULL,
  stamp INTEGER NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX records_by_idx ON records(idx, key);
CREATE TABLE edits(key TEXT PRIMARY KEY, idx TEXT NOT NULL,
  stamp INTEGER NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX edits_by_idx ON edits(idx, key);
CREATE TABLE outbox(key TEXT PRIMARY KEY, idx TEXT NOT NULL,
  stamp INTEGER NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX outbox_by_idx ON outbox(idx, key);
CREATE TABLE drafts(key TEXT PRIMARY KEY, idx TEXT NOT NULL,
  stamp INTEGER NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX drafts_by_idx ON drafts(idx, key);
CREATE TABLE forms(key TEXT PRIMARY KEY, idx TEXT NOT NULL,
  stamp INTEGER NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX forms_by_idx ON forms(idx, key);
)sql"},
    // 2: the device's keys for signed sync.
    {R"sql(
CREATE TABLE secrets(key TEXT PRIMARY KEY, idx TEXT NOT NULL,
  stamp INTEGER NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX secrets_by_idx ON secrets(idx, key);
)sql"},
    // 3: edits the server refused, kept until the worker retries or drops them.
    {R"sql(
CREATE TABLE rejected(key TEXT PRIMARY KEY, idx TEXT NOT NULL,
  stamp INTEGER NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX rejected_by_idx ON rejected(idx, key);
)sql"},
    // 4: the sealed search summaries of children's records. SQL cannot open the
    // records, so the notebook fills it when it opens (its count disagrees).
    {R"sql(
CREATE TABLE summaries(key TEXT PRIMARY KEY, idx TEXT NOT NULL,
  stamp INTEGER NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX summaries_by_idx ON summaries(idx, key);
)sql"},
    // 5: files on records (issue 20): one row per file (`attachments`, keyed by the
    // SHA-256 of its bytes) and its bytes in sealed 64 KiB chunks.
    {R"sql(
CREATE TABLE IF NOT EXISTS attachments(key TEXT PRIMARY KEY, idx TEXT NOT NULL,
  stamp INTEGER NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS attachments_by_idx ON attachments(idx, key);
CREATE TABLE IF NOT EXISTS attachment_chunks(key TEXT PRIMARY KEY, idx TEXT NOT NULL,
  stamp INTEGER NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS attachment_chunks_by_idx ON attachment_chunks(idx, key);
)sql"},
    // 6: the record indexes (issue 19): which records link to a record (`links`,
    // idx a keyed tag of the record named, SealedStore::IndexTag) and which hold an
    // open conflict (`conflicts`). SQL cannot open the records, so the notebook
    // fills both when it opens (its index version is older than its own).
    {R"sql(
CREATE TABLE IF NOT EXISTS links(key TEXT PRIMARY KEY, idx TEXT NOT NULL,
  stamp INTEGER NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS links_by_idx ON links(idx, key);
CREATE TABLE IF NOT EXISTS conflicts(key TEXT PRIMARY KEY, idx TEXT NOT NULL,
  stamp INTEGER NOT NULL, sealed BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS conflicts_by_idx ON conflicts(idx, key);
)sql"},
  };
  return steps;
}

fs::path FsPath(const std::string& utf8) { return fs::u8path(utf8); }

bool Exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(p, ec));
}

// What a store file is called in errors.
std::string StoreFile(const std::string& path) { return "store file " + path; }

// The connection's settings, the journal mode (which may write), then the schema's
// steps. Only called once the data key is open.
Status PrepareForWriting(sqlite::Db* db, const std::string& path) {
  Status s = db->Exec(
      "PRAGMA synchronous=FULL; PRAGMA secure_delete=FAST; PRAGMA foreign_keys=ON;"
      " PRAGMA temp_store=MEMORY; PRAGMA journal_mode=WAL;");
  if (!s.ok()) return s.Annotate("configure connection");
  return sqlite::Migrate(*db, SchemaSteps(), StoreFile(path));
}

// Opens the file's connection (`mode` kCreate only for a file just made empty)
// through `vfs` (nullptr: SQLite's default).
Status OpenConnection(SealedStore::Impl* impl, const std::string& path, sqlite::Db::Mode mode, const char* vfs) {
  Result<sqlite::Db> db = sqlite::Db::Open(path, mode, vfs);
  if (!db.ok()) return db.status();
  impl->db = std::move(db).value();
  sqlite3_busy_timeout(impl->db.handle(), kBusyTimeoutMs);
  return Status::OK();
}

// The data key sealed under a KEK derived with a fresh salt: what the meta holds.
struct KeyMeta {
  std::string salt;
  std::string sealed_key;
  KdfLimits limits;
};

// Runs Argon2id: call it before opening a transaction, not inside one.
Status SealUnderPassphrase(const store::SecretBytes& data_key, std::string_view passphrase,
                           std::string_view extra_secret, const KdfLimits& limits,
                           KeyMeta* out) {
  out->salt = store::RandomBytes(store::kSaltBytes);
  out->limits = limits;
  store::SecretBytes kek;
  Status s = store::DeriveKek(passphrase, extra_secret, out->salt, limits.opslimit,
                              limits.memlimit, &kek);
  if (s.ok()) out->sealed_key = store::SealDataKey(kek, data_key, kStoreFormat);
  return s;
}

// REQUIRES: inside a transaction, so the six rows change together.
Status WriteKeyMeta(SealedStore::Impl* impl, const KeyMeta& km) {
  Status s = impl->WriteMeta(kMetaFormat, std::to_string(kStoreFormat));
  if (s.ok()) s = impl->WriteMeta(kMetaKdf, kKdfName);
  if (s.ok()) s = impl->WriteMeta(kMetaSalt, km.salt);
  if (s.ok()) s = impl->WriteMeta(kMetaOps, std::to_string(km.limits.opslimit));
  if (s.ok()) s = impl->WriteMeta(kMetaMem, std::to_string(km.limits.memlimit));
  if (s.ok()) s = impl->WriteMeta(kMetaDataKey, km.sealed_key);
  return s;
}

bool ParseU64(const std::string& text, uint64_t* out) {
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && p == end && !text.empty();
}

// Reads the key meta and opens the data key into impl->data_key. Reads only. A
// format 1 store also hands back its KEK, to seal the data key again as format 2.
Status UnlockDataKey(SealedStore::Impl* impl, const std::string& path,
                     std::string_view passphrase, std::string_view extra_secret, int* format,
                     store::SecretBytes* old_format_kek) {
  const Status not_a_store = Status::Corrupt(path + " is not a Sotay store");
  Result<int64_t> version = impl->db.QueryInt("PRAGMA user_version");
  if (!version.ok()) return version.status().code() == Status::Code::kCorrupt
                                ? not_a_store
                                : version.status().Annotate("open store file " + path);
  if (*version < 1 || !impl->PrepareCommon().ok()) return not_a_store;  // no meta table
  // Refused before the key is derived: a newer file is not this version's to read.
  Status newer = sqlite::RefuseNewer(*version, SchemaSteps().size(), StoreFile(path));
  if (!newer.ok()) return newer;

  std::string values[6];
  const char* const names[6] = {kMetaFormat, kMetaKdf, kMetaSalt,
                                kMetaOps,    kMetaMem, kMetaDataKey};
  for (int i = 0; i < 6; ++i) {
    Result<std::optional<std::string>> v = impl->ReadMeta(names[i]);
    if (!v.ok()) return v.status().Annotate("open store file " + path);
    if (!v->has_value()) return not_a_store;
    values[i] = std::move(**v);
  }
  if ((values[0] != "1" && values[0] != "2") || values[1] != kKdfName) {
    return Status::FailedPrecondition(path + " uses a store format this version cannot read");
  }
  uint64_t ops = 0, mem = 0;
  if (!ParseU64(values[3], &ops) || !ParseU64(values[4], &mem) || mem > SIZE_MAX ||
      !store::KdfLimitsAcceptable(ops, static_cast<size_t>(mem))) {
    return Status::Corrupt(path + ": the key settings are damaged");
  }
  store::SecretBytes kek;
  Status s = store::DeriveKek(passphrase, extra_secret, values[2], ops,
                              static_cast<size_t>(mem), &kek);
  if (s.code() == Status::Code::kCorrupt) return Status::Corrupt(path + ": " + s.message());
  if (!s.ok()) return s;
  *format = values[0] == "1" ? 1 : 2;
  if (!store::OpenDataKey(kek, values[5], *format, &impl->data_key)) {
    // Also what a format 2 file whose `store.format` was set back to 1 gets.
    return Status::WrongPassphrase("the passphrase does not open this store");
  }
  if (*format == 1) *old_format_kek = std::move(kek);
  return Status::OK();
}

// Closes and removes a half-made store unless disarmed. Closing comes first: a file
// that is still open cannot be removed on Windows.
class RemoveOnFailure {
 public:
  RemoveOnFailure(std::string path, std::unique_ptr<SealedStore::Impl>* impl)
      : path_(std::move(path)), impl_(impl) {}
  ~RemoveOnFailure() {
    if (impl_ == nullptr) return;
    impl_->reset();  // finalizes the statements and closes the connection
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      fs::remove(FsPath(path_ + suffix), ec);
    }
  }
  void Disarm() { impl_ = nullptr; }
  RemoveOnFailure(const RemoveOnFailure&) = delete;
  RemoveOnFailure& operator=(const RemoveOnFailure&) = delete;

 private:
  std::string path_;
  std::unique_ptr<SealedStore::Impl>* impl_;
};

}  // namespace

Result<std::unique_ptr<SealedStore>> SealedStore::Create(const std::string& path,
                                                         std::string_view passphrase,
                                                         const KdfLimits& limits,
                                                         std::string_view extra_secret,
                                                         const char* vfs) {
  Status s = store::InitSodium();
  if (!s.ok()) return s;
  if (!store::KdfLimitsAcceptable(limits.opslimit, limits.memlimit)) {
    return Status::InvalidArgument("key-derivation limits out of range (see KdfLimits)");
  }
  const fs::path p = FsPath(path);
  if (Exists(p)) return Status::AlreadyExists("a file already exists at " + path);
  fs::path dir = p.parent_path();
  std::error_code ec;
  if (!dir.empty() && !fs::is_directory(dir, ec)) {
    return Status::IOError("create store file " + path + ": directory " + dir.u8string() +
                           " does not exist");
  }

  // Made owner-only before SQLite opens it: SQLite gives -wal and -shm the main
  // file's mode, so all three stay 0600 whatever the umask.
  s = store::CreateOwnerOnlyFile(path);
  if (!s.ok()) return s;  // AlreadyExists if it appeared since the check above: not ours to remove
  auto impl = std::make_unique<Impl>();
  RemoveOnFailure cleanup(path, &impl);
  s = OpenConnection(impl.get(), path, sqlite::Db::Mode::kCreate, vfs);
  if (!s.ok()) return s.Annotate("create store file " + path);
  Result<int64_t> pages = impl->db.QueryInt("PRAGMA page_count");
  if (!pages.ok() || *pages != 0) return Status::Corrupt("create store file " + path + ": not empty");
  KeyMeta km;
  s = store::NewDataKey(&impl->data_key);
  if (s.ok()) s = SealUnderPassphrase(impl->data_key, passphrase, extra_secret, limits, &km);
  if (s.ok()) s = PrepareForWriting(&impl->db, path);
  if (s.ok()) s = impl->PrepareCommon();
  if (!s.ok()) return s.Annotate("create store file " + path);
  sqlite::Transaction txn(impl->db);
  s = txn.status();
  if (s.ok()) s = WriteKeyMeta(impl.get(), km);
  if (s.ok()) s = txn.Commit();
  if (!s.ok()) return s.Annotate("create store file " + path);
  cleanup.Disarm();
  return std::unique_ptr<SealedStore>(new SealedStore(std::move(impl), path));
}

Result<std::unique_ptr<SealedStore>> SealedStore::Open(const std::string& path,
                                                       std::string_view passphrase,
                                                       std::string_view extra_secret,
                                                       const Upgrade& upgrade,
                                                       const char* vfs) {
  Status s = store::InitSodium();
  if (!s.ok()) return s;
  const fs::path p = FsPath(path);
  std::error_code ec;
  if (!fs::exists(p, ec)) return Status::NotFound("no store file at " + path);
  if (fs::is_directory(p, ec)) return Status::Corrupt(path + " is not a Sotay store");
  // A failed open must leave the file as it was. Reading writes nothing, but the last
  // connection to close checkpoints a WAL left by a crash into the main file; so when
  // a -wal exists, this connection must not checkpoint until the key checks out.
  const bool had_wal = Exists(FsPath(path + "-wal"));

  auto impl = std::make_unique<Impl>();
  s = OpenConnection(impl.get(), path, sqlite::Db::Mode::kReadWrite, vfs);  // never create
  if (!s.ok()) return s.Annotate("open store file " + path);
  if (had_wal) sqlite3_db_config(impl->db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  int format = 0;
  store::SecretBytes old_format_kek;
  s = UnlockDataKey(impl.get(), path, passphrase, extra_secret, &format, &old_format_kek);
  if (!s.ok()) return s;

  if (had_wal) sqlite3_db_config(impl->db.handle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, nullptr);
  s = PrepareForWriting(&impl->db, path);
  if (!s.ok()) return s.Annotate("open store file " + path);
  // Stores made before their files were created owner-only (and whatever SQLite made
  // beside them since) are tightened once the passphrase has proved the owner.
  for (const char* suffix : {"", "-wal", "-shm"}) {
    s = store::RestrictToOwner(path + suffix);
    if (!s.ok()) return s;
  }
  std::unique_ptr<SealedStore> opened(new SealedStore(std::move(impl), path));
  if (format == 1) {
    s = opened->UpgradeFromFormat1(old_format_kek, upgrade);
    if (!s.ok()) return s.Annotate("upgrade store file " + path);
  }
  return opened;
}

Status SealedStore::UpgradeFromFormat1(const store::SecretBytes& kek, const Upgrade& upgrade) {
  // One transaction: the caller's settings are sealed and the format moves to 2
  // together, or neither happens and the next open tries again.
  sqlite::Transaction txn(impl_->db);
  Status s = txn.status();
  if (s.ok() && upgrade) s = upgrade(*this);
  if (s.ok()) s = impl_->WriteMeta(kMetaFormat, std::to_string(kStoreFormat));
  if (s.ok()) s = impl_->WriteMeta(kMetaDataKey, store::SealDataKey(kek, impl_->data_key, kStoreFormat));
  if (s.ok()) s = txn.Commit();
  return s;
}

Status SealedStore::ChangePassphrase(std::string_view new_passphrase, const KdfLimits& limits,
                                     std::string_view extra_secret) {
  if (!store::KdfLimitsAcceptable(limits.opslimit, limits.memlimit)) {
    return Status::InvalidArgument("key-derivation limits out of range (see KdfLimits)");
  }
  if (impl_->db.InTransaction()) {
    return Status::FailedPrecondition("commit or roll back before changing the passphrase");
  }
  KeyMeta km;
  Status s = SealUnderPassphrase(impl_->data_key, new_passphrase, extra_secret, limits, &km);
  if (!s.ok()) return s.Annotate("change passphrase");
  sqlite::Transaction txn(impl_->db);
  s = txn.status();
  if (s.ok()) s = WriteKeyMeta(impl_.get(), km);
  if (s.ok()) s = txn.Commit();
  if (!s.ok()) return s.Annotate("change passphrase");
  // Copy the new meta page into the main file, over the old one, and empty the WAL:
  // only then is the data key sealed under the old passphrase gone from the files.
  // (PRAGMA wal_checkpoint reports a checkpoint blocked by a reader as a row, not an
  // error; the C call returns SQLITE_BUSY.) Another program reading the store past the
  // busy timeout blocks it: the new passphrase stands, and the caller must hear that
  // the old key is still on disk.
  const int rc =
      sqlite3_wal_checkpoint_v2(impl_->db.handle(), "main", SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    return sqlite::Error(impl_->db.handle(), rc, "checkpoint the store's WAL")
        .Annotate("the passphrase is changed, but the data key sealed under the old one is still in the store's "
                  "files (another program may have the store open: close it and change the passphrase again)");
  }
  return Status::OK();
}

}  // namespace sotay
