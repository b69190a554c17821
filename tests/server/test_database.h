// The database one server test runs on. By default a SQLite file in the test's temp
// folder. When SOTAY_TEST_POSTGRES names a PostgreSQL database (ctest's "pg." tests
// start one with scripts/pg-test-cluster.sh), a schema of the test's own in it,
// dropped when the test ends: the same test then checks the PostgreSQL store.
//
// Tests that only make sense on a SQLite file (its VFS, WAL checkpoints, the online
// backup, PRAGMAs) carry the tag [sqlite]; the PostgreSQL run leaves them out.
#pragma once

#include <sodium.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "sotay/codec.h"
#include "store/sql_db.h"
#include "support/edits_view.h"

namespace sotay::server::testing {

// The PostgreSQL database the tests run on ("" for SQLite files).
inline std::string PostgresBase() {
  const char* v = std::getenv("SOTAY_TEST_POSTGRES");
  return v != nullptr ? std::string(v) : std::string();
}

inline bool OnPostgres() { return !PostgresBase().empty(); }

// `base` with its search_path set to `schema`.
inline std::string WithSchema(const std::string& base, const std::string& schema) {
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
}

class TestDatabase {
 public:
  // `sqlite_only`: a SQLite file whatever the run (a move's source).
  explicit TestDatabase(std::string sqlite_path, bool sqlite_only = false) : target_(std::move(sqlite_path)) {
    const std::string base = PostgresBase();
    if (base.empty() || sqlite_only) return;
    unsigned char r[6];
    randombytes_buf(r, sizeof r);
    schema_ = "t" + std::to_string(getpid()) + "_";
    for (unsigned char c : r) schema_ += "0123456789abcdef"[c >> 4], schema_ += "0123456789abcdef"[c & 15];
    auto db = sql::Db::OpenPostgres(base);
    INFO(db.status().ToString());
    REQUIRE(db.ok());
    // The name is made here from digits and hex, never from data.
    REQUIRE(db->Exec(("CREATE SCHEMA " + schema_).c_str()).ok());
    target_ = WithSchema(base, schema_);
  }
  ~TestDatabase() {
    if (schema_.empty()) return;
    auto db = sql::Db::OpenPostgres(PostgresBase());
    if (db.ok()) (void)db->Exec(("DROP SCHEMA " + schema_ + " CASCADE").c_str());
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& target() const { return target_; }
  bool postgres() const { return !schema_.empty(); }

 private:
  std::string target_;
  std::string schema_;
};

// A plain connection to the test's database, around the server (as someone with
// the file or the database's password would reach it).
inline sql::Db OpenRaw(const std::string& db) {
  if (sql::IsPostgresTarget(db)) {
    auto h = sql::Db::OpenPostgres(db);
    INFO(h.status().ToString());
    REQUIRE(h.ok());
    return std::move(h).value();
  }
  auto h = sqlite::Db::Open(db, sqlite::Db::Mode::kReadWrite);
  INFO(h.status().ToString());
  REQUIRE(h.ok());
  return sql::Db(std::move(h).value());
}

// On PostgreSQL: a TEMP table `edits` with a row per edit, as AddEditsView makes on
// a SQLite file.
inline void AddPostgresEditsView(sql::Db& h) {
  REQUIRE(h.Exec("CREATE TEMP TABLE edits (seq BIGINT, device TEXT, counter BIGINT, record TEXT, field TEXT,"
                 " value TEXT, author TEXT, received_ms BIGINT)")
              .ok());
  auto read = h.Prepare("SELECT seq, edits, received_ms FROM edit_sets ORDER BY seq");
  REQUIRE(read.ok());
  std::vector<std::pair<Edit, std::pair<int64_t, int64_t>>> rows;
  Status s = sql::ForEachRow(*read, [&]() -> Status {
    auto edits = DecodeEditGroup(read->BlobView(1));
    if (!edits.ok()) return edits.status();
    for (Edit& e : *edits) rows.push_back({std::move(e), {read->Int(0), read->Int(2)}});
    return Status::OK();
  });
  REQUIRE(s.ok());
  auto write = h.Prepare("INSERT INTO edits VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  REQUIRE(write.ok());
  for (const auto& [e, at] : rows) {
    write->Bind(1, at.first).Bind(2, e.dot.device).Bind(3, static_cast<int64_t>(e.dot.counter));
    write->Bind(4, e.record).Bind(5, e.field).Bind(6, e.value).Bind(7, e.author).Bind(8, at.second);
    REQUIRE(write->Run().ok());
  }
}

// The first column of the one row `sql` gives, on either store. A test's own SQL in
// the common dialect; `edits` is the per-edit table above.
inline int64_t CountRows(const std::string& db, const std::string& sql) {
  if (!sql::IsPostgresTarget(db)) return sotay::testing::CountRows(db, sql);
  auto h = sql::Db::OpenPostgres(db);
  REQUIRE(h.ok());
  if (sql.find(" edits") != std::string::npos) AddPostgresEditsView(*h);
  auto st = h->PrepareUncached(sql);
  REQUIRE(st.ok());
  auto row = st->Step();
  INFO(sql);
  INFO(row.status().ToString());
  REQUIRE(row.ok());
  REQUIRE(*row);
  return st->Int(0);
}

}  // namespace sotay::server::testing
