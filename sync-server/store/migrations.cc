// The SQLite file's schema steps (migrations.h), in order. Over 400 lines on
// purpose: the list of steps is the schema's history, each step a few statements
// that must stay as they were shipped, and it reads best whole and in order.
#include "store/migrations.h"

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sqlite_migrate.h"
#include "store/pg_schema.h"
#include "store/server_key.h"
#include "sotay/codec.h"

namespace sotay::server {

namespace {

// The SQL of each step. Append only: a step, once released, never changes.
const char* const kSql[] = {
    // 1: areas, accounts, devices, forms, the append-only edit history and records.
    R"sql(
CREATE TABLE areas (
  code   TEXT PRIMARY KEY,
  name   TEXT NOT NULL,
  parent TEXT REFERENCES areas(code),
  level  TEXT NOT NULL
);
CREATE INDEX areas_parent ON areas(parent);

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  role          TEXT NOT NULL CHECK (role IN ('worker', 'district', 'admin')),
  area          TEXT REFERENCES areas(code),
  password_hash TEXT,
  created_ms    INTEGER NOT NULL
);

CREATE TABLE enroll_codes (
  hash       BLOB PRIMARY KEY,
  user       TEXT NOT NULL REFERENCES users(id),
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL,
  used_ms    INTEGER,
  device     TEXT
);

CREATE TABLE devices (
  id           TEXT PRIMARY KEY,
  user         TEXT NOT NULL REFERENCES users(id),
  public_key   BLOB NOT NULL,
  enrolled_ms  INTEGER NOT NULL,
  last_seen_ms INTEGER,
  revoked_ms   INTEGER
);

CREATE TABLE nonces (
  device  TEXT NOT NULL,
  nonce   TEXT NOT NULL,
  seen_ms INTEGER NOT NULL,
  PRIMARY KEY (device, nonce)
) WITHOUT ROWID;
CREATE INDEX nonces_seen ON nonces(seen_ms);

CREATE TABLE forms (
  form         TEXT NOT NULL,
  version      INTEGER NOT NULL,
  definition   TEXT NOT NULL,
  published_ms INTEGER NOT NULL,
  PRIMARY KEY (form, version)
);
CREATE TRIGGER forms_never_change BEFORE UPDATE ON forms
BEGIN SELECT RAISE(ABORT, 'a published form never changes'); END;
CREATE TRIGGER forms_never_removed BEFORE DELETE ON forms
BEGIN SELECT RAISE(ABORT, 'a published form is never removed'); END;

CREATE TABLE edits (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  device      TEXT NOT NULL,
  counter     INTEGER NOT NULL,
  record      TEXT NOT NULL,
  field       TEXT NOT NULL,
  value       TEXT NOT NULL,
  hlc_ms      INTEGER NOT NULL,
  hlc_counter INTEGER NOT NULL,
  base        TEXT NOT NULL,
  author      TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  UNIQUE (device, counter)
);
CREATE INDEX edits_record ON edits(record);
CREATE TRIGGER edits_append_only_update BEFORE UPDATE ON edits
BEGIN SELECT RAISE(ABORT, 'the edit history is append-only'); END;
CREATE TRIGGER edits_append_only_delete BEFORE DELETE ON edits
BEGIN SELECT RAISE(ABORT, 'the edit history is append-only'); END;

CREATE TABLE records (
  id          TEXT PRIMARY KEY,
  form        TEXT NOT NULL,
  version     INTEGER NOT NULL,
  area        TEXT NOT NULL,
  parent      TEXT,
  state       BLOB NOT NULL,
  created_seq INTEGER NOT NULL,
  updated_seq INTEGER NOT NULL
);
CREATE INDEX records_area ON records(area);
CREATE INDEX records_parent ON records(parent);

CREATE TABLE rejected (
  id          INTEGER PRIMARY KEY,
  sender      TEXT NOT NULL,
  device      TEXT NOT NULL,
  counter     INTEGER NOT NULL,
  record      TEXT NOT NULL,
  field       TEXT NOT NULL,
  value       TEXT NOT NULL,
  hlc_ms      INTEGER NOT NULL,
  hlc_counter INTEGER NOT NULL,
  base        TEXT NOT NULL,
  author      TEXT NOT NULL,
  reason      TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  UNIQUE (sender, device, counter)
);
)sql",
    // 2: the dashboard: staff sessions, the hash-chained audit log, the server's own
    // identity for edits made in the dashboard, and each user's last login.
    R"sql(
ALTER TABLE users ADD COLUMN last_login_ms INTEGER;

CREATE TABLE web_sessions (
  token_hash  BLOB PRIMARY KEY,
  user        TEXT NOT NULL REFERENCES users(id),
  csrf        TEXT NOT NULL,
  created_ms  INTEGER NOT NULL,
  seen_ms     INTEGER NOT NULL,
  expires_ms  INTEGER NOT NULL,
  since_ms    INTEGER NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions(user);

CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at_ms     INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  target    TEXT NOT NULL,
  detail    TEXT NOT NULL,
  prev_hash BLOB NOT NULL,
  hash      BLOB NOT NULL
);
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE server_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql",
    // 3: the history kept as change sets: one row per run of consecutive edits one
    // device made to one record, received in one push. A row per edit (three B-trees
    // written per field of every new child) was most of the server's time in a sync.
    // The rows of `edits` move over in MoveEditsToSets, each as a set of one with its
    // seq, so devices' cursors stay valid.
    R"sql(
CREATE TABLE edit_sets (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  record        TEXT NOT NULL,
  device        TEXT NOT NULL,
  first_counter INTEGER NOT NULL,
  last_counter  INTEGER NOT NULL CHECK (last_counter >= first_counter),
  edits         BLOB NOT NULL,
  received_ms   INTEGER NOT NULL
);
CREATE UNIQUE INDEX edit_sets_dots ON edit_sets(device, first_counter);
CREATE INDEX edit_sets_record ON edit_sets(record);
CREATE TRIGGER edit_sets_append_only_update BEFORE UPDATE ON edit_sets
BEGIN SELECT RAISE(ABORT, 'the edit history is append-only'); END;
CREATE TRIGGER edit_sets_append_only_delete BEFORE DELETE ON edit_sets
BEGIN SELECT RAISE(ABORT, 'the edit history is append-only'); END;
)sql",
    // ---- 4 (server key): the server's Ed25519 key pair, which signs its answers
    // to devices; ServerKey::Create (server_key.h) fills it in the same transaction.
    R"sql(
CREATE TABLE server_keys (
  name       TEXT PRIMARY KEY,
  public_key BLOB NOT NULL,
  secret_key BLOB NOT NULL
);
)sql",
    // ---- end of 4 (server key)
    // 5: stopping a staff member (`admin disable-user`): the time the account was
    // disabled. A disabled user has no password, no usable device and no new code.
    R"sql(
ALTER TABLE users ADD COLUMN disabled_ms INTEGER;
)sql",
    // 6: most records (every child's profile) have no parent, and a NULL was one
    // B-tree insert of every new record for no lookup: only records with a parent are
    // indexed now. `parent = ?` implies NOT NULL, so the children's lookups use it.
    R"sql(
DROP INDEX records_parent;
CREATE INDEX records_parent ON records(parent) WHERE parent IS NOT NULL;
)sql",
    // 7: not the same: pairs of child profiles that staff said are two
    // children, so the duplicate queue never asks about them again. The smaller id
    // first (DuplicatePairKey), whichever order they were shown in.
    R"sql(
CREATE TABLE IF NOT EXISTS duplicate_not_same (
  first_id   TEXT NOT NULL,
  second_id  TEXT NOT NULL CHECK (first_id < second_id),
  decided_by TEXT NOT NULL,
  decided_ms INTEGER NOT NULL,
  PRIMARY KEY (first_id, second_id)
) WITHOUT ROWID;
)sql",
    // 8: moves between communes (a later _area edit), so that a pull can send a
    // record arriving in a device's communes whole and tell the devices it left to
    // forget it (docs/sync-protocol.md, "Transfers"). `seq` is the set that stored
    // the move.
    R"sql(
CREATE TABLE IF NOT EXISTS moves (
  seq INTEGER NOT NULL,
  record TEXT NOT NULL,
  from_area TEXT NOT NULL,
  to_area TEXT NOT NULL,
  moved_ms INTEGER NOT NULL,
  PRIMARY KEY (seq, record)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS moves_record ON moves (record, seq);
)sql",
    // 9: which district staff an administrator allowed to see sensitive answers (an
    // abuse report's reporter) on the dashboard and in exports: when it was granted,
    // NULL when not (schemas/README.md, "Sensitive").
    R"sql(
ALTER TABLE users ADD COLUMN sensitive_granted_ms INTEGER;
)sql",
    // 10: how to reach a staff member: the dashboard's cases page names the worker
    // responsible for a child and their phone (`admin add-user --phone --name`,
    // `admin set-user`). Both optional: accounts made before have neither.
    R"sql(
ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN display_name TEXT;
)sql",
    // 11: files on records (issue 20). The bytes are outside this file, under
    // `<database>.files/` (store/attachment_files.h); here what the server knows of
    // each: its size and type, who sent it, whether it is whole, which chunks
    // arrived, which records name it (the area rule for fetching it), and each
    // device's bytes per day (its quota).
    R"sql(
CREATE TABLE IF NOT EXISTS attachments (
  hash         TEXT PRIMARY KEY,
  size         INTEGER NOT NULL,
  media_type   TEXT NOT NULL,
  device       TEXT NOT NULL,
  complete     INTEGER NOT NULL DEFAULT 0,
  created_ms   INTEGER NOT NULL,
  completed_ms INTEGER
);
CREATE TABLE IF NOT EXISTS attachment_chunks (
  hash TEXT NOT NULL REFERENCES attachments(hash),
  n    INTEGER NOT NULL,
  PRIMARY KEY (hash, n)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS attachment_refs (
  hash   TEXT NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (hash, record)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS attachment_quota (
  device TEXT NOT NULL,
  day    INTEGER NOT NULL,
  bytes  INTEGER NOT NULL,
  PRIMARY KEY (device, day)
) WITHOUT ROWID;
)sql",
    // 12: purging files no current answer names (`admin purge-files`): the row stays,
    // saying when, by whom and why its bytes went, so the record's history and the
    // dashboard say "purged" rather than a broken link.
    R"sql(
ALTER TABLE attachments ADD COLUMN purged_ms INTEGER;
ALTER TABLE attachments ADD COLUMN purged_by TEXT;
ALTER TABLE attachments ADD COLUMN purge_reason TEXT;
)sql",
    // 13: the sign-in guard (store/login_guard.h): attempts per address and wrong
    // passwords per (user, address), in the database so that every server process on
    // it counts the same attempts. Rows go once older than the longest wait.
    R"sql(
CREATE TABLE IF NOT EXISTS login_guard (
  key      TEXT PRIMARY KEY,
  count    INTEGER NOT NULL,
  until_ms INTEGER NOT NULL,
  last_ms  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS login_guard_last ON login_guard (last_ms);
)sql",
    // 14: the dashboard's record index (web/record_index.h): each record's facts as
    // the record list, search, cases and reports read them, kept beside the record
    // so that the server's memory does not grow with a province's records. Derived:
    // rebuilt from `records` when missing, never moved or backed up for its own sake.
    R"sql(
CREATE TABLE IF NOT EXISTS record_facts (
  id          TEXT PRIMARY KEY,
  updated_seq INTEGER NOT NULL,
  form        TEXT NOT NULL,
  version     INTEGER NOT NULL,
  area        TEXT NOT NULL,
  parent      TEXT NOT NULL,
  known       INTEGER NOT NULL,
  unreadable  INTEGER NOT NULL,
  created_ms  INTEGER NOT NULL,
  updated_ms  INTEGER NOT NULL,
  is_void     INTEGER NOT NULL,
  conflicts   INTEGER NOT NULL,
  worker      TEXT NOT NULL,
  title       TEXT NOT NULL,
  name        TEXT NOT NULL,
  name_sort   BLOB NOT NULL,
  village     TEXT NOT NULL,
  village_key TEXT NOT NULL,
  sex         TEXT NOT NULL,
  born        INTEGER,
  groups      TEXT NOT NULL,
  links       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS record_facts_area ON record_facts (area, id);
CREATE INDEX IF NOT EXISTS record_facts_parent ON record_facts (parent) WHERE parent <> '';
CREATE INDEX IF NOT EXISTS record_facts_form ON record_facts (form, area);
-- Each record's shown answers and open conflicts, as JSON: apart, so that the list's
-- counts and filters read small rows.
CREATE TABLE IF NOT EXISTS record_answers (
  id    TEXT PRIMARY KEY,
  facts TEXT NOT NULL
);
)sql",
    // 15: a register profile's identity answers beside its facts, so the duplicate
    // scan reads neither the answers table nor their JSON (a province's queue after
    // each sync), and births by commune, so a year of them is read without the rest.
    // Every row is written again: the watermark starts over.
    R"sql(
ALTER TABLE record_facts ADD COLUMN identity TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS record_facts_born ON record_facts (area, born);
DELETE FROM server_meta WHERE key = 'record_facts.seq';
)sql",
};

// Steps in C++ that follow a migration's SQL, in its transaction.
Status MoveEditsToSets(sqlite::Db& db) {
  auto read = db.Prepare(
      "SELECT seq, device, counter, record, field, value, hlc_ms, hlc_counter, base, author, received_ms"
      " FROM edits ORDER BY seq");
  if (!read.ok()) return read.status();
  auto write = db.Prepare(
      "INSERT INTO edit_sets (seq, record, device, first_counter, last_counter, edits, received_ms)"
      " VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)");
  if (!write.ok()) return write.status();
  Status s = sqlite::ForEachRow(*read, [&]() -> Status {
    Edit e;
    e.dot = Dot{read->Text(1), static_cast<uint64_t>(read->Int(2))};
    e.record = read->Text(3);
    e.field = read->Text(4);
    e.value = read->Text(5);
    e.hlc = Hlc{read->Int(6), static_cast<uint32_t>(read->Int(7)), e.dot.device};
    auto base = nlohmann::json::parse(read->TextView(8), nullptr, /*allow_exceptions=*/false);
    if (!base.is_array()) return Status::Corrupt("edit " + std::to_string(read->Int(0)) + " has a malformed base");
    for (const auto& d : base) {
      if (!d.is_array() || d.size() != 2 || !d[0].is_string() || !d[1].is_number_unsigned()) {
        return Status::Corrupt("edit " + std::to_string(read->Int(0)) + " has a malformed base");
      }
      e.base.push_back(Dot{d[0].get<std::string>(), d[1].get<uint64_t>()});
    }
    e.author = read->Text(9);
    write->Bind(1, read->Int(0)).Bind(2, e.record).Bind(3, e.dot.device);
    write->Bind(4, static_cast<int64_t>(e.dot.counter)).BindBlob(5, EncodeEditGroup({e})).Bind(6, read->Int(10));
    return write->Run();
  });
  if (!s.ok()) return s;
  *read = sqlite::Statement();  // finished before the table it reads is dropped
  return db.Exec("DROP TABLE edits");
}

constexpr int kSteps = static_cast<int>(sizeof(kSql) / sizeof(kSql[0]));

// The steps for the SQLite file `db`.
std::vector<sqlite::Migration> SchemaSteps(sql::Db& db) {
  const std::vector<sqlite::Migration> steps = {
      {kSql[0]},
      {kSql[1]},
      {kSql[2], MoveEditsToSets},
      /* 4 (server key) */ {kSql[3], [&db](sqlite::Db&) { return ServerKey::Create(db); }},
      {kSql[4]},
      {kSql[5]},
      {kSql[6]},
      {kSql[7]},
      {kSql[8]},
      {kSql[9]},
      {kSql[10]},
      {kSql[11]},
      {kSql[12]},
      {kSql[13]},
      {kSql[14]},
  };
  static_assert(kSteps == 15, "one step per SQL text");
  return steps;
}

}  // namespace

int SchemaVersion() { return kSteps; }

Status Migrate(sql::Db& db) {
  if (db.postgres()) return MigratePostgres(db, SchemaVersion());
  return sqlite::Migrate(*db.lite(), SchemaSteps(db), "the server database");
}

}  // namespace sotay::server
