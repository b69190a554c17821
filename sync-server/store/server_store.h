// ServerStore: everything the sync server keeps, in one SQLite file (WAL,
// synchronous=FULL: an edit the server has acknowledged is on disk before the device
// drops it from its outbox; see README.md) or in a PostgreSQL database (a province,
// several server processes: sql_db.h). The schemas are in migrations.cc (SQLite)
// and pg_schema.cc (PostgreSQL).
//
// A narrow class: rows in, rows out, no policy. Who may do what, validation and the
// merge live in the callers (access.h, edit_checks.h, push_applier.h); this class
// only stores. Every method is one statement or one short sequence; callers group
// several in a Transaction. Failures are Status values (IOError, Corrupt,
// AlreadyExists for a duplicate key, NotFound), never exceptions.
//
// Thread-safety: not thread-safe. The server holds one ServerStore behind one mutex
// (app.h); admin commands use their own. Other processes may open the same file or
// database; their write transactions take turns (sql::Transaction).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include "admin/access.h"
#include "admin/area_tree.h"
#include "sotay/edit.h"
#include "sotay/merge.h"
#include "sotay/status.h"
#include "store/sql_db.h"
#include "store/wal_checkpointer.h"

namespace sotay::server {

struct UserRow {
  std::string id;
  Role role = Role::kWorker;
  std::string area;
  bool has_password = false;
  std::optional<int64_t> disabled_ms;  // set by `admin disable-user`
  std::optional<int64_t> sensitive_granted_ms;  // `admin grant-sensitive`: sees sensitive answers
};

// How to reach a staff member (schema step 10): "" when not given.
struct UserContact {
  std::string name;   // as colleagues know them, e.g. "Nguyễn Thị Lan"
  std::string phone;  // as typed, e.g. "0912 345 678"
};

struct DeviceRow {
  std::string id;
  std::string user;
  std::string public_key;  // 32 bytes, Ed25519
  int64_t enrolled_ms = 0;
  std::optional<int64_t> last_seen_ms;
  std::optional<int64_t> revoked_ms;
};

struct EnrollCodeRow {
  std::string user;
  int64_t expires_ms = 0;
  std::optional<int64_t> used_ms;
  std::string device;  // the device that used it; empty while unused
};

struct FormRow {
  std::string form;
  int version = 0;
  std::string definition;  // the JSON text as published
};

// A record's merged state and the clear columns derived from it.
struct RecordRow {
  RecordState state;
  std::string form;
  int version = 0;
  std::string area;
  std::string parent;
};

// One edit of the history, with the seq of the set it arrived in.
struct StoredEdit {
  int64_t seq = 0;
  Edit edit;
  int64_t received_ms = 0;
};

// A change set: consecutive edits one device made to one record, received in one
// push; the unit of the history and of the pull cursor.
struct StoredSet {
  int64_t seq = 0;
  std::string record;
  std::string edits;  // EncodeEditGroup: decode with DecodeEditGroup
  size_t count = 0;   // how many edits it holds
  int64_t received_ms = 0;
};

// A record moved between communes by a later _area edit, stored in set `seq`.
struct MoveRow {
  int64_t seq = 0;
  std::string record, from, to;
  int64_t moved_ms = 0;  // when the server received it
};

struct CounterRange {
  uint64_t first = 0, last = 0;
};

struct StoreCounts {
  int64_t edits = 0, records = 0, rejected = 0, devices = 0, nonces = 0;
};

class ServerStore {
 public:
  // kCreate makes a new file (AlreadyExists if `path` exists); kOpen opens an
  // existing one (NotFound if missing). Both bring the schema up to date. `vfs`
  // names the SQLite VFS for the file I/O, the background checkpointer's too
  // (nullptr: the default); tests pass one that fails on purpose.
  // A `path` that is a PostgreSQL URL (sql::IsPostgresTarget) opens that database
  // instead: kCreate wants one without Sotay's tables, kOpen one with them.
  enum class Mode { kCreate, kOpen };
  static Result<std::unique_ptr<ServerStore>> Open(const std::string& path, Mode mode, const char* vfs = nullptr);

  // A write transaction over this store; rolled back unless committed.
  class Transaction {
   public:
    explicit Transaction(ServerStore& store) : txn_(store.db_) {}
    const Status& status() const { return txn_.status(); }
    Status Commit() { return txn_.Commit(); }

   private:
    sql::Transaction txn_;
  };

  // Areas.
  Status InsertArea(const Area& area);
  Result<std::vector<Area>> LoadAreas();

  // Users. InsertUser: AlreadyExists for a known id.
  Status InsertUser(const std::string& id, Role role, const std::string& area,
                    const std::optional<std::string>& password_hash, int64_t now_ms);
  Result<std::optional<UserRow>> FindUser(const std::string& id);
  // Replaces the user's dashboard password hash (nullopt: no dashboard sign-in).
  // NotFound for an unknown user.
  Status SetPasswordHash(const std::string& id, const std::optional<std::string>& hash);
  // Allows the user to see sensitive answers from `granted_ms` on (nullopt: no
  // longer). NotFound for an unknown user.
  Status SetSensitiveGrant(const std::string& id, const std::optional<int64_t>& granted_ms);
  // Sets the user's display name and phone; nullopt leaves one as it is, "" clears
  // it. NotFound for an unknown user.
  Status SetUserContact(const std::string& id, const std::optional<std::string>& name,
                        const std::optional<std::string>& phone);
  // Every user's name and phone, by user id.
  Result<std::map<std::string, UserContact>> UserContacts();
  // Marks the user disabled and clears the password. NotFound for an unknown user.
  Status DisableUser(const std::string& id, int64_t now_ms);
  // Revokes every device of the user not yet revoked; returns how many.
  Result<int64_t> RevokeUserDevices(const std::string& user, int64_t now_ms);
  // Ends the user's enrollment codes not yet used.
  Status ExpireEnrollCodes(const std::string& user, int64_t now_ms);
  // Ends the user's dashboard sessions but the one whose CSRF token is `keep_csrf`
  // ("" ends them all); returns how many.
  Result<int64_t> EndWebSessions(const std::string& user, const std::string& keep_csrf);

  // Enrollment codes, by the hash of the normalised code.
  Status InsertEnrollCode(const std::string& hash, const std::string& user, int64_t now_ms, int64_t expires_ms);
  Result<std::optional<EnrollCodeRow>> FindEnrollCode(const std::string& hash);
  // FailedPrecondition if the code was used meanwhile.
  Status MarkEnrollCodeUsed(const std::string& hash, const std::string& device, int64_t now_ms);

  // Devices. InsertDevice: AlreadyExists for a known id.
  Status InsertDevice(const DeviceRow& device);
  Result<std::optional<DeviceRow>> FindDevice(const std::string& id);
  Result<std::vector<DeviceRow>> ListDevices();
  // NotFound for an unknown device; OK (no change) if already revoked.
  Status RevokeDevice(const std::string& id, int64_t now_ms);
  Status TouchDevice(const std::string& id, int64_t now_ms);

  // Request nonces, kept per device to refuse replays. Callers prune nonces older
  // than the replay window before checking, so a stored nonce is a recent one.
  Result<bool> NonceSeen(const std::string& device, const std::string& nonce, int64_t since_ms);
  // AlreadyExists if the same nonce is stored for the device.
  Status InsertNonce(const std::string& device, const std::string& nonce, int64_t now_ms);
  Status PruneNonces(int64_t before_ms);
  // How many requests of `device` were accepted since `since_ms` (each leaves its
  // nonce): a device's request rate, counted the same by every server process.
  Result<int64_t> NoncesSince(const std::string& device, int64_t since_ms);

  // Published forms: one immutable text per (form, version).
  Status InsertForm(const FormRow& form, int64_t now_ms);
  Result<std::optional<std::string>> FindFormText(const std::string& form, int version);
  Result<std::vector<FormRow>> LoadForms();
  Result<int64_t> FormCount();

  // The edit history (append-only, as change sets) and the merged records.
  // The stored ranges of `device`'s counters that may meet [lo, hi]: a dot is known
  // if a range holds its counter.
  Result<std::vector<CounterRange>> KnownRanges(const std::string& device, uint64_t lo, uint64_t hi);
  // Stores `run` as received: edits of one record from one device, with consecutive
  // counters in increasing order (InvalidArgument otherwise). Returns its seq.
  Result<int64_t> AppendSet(const std::vector<Edit>& run, int64_t now_ms);
  // Keeps an edit refused from device `sender` for review (the latest reason if it
  // comes again).
  Status KeepRejected(const Edit& edit, const std::string& sender, const std::string& reason, int64_t now_ms);
  Result<std::optional<RecordRow>> LoadRecord(const std::string& id);
  // The stored ones of `ids`, by id, in one query: a push loads its records at once
  // (on PostgreSQL a query is a round trip).
  Result<std::unordered_map<std::string, RecordRow>> LoadRecords(const std::vector<std::string>& ids);
  // Writes the state and its clear columns; `seq` is the last set that changed it.
  Status SaveRecord(const std::string& id, const RecordState& state, int64_t seq);
  // What a push stores for one record: its new sets (runs as AppendSet takes them,
  // in order), its merged state, and the commune it left when the push moved it.
  struct RecordWrite {
    std::vector<std::vector<Edit>> runs;  // not empty
    RecordState state;
    std::string moved_from;  // "" when the record did not change commune
  };
  // For each record in order: AppendSet of every run, SaveRecord naming the last
  // run's seq, and AddMove (to the state's area) when it moved. On PostgreSQL the
  // sets of all the records go in one statement and the records in another, not a
  // round trip per row.
  Status StoreRecords(const std::vector<RecordWrite>& writes, int64_t now_ms);
  // Sets with seq > `after`, not made by `exclude_device`, of records whose area is
  // in `communes`, in seq order, until `visit` returns false.
  Status ScanSetsAfter(int64_t after, const std::string& exclude_device, const std::vector<std::string>& communes,
                       const std::function<bool(StoredSet&)>& visit);
  // Every edit of one record, in the order the server received them.
  Result<std::vector<StoredEdit>> HistoryOf(const std::string& record);
  // Transfers (a record's area changed after its creation): kept by the push that
  // stored the move, read by the pull. Moves with `after` < seq <= `through`, in
  // seq order.
  Status AddMove(const MoveRow& move);
  Result<std::vector<MoveRow>> MovesBetween(int64_t after, int64_t through);
  // Every move of `record`, in seq order.
  Result<std::vector<MoveRow>> MovesOf(const std::string& record);
  // Every set of `record` with seq <= `through`, in seq order, until `visit` returns
  // false: the history a device receives when the record arrives in its communes.
  Status ScanRecordSetsThrough(const std::string& record, int64_t through,
                               const std::function<bool(StoredSet&)>& visit);
  // The greatest sequence number handed out (0 when none).
  Result<int64_t> LastSeq();

  Result<StoreCounts> Counts();

  // The connection, for the dashboard's own tables (web/dashboard_store.h, web/audit_log.h),
  // which share this file and its transactions.
  sql::Db& db() { return db_; }
  const std::string& path() const { return path_; }  // the database file or URL, as opened
  bool postgres() const { return db_.postgres(); }
  // Where the bytes of files on records are kept: `<database file>.files` beside a
  // SQLite file; on PostgreSQL the folder given to SetFilesFolder ("" until then).
  std::string FilesFolder() const;
  void SetFilesFolder(std::string folder) { files_folder_ = std::move(folder); }

  // For the long-running server: WAL checkpoints move to a thread of their own
  // (wal_checkpointer.h) instead of the commit that fills the WAL. Admin commands,
  // which commit a few times and exit, keep SQLite's default.
  Status CheckpointInBackground();

 private:
  ServerStore(sql::Db db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}
  // AppendSet of a run already checked (StoreRecords checks them all first).
  Result<int64_t> InsertSet(const std::vector<Edit>& run, int64_t now_ms);
  sql::Db db_;
  std::string path_;
  std::string files_folder_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // after db_: stopped before it closes
};

}  // namespace sotay::server
