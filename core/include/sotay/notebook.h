// Notebook: a worker's records on one device, over the encrypted store.
//
// It turns what a worker does (fill a form, change answers, void a record) into
// edits (SYNC.md), applies them with the core's merge, keeps them in the outbox
// until a sync acknowledges them, and reads records back as their shown values.
// Every change is one transaction: it lands whole or not at all.
//
// Validation failures are data (SaveOutcome::issues), not errors: nothing is
// written when there is any.
//
// It is the device's SyncStore (sotay/sync_store.h): SyncSession and RunSync see
// only that part of it. Drafts (sotay/drafts.h) and the device's signing key
// (core/src/store/device_key.h) are classes of their own on the same store.
//
// Thread-safety: not thread-safe; one Notebook per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sotay/attachments.h"
#include "sotay/drafts.h"
#include "sotay/duplicates.h"
#include "sotay/edit.h"
#include "sotay/env.h"
#include "sotay/form.h"
#include "sotay/image_reduce.h"
#include "sotay/indicators.h"
#include "sotay/merge.h"
#include "sotay/register_list.h"
#include "sotay/sealed_store.h"
#include "sotay/status.h"
#include "sotay/sync_store.h"
#include "sotay/validate.h"
#include "sotay/wire.h"

namespace sotay {

struct SearchSummary;  // core/src/store/search_summary.h

struct NotebookOptions {
  KdfLimits kdf = KdfLimits::Default();
  std::string extra_secret;      // from a platform keystore, if the app has one
  Env* env = nullptr;            // nullptr: Env::Default()
  // A registered SQLite VFS for the store's file I/O (a test's faulting one);
  // nullptr: SQLite's default.
  const char* vfs = nullptr;
};

struct FormInfo {
  std::string id;
  int version = 0;
  LocalText title;
};

// A record as a person reads it.
struct RecordView {
  std::string id;
  std::string form;
  int version = 0;
  std::string area;
  std::string parent;
  Answers shown;          // shown value of every answered form field
  RecordState state;      // heads and conflicts, for display
  int64_t updated_ms = 0;
  bool is_void() const { return state.IsVoid(); }
};

// One line of `sotay list`.
struct RecordSummary {
  std::string id;
  std::string form;
  std::string name;       // the form's instance_name
  bool is_void = false;
  bool in_conflict = false;
  int64_t updated_ms = 0;
  Status status;          // Tampered when the row failed authentication
};

struct ListFilter {
  std::string form;       // "" for every form
  std::string query;      // words to find in the record's name and text answers, ignoring diacritics
  bool include_void = false;
  // Only records with an open conflict, found through the conflict index
  // (notebook_index.cc): the others are not opened.
  bool conflicts_only = false;
};

struct SaveOutcome {
  std::string id;                   // the record's id, when saved
  std::vector<FieldIssue> issues;   // non-empty: nothing was saved
  size_t edits = 0;                 // edits made (0 when nothing changed)
  bool ok() const { return issues.empty(); }
};

// What attaching a file did to it (Notebook::Attach).
struct AttachReport {
  ReducedImage image;  // what ReduceImage decided; its bytes are sealed and cleared
  int64_t bytes_before = 0, bytes_after = 0;
};

// An edit the server refused, kept (sealed) until the worker retries or drops it.
struct KeptRejection {
  Edit edit;              // edit.dot always; the rest empty if the device no longer holds the edit
  std::string reason;     // the server's, for a person
  int64_t refused_ms = 0;
};

class Notebook final : public SyncStore {
 public:
  static Result<std::unique_ptr<Notebook>> Create(const std::string& path, std::string_view passphrase,
                                                  const NotebookOptions& options = {});
  static Result<std::unique_ptr<Notebook>> Open(const std::string& path, std::string_view passphrase,
                                                const NotebookOptions& options = {});
  ~Notebook();

  // SealedStore::ChangePassphrase: an error may also say the change landed but the
  // old sealed key could not yet be wiped.
  Status ChangePassphrase(std::string_view new_passphrase, const KdfLimits& limits);

  const std::string& device_id() const override { return device_id_; }
  // Who this device works for: the commune code and the user id (set by enrollment;
  // until then by `sotay init --area`).
  Status SetProfile(const std::string& area, const std::string& author);
  const std::string& area() const { return area_; }
  const std::string& author() const { return author_; }
  // The user's role as the server said at enrollment ("worker", "district"...; ""
  // before enrollment or from an older server).
  const std::string& role() const { return role_; }
  // The communes this device's user may edit, as the server last said (enrollment,
  // sync answers). Empty: not told (not enrolled, or an older server).
  const std::vector<Commune>& communes() const { return communes_; }
  const std::string& communes_tag() const override { return communes_tag_; }
  Status SetCommunes(const CommuneList& list) override;
  // The commune a new top-level record goes to: `chosen`, or this device's own area
  // when empty. When the device knows its user's communes the result is one of them:
  // InvalidArgument for a commune not among them, FailedPrecondition when none was
  // chosen and the device's own area is not a commune (a district officer's device),
  // or when the device belongs to a district user and knows no communes yet. So a
  // record is never saved in an area the server will refuse.
  Result<std::string> CommuneForNewRecord(const std::string& chosen) const;
  // Whether a new top-level record needs a commune named (CommuneForNewRecord("")
  // would fail).
  bool NeedsCommuneChoice() const { return !CommuneForNewRecord("").ok(); }

  // The language and date validation uses on this device.
  CheckEnv MakeEnv(const std::string& lang) const;

  // Forms. A published (id, version) never changes: installing a different text
  // under the same version is refused; the same text again is a no-op.
  Result<FormInfo> InstallForm(std::string_view json_text, const std::string& source);
  std::vector<FormInfo> Forms() const;  // the newest version of each top-level form
  // The form, or the child form of a repeat ("parent.repeat"); version 0: the newest.
  Result<const Form*> FindForm(const std::string& id, int version = 0) const;

  // Records.
  // `commune`: see CommuneForNewRecord (a repeat's entry takes its parent's area).
  Result<SaveOutcome> CreateRecord(const std::string& form_id, const Answers& answers,
                                   const std::string& parent_id, const std::string& lang,
                                   const std::string& commune = "");
  // Creates many records of a top-level form in one transaction (an import): the
  // rows that pass validation are all saved, or none if the store fails; each
  // outcome says which. `progress(done, total)` is called as records are stored.
  Result<std::vector<SaveOutcome>> CreateRecords(const std::string& form_id, const std::vector<Answers>& rows,
                                                 const std::string& lang,
                                                 const std::function<void(size_t, size_t)>& progress = {},
                                                 const std::string& commune = "");
  // Changes some answers; "" clears one. Setting a field that is in conflict resolves it.
  Result<SaveOutcome> EditRecord(const std::string& id, const Answers& changes, const std::string& lang);
  Status Void(const std::string& id);
  Status Restore(const std::string& id);
  // Settles the open conflict on `field` (one of RecordState::Conflicts()) with
  // `value`: an edit whose base names every competing head, as the dashboard's
  // resolution is, so the conflict closes here and, once synced, everywhere. A form
  // field's value is checked like an edit's (SaveOutcome::issues); "_status" takes
  // kStatusVoid (a void naming every head of the record) or kStatusActive; another
  // reserved field one of its competing values. FailedPrecondition when the field is
  // not in conflict.
  Result<SaveOutcome> Resolve(const std::string& id, const std::string& field, const std::string& value,
                              const std::string& lang);

  // An id, or an unambiguous start or end of one (at least 4 characters): the shell
  // shows an id's last 8 characters.
  Result<std::string> ResolveId(const std::string& id_or_part);
  Result<RecordView> Get(const std::string& id);
  // With a query, a form with identity facts (a child's profile) is searched through
  // its sealed search summaries, not its records: Corrupt naming the record when a
  // summary does not open, and the summaries are rebuilt at the next open.
  Result<std::vector<RecordSummary>> List(const ListFilter& filter, const std::string& lang);
  // The entries of the record's repeats (home visits), void ones included; read
  // through the link index, so only they are opened.
  Result<std::vector<std::string>> Children(const std::string& parent_id);
  // Every record linking to `id` (repeat entries, and records whose link field names
  // it, as a case's child_record_id), void ones included, in key order: through the
  // link index, so only they are opened.
  Result<std::vector<std::string>> LinkedTo(const std::string& id);
  // The ids of the records with an open conflict, from the conflict index (nothing
  // is opened but its rows).
  Result<std::vector<std::string>> Conflicted();
  // One page of the register (sotay/register_list.h), from the search summaries.
  Result<RegisterPage> RegisterList(const RegisterQuery& query, const std::string& lang);
  // Transfers (notebook_transfer.cc): the records that move with `id` (it first,
  // then the records under it at any depth and those whose child_record_id names
  // it), and the move itself: an _area edit to `to` on each that is not there yet,
  // in one transaction. Returns how many records moved; FailedPrecondition when
  // none had to. Whether `to` is a commune the server knows is the server's check.
  Result<std::vector<std::string>> TransferSet(const std::string& id);
  Result<size_t> Transfer(const std::string& id, const std::string& to);
  // The identity facts (duplicates.h) of a form's records that are not void, to find
  // a child saved twice: read from the search summaries (as List's errors).
  Result<std::vector<DuplicateProfile>> IdentityFacts(const std::string& form_id);
  // Removes a record from this device (a child who left the commune): its state, its
  // history, its search summary, drafts on it and refusals of it, in one transaction
  // (as ForgetRecords does for a pull). Its edits still waiting in
  // the outbox stay there. NotFound when there is no such record.
  Status ForgetRecord(const std::string& id);
  // Rebuilds every search summary and the record indexes (links, conflicts) from
  // the records, in one transaction. Open does it when their count disagrees with the
  // records', after one failed to open, or when the notebook's indexes are of an older
  // version (a notebook made before them).
  Status RebuildSearchSummaries();
  // The records of a form as reports see them (indicators.h), void ones included.
  Result<std::vector<ReportRecord>> ReportRecords(const std::string& form_id);
  // Every edit of the record, oldest first by (hlc, dot).
  Result<std::vector<Edit>> History(const std::string& id);

  // Sync: the SyncStore the sync loop reads and writes (sotay/sync_store.h). Also
  // read by the shell's `status` (the outbox, the last sync).
  Result<OutboxSlice> OutboxAfter(const std::string& after_key, size_t max_edits) override;
  Result<int64_t> OutboxCount() override;
  Result<SyncState> GetSyncState() override;
  Result<std::string> LinkMemory() override;
  Status SetLinkMemory(const std::string& text) override;
  Result<ExchangeOutcome> RecordExchange(const std::vector<Edit>& pulled, uint64_t cursor,
                                         const std::vector<Dot>& done, std::optional<int64_t> synced_at_ms,
                                         const std::vector<Rejection>& rejected = {},
                                         const std::vector<std::string>& gone = {}) override;
  std::vector<std::string> InstalledForms() const override;  // "form@version" of each
  Status InstallServerForm(std::string_view json_text) override;
  Result<std::string> ServerKey() override;
  Status PinServerKey(const std::string& key_b64) override;
  Result<RequestSignature> SignRequestDigest(const std::string& method, const std::string& path,
                                             const std::string& body_sha256_hex,
                                             int64_t clock_offset_ms = 0) override;

  // After enrollment: the server, and the user, commune and role the server says this
  // device works for. `server_key` is the server's Ed25519 public key (base64) from the
  // enrollment answer, pinned (sealed) so that only answers it signed are applied; ""
  // pins none, and the first sync then pins the key its answers are signed with.
  struct Enrollment {
    std::string server_url, user, area;
    std::string role;        // "worker", "district", ...; "" from an older server
    std::string server_key;  // base64, "" for none yet
    CommuneList communes;    // the communes the user may edit; none from an older server
  };
  Status SetEnrollment(const Enrollment& enrollment);
  // The device's Ed25519 public key (made and sealed on first use), base64.
  Result<std::string> PublicKeyBase64();

  // Unfinished interviews (sotay/drafts.h), in the same store.
  Drafts& drafts() { return drafts_; }
  // Files on records (sotay/attachments.h), in the same store.
  Attachments& attachments() { return attachments_; }
  // Keeps the file at `path` and sets the record's image or file field `field` to
  // its reference: an edit like any other, so a replaced file's reference stays in
  // the history. The file's size and type are checked against the field before it
  // is read (InvalidArgument naming the field, the limit and the file's size);
  // issues as EditRecord's.
  //
  // A JPEG or PNG is read whole (up to kAttachmentHardMaxBytes) and goes through
  // ReduceImage (sotay/image_reduce.h) first: reduced to the field's `max-pixels`,
  // turned upright, its EXIF/GPS removed; the field's `max-size` and `accept` then
  // apply to the bytes stored, which the reference describes. `report`, when given,
  // says what was done (for the line the worker reads: ReductionText).
  Result<SaveOutcome> Attach(const std::string& id, const std::string& field, const std::string& path,
                             const std::string& lang, AttachReport* report = nullptr);
  // The same for a file already in memory (an upload): sealed from memory, never
  // written to disk in clear. `file_name` gives the extension and names it in errors.
  Result<SaveOutcome> AttachBytes(const std::string& id, const std::string& field, const std::string& bytes,
                                  const std::string& file_name, const std::string& lang,
                                  AttachReport* report = nullptr);
  // The reference a record's image or file field holds now; NotFound when empty.
  Result<AttachmentRef> AttachmentOf(const std::string& id, const std::string& field);

  // Edits the server refused, oldest first, kept until the worker acts: a sync does
  // not lose them, and the record they belong to is not silently left on one device.
  Result<std::vector<KeptRejection>> Rejected();
  Result<int64_t> RejectedCount();
  // Puts the kept edits back in the outbox for the next sync (after the server's
  // rule is met: a form published, the user's area changed). Returns how many.
  Result<size_t> RetryRejected();
  // Forgets refusals: their values stay on this device only. Empty `dots`: all.
  // NotFound naming a dot that is not kept; then nothing is dropped.
  Result<size_t> DropRejected(const std::vector<Dot>& dots);

 private:
  Notebook(std::unique_ptr<SealedStore> store, Env* env);
  Status LoadMeta();
  Status LoadCommunes();
  static Status SealClearSettings(SealedStore& store);
  // A sealed setting (notebook_keys.h), "" when unset; Tampered, naming it, when it
  // was changed outside sotay.
  Result<std::string> Setting(const char* key);
  Status PutSetting(const char* key, const std::string& value);
  Status LoadForms();
  static Result<RecordView> ViewOf(const std::string& id, const std::string& plaintext);
  // Search summaries (notebook_search.cc). Put and Forget run inside the caller's
  // transaction, beside the record row they summarise.
  bool IsIdentityFormId(const std::string& form_id) const;
  Status PutSearchSummary(const std::string& id, const RecordState& state, int64_t now, const CheckEnv& env);
  Status ForgetSearchSummary(const std::string& id);
  Status EnsureSearchSummaries();
  // The link and conflict index rows of a record (notebook_index.cc), in the caller's
  // transaction beside its state.
  Status PutRecordIndexes(const std::string& id, const RecordState& state, int64_t now);
  Status ForgetRecordIndexes(const std::string& id);
  Status SummaryFailed(const Status& why);
  Status ScanSummaries(const std::string& form_id,
                       const std::function<void(const std::string&, SearchSummary&)>& visit);
  Result<RecordState> LoadState(const std::string& id);
  Edit NextEdit(const std::string& record, const std::string& field, const std::string& value,
                std::vector<Dot> base);
  // Runs `body` in a store transaction; on failure rolls back, and puts the edit
  // counter and clock back as they were.
  Status InTransaction(const std::function<Status()>& body);
  Status ApplyAndStore(const std::vector<Edit>& edits, bool local, size_t* applied,
                       const std::function<void(size_t, size_t)>& progress = {},
                       size_t* new_conflicts = nullptr);
  Status StoreEdits(const std::vector<Edit>& edits, bool local, size_t* applied,
                    const std::function<void(size_t, size_t)>& progress, size_t* new_conflicts);
  Status DropFromOutbox(const std::vector<Dot>& dots);
  // Forgets records transferred out of this device's communes (notebook_forget.cc):
  // their rows, history, drafts on them and refusals of them; the outbox keeps its
  // edits of them, which were made before the device knew and still go out.
  Status ForgetRecords(const std::vector<std::string>& ids);
  // Keeps refused edits (read from the outbox, which still holds them) with reasons.
  Status KeepRejected(const std::vector<Rejection>& rejected, int64_t now_ms);
  // Puts this device's new edits of one record in the outbox, a row per run of
  // consecutive counters keyed by its first dot, so an acknowledged dot finds its row
  // as the last key at or before its own (DropFromOutbox).
  Status QueueForSending(std::vector<Edit> edits, int64_t now_ms);
  // An outbox row's waiting edits (an edit group); Corrupt, naming the row, otherwise.
  static Result<std::vector<Edit>> OutboxRowEdits(const std::string& key, const std::string& plaintext);
  // The edits that create a record of `form` with `checked` answers.
  void CreationEdits(const Form& form, const Answers& checked, const std::string& area,
                     const std::string& parent_id, std::vector<Edit>& edits, std::string& id);

  std::unique_ptr<SealedStore> store_;
  Env* env_;
  Drafts drafts_;  // after store_, which it uses
  Attachments attachments_;  // likewise
  std::string device_id_, area_, author_, role_, communes_tag_;
  std::vector<Commune> communes_;
  uint64_t counter_ = 0;
  Hlc clock_last_;
  std::vector<Form> forms_;  // every installed version
};

}  // namespace sotay
