// What decides where a notebook's records go and who wrote them (SECURITY.md, "What
// decides where data goes"): the server's address and key, the commune, the author
// and the device id are sealed in the file, and changing them without the
// passphrase stops the notebook instead of steering its data. Also: the store's
// files are owner-only.
#include <catch2/catch.hpp>
#include <sodium.h>

#ifndef _WIN32
#include <sys/stat.h>
#endif

#include <cstring>
#include <stdexcept>
#include <string>

#include "sotay/notebook.h"
#include "sqlite_db.h"
#include "support/temp_dir.h"

using namespace sotay;
using sotay::testing::ReadBytes;
using sotay::testing::TempDir;

namespace {

constexpr char kPass[] = "mật khẩu đủ dài";
constexpr char kServerKey[] = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";  // 32 bytes, base64

// The meta table behind the store's back, as someone with the file and the sqlite3
// tool would see it. REQUIRES: the notebook is closed.
class RawMeta {
 public:
  explicit RawMeta(const std::string& path) {
    auto db = sqlite::Db::Open(path, sqlite::Db::Mode::kReadWrite);
    if (!db.ok()) throw std::runtime_error(db.status().ToString());
    db_ = std::move(db).value();
  }
  void Delete(const std::string& key) {
    Status s = Prepare("DELETE FROM meta WHERE key = ?1").Bind(1, key).Run();
    if (!s.ok()) throw std::runtime_error("delete " + key + ": " + s.ToString());
  }
  std::string Get(const std::string& key) {
    sqlite::Statement st = Prepare("SELECT value FROM meta WHERE key = ?1");
    auto row = st.Bind(1, key).Step();
    if (!row.ok()) throw std::runtime_error("read meta " + key + ": " + row.status().ToString());
    return *row ? st.Blob(0) : std::string();
  }
  void Set(const std::string& key, const std::string& value) {
    Status s = Prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)").Bind(1, key).BindBlob(2, value).Run();
    if (!s.ok()) throw std::runtime_error("write meta " + key + ": " + s.ToString());
  }

 private:
  sqlite::Statement Prepare(const char* sql) {
    auto st = db_.Prepare(sql);
    if (!st.ok()) throw std::runtime_error(st.status().ToString());
    return std::move(st).value();
  }
  sqlite::Db db_;
};

std::unique_ptr<Notebook> MustCreate(const std::string& path) {
  NotebookOptions o;
  o.kdf = KdfLimits::Fast();
  auto created = Notebook::Create(path, kPass, o);
  INFO(created.status().ToString());
  REQUIRE(created.ok());
  return std::move(created).value();
}

Result<std::unique_ptr<Notebook>> Reopen(const std::string& path) { return Notebook::Open(path, kPass); }

// Turns a store back into format 1, as the versions before sealed settings wrote it:
// the data key sealed under the v1 associated data, and the settings in clear.
void MakeFormat1(const std::string& path, const std::string& server_url, const std::string& area,
                 const std::string& author, const std::string& device_id) {
  RawMeta meta(path);
  const std::string salt = meta.Get("store.kdf_salt"), sealed = meta.Get("store.data_key");
  unsigned char kek[32], data_key[32];
  REQUIRE(crypto_pwhash(kek, sizeof kek, kPass, std::strlen(kPass), reinterpret_cast<const unsigned char*>(salt.data()),
                        std::stoull(meta.Get("store.kdf_opslimit")), std::stoull(meta.Get("store.kdf_memlimit")),
                        crypto_pwhash_ALG_ARGON2ID13) == 0);
  const auto* c = reinterpret_cast<const unsigned char*>(sealed.data());
  const std::string ad2 = "sotay2/datakey", ad1 = "sotay1/datakey";
  unsigned long long len = 0;
  REQUIRE(crypto_aead_xchacha20poly1305_ietf_decrypt(data_key, &len, nullptr, c + 25, sealed.size() - 25,
                                                     reinterpret_cast<const unsigned char*>(ad2.data()), ad2.size(),
                                                     c + 1, kek) == 0);
  std::string resealed(sealed.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(&resealed[0]);
  out[0] = 1;
  randombytes_buf(out + 1, 24);
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + 25, nullptr, data_key, sizeof data_key,
                                             reinterpret_cast<const unsigned char*>(ad1.data()), ad1.size(), nullptr,
                                             out + 1, kek);
  meta.Set("store.data_key", resealed);
  meta.Set("store.format", "1");
  meta.Set("server_url", server_url);
  meta.Set("area", area);
  meta.Set("author", author);
  meta.Set("device_id", device_id);
}

}  // namespace

TEST_CASE("notebook settings: a server address changed in the file without the passphrase stops sync, naming it",
          "[notebook][security]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  {
    auto nb = MustCreate(path);
    REQUIRE(nb->SetEnrollment(Notebook::Enrollment{"https://huyen.example", "worker-7", "01234", "worker", kServerKey, {}}).ok());
  }
  RawMeta(path).Set("server_url", "https://elsewhere.example");
  auto nb = Reopen(path);
  REQUIRE(nb.ok());
  auto state = (*nb)->GetSyncState();
  REQUIRE_FALSE(state.ok());
  CHECK(state.status().code() == Status::Code::kTampered);
  CHECK(state.status().message() == "the notebook's server address was changed outside sotay: refusing to use it");
  CHECK((*nb)->ServerKey().value() == kServerKey);  // the rest still reads
}

TEST_CASE("notebook settings: the server address is not in the file in clear", "[notebook][security]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  {
    auto nb = MustCreate(path);
    REQUIRE(nb->SetEnrollment(Notebook::Enrollment{"https://huyen.example", "worker-7", "01234", "worker", kServerKey, {}}).ok());
  }
  RawMeta meta(path);
  CHECK(meta.Get("server_url").find("huyen") == std::string::npos);
  CHECK(meta.Get("author").find("worker-7") == std::string::npos);
  CHECK(meta.Get("server_key") != kServerKey);
}

TEST_CASE("notebook settings: the author's sealed value copied onto the commune is refused when the notebook opens",
          "[notebook][security]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  {
    auto nb = MustCreate(path);
    REQUIRE(nb->SetProfile("01234", "worker-7").ok());
  }
  {
    RawMeta meta(path);
    meta.Set("area", meta.Get("author"));
  }
  auto nb = Reopen(path);
  REQUIRE_FALSE(nb.ok());
  CHECK(nb.status().code() == Status::Code::kTampered);
  CHECK(nb.status().message() == "the notebook's commune (area) was changed outside sotay: refusing to use it");
}

TEST_CASE("notebook settings: a pinned server key forged in the file is refused", "[notebook][security]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  {
    auto nb = MustCreate(path);
    REQUIRE(nb->SetEnrollment(Notebook::Enrollment{"https://huyen.example", "worker-7", "01234", "worker", kServerKey, {}}).ok());
  }
  RawMeta(path).Set("server_key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  auto nb = Reopen(path);
  REQUIRE(nb.ok());
  auto key = (*nb)->ServerKey();
  REQUIRE_FALSE(key.ok());
  CHECK(key.status().message() == "the notebook's pinned server key was changed outside sotay: refusing to use it");
}

TEST_CASE("notebook settings: a pinned server key deleted from the file is refused, not pinned anew",
          "[notebook][security]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  {
    auto nb = MustCreate(path);
    REQUIRE(nb->SetEnrollment(Notebook::Enrollment{"https://huyen.example", "worker-7", "01234", "worker", kServerKey, {}}).ok());
  }
  RawMeta(path).Delete("server_key");
  auto nb = Reopen(path);
  REQUIRE(nb.ok());
  auto key = (*nb)->ServerKey();
  REQUIRE_FALSE(key.ok());  // "" here would let the next answer's key be pinned instead
  CHECK(key.status().message() == "the notebook's pinned server key was removed outside sotay: refusing to use it");
}

TEST_CASE("notebook settings: a device enrolled before keys were pinned keeps trusting on first use", "[notebook]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  {
    auto nb = MustCreate(path);
    REQUIRE(nb->SetEnrollment(Notebook::Enrollment{"https://huyen.example", "worker-7", "01234", "worker", "", {}}).ok());
  }
  auto nb = Reopen(path);
  REQUIRE(nb.ok());
  auto key = (*nb)->ServerKey();
  REQUIRE(key.ok());
  CHECK(key->empty());
}

TEST_CASE("notebook settings: a notebook written before settings were sealed has them sealed at its next unlock",
          "[notebook][security]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  std::string device;
  {
    auto nb = MustCreate(path);
    device = nb->device_id();
  }
  MakeFormat1(path, "https://huyen.example", "01234", "worker-7", device);
  {
    auto nb = Reopen(path);
    INFO(nb.status().ToString());
    REQUIRE(nb.ok());
    CHECK((*nb)->device_id() == device);
    CHECK((*nb)->area() == "01234");
    CHECK((*nb)->author() == "worker-7");
    CHECK((*nb)->GetSyncState().value().server_url == "https://huyen.example");
    CHECK((*nb)->ServerKey().value().empty());  // pinned at the first sync
  }
  CHECK(RawMeta(path).Get("store.format") == "2");
  CHECK(RawMeta(path).Get("server_url").find("huyen") == std::string::npos);
  // From now on a clear value written in the file is a forgery, not a setting to adopt.
  RawMeta(path).Set("server_url", "https://elsewhere.example");
  auto nb = Reopen(path);
  REQUIRE(nb.ok());
  CHECK((*nb)->GetSyncState().status().code() == Status::Code::kTampered);
}

TEST_CASE("notebook settings: setting the store format back to 1 in the file does not open it, and changes nothing",
          "[notebook][security]") {
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  {
    auto nb = MustCreate(path);
    REQUIRE(nb->SetEnrollment(Notebook::Enrollment{"https://huyen.example", "worker-7", "01234", "worker", kServerKey, {}}).ok());
  }
  {
    RawMeta meta(path);
    meta.Set("store.format", "1");
    meta.Set("server_url", "https://elsewhere.example");  // to be "migrated" as if it were the old clear one
  }
  const std::string before = ReadBytes(path);
  auto nb = Reopen(path);
  REQUIRE_FALSE(nb.ok());
  CHECK(nb.status().code() == Status::Code::kWrongPassphrase);
  CHECK(ReadBytes(path) == before);
}

#ifndef _WIN32
namespace {
unsigned ModeOf(const std::string& path) {
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

// Sets the umask for a scope, as a shell with `umask 022` would.
class Umask {
 public:
  explicit Umask(mode_t m) : old_(::umask(m)) {}
  ~Umask() { ::umask(old_); }

 private:
  mode_t old_;
};
}  // namespace

TEST_CASE("store: a notebook made in an existing directory, its -wal and -shm are readable by the owner only",
          "[store][security]") {
  Umask umask(022);
  TempDir dir;  // exists already, as SOTAY_HOME may
  const std::string path = dir.File("notebook.db");
  auto nb = MustCreate(path);
  REQUIRE(nb->SetProfile("01234", "worker-7").ok());  // writes: the WAL exists
  CHECK(ModeOf(path) == 0600);
  CHECK(ModeOf(path + "-wal") == 0600);
  CHECK(ModeOf(path + "-shm") == 0600);
}

TEST_CASE("store: a notebook left readable by others is made owner-only when it is opened", "[store][security]") {
  Umask umask(022);
  TempDir dir;
  const std::string path = dir.File("notebook.db");
  MustCreate(path).reset();
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  auto nb = Reopen(path);
  REQUIRE(nb.ok());
  REQUIRE((*nb)->SetProfile("01234", "worker-7").ok());
  CHECK(ModeOf(path) == 0600);
  CHECK(ModeOf(path + "-wal") == 0600);
  CHECK(ModeOf(path + "-shm") == 0600);
}
#endif
