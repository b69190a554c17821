#include "admin/move_to_postgres.h"

#include <filesystem>
#include <memory>

#include "store/attachment_files.h"
#include "store/pg_schema.h"
#include "store/server_store.h"

namespace sotay::server {

namespace {

// Every table of schema version 14, each after the tables its rows refer to. The
// dashboard's index (record_facts, record_answers) moves with its watermark in
// server_meta: one without the other would leave the moved dashboard empty.
const char* const kTables[] = {"areas",      "users",        "enroll_codes", "devices",  "nonces",
                               "forms",      "edit_sets",    "records",      "record_facts", "record_answers", "rejected", "web_sessions",
                               "audit_log",  "server_meta",  "server_keys",  "duplicate_not_same",
                               "moves",      "attachments",  "attachment_chunks", "attachment_refs",
                               "attachment_quota", "login_guard"};

struct Column {
  std::string name, type;  // PostgreSQL's data_type: bigint, bytea or text
};

Result<std::vector<Column>> ColumnsOf(sql::Db& pg, const std::string& table) {
  auto st = pg.Prepare(
      "SELECT column_name, data_type FROM information_schema.columns"
      " WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position");
  if (!st.ok()) return st.status();
  st->Bind(1, table);
  std::vector<Column> out;
  Status s = sql::ForEachRow(*st, [&] { out.push_back(Column{st->Text(0), st->Text(1)}); });
  st->Reset();
  if (!s.ok()) return s;
  if (out.empty()) return Status::Corrupt("the new database has no table " + table);
  return out;
}

std::string Quoted(const std::string& name) { return "\"" + name + "\""; }

// Copies `table` row by row. SQL is built from the fixed table list and the column
// names PostgreSQL's catalogue gives, never from data. areas.parent is copied as
// NULL and set after every area is in (an area refers to another area).
Result<int64_t> CopyTable(sql::Db& from, sql::Db& to, const std::string& table) {
  auto columns = ColumnsOf(to, table);
  if (!columns.ok()) return columns.status();
  std::string select = "SELECT ", insert = "INSERT INTO " + Quoted(table) + " (", values;
  for (size_t i = 0; i < columns->size(); ++i) {
    const std::string sep = i == 0 ? "" : ", ";
    select += sep + Quoted((*columns)[i].name);
    insert += sep + Quoted((*columns)[i].name);
    values += sep + "?" + std::to_string(i + 1);
  }
  select += " FROM " + Quoted(table);
  insert += ") VALUES (" + values + ")";
  auto read = from.PrepareUncached(select);
  if (!read.ok()) return read.status().Annotate("read " + table);
  // Kept prepared on PostgreSQL for the table's rows: the text lives until `to` closes.
  static std::vector<std::unique_ptr<std::string>> kept;
  kept.push_back(std::make_unique<std::string>(insert));
  auto write = to.Prepare(kept.back()->c_str());
  if (!write.ok()) return write.status().Annotate("write " + table);
  int64_t rows = 0;
  Status s = sql::ForEachRow(*read, [&]() -> Status {
    for (size_t i = 0; i < columns->size(); ++i) {
      const int col = static_cast<int>(i), param = col + 1;
      const Column& c = (*columns)[i];
      if (read->IsNull(col) || (table == "areas" && c.name == "parent")) {
        write->BindNull(param);
      } else if (c.type == "bigint") {
        write->Bind(param, read->Int(col));
      } else if (c.type == "bytea") {
        write->BindBlob(param, read->BlobView(col));
      } else {
        write->Bind(param, read->TextView(col));
      }
    }
    Status w = write->Run();
    if (!w.ok()) return w.Annotate("row " + std::to_string(rows + 1));
    ++rows;
    return Status::OK();
  });
  if (!s.ok()) return s.Annotate("copy " + table);
  if (table == "areas") {
    auto parents = from.Prepare("SELECT code, parent FROM areas WHERE parent IS NOT NULL");
    auto set = to.Prepare("UPDATE areas SET parent = ?2 WHERE code = ?1");
    if (!parents.ok()) return parents.status();
    if (!set.ok()) return set.status();
    s = sql::ForEachRow(*parents, [&]() -> Status {
      set->Bind(1, parents->TextView(0)).Bind(2, parents->TextView(1));
      return set->Run();
    });
    if (!s.ok()) return s.Annotate("copy the areas' parents");
  }
  return rows;
}

Result<int64_t> CountRows(sql::Db& db, const std::string& table) {
  auto st = db.PrepareUncached("SELECT count(*) FROM " + Quoted(table));  // a name from kTables
  if (!st.ok()) return st.status();
  auto row = st->Step();
  if (!row.ok()) return row.status();
  return *row ? st->Int(0) : 0;
}

}  // namespace

Result<MoveReport> MoveToPostgres(const std::string& from_file, const std::string& to_url, const std::string& actor,
                                  int64_t now_ms) {
  if (sql::IsPostgresTarget(from_file)) return Status::InvalidArgument("--from names a SQLite file, not a URL");
  if (!sql::IsPostgresTarget(to_url)) {
    return Status::InvalidArgument("--to names a PostgreSQL database: postgresql://...");
  }
  const std::string shown = sql::Redacted(to_url);
  auto source = ServerStore::Open(from_file, ServerStore::Mode::kOpen);  // brought to this version first
  if (!source.ok()) return source.status();
  sql::Db& from = (*source)->db();

  auto target = sql::Db::OpenPostgres(to_url);
  if (!target.ok()) return target.status().Annotate(shown);
  sql::Db& to = *target;
  MoveReport report;
  {
    sql::Transaction txn(to);
    if (!txn.status().ok()) return txn.status().Annotate(shown);
    auto has = HasPostgresSchema(to);
    if (!has.ok()) return has.status().Annotate(shown);
    if (*has) return Status::AlreadyExists(shown + " already holds a Sotay server's tables: move into an empty database");
    Status s = CreatePostgresTables(to);
    if (!s.ok()) return s.Annotate("make the tables in " + shown);
    // One snapshot of the source for every table (a server still running would go on
    // writing beside it; stop it first).
    s = from.Exec("BEGIN");
    if (!s.ok()) return s.Annotate(from_file);
    for (const char* table : kTables) {
      auto rows = CopyTable(from, to, table);
      if (!rows.ok()) {
        (void)from.Exec("ROLLBACK");
        return rows.status();
      }
      report.tables.emplace_back(table, *rows);
    }
    (void)from.Exec("COMMIT");
    // The numbers handed out go on from the file's: the next set is max(seq) + 1.
    s = to.Exec(
        "SELECT setval(pg_get_serial_sequence('edit_sets', 'seq'), max(seq)) FROM edit_sets HAVING count(*) > 0;"
        "SELECT setval(pg_get_serial_sequence('rejected', 'id'), max(id)) FROM rejected HAVING count(*) > 0;");
    if (s.ok()) {
      s = web::AppendAudit(to, web::AuditEntry{0, now_ms, actor, "store.move_to_postgres", "", "from a SQLite file"});
    }
    if (s.ok()) s = txn.Commit();
    if (!s.ok()) return s.Annotate("move into " + shown);
  }

  // Checked as the server would open it: every row there, the chain whole.
  auto moved = ServerStore::Open(to_url, ServerStore::Mode::kOpen);
  if (!moved.ok()) return moved.status().Annotate("open the moved database");
  for (const auto& [table, rows] : report.tables) {
    auto there = CountRows((*moved)->db(), table);
    if (!there.ok()) return there.status();
    const int64_t want = rows + (table == "audit_log" ? 1 : 0);
    if (*there != want) {
      return Status::Corrupt("after the move, " + table + " holds " + std::to_string(*there) + " rows, not " +
                             std::to_string(want));
    }
  }
  auto verdict = web::VerifyAudit((*moved)->db());
  if (!verdict.ok()) return verdict.status();
  if (!verdict->ok) return Status::Tampered("the moved audit log does not verify: " + verdict->reason);
  report.audit_entries = verdict->entries;
  std::error_code ec;
  const std::string folder = AttachmentFiles::FolderFor(from_file);
  if (std::filesystem::exists(folder, ec)) report.files_folder = folder;
  return report;
}

}  // namespace sotay::server
