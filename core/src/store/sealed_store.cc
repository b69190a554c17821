// SealedStore: rows, meta and transactions (opening and keys are in store_open.cc).
// Format: docs/store-format.md.
#include <sodium.h>

#include <cstring>
#include <utility>

#include "sotay/sealed_store.h"
#include "store/sealed_store_impl.h"

namespace sotay {

const char* TableName(Table t) {
  switch (t) {
    case Table::kRecords: return "records";
    case Table::kEdits: return "edits";
    case Table::kOutbox: return "outbox";
    case Table::kDrafts: return "drafts";
    case Table::kForms: return "forms";
    case Table::kSecrets: return "secrets";
    case Table::kRejected: return "rejected";
    case Table::kSummaries: return "summaries";
    case Table::kAttachments: return "attachments";
    case Table::kAttachmentChunks: return "attachment_chunks";
    case Table::kLinks: return "links";
    case Table::kConflicts: return "conflicts";
  }
  return "unknown";
}

namespace {

bool ValidTable(Table t) {
  const int i = static_cast<int>(t);
  return i >= 0 && i < kNumTables;
}

bool HasNul(std::string_view s) { return std::memchr(s.data(), '\0', s.size()) != nullptr; }

// The SQL of each cached statement. The table name is one of TableName's fixed
// identifiers (identifiers cannot be bound); every value is a bound parameter.
std::string SqlFor(Table table, StmtKind kind) {
  const std::string t = TableName(table);
  switch (kind) {
    case StmtKind::kPut:
      return "INSERT OR REPLACE INTO " + t + "(key, idx, stamp, sealed) VALUES (?1, ?2, ?3, ?4)";
    case StmtKind::kGet: return "SELECT idx, sealed FROM " + t + " WHERE key = ?1";
    case StmtKind::kHas: return "SELECT 1 FROM " + t + " WHERE key = ?1";
    case StmtKind::kDelete: return "DELETE FROM " + t + " WHERE key = ?1";
    case StmtKind::kScanAll: return "SELECT key, idx, stamp, sealed FROM " + t + " ORDER BY key";
    case StmtKind::kScanIndex:
      return "SELECT key, idx, stamp, sealed FROM " + t + " WHERE idx = ?1 ORDER BY key";
    case StmtKind::kScanAfter:
      return "SELECT key, idx, stamp, sealed FROM " + t + " WHERE key > ?1 ORDER BY key";
    case StmtKind::kKeysFrom: return "SELECT key FROM " + t + " WHERE key >= ?1 ORDER BY key";
    case StmtKind::kRowKeys: return "SELECT key, idx FROM " + t + " ORDER BY key";
    case StmtKind::kCount: return "SELECT count(*) FROM " + t;
    case StmtKind::kKeyAtOrBefore:
      return "SELECT key, idx FROM " + t + " WHERE key <= ?1 ORDER BY key DESC LIMIT 1";
  }
  return {};
}

Status TamperedRow(const std::string& key, Table table) {
  return Status::Tampered("row " + key + " of " + TableName(table) +
                          " failed authentication (tampered or corrupt)");
}

Status NoSuchTable() { return Status::InvalidArgument("no such table"); }

// Every bind of the store is of bytes that live until the statement is Reset or Run:
// no copy (a sealed row can be large, and Put is the hot path).
constexpr sqlite::Lifetime kNoCopy = sqlite::Lifetime::kNoCopy;

// Resets a kept statement when it goes out of scope, so a read never stays open.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite::Statement* s) : s_(s) {}
  ~ResetOnExit() { s_->Reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite::Statement* s_;
};

// Marks a statement busy for the length of a scan, and resets it afterwards.
class ScanGuard {
 public:
  ScanGuard(bool* in_use, sqlite::Statement* st) : in_use_(in_use), st_(st) {
    if (in_use_ != nullptr) *in_use_ = true;
  }
  ~ScanGuard() {
    st_->Reset();
    if (in_use_ != nullptr) *in_use_ = false;
  }
  ScanGuard(const ScanGuard&) = delete;
  ScanGuard& operator=(const ScanGuard&) = delete;

 private:
  bool* in_use_;
  sqlite::Statement* st_;
};

}  // namespace

// ---- Impl ----

Status SealedStore::Impl::PrepareCommon() {
  struct {
    sqlite::Statement* out;
    const char* sql;
  } const kCommon[] = {{&get_meta, "SELECT value FROM meta WHERE key = ?1"},
                       {&put_meta, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)"},
                       {&begin, "BEGIN IMMEDIATE"},
                       {&commit, "COMMIT"},
                       {&rollback, "ROLLBACK"}};
  for (const auto& c : kCommon) {
    Result<sqlite::Statement> st = db.PrepareUncached(c.sql);
    if (!st.ok()) return st.status().Annotate("prepare store statements");
    *c.out = std::move(st).value();
  }
  return Status::OK();
}

Result<sqlite::Statement*> SealedStore::Impl::Stmt(Table table, StmtKind kind) {
  if (!ValidTable(table)) return NoSuchTable();
  sqlite::Statement& st = stmts_[static_cast<int>(table)][static_cast<int>(kind)];
  if (!st.prepared()) {
    Status s = PrepareFresh(table, kind, &st);
    if (!s.ok()) return s;
  }
  return &st;
}

Status SealedStore::Impl::PrepareFresh(Table table, StmtKind kind, sqlite::Statement* out) {
  Result<sqlite::Statement> st = db.PrepareUncached(SqlFor(table, kind));
  if (!st.ok()) return st.status().Annotate(std::string("prepare statement on ") + TableName(table));
  *out = std::move(st).value();
  return Status::OK();
}

Status SealedStore::Impl::WriteMeta(std::string_view key, std::string_view value) {
  put_meta.Bind(1, key, kNoCopy).BindBlob(2, value, kNoCopy);
  return put_meta.Run().Annotate("write meta");
}

Result<std::optional<std::string>> SealedStore::Impl::ReadMeta(std::string_view key) {
  ResetOnExit reset(&get_meta);
  Result<bool> row = get_meta.Bind(1, key, kNoCopy).Step();
  if (!row.ok()) return row.status().Annotate("read meta");
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(get_meta.Blob(0));
}

// ---- SealedStore ----

SealedStore::SealedStore(std::unique_ptr<Impl> impl, std::string path)
    : impl_(std::move(impl)), path_(std::move(path)) {}

SealedStore::~SealedStore() = default;  // Impl frees (and wipes) the data key

Status SealedStore::Begin() {
  if (impl_->db.InTransaction()) {
    return Status::FailedPrecondition("a transaction is already open on this store");
  }
  return impl_->begin.Run().Annotate("begin transaction");
}

Status SealedStore::Commit() {
  if (!impl_->db.InTransaction()) {
    return Status::FailedPrecondition(
        "no transaction is open (an earlier error may have rolled it back)");
  }
  Status s = impl_->commit.Run();
  // All or nothing; the commit's failure is the one to report.
  if (!s.ok() && impl_->db.InTransaction()) impl_->rollback.Run().IgnoreError();
  return s.Annotate("commit transaction");
}

void SealedStore::Rollback() {
  // Called after another failure, which is the one reported; a rollback that fails
  // leaves the transaction open, and the next Begin() says so.
  if (impl_->db.InTransaction()) impl_->rollback.Run().IgnoreError();
}

Status SealedStore::PutMeta(const std::string& key, const std::string& value) {
  if (key.compare(0, kReservedMetaPrefix.size(), kReservedMetaPrefix) == 0) {
    return Status::InvalidArgument("meta key " + key + " is reserved for the store itself");
  }
  return impl_->WriteMeta(key, value);
}

Result<std::optional<std::string>> SealedStore::GetMeta(const std::string& key) {
  return impl_->ReadMeta(key);
}

// The AD of a sealed meta row: the row identity scheme of every table, under the
// name "meta" and with an empty index.
constexpr char kMetaTable[] = "meta";

Status SealedStore::PutSealedMeta(const std::string& key, std::string_view value) {
  if (key.compare(0, kReservedMetaPrefix.size(), kReservedMetaPrefix) == 0) {
    return Status::InvalidArgument("meta key " + key + " is reserved for the store itself");
  }
  if (HasNul(key)) return Status::InvalidArgument("a meta key contains a NUL byte");
  store::SealRow(impl_->data_key, &impl_->nonces, kMetaTable, key, "", value, &impl_->ad, &impl_->sealed);
  return impl_->WriteMeta(key, impl_->sealed);
}

Result<std::optional<std::string>> SealedStore::GetSealedMeta(const std::string& key) {
  auto sealed = impl_->ReadMeta(key);
  if (!sealed.ok() || !sealed->has_value()) return sealed;
  std::string plain;
  if (!store::OpenRow(impl_->data_key, kMetaTable, key, "", **sealed, &impl_->ad, &plain)) {
    return Status::Tampered("meta row " + key + " failed authentication (changed outside sotay, or corrupt)");
  }
  return std::optional<std::string>(std::move(plain));
}

Status SealedStore::Put(Table table, const std::string& key, const std::string& index,
                        int64_t stamp, std::string_view plaintext) {
  Result<sqlite::Statement*> st = impl_->Stmt(table, StmtKind::kPut);
  if (!st.ok()) return st.status();
  if (HasNul(key) || HasNul(index)) {
    return Status::InvalidArgument("a row key or index contains a NUL byte");
  }
  store::SealRow(impl_->data_key, &impl_->nonces, TableName(table), key, index, plaintext,
                 &impl_->ad, &impl_->sealed);
  sqlite::Statement* put = *st;
  put->Bind(1, key, kNoCopy).Bind(2, index, kNoCopy).Bind(3, stamp).BindBlob(4, impl_->sealed, kNoCopy);
  return put->Run().Annotate(std::string("write row in ") + TableName(table));
}

Result<std::string> SealedStore::Get(Table table, const std::string& key) {
  Result<sqlite::Statement*> st = impl_->Stmt(table, StmtKind::kGet);
  if (!st.ok()) return st.status();
  sqlite::Statement* get = *st;
  ResetOnExit reset(get);
  Result<bool> row = get->Bind(1, key, kNoCopy).Step();
  if (!row.ok()) return row.status().Annotate(std::string("read row in ") + TableName(table));
  if (!*row) return Status::NotFound("no row " + key + " in " + TableName(table));
  std::string plain;
  if (!store::OpenRow(impl_->data_key, TableName(table), key, get->TextView(0),
                      get->BlobView(1), &impl_->ad, &plain)) {
    return TamperedRow(key, table);
  }
  return Result<std::string>(std::move(plain));  // explicit: some C++17 compilers copy
}

bool SealedStore::Has(Table table, const std::string& key) {
  Result<sqlite::Statement*> st = impl_->Stmt(table, StmtKind::kHas);
  if (!st.ok()) return false;
  ResetOnExit reset(*st);
  Result<bool> row = (*st)->Bind(1, key, kNoCopy).Step();
  return row.ok() && *row;
}

Status SealedStore::Delete(Table table, const std::string& key) {
  Result<sqlite::Statement*> st = impl_->Stmt(table, StmtKind::kDelete);
  if (!st.ok()) return st.status();
  return (*st)->Bind(1, key, kNoCopy).Run().Annotate(std::string("delete row in ") + TableName(table));
}

// Visits the rows the statement `kind` selects, bound to `param` when given.
static Status ScanRows(SealedStore::Impl* impl, Table table, StmtKind kind, const std::optional<std::string>& param,
                       const std::function<bool(const SealedRow&)>& visit) {
  Result<sqlite::Statement*> cached = impl->Stmt(table, kind);
  if (!cached.ok()) return cached.status();
  const std::string what = std::string("scan ") + TableName(table);
  // A visitor may scan the same table again: the inner scan gets its own statement.
  sqlite::Statement fresh;
  sqlite::Statement* st = *cached;
  bool* in_use = &impl->InUse(table, kind);
  if (*in_use) {
    Status s = impl->PrepareFresh(table, kind, &fresh);
    if (!s.ok()) return s;
    st = &fresh;
    in_use = nullptr;
  }
  ScanGuard guard(in_use, st);
  if (param) st->Bind(1, *param, kNoCopy);
  std::string ad;
  SealedRow row;
  return sqlite::ForEachRow(*st, [&] {
           row.key.assign(st->TextView(0));
           row.index.assign(st->TextView(1));
           row.stamp = st->Int(2);
           std::string plain;
           if (store::OpenRow(impl->data_key, TableName(table), row.key, row.index, st->BlobView(3), &ad, &plain)) {
             row.plaintext = std::move(plain);
           } else {
             row.plaintext = TamperedRow(row.key, table);
           }
           return visit(row);
         })
      .Annotate(what);
}

Status SealedStore::Scan(Table table, const std::optional<std::string>& index,
                         const std::function<bool(const SealedRow&)>& visit) {
  return ScanRows(impl_.get(), table, index ? StmtKind::kScanIndex : StmtKind::kScanAll, index, visit);
}

Status SealedStore::ScanAfter(Table table, const std::string& after_key,
                              const std::function<bool(const SealedRow&)>& visit) {
  return ScanRows(impl_.get(), table, StmtKind::kScanAfter, after_key, visit);
}

Result<std::vector<std::string>> SealedStore::KeysWithPrefix(Table table,
                                                             const std::string& prefix) {
  Result<sqlite::Statement*> st = impl_->Stmt(table, StmtKind::kKeysFrom);
  if (!st.ok()) return st.status();
  ResetOnExit reset(*st);
  // Keys are compared bytewise, so those starting with `prefix` are exactly the run
  // that begins at the first key >= prefix: no LIKE, no escaping of '%' or '_'.
  std::vector<std::string> keys;
  Status s = sqlite::ForEachRow((*st)->Bind(1, prefix, kNoCopy), [&] {
    const std::string_view key = (*st)->TextView(0);
    if (key.substr(0, prefix.size()) != prefix) return false;
    keys.emplace_back(key);
    return true;
  });
  if (!s.ok()) return s.Annotate(std::string("list keys in ") + TableName(table));
  return Result<std::vector<std::string>>(std::move(keys));
}

Result<std::optional<SealedStore::RowKey>> SealedStore::KeyAtOrBefore(Table table, const std::string& key) {
  Result<sqlite::Statement*> st = impl_->Stmt(table, StmtKind::kKeyAtOrBefore);
  if (!st.ok()) return st.status();
  ResetOnExit reset(*st);
  Result<bool> row = (*st)->Bind(1, key, kNoCopy).Step();
  if (!row.ok()) return row.status().Annotate(std::string("find a key in ") + TableName(table));
  if (!*row) return std::optional<RowKey>();
  return std::optional<RowKey>(RowKey{(*st)->Text(0), (*st)->Text(1)});
}

Result<std::vector<SealedStore::RowKey>> SealedStore::RowKeys(Table table) {
  Result<sqlite::Statement*> st = impl_->Stmt(table, StmtKind::kRowKeys);
  if (!st.ok()) return st.status();
  ResetOnExit reset(*st);
  std::vector<RowKey> keys;
  Status s = sqlite::ForEachRow(**st, [&] { keys.push_back(RowKey{(*st)->Text(0), (*st)->Text(1)}); });
  if (!s.ok()) return s.Annotate(std::string("list rows of ") + TableName(table));
  return Result<std::vector<RowKey>>(std::move(keys));
}

Result<int64_t> SealedStore::Count(Table table) {
  Result<sqlite::Statement*> st = impl_->Stmt(table, StmtKind::kCount);
  if (!st.ok()) return st.status();
  ResetOnExit reset(*st);
  Result<bool> row = (*st)->Step();
  if (!row.ok()) return row.status().Annotate(std::string("count rows in ") + TableName(table));
  if (!*row) return int64_t{0};
  return (*st)->Int(0);
}

std::string SealedStore::IndexTag(std::string_view value) const {
  // Its own subkey (KDF context "sotaytag", id 1), so a tag never equals anything
  // the data key seals or derives elsewhere.
  unsigned char key[crypto_generichash_KEYBYTES];
  crypto_kdf_derive_from_key(key, sizeof key, 1, "sotaytag", impl_->data_key.data());
  unsigned char tag[16];
  crypto_generichash(tag, sizeof tag, reinterpret_cast<const unsigned char*>(value.data()), value.size(), key,
                     sizeof key);
  sodium_memzero(key, sizeof key);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : tag) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

}  // namespace sotay
