// `sotay-server admin ...`: the database, areas, users, codes, devices and forms.
//
// Over 400 lines on purpose: every admin command, each a short case around the
// one parser and database they share (admin_cli.h).
#include <filesystem>
#include <sstream>

#include "admin/admin_cli.h"
#include "admin/area_tree.h"
#include "store/migrations.h"
#include "store/server_key.h"
#include "server_world.h"
#include "web_client.h"

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

TEST_CASE("admin: init loads the sample areas and publishes every form of the pack", "[server][admin]") {
  sotay::testing::TempDir dir;
  FakeEnv env;
  const std::string db = dir.File("s.db");
  Cli c = Admin(env, {"init", "--db", db, "--areas", SOTAY_SERVER_DIR "/areas-sample.csv", "--forms",
                      SOTAY_SCHEMAS_DIR});
  INFO(c.err);
  REQUIRE(c.code == 0);
  CHECK(CountRows(db, "SELECT count(*) FROM areas WHERE level = 'commune'") >= 4);
  CHECK(CountRows(db, "SELECT count(*) FROM areas WHERE code = '01234' AND level = 'commune'") == 1);
  CHECK(CountRows(db, "SELECT count(*) FROM forms WHERE form = 'child_profile'") == 1);
  CHECK(CountRows(db, "PRAGMA user_version") == SchemaVersion());
  // Readable by the server's account only, whatever the umask.
  const auto perms = std::filesystem::status(db).permissions();
  CHECK((perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) ==
        std::filesystem::perms::none);
  CHECK(CountRows(db, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'") == 1);
  CHECK(CountRows(db, "PRAGMA page_size") == 8192);  // a push writes a quarter of the frames 4 KiB pages took

  Cli again = Admin(env, {"init", "--db", db, "--areas", SOTAY_SERVER_DIR "/areas-sample.csv"});
  CHECK(again.code == 7);
}

TEST_CASE("admin: a broken areas file leaves no database behind", "[server][admin]") {
  sotay::testing::TempDir dir;
  FakeEnv env;
  const std::vector<std::pair<std::string, std::string>> broken = {
      {"missing parent", "code,name,parent_code,level\n01234,Xã A,999,commune\n"},
      {"commune with a child", "code,name,parent_code,level\n1,Tỉnh,,province\n2,Xã,1,commune\n3,Thôn,2,commune\n"},
      {"unknown level", "code,name,parent_code,level\n1,Tỉnh,,state\n"},
      {"duplicate", "code,name,parent_code,level\n1,Tỉnh,,province\n1,Tỉnh,,province\n"},
      {"cycle", "code,name,parent_code,level\n1,A,2,district\n2,B,1,district\n"},
      {"no header", "01234,Xã A,,commune\n"},
      {"bad code", "code,name,parent_code,level\n1 2,Tỉnh,,province\n"},
  };
  for (const auto& [what, csv] : broken) {
    INFO(what);
    std::ofstream(dir.File("areas.csv")) << csv;
    Cli c = Admin(env, {"init", "--db", dir.File("s.db"), "--areas", dir.File("areas.csv")});
    CHECK(c.code == 4);
    CHECK_FALSE(std::filesystem::exists(dir.File("s.db")));
  }
}

TEST_CASE("admin: init refuses a pack whose lists of one name differ, and leaves no database", "[server][admin]") {
  sotay::testing::TempDir dir;
  FakeEnv env;
  std::ofstream(dir.File("areas.csv")) << sotay::testing::kTestAreas;
  std::filesystem::create_directories(dir.File("forms"));
  // Two forms asking sex, one list in a different order: an answer would read alike
  // and mean the opposite.
  for (const auto& [name, order] : std::vector<std::pair<std::string, std::string>>{
           {"a", R"([{"name": "female", "label": {"vi": "Nữ"}}, {"name": "male", "label": {"vi": "Nam"}}])"},
           {"b", R"([{"name": "male", "label": {"vi": "Nam"}}, {"name": "female", "label": {"vi": "Nữ"}}])"}}) {
    std::ofstream(dir.File("forms/" + name + ".json"))
        << R"({"form": "form_)" << name << R"(", "version": 1, "title": {"vi": "Biểu )" << name
        << R"("}, "fields": [{"type": "select_one sex", "name": "sex", "label": {"vi": "Giới tính"}}],
              "choices": {"sex": )" << order << "}}";
  }
  Cli c = Admin(env, {"init", "--db", dir.File("s.db"), "--areas", dir.File("areas.csv"), "--forms", dir.File("forms")});
  INFO(c.err);
  CHECK(c.code == 4);
  CHECK(c.err.find("sex") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.File("s.db")));
}

TEST_CASE("admin: depth is data: a province with communes directly under it", "[server][admin]") {
  auto rows = ParseAreasCsv("code;name;parent_code;level\r\n01;Thành phố Hà Nội;;province\r\n00004;Phường Ba Đình;01;commune\r\n");
  REQUIRE(rows.ok());
  auto tree = AreaTree::Build(std::move(rows).value());
  REQUIRE(tree.ok());
  CHECK(tree->CommunesUnder("01") == std::vector<std::string>{"00004"});
  CHECK(tree->Within("00004", "01"));
  CHECK(tree->Find("00004")->name == "Phường Ba Đình");
}

TEST_CASE("admin: users get areas that fit their role - passwords are stored hashed", "[server][admin]") {
  ServerWorld w;
  const std::string db = w.db;
  CHECK(Admin(w.env, {"add-user", "--db", db, "--id", "w-9", "--role", "worker", "--area", "148"}).code == 4);
  CHECK(Admin(w.env, {"add-user", "--db", db, "--id", "d-9", "--role", "district", "--area", "01234"}).code == 4);
  CHECK(Admin(w.env, {"add-user", "--db", db, "--id", "w-9", "--role", "worker", "--area", "99999"}).code == 4);
  CHECK(Admin(w.env, {"add-user", "--db", db, "--id", "w-9", "--role", "boss", "--area", "01234"}).code == 2);
  CHECK(Admin(w.env, {"add-user", "--db", db, "--id", "w-a", "--role", "worker", "--area", "01234"}).code == 7);
  ::setenv("SOTAY_TEST_PASSWORD", "một mật khẩu dài", 1);
  Cli c = Admin(w.env, {"add-user", "--db", db, "--id", "d-2", "--role", "district", "--area", "17",
                        "--password-env", "SOTAY_TEST_PASSWORD"});
  REQUIRE(c.code == 0);
  CHECK(c.out.find("một mật khẩu") == std::string::npos);
  CHECK(c.out.find("argon2") == std::string::npos);
  CHECK(w.Count("SELECT count(*) FROM users WHERE id = 'd-2' AND password_hash LIKE '$argon2id$%'") == 1);
  CHECK(w.Snap().find("một mật khẩu") == std::string::npos);
}

TEST_CASE("admin: enroll-code prints a code once and stores only its hash", "[server][admin]") {
  ServerWorld w;
  Cli c = Admin(w.env, {"enroll-code", "--db", w.db, "--user", "w-a", "--hours", "1"});
  REQUIRE(c.code == 0);
  const std::string code = c.out.substr(0, c.out.find('\n'));
  CHECK(code.size() == 12);
  CHECK(code[4] == '-');
  std::string bare = code;
  bare.erase(std::remove(bare.begin(), bare.end(), '-'), bare.end());
  const std::string snap = w.Snap();
  CHECK(snap.find(code) == std::string::npos);
  CHECK(snap.find(bare) == std::string::npos);
  CHECK(w.Count("SELECT count(*) FROM enroll_codes WHERE \"user\" = 'w-a' AND used_ms IS NULL") == 1);
  CHECK(Admin(w.env, {"enroll-code", "--db", w.db, "--user", "nobody"}).code == 5);
  CHECK(Admin(w.env, {"enroll-code", "--db", w.db, "--user", "w-a", "--hours", "0"}).code == 4);
}

TEST_CASE("admin: devices lists enrollments - revoke refuses the device", "[server][admin]") {
  ServerWorld w;
  TestDevice dev = w.Device("w-a");
  REQUIRE(w.app().Handle(w.SignedSync(dev, SyncRequest{})).status == 200);
  Cli list = Admin(w.env, {"devices", "--db", w.db});
  REQUIRE(list.code == 0);
  CHECK(list.out.find(dev.id + "\tw-a\t2026-09-21T") != std::string::npos);
  CHECK(list.out.find("\t-\n") != std::string::npos);  // not revoked
  CHECK(Admin(w.env, {"revoke", "--db", w.db, "--device", dev.id}).code == 0);
  CHECK(Admin(w.env, {"revoke", "--db", w.db, "--device", "no-such"}).code == 5);
  CHECK(Admin(w.env, {"devices", "--db", w.db}).out.find("\t-\n") == std::string::npos);
  CHECK(w.app().Handle(w.SignedSync(dev, SyncRequest{})).status == 403);
}

TEST_CASE("admin: a published form version never changes", "[server][admin]") {
  ServerWorld w;
  std::ofstream(w.dir.File("same.json")) << kTestForm;
  Cli same = Admin(w.env, {"publish-form", "--db", w.db, w.dir.File("same.json")});
  CHECK(same.code == 0);
  CHECK(same.out.find("already published") != std::string::npos);

  std::string changed = kTestForm;
  changed.replace(changed.find("Hồ sơ thử"), std::string("Hồ sơ thử").size(), "Hồ sơ khác");
  std::ofstream(w.dir.File("changed.json")) << changed;
  const std::string before = w.Snap();
  Cli refused = Admin(w.env, {"publish-form", "--db", w.db, w.dir.File("changed.json")});
  CHECK(refused.code == 7);
  CHECK(refused.err.find("higher version") != std::string::npos);
  CHECK(w.Snap() == before);

  std::ofstream(w.dir.File("broken.json")) << R"({"form": "x", "version": 1, "fields": [{"type": "nonsense"}]})";
  CHECK(Admin(w.env, {"publish-form", "--db", w.db, w.dir.File("broken.json")}).code == 4);
}

TEST_CASE("admin: the history is append-only and a newer schema is refused", "[server][admin]") {
  ServerWorld w;
  TestDevice dev = w.Device("w-a");
  REQUIRE(w.Push(dev, dev.CreateRecord(RecordId(1), "01234", {})).rejected.empty());
  {
    sql::Db h = OpenRaw(w.db);
    CHECK(h.Exec("UPDATE edit_sets SET received_ms = 0").code() == sotay::Status::Code::kFailedPrecondition);
    CHECK(h.Exec("DELETE FROM edit_sets").code() == sotay::Status::Code::kFailedPrecondition);
    CHECK(h.Exec("UPDATE forms SET definition = '{}'").code() == sotay::Status::Code::kFailedPrecondition);
    REQUIRE(h.Exec(h.postgres() ? "UPDATE sotay_schema SET version = 99" : "PRAGMA user_version = 99").ok());
  }
  auto reopened = ServerStore::Open(w.db, ServerStore::Mode::kOpen);
  CHECK(reopened.status().code() == sotay::Status::Code::kFailedPrecondition);
  CHECK(reopened.status().message().find("schema version 99") != std::string::npos);
  CHECK(ServerStore::Open(w.dir.File("absent.db"), ServerStore::Mode::kOpen).status().code() ==
        sotay::Status::Code::kNotFound);
  if (OnPostgres()) {
    // An existing database that is not (yet) a Sotay server's: open refuses, naming
    // it without its password; init makes it.
    TestDatabase empty(w.dir.File("unused.db"));
    auto none = ServerStore::Open(empty.target(), ServerStore::Mode::kOpen);
    CHECK(none.status().code() == sotay::Status::Code::kNotFound);
    CHECK(none.status().message().find("admin init") != std::string::npos);
    auto made = ServerStore::Open(empty.target(), ServerStore::Mode::kCreate);
    REQUIRE(made.ok());
    CHECK(ServerStore::Open(empty.target(), ServerStore::Mode::kCreate).status().code() ==
          sotay::Status::Code::kAlreadyExists);
  }
}

TEST_CASE("admin: usage errors exit 2", "[server][admin]") {
  FakeEnv env;
  CHECK(Admin(env, {}).code == 2);
  CHECK(Admin(env, {"frobnicate", "--db", "x"}).code == 2);
  CHECK(Admin(env, {"devices"}).code == 2);
  CHECK(Admin(env, {"devices", "--db"}).code == 2);
  CHECK(Admin(env, {"devices", "--db", "x", "--colour", "red"}).code == 2);
  CHECK(Admin(env, {"devices", "--db", "/nonexistent/x.db"}).code == 5);
}

TEST_CASE("admin: a database that kept a row per edit moves to change sets with every edit and seq", "[server][admin][sqlite]") {
  ServerWorld w;
  TestDevice dev = w.Device("w-a");
  REQUIRE(w.Push(dev, dev.CreateRecord(RecordId(1), "01234", {})).rejected.empty());
  // Put the file back as schema 2 wrote it: the same records, and the history as
  // one row per edit, with seqs 10, 11, ... and a base in JSON text.
  auto h = sqlite::Db::Open(w.db, sqlite::Db::Mode::kReadWrite);
  REQUIRE(h.ok());
  const char* back_to_2 = R"sql(
    DROP TABLE edit_sets;
    DROP TABLE server_keys;
    CREATE TABLE edits (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, device TEXT NOT NULL, counter INTEGER NOT NULL,
      record TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, hlc_ms INTEGER NOT NULL,
      hlc_counter INTEGER NOT NULL, base TEXT NOT NULL, author TEXT NOT NULL, received_ms INTEGER NOT NULL,
      UNIQUE (device, counter));
    CREATE INDEX edits_record ON edits(record);
    ALTER TABLE users DROP COLUMN disabled_ms;
    ALTER TABLE users DROP COLUMN sensitive_granted_ms;
    ALTER TABLE users DROP COLUMN phone;
    ALTER TABLE users DROP COLUMN display_name;
    DROP TABLE attachments;
    DROP TABLE record_facts;
    DROP TABLE record_answers;
    PRAGMA user_version = 2;)sql";
  REQUIRE(h->Exec(back_to_2).ok());
  const std::string id = RecordId(1);
  std::string insert = "INSERT INTO edits VALUES ";
  const char* fields[] = {"_status", "_form", "_version", "_area", "full_name"};
  const char* values[] = {"active", "child_profile", "1", "01234", "Nguyễn Thị Ánh"};
  for (int i = 0; i < 5; ++i) {
    insert += std::string(i ? "," : "") + "(" + std::to_string(10 + i) + ", '" + dev.id + "', " +
              std::to_string(i + 1) + ", '" + id + "', '" + fields[i] + "', '" + values[i] + "', 1795000000000, " +
              std::to_string(i) + ", '" + (i == 4 ? "[[\"" + dev.id + "\",1]]" : std::string("[]")) +
              "', 'w-a', 1795000001000)";
  }
  REQUIRE(h->Exec(insert.c_str()).ok());
  h = sqlite::Db();  // closed before the store opens the file

  auto store = ServerStore::Open(w.db, ServerStore::Mode::kOpen);
  REQUIRE(store.ok());
  CHECK(CountRows(w.db, "PRAGMA user_version") == SchemaVersion());
  CHECK(CountRows(w.db, "SELECT count(*) FROM sqlite_master WHERE name = 'edits'") == 0);
  auto history = (*store)->HistoryOf(id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 5);
  for (int i = 0; i < 5; ++i) {
    const StoredEdit& h5 = (*history)[static_cast<size_t>(i)];
    CHECK(h5.seq == 10 + i);
    CHECK(h5.edit.dot.counter == static_cast<uint64_t>(i + 1));
    CHECK(h5.edit.field == fields[i]);
    CHECK(h5.edit.value == values[i]);
    CHECK(h5.received_ms == 1795000001000);
  }
  CHECK((*history)[4].edit.base == std::vector<Dot>{Dot{dev.id, 1}});
  // A device whose cursor stood at 12 still gets exactly what came after.
  std::vector<int64_t> seqs;
  REQUIRE((*store)->ScanSetsAfter(12, "another-device", {"01234"}, [&](StoredSet& set) {
    seqs.push_back(set.seq);
    return true;
  }).ok());
  CHECK(seqs == std::vector<int64_t>{13, 14});
  // New sets continue after the moved ones.
  Edit next{Dot{dev.id, 6}, id, "village", "Bản Phố", Hlc{1795000002000, 0, dev.id}, {}, "w-a"};
  auto seq = (*store)->AppendSet({next}, 1795000003000);
  REQUIRE(seq.ok());
  CHECK(*seq > 14);
}

TEST_CASE("admin: a database from before server keys gets a key pair when it is opened", "[server][admin][security][sqlite]") {
  ServerWorld w;
  {
    auto h = sqlite::Db::Open(w.db, sqlite::Db::Mode::kReadWrite);
    REQUIRE(h.ok());
    REQUIRE(h->Exec("DROP TABLE server_keys; ALTER TABLE users DROP COLUMN disabled_ms; "
                    "ALTER TABLE users DROP COLUMN sensitive_granted_ms; ALTER TABLE users DROP COLUMN phone; "
                    "ALTER TABLE users DROP COLUMN display_name; DROP TABLE attachments; DROP TABLE record_facts; "
                    "DROP TABLE record_answers; PRAGMA user_version = 3;").ok());
  }
  auto store = ServerStore::Open(w.db, ServerStore::Mode::kOpen);
  REQUIRE(store.ok());
  CHECK(CountRows(w.db, "PRAGMA user_version") == SchemaVersion());
  auto key = ServerKey::Load((*store)->db());
  INFO(key.status().ToString());
  REQUIRE(key.ok());
  CHECK(Base64Decode((*key)->public_key_base64(), kPublicKeyBytes));
}

TEST_CASE("admin: disable-user stops a staff member - no sign-in - no session - no device - no new enrollment",
          "[server][admin]") {
  ServerWorld w;
  const std::string password = "mật khẩu dài đủ 12";
  {
    auto store = w.OpenStore();
    REQUIRE(AddUser(*store, "d-2", Role::kDistrict, "148", password, &w.env).ok());
  }
  TestDevice dev = w.Device("d-2");
  const std::string unused_code = w.IssueCode("d-2");
  WebClient browser(w.app());
  REQUIRE(browser.Login("d-2", password));
  REQUIRE(w.app().Handle(w.SignedSync(dev, SyncRequest{})).status == 200);

  Cli c = Admin(w.env, {"disable-user", "--db", w.db, "--user", "d-2"});
  INFO(c.err);
  REQUIRE(c.code == 0);
  CHECK(c.out.find("d-2") != std::string::npos);
  CHECK(browser.Get("/records").status == 303);                               // the session ended
  CHECK(w.app().Handle(w.SignedSync(dev, SyncRequest{})).status == 403);      // the device is revoked
  WebClient again(w.app());
  CHECK_FALSE(again.Login("d-2", password));                                  // no password any more
  crypto_sign_keypair(dev.pk, dev.sk);
  CHECK(w.Enroll(unused_code, "dev-late-1", dev.PublicKeyBase64()).status != 200);  // old codes are void
  CHECK(Admin(w.env, {"enroll-code", "--db", w.db, "--user", "d-2"}).code == 7);
  CHECK(Admin(w.env, {"reset-password", "--db", w.db, "--user", "d-2"}).code == 7);
  CHECK(w.Count("SELECT count(*) FROM audit_log WHERE action = 'user.disable' AND target = 'd-2'") == 1);
  CHECK(w.Count("SELECT count(*) FROM devices WHERE user = 'd-2' AND revoked_ms IS NULL") == 0);

  CHECK(Admin(w.env, {"disable-user", "--db", w.db, "--user", "nobody"}).code == 5);
  CHECK(Admin(w.env, {"disable-user", "--db", w.db}).code == 2);
}

TEST_CASE("admin: reset-password prints a new password once - the old one and its sessions stop working",
          "[server][admin]") {
  ServerWorld w;
  const std::string password = "mật khẩu dài đủ 12";
  {
    auto store = w.OpenStore();
    REQUIRE(AddUser(*store, "d-2", Role::kDistrict, "148", password, &w.env).ok());
  }
  WebClient browser(w.app());
  REQUIRE(browser.Login("d-2", password));

  Cli c = Admin(w.env, {"reset-password", "--db", w.db, "d-2"});
  INFO(c.err);
  REQUIRE(c.code == 0);
  const std::string fresh = c.out.substr(0, c.out.find('\n'));
  CHECK(fresh.size() >= 12);
  CHECK(browser.Get("/records").status == 303);
  WebClient old_password(w.app());
  CHECK_FALSE(old_password.Login("d-2", password));
  WebClient new_password(w.app());
  CHECK(new_password.Login("d-2", fresh));
  CHECK(w.Count("SELECT count(*) FROM audit_log WHERE action = 'user.password_reset' AND target = 'd-2'") == 1);
  CHECK(w.Snap().find(fresh) == std::string::npos);
  CHECK(Admin(w.env, {"reset-password", "--db", w.db, "--user", "nobody"}).code == 5);
}

// `admin backup`: a checked, owner-only copy taken while the server runs (admin/backup.h).
TEST_CASE("admin backup: a copy taken while another connection writes holds every committed record",
          "[server][admin][backup][sqlite]") {
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

TEST_CASE("admin backup: a folder that does not exist is named, and nothing is left behind", "[server][admin][backup][sqlite]") {
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
