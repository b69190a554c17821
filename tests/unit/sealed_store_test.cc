// The encrypted store (SECURITY.md, "On the device"; docs/store-format.md): what a
// worker and an attacker holding the file would each check.
//
// One file over 400 lines on purpose: the store's promises and the attacks on them
// are read side by side, over one fixture.
#include <catch2/catch.hpp>
#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sotay/env.h"
#include "sotay/sealed_store.h"
#include "sqlite_db.h"

using namespace sotay;
namespace fs = std::filesystem;

namespace {

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir()
      : path_(fs::temp_directory_path() / ("sotay-store-test-" + RandomHex(Env::Default(), 8))) {
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

constexpr char kPass[] = "correct horse battery staple";
// "Nguyễn Văn Tèo Zebra42", spelled in UTF-8 bytes.
constexpr char kName[] = "Nguy\xe1\xbb\x85n V\xc4\x83n T\xc3\xa8o Zebra42";

std::unique_ptr<SealedStore> MustCreate(const std::string& path, std::string_view extra = {}) {
  auto r = SealedStore::Create(path, kPass, KdfLimits::Fast(), extra);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return std::move(r).value();
}

std::unique_ptr<SealedStore> MustOpen(const std::string& path, std::string_view pass = kPass,
                                      std::string_view extra = {}) {
  auto r = SealedStore::Open(path, pass, extra);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return std::move(r).value();
}

void MustPut(SealedStore* s, Table t, const std::string& key, const std::string& index,
             const std::string& plain) {
  Status st = s->Put(t, key, index, 1700000000000, plain);
  INFO(st.ToString());
  REQUIRE(st.ok());
}

// The file's bytes, or "<absent>" if there is no file.
std::string Bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "<absent>";
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A digest of the file (or "<absent>"), so a failed comparison prints 64 characters
// rather than the whole file.
std::string Digest(const std::string& path) {
  const std::string bytes = Bytes(path);
  if (bytes == "<absent>") return bytes;
  unsigned char h[32];
  crypto_generichash(h, sizeof(h), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
  return hex;
}

bool FileContains(const std::string& path, const std::string& needle) {
  return Bytes(path).find(needle) != std::string::npos;
}

// Plain SQLite on the file, as an attacker would: the sealed blob of one row.
std::string RawSealed(const std::string& path, const char* table, const std::string& key) {
  auto db = sqlite::Db::Open(path, sqlite::Db::Mode::kReadOnly);
  REQUIRE(db.ok());
  auto st = db->PrepareUncached(std::string("SELECT sealed FROM ") + table + " WHERE key = ?1");
  REQUIRE(st.ok());
  auto row = st->Bind(1, key).Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  return st->Blob(0);
}

// Runs `sql` with ?1 = blob, ?2 = text on the file with plain SQLite.
void RawUpdate(const std::string& path, const std::string& sql, const std::string& blob,
               const std::string& text) {
  auto db = sqlite::Db::Open(path, sqlite::Db::Mode::kReadWrite);
  REQUIRE(db.ok());
  auto st = db->PrepareUncached(sql);
  REQUIRE(st.ok());
  REQUIRE(st->BindBlob(1, blob).Bind(2, text).Run().ok());
  REQUIRE(db->changes() == 1);
}

struct FixedEnv : Env {
  int64_t now = 0;
  uint8_t fill = 0;
  int64_t NowMs() override { return now; }
  void RandomBytes(uint8_t* out, size_t n) override {
    for (size_t i = 0; i < n; ++i) out[i] = fill;
  }
};

}  // namespace

TEST_CASE("store: rows put in a new store read back after closing and reopening", "[store]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  {
    auto s = MustCreate(path);
    MustPut(s.get(), Table::kRecords, "rec-1", "form-a", "{\"name\":\"An\"}");
    MustPut(s.get(), Table::kRecords, "rec-2", "form-b", "{\"name\":\"Binh\"}");
    MustPut(s.get(), Table::kEdits, "edit-1", "rec-1", "");
    REQUIRE(s->PutMeta("device_id", "dev-7").ok());
  }
  auto s = MustOpen(path);
  CHECK(s->path() == path);
  CHECK(s->Get(Table::kRecords, "rec-1").value() == "{\"name\":\"An\"}");
  CHECK(s->Get(Table::kEdits, "edit-1").value().empty());
  CHECK(s->Get(Table::kEdits, "rec-1").status().code() == Status::Code::kNotFound);
  CHECK(s->Has(Table::kRecords, "rec-2"));
  CHECK_FALSE(s->Has(Table::kOutbox, "rec-2"));
  CHECK(s->Count(Table::kRecords).value() == 2);
  CHECK(s->GetMeta("device_id").value() == std::optional<std::string>("dev-7"));
  CHECK_FALSE(s->GetMeta("nothing").value().has_value());

  std::vector<std::string> seen;
  REQUIRE(s->Scan(Table::kRecords, std::string("form-b"), [&](const SealedRow& row) {
               seen.push_back(row.key + "=" + row.plaintext.value());
               CHECK(row.stamp == 1700000000000);
               return true;
             }).ok());
  CHECK(seen == std::vector<std::string>{"rec-2={\"name\":\"Binh\"}"});

  MustPut(s.get(), Table::kRecords, "rec-1", "form-a", "replaced");
  CHECK(s->Get(Table::kRecords, "rec-1").value() == "replaced");
  REQUIRE(s->Delete(Table::kRecords, "rec-1").ok());
  CHECK_FALSE(s->Has(Table::kRecords, "rec-1"));
  CHECK(s->Count(Table::kRecords).value() == 1);
}

TEST_CASE("store: a wrong passphrase is refused and leaves the file byte-for-byte unchanged",
          "[store]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  MustPut(MustCreate(path).get(), Table::kRecords, "rec-1", "form-a", kName);

  SECTION("after a clean close") {
    const std::string before = Digest(path), wal_before = Digest(path + "-wal");
    auto r = SealedStore::Open(path, "not the passphrase");
    CHECK(r.status().code() == Status::Code::kWrongPassphrase);
    CHECK(r.status().message() == "the passphrase does not open this store");
    CHECK(Digest(path) == before);
    CHECK(Digest(path + "-wal") == wal_before);
    CHECK(MustOpen(path)->Get(Table::kRecords, "rec-1").value() == kName);
  }
  SECTION("on a copy taken while the store was open (a crash image with a live WAL)") {
    auto live = MustOpen(path);
    MustPut(live.get(), Table::kRecords, "rec-2", "form-a", "in the wal only");
    const std::string copy = dir.File("copy.db");
    fs::copy_file(path, copy);
    fs::copy_file(path + "-wal", copy + "-wal");
    live.reset();
    const std::string before = Digest(copy), wal_before = Digest(copy + "-wal");
    REQUIRE(wal_before != "<absent>");
    CHECK(SealedStore::Open(copy, "not the passphrase").status().code() ==
          Status::Code::kWrongPassphrase);
    CHECK(Digest(copy) == before);
    CHECK(Digest(copy + "-wal") == wal_before);
    CHECK(MustOpen(copy)->Get(Table::kRecords, "rec-2").value() == "in the wal only");
  }
}

TEST_CASE("store: after a passphrase change only the new passphrase opens it, rows unchanged",
          "[store]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  {
    auto s = MustCreate(path);
    MustPut(s.get(), Table::kRecords, "rec-1", "form-a", kName);
    REQUIRE(s->ChangePassphrase("a new passphrase", KdfLimits::Fast()).ok());
    CHECK(s->Get(Table::kRecords, "rec-1").value() == kName);  // same data key
  }
  CHECK(SealedStore::Open(path, kPass).status().code() == Status::Code::kWrongPassphrase);
  auto s = MustOpen(path, "a new passphrase");
  CHECK(s->Get(Table::kRecords, "rec-1").value() == kName);
  CHECK(s->Count(Table::kRecords).value() == 1);
}

TEST_CASE("store: after a passphrase change the data key sealed under the old one is gone from the files",
          "[store]") {
  // Whoever learns the old passphrase must not find the data key it opened.
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  auto sealed_key = [&] {
    auto db = sqlite::Db::Open(path, sqlite::Db::Mode::kReadOnly);
    REQUIRE(db.ok());
    auto st = db->Prepare("SELECT value FROM meta WHERE key = 'store.data_key'");
    REQUIRE(st.ok());
    auto row = st->Step();
    REQUIRE((row.ok() && *row));
    return st->Blob(0);
  };
  {
    auto s = MustCreate(path);
    for (int i = 0; i < 200; ++i) MustPut(s.get(), Table::kOutbox, "row-" + std::to_string(i), "", kName);
  }
  const std::string old_key = sealed_key();
  REQUIRE(old_key.size() > 40);
  REQUIRE(FileContains(path, old_key));
  auto s = MustOpen(path);
  for (int i = 0; i < 200; i += 2) REQUIRE(s->Delete(Table::kOutbox, "row-" + std::to_string(i)).ok());
  REQUIRE(s->ChangePassphrase("a new passphrase", KdfLimits::Fast()).ok());
  // Still open (a phone app keeps its store open): the files already lack it.
  CHECK(sealed_key() != old_key);
  CHECK_FALSE(FileContains(path, old_key));
  CHECK_FALSE(FileContains(path + "-wal", old_key));
}

TEST_CASE("store: a passphrase change that cannot wipe the old sealed key says so, and the new passphrase stands",
          "[store]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  auto s = MustCreate(path);
  MustPut(s.get(), Table::kRecords, "rec-1", "form-a", kName);
  // Another program reading the store holds the WAL: the checkpoint cannot empty it.
  Status changed;
  {
    auto reader = sqlite::Db::Open(path, sqlite::Db::Mode::kReadOnly);
    REQUIRE(reader.ok());
    REQUIRE(reader->Exec("BEGIN; SELECT count(*) FROM meta;").ok());
    changed = s->ChangePassphrase("a new passphrase", KdfLimits::Fast());
    reader->Exec("COMMIT").IgnoreError();  // a reader's end; closing would end it too
  }
  CHECK_FALSE(changed.ok());
  CHECK(changed.message().find("the passphrase is changed") != std::string::npos);
  s.reset();
  CHECK(SealedStore::Open(path, kPass).status().code() == Status::Code::kWrongPassphrase);
  CHECK(MustOpen(path, "a new passphrase")->Get(Table::kRecords, "rec-1").value() == kName);
}

TEST_CASE("store: one flipped byte in a row's sealed data is reported as tampered, other rows "
          "still read",
          "[store]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  {
    auto s = MustCreate(path);
    for (const char* key : {"rec-1", "rec-2", "rec-3"}) {
      MustPut(s.get(), Table::kRecords, key, "form-a", std::string("answers of ") + key);
    }
  }
  for (size_t at : {size_t{0}, size_t{5}, size_t{30}}) {  // format, nonce, ciphertext
    DYNAMIC_SECTION("byte " << at) {
      std::string blob = RawSealed(path, "records", "rec-2");
      blob[at] = static_cast<char>(blob[at] ^ 0x01);
      RawUpdate(path, "UPDATE records SET sealed = ?1 WHERE key = ?2", blob, "rec-2");

      auto s = MustOpen(path);
      auto bad = s->Get(Table::kRecords, "rec-2");
      CHECK(bad.status().code() == Status::Code::kTampered);
      CHECK(bad.status().message() ==
            "row rec-2 of records failed authentication (tampered or corrupt)");
      CHECK(s->Get(Table::kRecords, "rec-1").value() == "answers of rec-1");
      CHECK(s->Get(Table::kRecords, "rec-3").value() == "answers of rec-3");

      std::vector<std::string> seen;
      REQUIRE(s->Scan(Table::kRecords, std::nullopt, [&](const SealedRow& row) {
                   seen.push_back(row.key + (row.plaintext.ok() ? ":ok" : ":tampered"));
                   if (!row.plaintext.ok()) {
                     CHECK(row.plaintext.status().code() == Status::Code::kTampered);
                   }
                   return true;
                 }).ok());
      CHECK(seen == std::vector<std::string>{"rec-1:ok", "rec-2:tampered", "rec-3:ok"});
    }
  }
}

TEST_CASE("store: a sealed row moved onto another row, table or index is refused", "[store]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  {
    auto s = MustCreate(path);
    MustPut(s.get(), Table::kRecords, "rec-1", "form-a", "child one");
    MustPut(s.get(), Table::kRecords, "rec-2", "form-a", "child two");
    MustPut(s.get(), Table::kDrafts, "rec-1", "form-a", "a draft");
  }
  const std::string one = RawSealed(path, "records", "rec-1");
  SECTION("onto another row of the same table") {
    RawUpdate(path, "UPDATE records SET sealed = ?1 WHERE key = ?2", one, "rec-2");
    CHECK(MustOpen(path)->Get(Table::kRecords, "rec-2").status().code() ==
          Status::Code::kTampered);
  }
  SECTION("onto the same key in another table") {
    RawUpdate(path, "UPDATE drafts SET sealed = ?1 WHERE key = ?2", one, "rec-1");
    CHECK(MustOpen(path)->Get(Table::kDrafts, "rec-1").status().code() ==
          Status::Code::kTampered);
  }
  SECTION("with its clear index changed") {
    RawUpdate(path, "UPDATE records SET idx = CAST(?1 AS TEXT) WHERE key = ?2", "form-b", "rec-1");
    CHECK(MustOpen(path)->Get(Table::kRecords, "rec-1").status().code() ==
          Status::Code::kTampered);
  }
}

TEST_CASE("store: a child's name put in rows never appears in the file or its WAL", "[store]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  auto s = MustCreate(path);
  for (int i = 0; i < 50; ++i) {
    const std::string key = "rec-" + std::to_string(i);
    MustPut(s.get(), Table::kRecords, key, "form-a", std::string("{\"name\":\"") + kName + "\"}");
    MustPut(s.get(), Table::kOutbox, key, key, kName);
  }
  MustPut(s.get(), Table::kRecords, "rec-0", "form-a", kName);  // the old version is freed
  REQUIRE(s->Delete(Table::kRecords, "rec-1").ok());
  for (const std::string& needle : {std::string(kName), std::string("Zebra42")}) {
    CHECK(FileContains(path + "-wal", "rec-49"));  // the WAL holds the rows, sealed
    CHECK_FALSE(FileContains(path, needle));
    CHECK_FALSE(FileContains(path + "-wal", needle));
  }
  s.reset();  // close: the WAL is checkpointed into the main file
  CHECK(FileContains(path, "rec-49"));
  CHECK_FALSE(FileContains(path, "Zebra42"));
  CHECK_FALSE(FileContains(path + "-wal", "Zebra42"));
}

TEST_CASE("store: with a keystore secret, the right passphrase alone does not open it",
          "[store]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  MustPut(MustCreate(path, "keystore-secret-1").get(), Table::kRecords, "rec-1", "f", kName);
  CHECK(SealedStore::Open(path, kPass).status().code() == Status::Code::kWrongPassphrase);
  CHECK(SealedStore::Open(path, kPass, "keystore-secret-2").status().code() ==
        Status::Code::kWrongPassphrase);
  CHECK(MustOpen(path, kPass, "keystore-secret-1")->Get(Table::kRecords, "rec-1").value() ==
        kName);
}

TEST_CASE("store: Create refuses an existing file, a missing directory and weak limits",
          "[store]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  MustCreate(path);
  const std::string before = Digest(path);
  auto again = SealedStore::Create(path, "other", KdfLimits::Fast());
  CHECK(again.status().code() == Status::Code::kAlreadyExists);
  CHECK(Digest(path) == before);
  MustOpen(path);

  KdfLimits weak = KdfLimits::Fast();
  weak.memlimit /= 2;  // below libsodium's minimum
  const std::string other = dir.File("weak.db");
  CHECK(SealedStore::Create(other, kPass, weak).status().code() ==
        Status::Code::kInvalidArgument);
  CHECK_FALSE(fs::exists(other));

  auto nodir = SealedStore::Create(dir.File("no/such/dir/notebook.db"), kPass, KdfLimits::Fast());
  CHECK(nodir.status().code() == Status::Code::kIOError);
  CHECK(nodir.status().message().find("does not exist") != std::string::npos);
}

TEST_CASE("store: opening a file that is not a store is Corrupt, a missing one NotFound",
          "[store]") {
  TempDir dir;
  const std::string missing = dir.File("missing.db");
  auto r = SealedStore::Open(missing, kPass);
  CHECK(r.status().code() == Status::Code::kNotFound);
  CHECK(r.status().message().find(missing) != std::string::npos);
  CHECK_FALSE(fs::exists(missing));  // Open never creates

  const std::string text = dir.File("notes.txt");
  std::ofstream(text) << "this is not a database, it is a shopping list\n";
  const std::string text_before = Digest(text);
  r = SealedStore::Open(text, kPass);
  CHECK(r.status().code() == Status::Code::kCorrupt);
  CHECK(r.status().message() == text + " is not a Sotay store");
  CHECK(Digest(text) == text_before);

  const std::string other = dir.File("other.db");
  {
    auto db = sqlite::Db::Open(other, sqlite::Db::Mode::kCreate);
    REQUIRE(db.ok());
    REQUIRE(db->Exec("CREATE TABLE t(x)").ok());
  }
  CHECK(SealedStore::Open(other, kPass).status().code() == Status::Code::kCorrupt);

  const std::string empty = dir.File("empty.db");
  std::ofstream(empty).flush();
  CHECK(SealedStore::Open(empty, kPass).status().code() == Status::Code::kCorrupt);
}

TEST_CASE("store: a rolled-back transaction leaves nothing, a committed one everything",
          "[store]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  auto s = MustCreate(path);
  REQUIRE(s->Begin().ok());
  CHECK(s->Begin().code() == Status::Code::kFailedPrecondition);
  MustPut(s.get(), Table::kRecords, "rec-1", "f", "one");
  MustPut(s.get(), Table::kEdits, "edit-1", "rec-1", "one");
  REQUIRE(s->PutMeta("counter", "1").ok());
  s->Rollback();
  CHECK(s->Count(Table::kRecords).value() == 0);
  CHECK(s->Count(Table::kEdits).value() == 0);
  CHECK_FALSE(s->GetMeta("counter").value().has_value());
  s->Rollback();  // none open: harmless
  CHECK(s->Commit().code() == Status::Code::kFailedPrecondition);

  REQUIRE(s->Begin().ok());
  MustPut(s.get(), Table::kRecords, "rec-2", "f", "two");
  REQUIRE(s->Commit().ok());
  s.reset();
  CHECK(MustOpen(path)->Get(Table::kRecords, "rec-2").value() == "two");
}

TEST_CASE("store: keys with a prefix are listed literally, '%' and '_' included", "[store]") {
  TempDir dir;
  auto s = MustCreate(dir.File("notebook.db"));
  for (const char* key : {"a%b-1", "a%b-2", "aXb-1", "a_c", "abc", "a_", "b", "a%"}) {
    MustPut(s.get(), Table::kOutbox, key, "i", "x");
  }
  CHECK(s->KeysWithPrefix(Table::kOutbox, "a%b").value() ==
        std::vector<std::string>{"a%b-1", "a%b-2"});
  CHECK(s->KeysWithPrefix(Table::kOutbox, "a_").value() == std::vector<std::string>{"a_", "a_c"});
  CHECK(s->KeysWithPrefix(Table::kOutbox, "a%").value() ==
        std::vector<std::string>{"a%", "a%b-1", "a%b-2"});
  CHECK(s->KeysWithPrefix(Table::kOutbox, "").value().size() == 8);
  CHECK(s->KeysWithPrefix(Table::kOutbox, "zz").value().empty());
}

TEST_CASE("store: a scan can stop early and a visitor can scan again", "[store]") {
  TempDir dir;
  auto s = MustCreate(dir.File("notebook.db"));
  for (const char* key : {"r1", "r2", "r3"}) MustPut(s.get(), Table::kRecords, key, "f", key);
  int outer = 0, inner = 0;
  REQUIRE(s->Scan(Table::kRecords, std::nullopt, [&](const SealedRow&) {
               ++outer;
               REQUIRE(s->Scan(Table::kRecords, std::nullopt, [&](const SealedRow&) {
                            ++inner;
                            return true;
                          }).ok());
               return outer < 2;
             }).ok());
  CHECK(outer == 2);
  CHECK(inner == 6);
}

TEST_CASE("store: ids with NUL bytes and the store's own meta keys are refused", "[store]") {
  TempDir dir;
  auto s = MustCreate(dir.File("notebook.db"));
  CHECK(s->Put(Table::kRecords, std::string("a\0b", 3), "i", 0, "x").code() ==
        Status::Code::kInvalidArgument);
  CHECK(s->Put(Table::kRecords, "a", std::string("i\0", 2), 0, "x").code() ==
        Status::Code::kInvalidArgument);
  CHECK(s->PutMeta("store.data_key", "x").code() == Status::Code::kInvalidArgument);
  CHECK(s->GetMeta("store.kdf").value() == std::optional<std::string>("argon2id13"));
}

TEST_CASE("store: default key-derivation limits are at least libsodium's interactive ones",
          "[store]") {
  REQUIRE(sodium_init() >= 0);
  const KdfLimits d = KdfLimits::Default();
  CHECK(d.opslimit >= crypto_pwhash_OPSLIMIT_INTERACTIVE);
  CHECK(d.memlimit >= crypto_pwhash_MEMLIMIT_INTERACTIVE);
  CHECK(KdfLimits::Fast().opslimit == crypto_pwhash_OPSLIMIT_MIN);
}

TEST_CASE("env: UUIDs are version 7, ordered by the clock, and random hex has the asked length", "[store][env]") {
  FixedEnv env;
  env.now = 0x0123456789ab;
  env.fill = 0xff;
  CHECK(NewUuid(&env) == "01234567-89ab-7fff-bfff-ffffffffffff");
  env.fill = 0x00;
  CHECK(NewUuid(&env) == "01234567-89ab-7000-8000-000000000000");
  env.now = -5;  // a clock before 1970 still makes a well-formed id
  CHECK(NewUuid(&env) == "00000000-0000-7000-8000-000000000000");
  CHECK(RandomHex(&env, 3) == "000000");
  CHECK(RandomHex(&env, 0).empty());
  const std::string a = NewUuid(Env::Default()), b = NewUuid(Env::Default());
  CHECK(a.size() == 36);
  CHECK(a != b);
  CHECK(a[14] == '7');
  env.fill = 0xff;
  env.now = 1'700'000'000'000;
  const std::string earlier = NewUuid(&env);
  env.fill = 0x00;
  env.now += 1;
  CHECK(earlier < NewUuid(&env));  // a later ms sorts after, whatever the random bits
  CHECK(RandomHex(Env::Default(), 16).size() == 32);
}

TEST_CASE("env: today's date counts days from 1970-01-01 on the local calendar", "[store][env]") {
  FixedEnv env;
  env.now = int64_t{20000} * 86400000 + 12 * 3600000;  // noon UTC, day 20000 (2024-10-04)
  const int64_t today = env.TodayDays();
  CHECK(today >= 19999);  // any time zone is within a day of UTC at noon
  CHECK(today <= 20001);
  const int64_t real = Env::Default()->TodayDays();
  const int64_t utc = Env::Default()->NowMs() / 86400000;
  CHECK(real >= utc - 1);
  CHECK(real <= utc + 1);
}
