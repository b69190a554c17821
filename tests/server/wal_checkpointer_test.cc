// The WAL checkpointer on a real SQLite file: what the writer commits reaches the
// database file itself, by the background thread or, past the limit, by the commit.
// A copy of the database file without its -wal shows what has been checkpointed.
#include <catch2/catch.hpp>

#include <chrono>
#include <climits>
#include <filesystem>
#include <string>
#include <thread>

#include "sqlite_db.h"
#include "support/temp_dir.h"
#include "store/wal_checkpointer.h"

using namespace sotay::server;
using sotay::sqlite::Db;
using sotay::sqlite::Transaction;
using sotay::testing::TempDir;

namespace {

Db OpenWriter(const std::string& path) {
  auto db = Db::Open(path, Db::Mode::kCreate);
  REQUIRE(db.ok());
  REQUIRE(db->Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                   "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, payload BLOB NOT NULL);")
              .ok());
  return std::move(db).value();
}

// `commits` transactions of 10 rows of 2 KiB each: about 5 WAL pages a commit.
void Write(Db& db, int commits) {
  const std::string payload(2048, 'x');
  for (int c = 0; c < commits; ++c) {
    Transaction txn(db);
    REQUIRE(txn.status().ok());
    for (int i = 0; i < 10; ++i) {
      auto st = db.Prepare("INSERT INTO t (payload) VALUES (?1)");
      REQUIRE(st.ok());
      st->BindBlob(1, payload);
      REQUIRE(st->Run().ok());
    }
    REQUIRE(txn.Commit().ok());
  }
}

// Rows in the database file alone, as if the -wal file were lost.
int64_t RowsInDatabaseFile(const TempDir& dir, const std::string& path) {
  const std::string copy = dir.File("copy.db");
  std::filesystem::remove(copy);
  std::filesystem::copy_file(path, copy);
  auto db = Db::Open(copy, Db::Mode::kReadWrite);
  REQUIRE(db.ok());
  auto n = db->QueryInt("SELECT count(*) FROM t");
  REQUIRE(n.ok());
  return *n;
}

}  // namespace

TEST_CASE("checkpointer: committed rows reach the database file from the background thread", "[server][wal][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("server.db");
  Db writer = OpenWriter(path);
  WalCheckpointer::Options o;
  o.start_pages = 20;
  o.max_wal_pages = INT_MAX;  // never inline: only the thread checkpoints
  auto cp = WalCheckpointer::Start(path, writer, o);
  REQUIRE(cp.ok());
  Write(writer, 40);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((*cp)->checkpoints() == 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE((*cp)->checkpoints() > 0);
  cp->reset();  // no checkpoint half done while the file is copied
  CHECK(RowsInDatabaseFile(dir, path) > 0);
}

TEST_CASE("checkpointer: past the WAL limit the commit checkpoints itself, and stopping gives SQLite its own back",
          "[server][wal][sqlite]") {
  TempDir dir;
  const std::string path = dir.File("server.db");
  Db writer = OpenWriter(path);
  {
    WalCheckpointer::Options o;
    o.start_pages = INT_MAX;  // the thread is never asked
    o.max_wal_pages = 20;
    auto cp = WalCheckpointer::Start(path, writer, o);
    REQUIRE(cp.ok());
    Write(writer, 10);
    CHECK((*cp)->checkpoints() == 0);
    CHECK(RowsInDatabaseFile(dir, path) >= 50);  // the commit that crossed 20 pages copied them
  }
  // Stopped: SQLite's own checkpoint at 1,000 pages is back. ~250 commits of 5 pages.
  Write(writer, 250);
  CHECK(RowsInDatabaseFile(dir, path) > 2000);
}

TEST_CASE("checkpointer: a database that cannot be opened is reported, naming what failed", "[server][wal][sqlite]") {
  TempDir dir;
  Db writer = OpenWriter(dir.File("server.db"));
  auto cp = WalCheckpointer::Start(dir.File("absent/server.db"), writer);
  REQUIRE_FALSE(cp.ok());
  CHECK(cp.status().message().find("checkpointer") != std::string::npos);
}
