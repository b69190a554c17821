// `sotay-server admin backup`: a checked, owner-only copy taken while the server
// runs (admin/backup.h).
#include <filesystem>
#include <sstream>

#include "admin/admin_cli.h"
#include "server_world.h"

using namespace sotay;
using namespace sotay::server;
using namespace sotay::server::testing;

namespace {

struct Cli {
  int code = 0;
  std::string out, err;
};

Cli Admin(FakeEnv& env, const std::vector<std::string>& args) {
  std::ostringstream out, err;
  Cli c;
  c.code = RunAdmin(args, out, err, &env, "");
  c.out = out.str();
  c.err = err.str();
  return c;
}

}  // namespace

TEST_CASE("admin backup: a copy taken while another connection writes holds every committed record",
          "[server][admin][backup]") {
  ServerWorld w;
  TestDevice a = w.Device("w-a");
  SyncRequest q;
  q.push = a.CreateRecord(PrefixedId("aaaaaaaa", 1), "01234", {{"full_name", "Lò Thị Mai"}, {"age", "9"}});
  auto more = a.CreateRecord(PrefixedId("bbbbbbbb", 2), "01234", {{"full_name", "Vàng A Páo"}, {"age", "11"}});
  q.push.insert(q.push.end(), more.begin(), more.end());
  REQUIRE(w.Sync(a, q).rejected.empty());
  const std::string committed = Snapshot(w.db);

  // The server is in the middle of a write nobody has committed yet.
  auto writer = sqlite::Db::Open(w.db, sqlite::Db::Mode::kReadWrite);
  REQUIRE(writer.ok());
  REQUIRE(writer->Exec("PRAGMA journal_mode = WAL; BEGIN IMMEDIATE;"
                       "INSERT INTO server_meta (key, value) VALUES ('half-done', 'x');").ok());

  const std::string copy = w.dir.File("backups/server-2026-11-28.db");
  std::filesystem::create_directories(w.dir.File("backups"));
  Cli c = Admin(w.env, {"backup", "--db", w.db, "--to", copy});
  INFO(c.err);
  REQUIRE(c.code == 0);
  REQUIRE(writer->Exec("ROLLBACK").ok());
  CHECK(c.out.find("2 records") != std::string::npos);
  CHECK(c.out.find("integrity check ok") != std::string::npos);
  // Exactly what was committed: the uncommitted row is not in it.
  CHECK(Snapshot(copy) == committed);
  CHECK(CountRows(copy, "SELECT count(*) FROM server_meta WHERE key = 'half-done'") == 0);
  CHECK_FALSE(std::filesystem::exists(copy + ".partial"));
  // It holds the children's records and the server's key: owner-only.
  const auto perms = std::filesystem::status(copy).permissions();
  CHECK((perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) ==
        std::filesystem::perms::none);
  // And it is a server database: its audit log verifies.
  Cli verify = Admin(w.env, {"verify-audit", "--db", copy});
  CHECK(verify.code == 0);

  // A second backup to the same name is refused and changes nothing.
  const std::string before = Snapshot(copy);
  Cli again = Admin(w.env, {"backup", "--db", w.db, "--to", copy});
  CHECK(again.code != 0);
  CHECK(again.err.find("already exists") != std::string::npos);
  CHECK(Snapshot(copy) == before);
}

TEST_CASE("admin backup: a folder that does not exist is named, and nothing is left behind", "[server][admin][backup]") {
  ServerWorld w;
  const std::string copy = w.dir.File("no-such-folder/copy.db");
  Cli c = Admin(w.env, {"backup", "--db", w.db, "--to", copy});
  CHECK(c.code != 0);
  CHECK(c.err.find("copy.db") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(copy));
  CHECK_FALSE(std::filesystem::exists(copy + ".partial"));
  Cli usage = Admin(w.env, {"backup", "--db", w.db});
  CHECK(usage.code != 0);
  CHECK(usage.err.find("--to") != std::string::npos);
}
