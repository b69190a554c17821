// The C example (examples/c/notebook_example.c) run as a phone app's developer would
// run it: against the real sotay-server on loopback, over real HTTP through libcurl.
// The test then reads the server's own database: the child must be there.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "e2e/server_process.h"
#include "store/server_store.h"

using namespace sotay::testing;
using sotay::server::ServerStore;

TEST_CASE("c example: a plain C program records a child and syncs it to a real server over libcurl",
          "[c_example][e2e]") {
  TempDir dir;
  const std::string db = dir.File("server.db"), areas = dir.File("areas.csv");
  std::ofstream(areas) << "code,name,parent_code,level\n"
                          "01,Tỉnh Thử Nghiệm,,province\n"
                          "001,Huyện Một,01,district\n"
                          "01234,Xã Bản Phố,001,commune\n";
  ServerAdmin({"admin", "init", "--db", db, "--areas", areas, "--forms", SOTAY_SCHEMAS_DIR});
  ServerAdmin({"admin", "add-user", "--db", db, "--id", "w-a", "--role", "worker", "--area", "01234"});
  const std::string issued = ServerAdmin({"admin", "enroll-code", "--db", db, "--user", "w-a"});
  const std::string code = issued.substr(0, issued.find_first_of(" \n"));
  ServerProcess server(db);

  const std::string out = dir.File("out.txt"), err = dir.File("err.txt");
  const std::string cmd = "SOTAY_PASSPHRASE='mật khẩu điện thoại' " + Shell::Quote(SOTAY_C_EXAMPLE_BIN) + " " +
                          Shell::Quote(server.url()) + " " + Shell::Quote(code) + " " +
                          Shell::Quote(dir.File("phone.db")) + " " +
                          Shell::Quote(std::string(SOTAY_SCHEMAS_DIR) + "/child_profile.json") + " " +
                          Shell::Quote(SOTAY_EXAMPLES_DIR "/child_nguyen.json") + " >" + Shell::Quote(out) +
                          " 2>" + Shell::Quote(err);
  const int status = std::system(cmd.c_str());
  INFO(ReadBytes(err));
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  const std::string id = nlohmann::json::parse(ReadBytes(out))["id"];
  REQUIRE(!id.empty());
  CHECK(ReadBytes(err).find("\"sent\":0") == std::string::npos);  // something went up

  server.Stop(SIGTERM);
  auto store = ServerStore::Open(db, ServerStore::Mode::kOpen);
  REQUIRE(store.ok());
  auto row = (*store)->LoadRecord(id);
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  const auto& record = **row;
  CHECK(record.form == "child_profile");
  CHECK(record.area == "01234");  // the commune enrollment gave the phone
  CHECK(record.state.Shown("full_name") == "Nguyễn Thị Ánh");
  CHECK(record.state.Shown("dob") == "2015-03-21");
}
