// The one SQLite layer (core/src/sqlite) on real files: binding and reading back,
// the row loop, transactions, the migration runner, and a disk fault injected
// through the VFS argument.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sqlite_db.h"
#include "sqlite_migrate.h"
#include "support/fault_vfs.h"
#include "support/temp_dir.h"

using sotay::Status;
using sotay::sqlite::Db;
using sotay::sqlite::ForEachRow;
using sotay::sqlite::Lifetime;
using sotay::sqlite::Migrate;
using sotay::sqlite::Migration;
using sotay::sqlite::Transaction;
using sotay::testing::FaultVfs;
using sotay::testing::TempDir;

namespace {

Db Fresh(const std::string& path, const char* vfs = nullptr) {
  auto db = Db::Open(path, Db::Mode::kCreate, vfs);
  INFO(db.status().ToString());
  REQUIRE(db.ok());
  REQUIRE(db->Exec("CREATE TABLE t (name TEXT PRIMARY KEY, bytes BLOB, n INTEGER)").ok());
  return std::move(db).value();
}

int64_t Count(Db& db, const char* sql) {
  auto n = db.QueryInt(sql);
  REQUIRE(n.ok());
  return *n;
}

std::vector<std::string> Names(Db& db) {
  auto st = db.Prepare("SELECT name FROM t ORDER BY name");
  REQUIRE(st.ok());
  std::vector<std::string> out;
  REQUIRE(ForEachRow(*st, [&] { out.push_back(st->Text(0)); }).ok());
  return out;
}

const std::vector<Migration> kTwoSteps = {
    {"CREATE TABLE a (x INTEGER);"},
    {"CREATE TABLE b (y INTEGER);", [](Db& db) { return db.Exec("INSERT INTO b VALUES (7)"); }},
};

}  // namespace

TEST_CASE("sqlite: what is bound reads back the same, copied or not", "[sqlite]") {
  TempDir dir;
  Db db = Fresh(dir.File("a.db"));
  const std::string name = "Nguyễn Thị Ánh";
  const std::string bytes("\x00\x01zero inside\xff", 14);
  {
    auto ins = db.Prepare("INSERT INTO t (name, bytes, n) VALUES (?1, ?2, ?3)");
    REQUIRE(ins.ok());
    REQUIRE(ins->Bind(1, name).BindBlob(2, bytes, Lifetime::kNoCopy).Bind(3, int64_t{-5}).Run().ok());
    REQUIRE(ins->Bind(1, "empty").BindBlob(2, std::string_view()).Bind(3, std::optional<int64_t>()).Run().ok());
    REQUIRE(ins->Bind(1, "null", Lifetime::kNoCopy).BindNull(2).Bind(3, std::optional<int64_t>(9)).Run().ok());
  }
  auto st = db.Prepare("SELECT bytes, n, bytes IS NULL FROM t WHERE name = ?1");
  REQUIRE(st.ok());
  auto row = st->Bind(1, name).Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  CHECK(st->Blob(0) == bytes);
  CHECK(st->Int(1) == -5);
  st->Reset();
  row = st->Bind(1, "empty").Step();
  REQUIRE((row.ok() && *row));
  CHECK(st->Int(2) == 0);  // a zero-length blob stays a blob, not NULL
  CHECK(st->BlobView(0).empty());
  CHECK(st->OptInt(1) == std::nullopt);
  st->Reset();
  row = st->Bind(1, "null").Step();
  REQUIRE((row.ok() && *row));
  CHECK(st->IsNull(0));
  CHECK(st->OptInt(1) == 9);
}

TEST_CASE("sqlite: a duplicate key is AlreadyExists and the message holds no bound value", "[sqlite]") {
  TempDir dir;
  Db db = Fresh(dir.File("a.db"));
  const std::string secret = "Sùng Thị Mai";
  auto ins = db.Prepare("INSERT INTO t (name) VALUES (?1)");
  REQUIRE(ins.ok());
  REQUIRE(ins->Bind(1, secret).Run().ok());
  Status s = ins->Bind(1, secret).Run();
  CHECK(s.code() == Status::Code::kAlreadyExists);
  CHECK(s.message().find("run a statement") != std::string::npos);
  CHECK(s.message().find(secret) == std::string::npos);
  CHECK(!db.Prepare("SELECT nope FROM t").ok());
}

TEST_CASE("sqlite: the row helper visits every row, stops on false, returns the first failure", "[sqlite]") {
  TempDir dir;
  Db db = Fresh(dir.File("a.db"));
  REQUIRE(db.Exec("INSERT INTO t (name, n) VALUES ('a', 1), ('b', 2), ('c', 3)").ok());
  auto st = db.Prepare("SELECT n FROM t ORDER BY n");
  REQUIRE(st.ok());
  int64_t sum = 0;
  REQUIRE(ForEachRow(*st, [&] { sum += st->Int(0); }).ok());
  CHECK(sum == 6);

  st->Reset();
  std::vector<int64_t> seen;
  REQUIRE(ForEachRow(*st, [&] {
            seen.push_back(st->Int(0));
            return seen.size() < 2;
          }).ok());
  CHECK(seen == std::vector<int64_t>{1, 2});

  st->Reset();
  seen.clear();
  Status s = ForEachRow(*st, [&]() -> Status {
    seen.push_back(st->Int(0));
    return st->Int(0) == 2 ? Status::Corrupt("row 2 is bad") : Status::OK();
  });
  CHECK(s.code() == Status::Code::kCorrupt);
  CHECK(seen == std::vector<int64_t>{1, 2});

  // Two of the same cached statement at once: the second is a statement of its own.
  auto outer = db.Prepare("SELECT n FROM t ORDER BY n");
  REQUIRE(outer.ok());
  int pairs = 0;
  REQUIRE(ForEachRow(*outer, [&]() -> Status {
            auto inner = db.Prepare("SELECT n FROM t ORDER BY n");
            if (!inner.ok()) return inner.status();
            return ForEachRow(*inner, [&] { ++pairs; });
          }).ok());
  CHECK(pairs == 9);
}

TEST_CASE("sqlite: a transaction not committed is rolled back when it goes out of scope", "[sqlite]") {
  TempDir dir;
  Db db = Fresh(dir.File("a.db"));
  {
    Transaction txn(db);
    REQUIRE(txn.status().ok());
    CHECK(db.InTransaction());
    REQUIRE(db.Exec("INSERT INTO t (name) VALUES ('dropped')").ok());
  }
  CHECK_FALSE(db.InTransaction());
  CHECK(Names(db).empty());
  {
    Transaction txn(db);
    REQUIRE(db.Exec("INSERT INTO t (name) VALUES ('kept')").ok());
    REQUIRE(txn.Commit().ok());
    CHECK(txn.Commit().code() == Status::Code::kFailedPrecondition);  // already over
  }
  CHECK(Names(db) == std::vector<std::string>{"kept"});
  // A file that is missing is NotFound unless the open creates it.
  CHECK(Db::Open(dir.File("absent.db"), Db::Mode::kReadWrite).status().code() == Status::Code::kNotFound);
}

TEST_CASE("sqlite: the migration runner applies the missing steps, once", "[sqlite][migrate]") {
  TempDir dir;
  auto db = Db::Open(dir.File("m.db"), Db::Mode::kCreate);
  REQUIRE(db.ok());
  REQUIRE(Migrate(*db, {kTwoSteps[0]}, "test file").ok());
  CHECK(Count(*db, "PRAGMA user_version") == 1);
  REQUIRE(Migrate(*db, kTwoSteps, "test file").ok());
  CHECK(Count(*db, "PRAGMA user_version") == 2);
  CHECK(Count(*db, "SELECT count(*) FROM b") == 1);  // the C++ of step 2 ran
  REQUIRE(Migrate(*db, kTwoSteps, "test file").ok());
  CHECK(Count(*db, "SELECT count(*) FROM b") == 1);  // and not again
}

TEST_CASE("sqlite: the migration runner refuses a newer file, naming it and both versions", "[sqlite][migrate]") {
  TempDir dir;
  auto db = Db::Open(dir.File("m.db"), Db::Mode::kCreate);
  REQUIRE(db.ok());
  REQUIRE(db->Exec("PRAGMA user_version = 5").ok());
  Status s = Migrate(*db, kTwoSteps, "store file m.db");
  CHECK(s.code() == Status::Code::kFailedPrecondition);
  CHECK(s.message().find("store file m.db") != std::string::npos);
  CHECK(s.message().find('5') != std::string::npos);
  CHECK(s.message().find('2') != std::string::npos);
  CHECK(Count(*db, "PRAGMA user_version") == 5);
}

TEST_CASE("sqlite: a failing step leaves the file at the last version that completed", "[sqlite][migrate]") {
  TempDir dir;
  auto db = Db::Open(dir.File("m.db"), Db::Mode::kCreate);
  REQUIRE(db.ok());
  std::vector<Migration> steps = kTwoSteps;
  steps.push_back({"CREATE TABLE c (z INTEGER);", [](Db&) { return Status::Corrupt("the old rows do not decode"); }});
  Status s = Migrate(*db, steps, "test file");
  CHECK(s.code() == Status::Code::kCorrupt);
  CHECK(s.message().find("test file") != std::string::npos);
  CHECK(s.message().find("schema version 3") != std::string::npos);
  CHECK(Count(*db, "PRAGMA user_version") == 2);
  CHECK(Count(*db, "SELECT count(*) FROM sqlite_master WHERE name = 'c'") == 0);  // its SQL rolled back too
  CHECK_FALSE(db->InTransaction());
}

TEST_CASE("sqlite: a full disk met through the VFS argument is an IOError saying what was done", "[sqlite][fault]") {
  TempDir dir;
  FaultVfs vfs(/*make_default=*/false);
  Db db = Fresh(dir.File("f.db"), sotay::testing::kFaultVfsName);
  CHECK(std::string(db.vfs()) == sotay::testing::kFaultVfsName);
  const std::string big(64 * 1024, 'x');
  FaultVfs::Arm(1, sotay::testing::kFaultModes[0]);  // disk full from the first write on
  auto ins = db.Prepare("INSERT INTO t (name, bytes) VALUES (?1, ?2)");
  REQUIRE(ins.ok());
  Status s = ins->Bind(1, "a").BindBlob(2, big).Run();
  FaultVfs::Disarm();
  CHECK(FaultVfs::Fired());
  CHECK(s.code() == Status::Code::kIOError);
  CHECK(s.message() == "run a statement: disk full");
  CHECK(Names(db).empty());  // the failed write left nothing behind
}
