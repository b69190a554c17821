// The world of the end-to-end sync tests: the real sotay-server on an ephemeral
// loopback port over a real SQLite file (or, in the pg. run, a PostgreSQL schema of
// its own: tests/server/test_database.h), with a province of two districts (001: Bản
// Phố 01234 and Nà Hang 01235; 002: Đảo Xa 02001), workers w-a and w-b of 01234, w-n
// of 01235 and w-c of 02001, district officer d-1 of 001; real sotay devices enrolled
// with real keys. Shared by sync_e2e_test.cc and transfer_test.cc.
//
// Thread-safety: one test at a time per world.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <memory>
#include <string>

#include "server/test_database.h"
#include "server_process.h"
#include "support/edits_view.h"

namespace sotay::testing {

inline bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A district (001) with two communes, and another district (002) with one.
inline const char* kAreas =
    "code,name,parent_code,level\n"
    "01,Tỉnh Thử Nghiệm,,province\n"
    "001,Huyện Một,01,district\n"
    "01234,Xã Bản Phố,001,commune\n"
    "01235,Xã Nà Hang,001,commune\n"
    "002,Huyện Hai,01,district\n"
    "02001,Xã Đảo Xa,002,commune\n";

struct World {
  TempDir dir;
  sotay::server::testing::TestDatabase database{dir.File("server.db")};
  std::string db = database.target();
  std::unique_ptr<ServerProcess> server;

  std::string log = dir.File("server.log");  // the server's log, when asked for

  // `keep_log`: the server's log goes to `log` (else it is discarded).
  explicit World(bool keep_log = false) {
    std::string areas = dir.File("areas.csv");
    std::ofstream(areas) << kAreas;
    ServerAdmin({"admin", "init", "--db", db, "--areas", areas, "--forms", SOTAY_SCHEMAS_DIR});
    ServerAdmin({"admin", "add-user", "--db", db, "--id", "w-a", "--role", "worker", "--area", "01234"});
    ServerAdmin({"admin", "add-user", "--db", db, "--id", "w-b", "--role", "worker", "--area", "01234"});
    ServerAdmin({"admin", "add-user", "--db", db, "--id", "w-c", "--role", "worker", "--area", "02001"});
    ServerAdmin({"admin", "add-user", "--db", db, "--id", "w-n", "--role", "worker", "--area", "01235"});
    ServerAdmin({"admin", "add-user", "--db", db, "--id", "d-1", "--role", "district", "--area", "001"});
    server = std::make_unique<ServerProcess>(db, keep_log ? log : "", ServeExtra());
  }

  // Where the server keeps files' bytes, and what `serve` needs to be told of it.
  std::string FilesFolder() const { return database.postgres() ? dir.File("files") : db + ".files"; }
  std::vector<std::string> ServeExtra() const {
    return database.postgres() ? std::vector<std::string>{"--files", FilesFolder()} : std::vector<std::string>{};
  }

  // A device of `user`, initialised and enrolled.
  std::unique_ptr<Shell> Device(const std::string& user) {
    auto sh = std::make_unique<Shell>();
    REQUIRE((*sh)({"init"}).code == 0);
    std::string out = ServerAdmin({"admin", "enroll-code", "--db", db, "--user", user});
    std::string code = out.substr(0, out.find_first_of(" \n"));
    Run r = (*sh)({"enroll", server->url(), code});
    INFO(r.err);
    REQUIRE(r.code == 0);
    return sh;
  }

  void Sql(const std::string& sql) {
    sotay::server::sql::Db h = sotay::server::testing::OpenRaw(db);
    sotay::Status s = h.Exec(sql.c_str());
    INFO(s.ToString());
    REQUIRE(s.ok());
  }

  int64_t ServerCount(const std::string& sql) { return sotay::server::testing::CountRows(db, sql); }
};

inline std::string NewChild(const Shell& sh, const std::string& name) {
  std::string file = sh.Write("child.json", R"({"full_name": ")" + name + R"(", "sex": "female",
      "dob": "2015-03-21", "ethnicity": "tay", "birth_registered": "yes", "village": "Thôn Đông", "living_with": "relatives", "caregiver_name": "Hoàng Thị Lan",
      "household_poverty": "poor", "in_school": "yes", "school_level": "primary", "health_insurance": "yes",
      "disability": "no"})");
  Run r = sh({"new", "child_profile", "--answers", file});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  return r.out.substr(0, 36);
}

// A home visit under the child (the profile's home_visits repeat), returning its id.
inline std::string NewVisit(const Shell& sh, const std::string& child_id) {
  const std::string file = sh.Write("visit.json", R"({"visit_date": "2026-02-03", "visit_purpose": "routine",
      "child_seen": "yes", "risk_level": "low", "visit_notes": "Gia đình sắp chuyển nhà."})");
  Run r = sh({"new", "child_profile.home_visits", "--parent", child_id, "--answers", file});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  return r.out.substr(0, 36);
}

inline void Sync(const Shell& sh) {
  Run r = sh({"sync"});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
}

}  // namespace sotay::testing
